// The Store conformance suite: every contract clause of store/store.h as a value-parameterised test, so that
// every backend proves the same behaviour. A backend's test file instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(SqliteMemory, StoreConformance,
//                            ::testing::Values(ap::store::testing::StoreFactory([] { return MakeStore(); })));
//
// and links the ap_store_conformance object library (test/store/CMakeLists.txt).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>

#include "store/store.h"

namespace ap::store::testing {

// Returns a new, empty store. Called once per test; the store is destroyed at the end of the test. A backend
// that cannot start (e.g. its emulator is down) should return nullptr: the test then fails with a clear message.
using StoreFactory = std::function<std::unique_ptr<Store>()>;

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()();
    ASSERT_NE(store_, nullptr) << "the store factory returned no store";
  }
  void TearDown() override { store_.reset(); }

  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace ap::store::testing

namespace ap::store {
// gtest prints a failing test's parameter; without this a StoreFactory prints as raw bytes. Declared in
// ap::store because argument-dependent lookup reaches it through the factory's return type (unique_ptr<Store>).
inline void PrintTo(const testing::StoreFactory&, std::ostream* os) { *os << "StoreFactory"; }
}  // namespace ap::store
