// The one way a fuzz target reports a broken invariant: print it and abort, so that libFuzzer keeps the input
// as a crash artifact (a sanitizer report is the other way a target fails).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ap::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace ap::fuzz
