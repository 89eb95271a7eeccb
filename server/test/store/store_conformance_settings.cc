// Conformance: installation settings (store/setting_store.h).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

TEST_P(StoreConformance, SettingIsAbsentUntilPutThenKeepsItsFirstValue) {
  EXPECT_EQ(store().GetSetting("canary").status().code(), StatusCode::kNotFound);
  ASSERT_OK(store().PutSettingIfAbsent("canary", "first"));
  EXPECT_EQ(store().PutSettingIfAbsent("canary", "second").code(), StatusCode::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(std::string value, store().GetSetting("canary"));
  EXPECT_EQ(value, "first");
  EXPECT_EQ(store().GetSetting("other").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, ConcurrentPutsOfOneSettingHaveOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Status s = store().PutSettingIfAbsent("race", "value-" + std::to_string(i));
      if (s.ok())
        ++won;
      else
        EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.message();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  ASSERT_OK_AND_ASSIGN(std::string value, store().GetSetting("race"));
  EXPECT_EQ(value.rfind("value-", 0), 0u);
}

TEST_P(StoreConformance, SettingNamesAndValuesAreBounded) {
  EXPECT_EQ(store().GetSetting("").status().field(), "name");
  EXPECT_EQ(store().PutSettingIfAbsent(std::string(129, 'n'), "v").field(), "name");
  EXPECT_EQ(store().PutSettingIfAbsent("big", std::string(64 * 1024 + 1, 'v')).field(), "value");
  ASSERT_OK(store().PutSettingIfAbsent(std::string(128, 'n'), std::string(64 * 1024, 'v')));
}

}  // namespace
}  // namespace ap::store::testing
