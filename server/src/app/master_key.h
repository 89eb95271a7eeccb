// The master key that seals account credentials: from AP_MASTER_KEY (64 hex characters or base64 of 32 bytes),
// else from <data-dir>/master.key, which is created (mode 0600, 32 random bytes hex) on first start.
#pragma once

#include <string>

#include "common/random.h"
#include "common/status.h"
#include "service/crypto.h"

namespace ap::app {

// `env_value` is AP_MASTER_KEY's value (empty when unset). InvalidArgument for a malformed key;
// Unavailable when the key file cannot be read or created; FailedPrecondition when the key file is readable
// by group or others (a leaked key unseals every credential).
Result<service::MasterKey> LoadOrCreateMasterKey(const std::string& env_value, const std::string& data_dir,
                                                 Random& random, bool* created);

}  // namespace ap::app
