// SettingStore: a few named values of one installation that every instance must agree on and that are written
// once, e.g. the master-key canary (app/master_key.h): a value sealed with the master key that tells an instance
// started with another key to refuse to start.
//
// A setting is one small record (name, value). Names: 1..128 characters; values: at most 64 KiB of text.
//
// Common contracts: Unavailable / Internal when the backend fails (nothing written by a failed write);
// InvalidArgument("name") / ("value") out of the sizes above.
//
// Thread safety: safe to call concurrently from many threads and processes.
#pragma once

#include <string>

#include "common/status.h"

namespace ap::store {

class SettingStore {
 public:
  virtual ~SettingStore() = default;

  // The value of setting `name`. NotFound if it was never put. Reads one record (consistently: a put that
  // returned OK is seen).
  virtual Result<std::string> GetSetting(const std::string& name) = 0;
  // Stores `value` as setting `name` only if the setting does not exist: AlreadyExists otherwise (the stored
  // value is kept). Atomic: one conditional write; of N concurrent puts of one name exactly one succeeds.
  virtual Status PutSettingIfAbsent(const std::string& name, const std::string& value) = 0;
};

// InvalidArgument unless `name` (and `value`, when given) fit the sizes of the file comment (shared by every
// backend).
inline Status CheckSetting(const std::string& name, const std::string* value) {
  if (name.empty() || name.size() > 128) return InvalidArgument("must be 1 to 128 characters", "name");
  if (value != nullptr && value->size() > size_t{64} * 1024) return InvalidArgument("must be at most 64 KiB", "value");
  return Status::Ok();
}

}  // namespace ap::store
