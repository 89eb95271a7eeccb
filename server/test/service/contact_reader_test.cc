#include "service/contact_reader.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "fake_account_api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

using std::chrono::seconds;

class ContactReaderTest : public ::testing::Test {
 protected:
  ContactReaderTest() : creds(*env.accounts, env.assumer, env.clock), reader(*env.accounts, creds, api, env.clock) {}

  void SetUp() override { ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012"))); }

  testing::TestEnv env;
  testing::FakeAccountApi api;
  AccountCredentials creds;
  ContactReader reader;  // default options: 60 s
};

TEST_F(ContactReaderTest, ServesAReadFromMemoryForTheTtl) {
  auto first = reader.Read("123456789012");
  ASSERT_OK(first);
  EXPECT_EQ(first->city, "Seattle");
  api.SetCity("Salem");
  env.clock.Advance(seconds(59));
  EXPECT_EQ(reader.Read("123456789012")->city, "Seattle");
  EXPECT_EQ(api.calls.load(), 1);
  env.clock.Advance(seconds(1));
  EXPECT_EQ(reader.Read("123456789012")->city, "Salem");
  EXPECT_EQ(api.calls.load(), 2);
}

TEST_F(ContactReaderTest, DoesNotCacheAFailedRead) {
  api.Fail(PermissionDenied("AccessDeniedException: no"));
  auto r = reader.Read("123456789012");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  api.Fail(Status::Ok());
  EXPECT_OK(reader.Read("123456789012"));
  EXPECT_EQ(api.calls.load(), 2);
}

TEST_F(ContactReaderTest, UnknownAccountIsNotFoundWithoutAnAwsCall) {
  auto r = reader.Read("999999999999");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(api.calls.load(), 0);
}

TEST_F(ContactReaderTest, ConcurrentReadsOfOneAccountMakeOneAwsCall) {
  api.Hold();
  std::vector<std::future<Result<domain::ContactInfo>>> reads;
  reads.push_back(std::async(std::launch::async, [&] { return reader.Read("123456789012"); }));
  api.WaitForCalls(1);  // the first read is at AWS
  for (int i = 0; i < 20; ++i)
    reads.push_back(std::async(std::launch::async, [&] { return reader.Read("123456789012"); }));
  api.Release();
  for (auto& f : reads) {
    auto r = f.get();
    ASSERT_OK(r);
    EXPECT_EQ(r->full_name, "Jane Doe");
  }
  EXPECT_EQ(api.calls.load(), 1);
}

TEST_F(ContactReaderTest, ZeroTtlStillJoinsConcurrentReadsButCachesNothing) {
  ContactReaderOptions o;
  o.ttl = Duration::zero();
  ContactReader uncached(*env.accounts, creds, api, env.clock, o);
  ASSERT_OK(uncached.Read("123456789012"));
  ASSERT_OK(uncached.Read("123456789012"));
  EXPECT_EQ(api.calls.load(), 2);
}

}  // namespace
}  // namespace ap::service
