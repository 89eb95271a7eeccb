#include "service/ttl_cache.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

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

}  // namespace
}  // namespace ap::service
