// gtest assertions for Status and Result<T>, shared by every C++ test target (CMake: ap_test_support).
//
//   EXPECT_OK(store->Put(x));              // a Status or a Result<T>; on failure prints the expression and
//   ASSERT_OK(parsed) << "input " << in;   // Status::ToString() ("NotFound: account 1 not found"); `<<` adds more
//   ASSERT_OK_AND_ASSIGN(auto doc, ParseXml(text));  // binds the value of an OK Result, else fails fatally
//
// The expression is evaluated once. ASSERT_* return from the enclosing function (void, as gtest's own).
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "common/status.h"

namespace ap::test_support {

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}

// A gtest predicate-formatter: success when `value` (a Status or a Result<T>) is OK.
template <typename StatusOrResult>
::testing::AssertionResult IsOk(const char* expression, const StatusOrResult& value) {
  const Status& status = StatusOf(value);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expression << " is not OK: " << status.ToString();
}

}  // namespace ap::test_support

#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::ap::test_support::IsOk, expr)
#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::ap::test_support::IsOk, expr)

#define ASSERT_OK_AND_ASSIGN(lhs, expr) AP_ASSERT_OK_AND_ASSIGN_IMPL(AP_CONCAT(ap_assert_result_, __LINE__), lhs, expr)
#define AP_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  ASSERT_OK(tmp);                                    \
  lhs = std::move(tmp).value()
