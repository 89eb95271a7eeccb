#include "api/quota_body_cache.h"

#include <mutex>

namespace ap::api {

std::shared_ptr<const std::string> QuotaBodyCache::Get(const service::QuotaReadInputs& in) const {
  ReaderMutexLock lock(mu_);
  auto it = map_.find(Key(in));
  if (it == map_.end()) return nullptr;
  const Entry& e = it->second;
  if (e.account != in.account || e.config != in.config || e.snapshot != in.snapshot || e.usage != in.usage)
    return nullptr;
  return e.body;
}

void QuotaBodyCache::Put(const service::QuotaReadInputs& in, std::shared_ptr<const std::string> body) {
  WriterMutexLock lock(mu_);
  // Bounded: when full, start over rather than track recency; hot entries come back on the next read.
  if (map_.size() >= max_entries_) map_.clear();
  map_[Key(in)] = Entry{in.account, in.config, in.snapshot, in.usage, std::move(body)};
}

}  // namespace ap::api
