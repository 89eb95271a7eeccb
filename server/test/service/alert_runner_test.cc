// AlertRunner: evaluations on the pool after Enqueue, coalesced per (account, region) (one queued; one more after a
// running one), errors counted, the sweep delivering what a failed delivery left, Stop refusing new work.
#include "service/alert_runner.h"

#include <future>

#include "alert_fixture.h"

namespace ap::service {
namespace {

using namespace testing_alerts;  // NOLINT(google-build-using-namespace): the alert tests' fixture
using std::chrono::seconds;

// A channel directory whose Get blocks until released (an evaluation held mid-delivery), counting calls.
class GatedChannels final : public AlertChannelDirectory {
 public:
  explicit GatedChannels(AlertChannelDirectory& inner) : inner_(inner) {}
  Result<domain::AlertChannel> Get(const std::string& id) override {
    ++calls;
    entered.Notify();
    released_.wait();
    return inner_.Get(id);
  }
  void Release() { release_.set_value(); }
  std::atomic<int> calls{0};
  ap::testing::Latch entered;

 private:
  AlertChannelDirectory& inner_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

class AlertRunnerTest : public AlertEvaluatorTest {
 protected:
  double Counter(const std::string& name, const Labels& labels = {}) {
    return metrics_.GetCounter(name, "", labels).value();
  }
  double Evaluations(const std::string& outcome) {
    return Counter("ap_alert_evaluations_total", {{"outcome", outcome}});
  }
  // Polls until `done` holds or 10 s pass.
  template <typename F>
  bool Eventually(F done) {
    for (int i = 0; i < 1000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  AlertRunnerOptions Options() {
    AlertRunnerOptions o;
    o.metrics = &metrics_;
    o.sweep_interval = Duration::zero();
    return o;
  }
  MetricsRegistry metrics_;
};

TEST_F(AlertRunnerTest, EnqueueEvaluatesOnThePoolAndCounts) {
  PutRule();
  PutUsage(900);
  ThreadPool pool(2);
  AlertRunner runner(a_->evaluator, pool, clock_, Options());
  runner.Enqueue(kAccount, kRegion);
  ASSERT_TRUE(Eventually([&] { return Evaluations("ok") == 1 && runner.pending() == 0; }));
  EXPECT_EQ(poster_.Sent().size(), 1u);
  EXPECT_EQ(Counter("ap_alert_notices_total"), 1);
  EXPECT_EQ(Counter("ap_alert_deliveries_total", {{"by", "evaluation"}}), 1);
}

TEST_F(AlertRunnerTest, OneEvaluationQueuedPerAccountRegion) {
  PutRule();
  PutUsage(900);
  ThreadPool pool(1);
  std::promise<void> unblock;
  pool.Submit([f = unblock.get_future().share()] { f.wait(); });  // holds the only worker
  AlertRunner runner(a_->evaluator, pool, clock_, Options());
  for (int i = 0; i < 5; ++i) runner.Enqueue(kAccount, kRegion);
  runner.Enqueue(kAccount, "eu-west-1");  // another pair queues its own
  EXPECT_EQ(Evaluations("coalesced"), 4);
  EXPECT_EQ(runner.pending(), 2u);
  unblock.set_value();
  ASSERT_TRUE(Eventually([&] { return runner.pending() == 0; }));
  EXPECT_EQ(Evaluations("ok"), 2);
  EXPECT_EQ(poster_.Sent().size(), 1u);
}

TEST_F(AlertRunnerTest, AnEnqueueWhileRunningRunsOnceMoreAfter) {
  PutRule();
  PutUsage(900);
  GatedChannels gated(channels_);
  Instance gated_instance(*store_, gated, poster_, clock_, "instance-g", 7);
  ThreadPool pool(2);
  AlertRunner runner(gated_instance.evaluator, pool, clock_, Options());
  runner.Enqueue(kAccount, kRegion);
  gated.entered.Wait();  // the first evaluation is delivering
  runner.Enqueue(kAccount, kRegion);
  runner.Enqueue(kAccount, kRegion);
  EXPECT_EQ(Evaluations("coalesced"), 2);
  gated.Release();
  ASSERT_TRUE(Eventually([&] { return runner.pending() == 0; }));
  EXPECT_EQ(Evaluations("ok"), 2) << "exactly one more after the running one";
  EXPECT_EQ(poster_.Sent().size(), 1u) << "the second evaluation finds nothing new";
}

TEST_F(AlertRunnerTest, ErrorsAreCountedNotThrownAway) {
  PutRule();
  ThreadPool pool(1);
  AlertRunner runner(a_->evaluator, pool, clock_, Options());
  runner.Enqueue("999999999999", kRegion);  // no such account
  ASSERT_TRUE(Eventually([&] { return Evaluations("error") == 1; }));
  EXPECT_EQ(Evaluations("ok"), 0);
}

TEST_F(AlertRunnerTest, SweepDeliversWhatAFailedDeliveryLeft) {
  PutRule();
  PutUsage(900);
  poster_.Answer(503);
  ThreadPool pool(1);
  AlertRunner runner(a_->evaluator, pool, clock_, Options());
  runner.Enqueue(kAccount, kRegion);
  ASSERT_TRUE(Eventually([&] { return Evaluations("ok") == 1; }));
  clock_.Advance(seconds(61));
  ASSERT_OK_AND_ASSIGN(int64_t delivered, runner.Sweep());
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(Counter("ap_alert_sweeps_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(Counter("ap_alert_deliveries_total", {{"by", "sweeper"}}), 1);
  ASSERT_OK_AND_ASSIGN(domain::Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, domain::AlertNotice::kNone);
}

TEST_F(AlertRunnerTest, StopRefusesNewEvaluations) {
  PutRule();
  PutUsage(900);
  ThreadPool pool(1);
  AlertRunner runner(a_->evaluator, pool, clock_, Options());
  runner.Stop();
  runner.Enqueue(kAccount, kRegion);
  EXPECT_EQ(runner.pending(), 0u);
  EXPECT_TRUE(poster_.Sent().empty());
}

}  // namespace
}  // namespace ap::service
