#include "common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace ap {
namespace {

TEST(ThreadPool, TrySubmitRefusesBeyondTheQueueBound) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  pool.Submit([&] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();  // the only worker is busy: everything below waits in the queue
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }, 2));
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }, 2));
  EXPECT_FALSE(pool.TrySubmit([&] { ++ran; }, 2));
  EXPECT_EQ(pool.queued(), 2u);
  release.set_value();
  std::promise<void> last;
  pool.Submit([&] { last.set_value(); });
  last.get_future().wait();
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace ap
