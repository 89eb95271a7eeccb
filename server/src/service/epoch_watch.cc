#include "service/epoch_watch.h"

#include "common/log.h"

namespace ap::service {

EpochWatch::EpochWatch(store::CoordinationStore& store, const Clock& clock, std::string_view name, Duration poll)
    : store_(store), clock_(clock), name_(name), poll_(poll) {}

bool EpochWatch::Changed() {
  const TimePoint now = clock_.Now();
  {
    MutexLock lock(mu_);
    // A clock that went back makes the read due: a watch must never stop reading.
    if (reading_ || (read_once_ && now >= read_at_ && now - read_at_ < poll_)) return false;
    reading_ = true;
  }
  Result<int64_t> epoch = store_.GetEpoch(name_);
  MutexLock lock(mu_);
  reading_ = false;
  read_once_ = true;
  read_at_ = now;
  if (!epoch.ok()) {
    // Unknown: drop, so that readers ask the store (fail closed) rather than trust what may be revoked.
    known_ = false;
    log::Warn("cache_epoch_unreadable", {{"epoch", name_}, {"error", epoch.status().ToString()}});
    return true;
  }
  const bool changed = !known_ || *epoch != value_;
  known_ = true;
  value_ = *epoch;
  return changed;
}

Status EpochWatch::Bump() {
  Result<int64_t> bumped = store_.BumpEpoch(name_);
  if (!bumped.ok()) {
    log::Error("cache_epoch_bump_failed", {{"epoch", name_}, {"error", bumped.status().ToString()}});
    return Status(bumped.status().code(),
                  "the change is stored but could not be announced to the other instances (they see it when their "
                  "cached copies expire); retry to announce it: " +
                      bumped.status().message());
  }
  return Status::Ok();
}

}  // namespace ap::service
