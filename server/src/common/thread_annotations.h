// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html). Under clang with
// -Wthread-safety (server/CMakeLists.txt turns it on and makes it an error) the compiler checks that a member
// marked GUARDED_BY(mu_) is only touched with mu_ held, that a function marked REQUIRES(mu_) is only called with
// it held, and so on. Under other compilers the macros expand to nothing.
//
// libstdc++'s std::mutex carries no annotations, so guarded state uses ap::Mutex (common/mutex.h).
#pragma once

#if defined(__clang__)
#define AP_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define AP_THREAD_ANNOTATION(x)
#endif

// On a class: its objects are a capability (a mutex). The string names it in diagnostics.
#define CAPABILITY(x) AP_THREAD_ANNOTATION(capability(x))
// On a class: an RAII object that holds a capability for its lifetime (MutexLock).
#define SCOPED_CAPABILITY AP_THREAD_ANNOTATION(scoped_lockable)
// On a data member: reads and writes need the given capability (writes exclusively).
#define GUARDED_BY(x) AP_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the pointed-to data needs the given capability (the pointer itself does not).
#define PT_GUARDED_BY(x) AP_THREAD_ANNOTATION(pt_guarded_by(x))
// On a function: callers must hold the capabilities (exclusively / at least shared).
#define REQUIRES(...) AP_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) AP_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// On a function: it acquires / releases the capabilities (none listed: `this`, or the scoped object's).
#define ACQUIRE(...) AP_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) AP_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) AP_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) AP_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// On a function returning bool: it acquires the capability when it returns the given value.
#define TRY_ACQUIRE(...) AP_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// On a function: callers must not hold the capabilities (it takes them itself; catches self-deadlock).
#define EXCLUDES(...) AP_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: tells the analysis the capability is held from here on (checked at run time, if at all).
#define ASSERT_CAPABILITY(x) AP_THREAD_ANNOTATION(assert_capability(x))
// On a function: it returns a reference to the given capability.
#define RETURN_CAPABILITY(x) AP_THREAD_ANNOTATION(lock_returned(x))
// On a function: the analysis skips its body. Use only where the locking is correct but not expressible, and
// say why next to it.
#define NO_THREAD_SAFETY_ANALYSIS AP_THREAD_ANNOTATION(no_thread_safety_analysis)
