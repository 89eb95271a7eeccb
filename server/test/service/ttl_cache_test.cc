#include "service/ttl_cache.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "service/epoch_watch.h"

namespace ap::service {
namespace {

using std::chrono::seconds;

TEST(TtlCache, GetOrLoadLoadsOnceUntilTheTtlPasses) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  int loads = 0;
  auto load = [&]() -> Result<std::string> { return "v" + std::to_string(++loads); };
  auto a = cache.GetOrLoad("k", load);
  ASSERT_OK(a);
  EXPECT_EQ(**a, "v1");
  clock.Advance(seconds(59));
  EXPECT_EQ(**cache.GetOrLoad("k", load), "v1");
  clock.Advance(seconds(1));
  EXPECT_EQ(**cache.GetOrLoad("k", load), "v2");
  EXPECT_EQ(loads, 2);
}

TEST(TtlCache, GetOrLoadDoesNotCacheFailures) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  int loads = 0;
  auto failing = [&]() -> Result<std::string> {
    ++loads;
    return Unavailable("down");
  };
  auto r = cache.GetOrLoad("k", failing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(cache.GetOrLoad("k", failing).ok());
  EXPECT_EQ(loads, 2);
  EXPECT_EQ(**cache.GetOrLoad("k", []() -> Result<std::string> { return std::string("up"); }), "up");
}

// However the threads interleave, one load serves them all: those that arrive during the load wait for it, those
// that arrive after it find its value cached (the fake clock does not move).
TEST(TtlCache, ConcurrentMissesOfOneKeyMakeOneLoad) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  std::atomic<int> loads{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  auto load = [&]() -> Result<std::string> {
    if (++loads == 1) started.set_value();
    released.wait();
    return std::string("value");
  };
  std::vector<std::future<Result<std::shared_ptr<const std::string>>>> results;
  results.push_back(std::async(std::launch::async, [&] { return cache.GetOrLoad("k", load); }));
  started.get_future().wait();  // the first load is in flight
  for (int i = 0; i < 15; ++i)
    results.push_back(std::async(std::launch::async, [&] { return cache.GetOrLoad("k", load); }));
  release.set_value();
  for (auto& f : results) {
    auto r = f.get();
    ASSERT_OK(r);
    EXPECT_EQ(**r, "value");
  }
  EXPECT_EQ(loads.load(), 1);
}

// A value loaded while the cache was written (here: an invalidation) is returned but not cached.
TEST(TtlCache, ALoadThatRacedAWriteIsNotCached) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  auto r = cache.GetOrLoad("k", [&]() -> Result<std::string> {
    cache.Erase("k");
    return std::string("old");
  });
  ASSERT_OK(r);
  EXPECT_EQ(**r, "old");
  EXPECT_EQ(cache.Get("k"), nullptr);
  cache.Put("k", std::make_shared<const std::string>("new"));
  EXPECT_EQ(*cache.Get("k"), "new");
}

TEST(TtlCache, ReplaceUpdatesCachedKeysAndAddsNoOthers) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  cache.Put("cached", std::make_shared<const std::string>("old"));
  cache.Replace("cached", std::make_shared<const std::string>("new"));
  cache.Replace("absent", std::make_shared<const std::string>("x"));
  ASSERT_NE(cache.Get("cached"), nullptr);
  EXPECT_EQ(*cache.Get("cached"), "new");
  EXPECT_EQ(cache.Get("absent"), nullptr);
  // The absent key is loaded by its first read, not served from the replace.
  auto loaded = cache.GetOrLoad("absent", []() -> Result<std::string> { return std::string("loaded"); });
  ASSERT_OK(loaded);
  EXPECT_EQ(**loaded, "loaded");
}

