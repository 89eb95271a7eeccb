#include "common/timer_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

namespace ap {
namespace {

TEST(TimerQueue, RunsTasksInTimeOrderNotBefore) {
  TimerQueue q;
  auto start = std::chrono::steady_clock::now();
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::chrono::steady_clock::duration> ran_at(3);
  std::promise<void> done;
  std::atomic<int> left{3};
  auto record = [&](int i) {
    return [&, i] {
      {
        std::lock_guard lock(mu);
        order.push_back(i);
        ran_at[i] = std::chrono::steady_clock::now() - start;
      }
      if (--left == 0) done.set_value();
    };
  };
  q.At(start + std::chrono::milliseconds(60), record(2));
  q.At(start + std::chrono::milliseconds(20), record(1));
  q.At(start - std::chrono::milliseconds(5), record(0));  // already due
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_GE(ran_at[1], std::chrono::milliseconds(20));
  EXPECT_GE(ran_at[2], std::chrono::milliseconds(60));
}

TEST(TimerQueue, DropsPendingTasksOnDestruction) {
  std::atomic<bool> ran{false};
  {
    TimerQueue q;
    q.At(std::chrono::steady_clock::now() + std::chrono::hours(1), [&] { ran = true; });
  }
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace ap

namespace ap {
namespace {

TEST(TimerQueue, AtAfterShutdownIsANoOp) {
  TimerQueue q;
  std::atomic<bool> ran{false};
  q.Shutdown();
  q.At(std::chrono::steady_clock::now(), [&] { ran = true; });  // must neither block nor run
  q.Shutdown();                                                 // idempotent
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace ap
