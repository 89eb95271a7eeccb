#include "common/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <thread>

namespace ap {
namespace {

// A queue of one value, written and read under the annotated mutex (the analysis checks this file under clang).
struct Slot {
  Mutex mu;
  std::condition_variable cv;
  int value GUARDED_BY(mu) = 0;
  bool ready GUARDED_BY(mu) = false;
};

TEST(Mutex, LockTryLockUnlock) {
  Mutex mu;
  mu.Lock();
  std::thread other([&] {
    if (mu.TryLock()) {
      mu.Unlock();
      ADD_FAILURE() << "TryLock took a held mutex";
    }
  });
  other.join();
  mu.Unlock();
  if (mu.TryLock()) {
    mu.Unlock();
  } else {
    ADD_FAILURE() << "TryLock failed on a free mutex";
  }
}

TEST(MutexLock, WaitReturnsOnceThePredicateHolds) {
  Slot slot;
  std::thread producer([&] {
    {
      MutexLock lock(slot.mu);
      slot.value = 42;
      slot.ready = true;
    }
    slot.cv.notify_all();
  });
  MutexLock lock(slot.mu);
  lock.Wait(slot.cv, [&]() REQUIRES(slot.mu) { return slot.ready; });
  EXPECT_EQ(slot.value, 42);
  lock.Unlock();
  producer.join();
}

TEST(MutexLock, UnlockLetsOthersInAndLockTakesItBack) {
  Slot slot;
  MutexLock lock(slot.mu);
  lock.Unlock();
  std::thread other([&] {
    MutexLock inner(slot.mu);
    slot.value = 7;
  });
  other.join();  // would deadlock if Unlock() had not released the mutex
  lock.Lock();
  EXPECT_EQ(slot.value, 7);
}

TEST(MutexLock, WaitForTimesOutWithThePredicateFalse) {
  Slot slot;
  MutexLock lock(slot.mu);
  EXPECT_FALSE(lock.WaitFor(slot.cv, std::chrono::milliseconds(1), [&]() REQUIRES(slot.mu) { return slot.ready; }));
}

TEST(SharedMutex, ReadersShareWritersExclude) {
  struct {
    SharedMutex mu;
    int value GUARDED_BY(mu) = 0;
  } shared;
  {
    WriterMutexLock lock(shared.mu);
    shared.value = 1;
  }
  ReaderMutexLock first(shared.mu);
  std::thread reader([&] {
    ReaderMutexLock second(shared.mu);  // would block forever if readers excluded each other
    EXPECT_EQ(shared.value, 1);
  });
  reader.join();
  EXPECT_EQ(shared.value, 1);
}

}  // namespace
}  // namespace ap
