# Sanitizer and fuzzing builds (included by ../CMakeLists.txt before the modules, so that every library is
# compiled with the same flags). Both are off by default; scripts/test and scripts/fuzz configure build-asan/ with
#   -DAP_SANITIZE=ON -DAP_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-15
#
#  AP_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer on everything (libraries, tests, the server binary).
#               Any UB report aborts (-fno-sanitize-recover), so a finding fails the test that triggered it.
#  AP_FUZZ      Also builds the libFuzzer targets of fuzz/ (clang only). The libraries get coverage
#               instrumentation (-fsanitize=fuzzer-no-link); only the fuzz targets link libFuzzer itself
#               (-fsanitize=fuzzer). The gtest binaries and the server link fine against the instrumented
#               libraries (the sanitizer runtime defines the coverage callbacks), so one tree serves both.
option(AP_SANITIZE "Build everything with -fsanitize=address,undefined" OFF)
option(AP_FUZZ "Build the libFuzzer targets in fuzz/ (clang; implies AP_SANITIZE)" OFF)

if(AP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AP_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-15")
  endif()
  set(AP_SANITIZE ON CACHE BOOL "" FORCE)
endif()

if(AP_SANITIZE)
  set(AP_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(${AP_SANITIZER_FLAGS})
  add_link_options(${AP_SANITIZER_FLAGS})
endif()

if(AP_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
