// Annotated mutexes for Clang's thread-safety analysis (common/thread_annotations.h): ap::Mutex and
// ap::SharedMutex wrap std::mutex and std::shared_mutex; ap::MutexLock, ap::WriterMutexLock and
// ap::ReaderMutexLock hold them for a scope. Members they guard are declared GUARDED_BY(mu_).
//
// Condition variables: a MutexLock waits on a plain std::condition_variable itself (Wait/WaitFor/WaitUntil),
// through the std::unique_lock<std::mutex> it holds inside. That keeps std::condition_variable (cheaper than
// std::condition_variable_any, which would be needed to wait on the wrapper directly) and keeps the native mutex
// out of callers' hands, so every lock of it is visible to the analysis. A predicate that reads guarded members
// is declared `[this]() REQUIRES(mu_) { ... }`: it runs with the mutex held.
//
// Thread safety: these are the synchronization. Ownership: a lock object does not own its mutex, which must
// outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "common/thread_annotations.h"

namespace ap {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  bool TryLock() TRY_ACQUIRE(true) { return mu_.try_lock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction; Unlock() and Lock() let go of it and take it again in between
// (the destructor releases it only if held).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() RELEASE() = default;
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() RELEASE() { lock_.unlock(); }
  void Lock() ACQUIRE() { lock_.lock(); }

  // std::condition_variable's waits, on the held mutex. REQUIRES: the lock is held (not after Unlock()).
  void Wait(std::condition_variable& cv) { cv.wait(lock_); }
  template <class Predicate>
  void Wait(std::condition_variable& cv, Predicate pred) {
    cv.wait(lock_, std::move(pred));
  }
  template <class Rep, class Period>
  std::cv_status WaitFor(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout) {
    return cv.wait_for(lock_, timeout);
  }
  template <class Rep, class Period, class Predicate>
  bool WaitFor(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout, Predicate pred) {
    return cv.wait_for(lock_, timeout, std::move(pred));
  }
  template <class ClockT, class DurationT>
  std::cv_status WaitUntil(std::condition_variable& cv, std::chrono::time_point<ClockT, DurationT> deadline) {
    return cv.wait_until(lock_, deadline);
  }
  template <class ClockT, class DurationT, class Predicate>
  bool WaitUntil(std::condition_variable& cv, std::chrono::time_point<ClockT, DurationT> deadline, Predicate pred) {
    return cv.wait_until(lock_, deadline, std::move(pred));
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

// A reader-writer mutex: many readers (ReaderMutexLock) or one writer (WriterMutexLock).
class CAPABILITY("shared_mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  void ReaderLock() ACQUIRE_SHARED() { mu_.lock_shared(); }
  void ReaderUnlock() RELEASE_SHARED() { mu_.unlock_shared(); }

 private:
  std::shared_mutex mu_;
};

// Holds `mu` exclusively for its lifetime.
class SCOPED_CAPABILITY WriterMutexLock {
 public:
  explicit WriterMutexLock(SharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~WriterMutexLock() RELEASE() { mu_.Unlock(); }
  WriterMutexLock(const WriterMutexLock&) = delete;
  WriterMutexLock& operator=(const WriterMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

// Holds `mu` shared for its lifetime.
class SCOPED_CAPABILITY ReaderMutexLock {
 public:
  explicit ReaderMutexLock(SharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.ReaderLock(); }
  ~ReaderMutexLock() RELEASE() { mu_.ReaderUnlock(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

}  // namespace ap
