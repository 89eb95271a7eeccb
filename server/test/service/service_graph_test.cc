#include "service/service_graph.h"

#include <gtest/gtest.h>

#include "fake_account_api.h"
#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::service {
namespace {

// The graph TestEnv builds has no AWS clients for refreshes or contacts: only the core.
TEST(ServiceGraph, BuildsOnlyTheCoreWithoutTheAwsWorkClients) {
  testing::TestEnv env;
  ServiceGraph& g = *env.graph;
  EXPECT_NE(g.auth, nullptr);
  EXPECT_NE(g.authorizer, nullptr);
  EXPECT_EQ(g.hash_pool, nullptr);  // hash_threads 0: logins hash inline
  EXPECT_EQ(g.pool, nullptr);
  EXPECT_EQ(g.refresher, nullptr);
  EXPECT_EQ(g.fleet, nullptr);
  EXPECT_EQ(g.scheduler, nullptr);
  EXPECT_EQ(g.discovery, nullptr);
  EXPECT_EQ(g.contact_reader, nullptr);
  EXPECT_EQ(g.aws_admission, nullptr);
  // The first-start default is applied by Build.
  auto config = g.quota_config->Get();
  ASSERT_OK(config);
  EXPECT_FALSE((*config)->models.empty());
}

class ServiceGraphAwsWorkTest : public ::testing::Test {
 protected:
  static ServiceGraphOptions Options() {
    ServiceGraphOptions o = testing::TestGraphOptions();
    o.hash_threads = 2;
    o.aws_workers = 6;
    o.aws_requests_per_user = 2;
    return o;
  }
  std::unique_ptr<ServiceGraph> Build(ServiceGraphOptions options, aws::CloudWatch* cloudwatch = nullptr) {
    auto built = ServiceGraph::Build(ServiceGraphDeps{.store = *env.store,
                                                      .clock = env.clock,
                                                      .random = env.random,
                                                      .master_key = env.key,
                                                      .sts = env.sts,
                                                      .platform_identity = &env.identity,
                                                      .service_quotas = &quotas,
                                                      .account_api = &account_api,
                                                      .cloudwatch = cloudwatch,
                                                      .metrics = &metrics,
                                                      .catalogue = testing::TestCatalogue()},
                                     std::move(options));
    EXPECT_OK(built);
    return built.ok() ? std::move(built).value() : nullptr;
  }

  testing::TestEnv env;  // the fakes, and the store the graph below shares
  testing::FakeServiceQuotas quotas;
  testing::FakeAccountApi account_api;
  MetricsRegistry metrics;
};

TEST_F(ServiceGraphAwsWorkTest, BuildsTheAwsWorkLayerWhenItsClientsAreGiven) {
  auto g = Build(Options());
  ASSERT_NE(g, nullptr);
  ASSERT_NE(g->hash_pool, nullptr);
  EXPECT_EQ(g->hash_pool->size(), 2u);
  ASSERT_NE(g->pool, nullptr);
  EXPECT_EQ(g->pool->size(), 6u);
  EXPECT_NE(g->refresher, nullptr);
  EXPECT_NE(g->fleet, nullptr);
  EXPECT_NE(g->scheduler, nullptr);
  EXPECT_NE(g->discovery, nullptr);
  EXPECT_EQ(g->usage_poller, nullptr);  // no CloudWatch client given
  EXPECT_EQ(g->usage_scheduler, nullptr);
  EXPECT_EQ(g->metrics, &metrics);
  // Clients hold at most half of the workers, one user aws_requests_per_user of them.
  ASSERT_NE(g->aws_admission, nullptr);
  EXPECT_EQ(g->aws_admission->options().total, 3u);
  EXPECT_EQ(g->aws_admission->options().per_user, 2u);
  EXPECT_EQ(g->aws_admission->options().metrics, &metrics);
  // The contact reader reads through the injected Account API with the account's own credentials.
  ASSERT_OK(g->accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  ASSERT_NE(g->contact_reader, nullptr);
  auto contact = g->contact_reader->Read("123456789012");
  ASSERT_OK(contact);
  EXPECT_EQ(contact->city, "Seattle");
  EXPECT_EQ(account_api.calls.load(), 1);
}

TEST_F(ServiceGraphAwsWorkTest, BuildsTheUsagePollerOnTheGivenCloudWatch) {
  testing::FakeCloudWatch cloudwatch;
  auto g = Build(Options(), &cloudwatch);
  ASSERT_NE(g, nullptr);
  ASSERT_NE(g->usage_poller, nullptr);
  ASSERT_NE(g->usage_scheduler, nullptr);
  ASSERT_OK(g->accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  auto report = g->usage_poller->Poll("123456789012", "");
  ASSERT_OK(report);
  EXPECT_TRUE(report->snapshot_written);
  EXPECT_EQ(cloudwatch.list_calls(), 1);
  // The poll wrote through the graph's store, leased under the graph's instance id.
  EXPECT_OK(env.store->GetUsageSnapshot("123456789012", "us-east-1"));
  g->Stop();
}

TEST_F(ServiceGraphAwsWorkTest, StopDrainsThePoolsAndMayBeRepeated) {
  auto g = Build(Options());
  ASSERT_NE(g, nullptr);
  g->Stop();
  EXPECT_EQ(g->pool, nullptr);
  EXPECT_EQ(g->timers, nullptr);
  EXPECT_EQ(g->hash_pool, nullptr);
  g->Stop();
  // Synchronous calls still work after Stop.
  EXPECT_OK(g->quota_config->Get());
}

TEST_F(ServiceGraphAwsWorkTest, RefusesNoAwsWorkers) {
  ServiceGraphOptions o = Options();
  o.aws_workers = 0;
  auto built = ServiceGraph::Build(ServiceGraphDeps{.store = *env.store,
                                                    .clock = env.clock,
                                                    .random = env.random,
                                                    .sts = env.sts,
                                                    .service_quotas = &quotas,
                                                    .account_api = &account_api},
                                   o);
  EXPECT_EQ(built.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ap::service
