// Conformance: Ping (store.h). Each test names the clause of the store interface it checks.
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

// ---- Ping -----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, PingAnswersOk) { EXPECT_TRUE(IsOk(store().Ping())); }

}  // namespace
}  // namespace ap::store::testing
