// Must NOT compile under clang with -Werror=thread-safety: the ctest `thread_safety_analysis` (test/common/
// CMakeLists.txt, clang trees only) compiles it and expects failure, which shows the analysis is on and that
// ap::Mutex carries its annotations. Not part of any binary.
#include "common/mutex.h"

namespace ap {

struct Counter {
  Mutex mu;
  int value GUARDED_BY(mu) = 0;
};

int ReadWithoutTheLock(Counter& c) { return c.value; }  // the error this file exists for

}  // namespace ap