// Epochs only (leases are not used here), counting the reads; can fail them.
class FakeEpochs : public store::CoordinationStore {
 public:
  Result<store::Lease> AcquireLease(const std::string&, const std::string&, int64_t, int64_t) override {
    return Internal("not used");
  }
  Result<store::Lease> RenewLease(const std::string&, const std::string&, int64_t, int64_t, int64_t) override {
    return Internal("not used");
  }
  Status ReleaseLease(const std::string&, const std::string&, int64_t) override { return Internal("not used"); }
  Result<store::Lease> GetLease(const std::string&) override { return Internal("not used"); }
  Result<int64_t> BumpEpoch(const std::string& name) override {
    std::lock_guard lock(mu_);
    if (!fail.ok()) return fail;
    return ++epochs_[name];
  }
  Result<int64_t> GetEpoch(const std::string& name) override {
    std::lock_guard lock(mu_);
    ++reads;
    if (!fail.ok()) return fail;
    return epochs_[name];
  }
  int reads = 0;  // GetEpoch calls
  Status fail;    // non-OK: every call fails with it

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> epochs_;
};

TEST(EpochWatch, ReadsTheEpochAtMostOncePerPollAndReportsItsMoves) {
  FakeClock clock;
  FakeEpochs store;
  EpochWatch watch(store, clock, "accounts", seconds(1));
  EXPECT_TRUE(watch.Changed());  // never read: whatever is cached predates the watch
  EXPECT_EQ(store.reads, 1);
  EXPECT_FALSE(watch.Changed());  // within the poll: no read
  clock.Advance(std::chrono::milliseconds(999));
  EXPECT_FALSE(watch.Changed());
  EXPECT_EQ(store.reads, 1);
  ASSERT_OK(watch.Bump());        // a write on some instance
  EXPECT_FALSE(watch.Changed());  // not read yet: the bound is the poll
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(watch.Changed());
  EXPECT_EQ(store.reads, 2);
  clock.Advance(seconds(1));
  EXPECT_FALSE(watch.Changed());  // read again, unchanged
  EXPECT_EQ(store.reads, 3);
  clock.Advance(-seconds(10));  // a clock that went back makes the read due
  EXPECT_FALSE(watch.Changed());
  EXPECT_EQ(store.reads, 4);
}

TEST(EpochWatch, AnUnreadableEpochIsAChangeAndAFailedBumpAnError) {
  FakeClock clock;
  FakeEpochs store;
  EpochWatch watch(store, clock, "sessions", seconds(1));
  EXPECT_TRUE(watch.Changed());
  store.fail = Unavailable("store down");
  clock.Advance(seconds(1));
  EXPECT_TRUE(watch.Changed());   // unknown: the cache must not be trusted
  EXPECT_FALSE(watch.Changed());  // but the store is not asked more than once per poll
  EXPECT_EQ(watch.Bump().code(), StatusCode::kUnavailable);
  store.fail = Status::Ok();
  clock.Advance(seconds(1));
  EXPECT_TRUE(watch.Changed());  // known again: what was cached meanwhile is dropped once more
}

TEST(TtlCache, DropsEveryEntryWhenItsEpochMoves) {
  FakeClock clock;
  FakeEpochs store;
  EpochWatch watch(store, clock, "accounts", seconds(1));
  TtlCache<std::string> cache(clock, seconds(60), watch);
  cache.Put("a", std::make_shared<const std::string>("1"));
  EXPECT_EQ(cache.Get("a"), nullptr);  // the first check reads the epoch and drops what predates it
  cache.Put("a", std::make_shared<const std::string>("1"));
  cache.Put("b", std::make_shared<const std::string>("2"));
  ASSERT_OK(store.BumpEpoch("accounts"));
  ASSERT_NE(cache.Get("a"), nullptr);  // within the poll
  clock.Advance(seconds(1));
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.Get("b"), nullptr);
}

// A loader that read the store before a drop must not cache what it read after it (it may predate the change
// that caused the drop); other keys' writes do not stop it.
TEST(TtlCache, AValueLoadedBeforeADropIsNotCached) {
  FakeClock clock;
  TtlCache<std::string> cache(clock, seconds(60));
  uint64_t stamp = cache.InvalidationStamp();
  cache.Clear();
  cache.PutLoaded("k", std::make_shared<const std::string>("old"), stamp);
  EXPECT_EQ(cache.Get("k"), nullptr);
  stamp = cache.InvalidationStamp();
  cache.Put("other", std::make_shared<const std::string>("x"));
  cache.PutLoaded("k", std::make_shared<const std::string>("new"), stamp);
  ASSERT_NE(cache.Get("k"), nullptr);
  EXPECT_EQ(*cache.Get("k"), "new");
}

}  // namespace
}  // namespace ap::service
