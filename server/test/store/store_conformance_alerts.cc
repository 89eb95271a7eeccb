// Conformance: alert rules and alerts (store/alert_store.h).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "status_matchers.h"
#include "store/cursor.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::Alert;
using domain::AlertCondition;
using domain::AlertDelivery;
using domain::AlertNotice;
using domain::AlertRule;
using domain::AlertScope;
using domain::AlertState;
using domain::AlertTarget;

AlertRule Rule(const std::string& id, int64_t version = 1) {
  AlertRule r;
  r.id = id;
  r.name = "rule " + id;
  r.condition = AlertCondition::kHeadroomBelow;
  r.threshold = 0.2;
  r.window = domain::UsageWindow::k24h;
  r.channel_ids = {"ch-a", "ch-b"};
  r.renotify_ms = domain::kMinRenotifyMs;
  r.version = version;
  r.created_at_ms = 1000;
  r.updated_at_ms = 2000 + version;
  r.updated_by = "admin@example.com";
  return r;
}

Alert MakeAlert(const std::string& rule_id, const std::string& account, int64_t started_at_ms,
                AlertState state = AlertState::kFiring, const std::string& model = "claude") {
  Alert a;
  a.rule_id = rule_id;
  a.target = AlertTarget{account, "us-east-1", model};
  a.key = domain::AlertKey(rule_id, a.target);
  a.state = state;
  a.started_at_ms = started_at_ms;
  a.summary = "TPM headroom 12 %";
  if (state == AlertState::kResolved) a.resolved_at_ms = started_at_ms + 10;
  return a;
}

std::vector<std::string> Keys(const std::vector<Alert>& alerts) {
  std::vector<std::string> keys;
  keys.reserve(alerts.size());
  for (const Alert& a : alerts) keys.push_back(a.key);
  return keys;
}

// Every page of `filter` with `limit`, the keys in order; fails the test on an error or a repeated key.
std::vector<std::string> AllPages(AlertStore& store, AlertFilter filter, int64_t limit) {
  filter.limit = limit;
  filter.cursor.clear();
  std::vector<std::string> keys;
  for (int page = 0; page < 100; ++page) {
    Result<AlertPage> got = store.ListAlerts(filter);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) break;
    EXPECT_LE(static_cast<int64_t>(got->items.size()), limit);
    for (const Alert& a : got->items) keys.push_back(a.key);
    if (got->next.empty()) break;
    filter.cursor = got->next;
  }
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size()) << "a key was served twice";
  return keys;
}

// ---- Rules -----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, AlertRuleCreateGetListReplace) {
  EXPECT_EQ(store().GetAlertRule("r1").status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> none, store().ListAlertRules());
  EXPECT_TRUE(none.empty());

  AlertRule b = Rule("r2");
  b.condition = AlertCondition::kRefreshFailing;
  b.threshold = 0;
  b.duration_ms = int64_t{10} * 60 * 1000;
  b.scope = AlertScope{AlertScope::Kind::kTeam, "team-x", "", ""};
  b.enabled = false;
  b.channel_ids.clear();
  ASSERT_OK(store().PutAlertRule(b, 0));
  ASSERT_OK(store().PutAlertRule(Rule("r1"), 0));
  ASSERT_OK_AND_ASSIGN(AlertRule got, store().GetAlertRule("r2"));
  EXPECT_EQ(got, b);
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> rules, store().ListAlertRules());
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0], Rule("r1"));
  EXPECT_EQ(rules[1], b);

  AlertRule v2 = Rule("r1", 2);
  v2.name = "renamed";
  v2.scope = AlertScope{AlertScope::Kind::kModel, "", "111122223333", "claude"};
  ASSERT_OK(store().PutAlertRule(v2, 1));
  ASSERT_OK_AND_ASSIGN(got, store().GetAlertRule("r1"));
  EXPECT_EQ(got, v2);
}

TEST_P(StoreConformance, AlertRuleWriteErrorsChangeNothing) {
  ASSERT_OK(store().PutAlertRule(Rule("r1"), 0));
  EXPECT_EQ(store().PutAlertRule(Rule("r1"), 0).code(), StatusCode::kAlreadyExists);
  // Stale version, and a version not expected + 1.
  EXPECT_EQ(store().PutAlertRule(Rule("r1", 3), 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().PutAlertRule(Rule("r1", 3), 1).field(), "version");
  EXPECT_EQ(store().PutAlertRule(Rule("r9", 2), 1).code(), StatusCode::kFailedPrecondition);  // absent
  // Validation.
  AlertRule bad = Rule("r1", 2);
  bad.name.clear();
  EXPECT_EQ(store().PutAlertRule(bad, 1).field(), "name");
  bad = Rule("r1", 2);
  bad.threshold = 5;
  EXPECT_EQ(store().PutAlertRule(bad, 1).field(), "threshold");
  bad = Rule("r1", 2);
  bad.channel_ids = {"a", "a"};
  EXPECT_EQ(store().PutAlertRule(bad, 1).field(), "channel_ids");
  EXPECT_EQ(store().PutAlertRule(Rule(""), 0).field(), "id");
  EXPECT_EQ(store().PutAlertRule(Rule("a|b"), 0).field(), "id");

  ASSERT_OK_AND_ASSIGN(AlertRule got, store().GetAlertRule("r1"));
  EXPECT_EQ(got, Rule("r1"));
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> rules, store().ListAlertRules());
  EXPECT_EQ(rules.size(), 1u);
  EXPECT_EQ(store().GetAlertRule("r9").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, AlertRulesStopAtTheCap) {
  for (size_t i = 0; i < kMaxAlertRules; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%04zu", i);
    ASSERT_OK(store().PutAlertRule(Rule(id), 0));
  }
  EXPECT_EQ(store().PutAlertRule(Rule("r9999"), 0).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().GetAlertRule("r9999").status().code(), StatusCode::kNotFound);
  // Replacing one at the cap is fine; deleting one makes room for one.
  ASSERT_OK(store().PutAlertRule(Rule("r0000", 2), 1));
  ASSERT_OK(store().DeleteAlertRule("r0001", 1));
  ASSERT_OK(store().PutAlertRule(Rule("r9999"), 0));
  EXPECT_EQ(store().PutAlertRule(Rule("r9998"), 0).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> rules, store().ListAlertRules());
  EXPECT_EQ(rules.size(), kMaxAlertRules);
}

TEST_P(StoreConformance, DeleteAlertRuleChecksTheVersionAndDeletesItsAlerts) {
  EXPECT_EQ(store().DeleteAlertRule("r1", 1).code(), StatusCode::kNotFound);
  ASSERT_OK(store().PutAlertRule(Rule("r1"), 0));
  ASSERT_OK(store().PutAlertRule(Rule("r2"), 0));
  Alert pending = MakeAlert("r1", "111", 100);
  pending.pending_notice = AlertNotice::kFiring;
  pending.pending_since_ms = 100;
  ASSERT_OK(store().PutAlert(pending, 0).status());
  ASSERT_OK(store().PutAlert(MakeAlert("r1", "222", 200, AlertState::kResolved), 0).status());
  ASSERT_OK(store().PutAlert(MakeAlert("r2", "111", 300), 0).status());

  EXPECT_EQ(store().DeleteAlertRule("r1", 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_OK(store().GetAlertRule("r1").status());
  ASSERT_OK(store().DeleteAlertRule("r1", 1));
  EXPECT_EQ(store().GetAlertRule("r1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetAlert(pending.key).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetAlert(MakeAlert("r1", "222", 200).key).status().code(), StatusCode::kNotFound);
  EXPECT_OK(store().GetAlert(MakeAlert("r2", "111", 300).key).status());
  EXPECT_EQ(AllPages(store(), AlertFilter{}, 10), std::vector<std::string>{MakeAlert("r2", "111", 0).key});
  ASSERT_OK_AND_ASSIGN(std::vector<Alert> outbox, store().ListPendingAlerts(1000, 10));
  EXPECT_TRUE(outbox.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> rules, store().ListAlertRules());
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].id, "r2");
  // The id can be used again.
  ASSERT_OK(store().PutAlertRule(Rule("r1"), 0));

  // Alerts left under an id no rule has (a deletion that stopped after the rule) go with a retry, which still
  // says NotFound.
  Alert leftover = MakeAlert("gone", "111", 400);
  leftover.pending_notice = AlertNotice::kResolved;
  leftover.pending_since_ms = 400;
  ASSERT_OK(store().PutAlert(leftover, 0).status());
  EXPECT_EQ(store().DeleteAlertRule("gone", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetAlert(leftover.key).status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(outbox, store().ListPendingAlerts(1000, 10));
  EXPECT_TRUE(outbox.empty());
  AlertFilter by_rule;
  by_rule.rule_id = "gone";
  EXPECT_TRUE(AllPages(store(), by_rule, 10).empty());
}

// ---- Alerts ----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, AlertRoundTripsWithOptionalFieldsAbsentOrSet) {
  Alert bare = MakeAlert("r1", "111", 100);
  EXPECT_EQ(store().GetAlert(bare.key).status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(int64_t rev, store().PutAlert(bare, 0));
  EXPECT_EQ(rev, 1);
  ASSERT_OK_AND_ASSIGN(Alert got, store().GetAlert(bare.key));
  bare.revision = 1;
  EXPECT_EQ(got, bare);
  EXPECT_FALSE(got.resolved_at_ms.has_value());
  EXPECT_FALSE(got.value.has_value());
  EXPECT_FALSE(got.last_notified_at_ms.has_value());
  EXPECT_FALSE(got.acknowledged_at_ms.has_value());
  EXPECT_FALSE(got.muted_until_ms.has_value());

  Alert full = bare;
  full.state = AlertState::kResolved;
  full.resolved_at_ms = 0;  // present and zero is not absent
  full.value = -0.125;
  full.last_notified_at_ms = 150;
  full.notifications = 2;
  full.acknowledged_by = "ops@example.com";
  full.acknowledged_at_ms = 160;
  full.muted_until_ms = 9'000'000'000'000;
  full.pending_notice = AlertNotice::kResolved;
  full.pending_since_ms = 170;
  AlertDelivery ok{"ch-a", AlertNotice::kFiring, 151, 1, true, 204, ""};
  AlertDelivery failed{"ch-b", AlertNotice::kFiring, 152, 3, false, std::nullopt, "connection refused"};
  failed.next_retry_at_ms = 0;  // present and zero is not absent
  AlertDelivery backing_off{"ch-c", AlertNotice::kFiring, 153, 2, false, 503, "the receiver answered HTTP 503"};
  backing_off.next_retry_at_ms = 9'000'000'000'123;
  full.deliveries = {ok, failed, backing_off};
  ASSERT_OK_AND_ASSIGN(rev, store().PutAlert(full, 1));
  EXPECT_EQ(rev, 2);
  ASSERT_OK_AND_ASSIGN(got, store().GetAlert(full.key));
  full.revision = 2;
  EXPECT_EQ(got, full);
  EXPECT_FALSE(got.deliveries[1].http_status.has_value());
  EXPECT_FALSE(got.deliveries[0].next_retry_at_ms.has_value());
  EXPECT_EQ(got.deliveries[1].next_retry_at_ms, std::optional<int64_t>(0));
  EXPECT_EQ(got.deliveries[2].next_retry_at_ms, std::optional<int64_t>(9'000'000'000'123));
}

TEST_P(StoreConformance, PutAlertChecksTheRevision) {
  Alert a = MakeAlert("r1", "111", 100);
  EXPECT_EQ(store().PutAlert(a, 1).status().code(), StatusCode::kFailedPrecondition);  // absent
  EXPECT_EQ(store().GetAlert(a.key).status().code(), StatusCode::kNotFound);
  ASSERT_OK(store().PutAlert(a, 0).status());
  Alert changed = a;
  changed.summary = "changed";
  EXPECT_EQ(store().PutAlert(changed, 0).status().code(), StatusCode::kFailedPrecondition);  // exists
  EXPECT_EQ(store().PutAlert(changed, 2).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(Alert got, store().GetAlert(a.key));
  EXPECT_EQ(got.summary, a.summary);
  EXPECT_EQ(got.revision, 1);
  ASSERT_OK_AND_ASSIGN(int64_t rev, store().PutAlert(changed, 1));
  EXPECT_EQ(rev, 2);
  // The second writer that read revision 1 loses.
  EXPECT_EQ(store().PutAlert(a, 1).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(got, store().GetAlert(a.key));
  EXPECT_EQ(got.summary, "changed");
}

TEST_P(StoreConformance, ConcurrentAlertTransitionsHaveOneWinner) {
  Alert a = MakeAlert("r1", "111", 100);
  ASSERT_OK(store().PutAlert(a, 0).status());
  for (int round = 1; round <= 3; ++round) {
    constexpr int kThreads = 6;
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        Alert next = a;
        next.summary = "writer " + std::to_string(i);
        next.pending_notice = AlertNotice::kRenotify;
        next.pending_since_ms = 1000 * round + i;
        Result<int64_t> r = store().PutAlert(next, round);
        if (r.ok()) {
          ++won;
          EXPECT_EQ(*r, round + 1);
        } else {
          EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1) << "round " << round;
    ASSERT_OK_AND_ASSIGN(Alert got, store().GetAlert(a.key));
    EXPECT_EQ(got.revision, round + 1);
    // The outbox holds the winner's notice once.
    ASSERT_OK_AND_ASSIGN(std::vector<Alert> outbox, store().ListPendingAlerts(1'000'000, 100));
    ASSERT_EQ(outbox.size(), 1u);
    EXPECT_EQ(outbox[0].summary, got.summary);
    EXPECT_EQ(outbox[0].pending_since_ms, got.pending_since_ms);
  }
}

TEST_P(StoreConformance, PutAlertRefusesBadAlerts) {
  Alert a = MakeAlert("r1", "111", 100);
  Alert bad = a;
  bad.key = "r1|111|us-east-1|other";
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "key");
  bad = a;
  bad.rule_id.clear();
  bad.key = domain::AlertKey("", bad.target);
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "key");
  bad = a;
  bad.started_at_ms = -1;
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "started_at_ms");
  bad = a;
  for (int i = 0; i < 11; ++i) bad.deliveries.push_back(AlertDelivery{"ch-" + std::to_string(10 + i)});
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "deliveries");
  bad = a;
  bad.deliveries = {AlertDelivery{"b"}, AlertDelivery{"a"}};
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "deliveries");
  bad.deliveries = {AlertDelivery{"a"}, AlertDelivery{"a"}};
  EXPECT_EQ(store().PutAlert(bad, 0).status().field(), "deliveries");
  EXPECT_EQ(store().GetAlert(a.key).status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(AlertPage page, store().ListAlerts(AlertFilter{}));
  EXPECT_TRUE(page.items.empty());
}

// Five alerts over two rules and two accounts, started at distinct and equal times.
class AlertLists {
 public:
  explicit AlertLists(Store& s) {
    // newest first: e(500), then a and b (400, by key), then c (300, resolved), then d (200, resolved)
    alerts = {MakeAlert("r1", "111", 400), MakeAlert("r1", "222", 400),
              MakeAlert("r1", "333", 300, AlertState::kResolved), MakeAlert("r2", "111", 200, AlertState::kResolved),
              MakeAlert("r2", "222", 500)};
    for (const Alert& a : alerts) EXPECT_OK(s.PutAlert(a, 0).status());
  }
  std::string key(int i) const { return alerts[i].key; }
  std::vector<Alert> alerts;
};

TEST_P(StoreConformance, ListAlertsEachFilterInOrder) {
  AlertLists l(store());
  using V = std::vector<std::string>;
  AlertFilter f;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(4), l.key(0), l.key(1), l.key(2), l.key(3)}));
  f.state = AlertState::kFiring;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(4), l.key(0), l.key(1)}));
  f.state = AlertState::kResolved;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(2), l.key(3)}));
  f = AlertFilter{};
  f.account_id = "111";
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(0), l.key(3)}));
  f.state = AlertState::kResolved;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(3)}));
  f.state = AlertState::kFiring;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(0)}));
  f = AlertFilter{};
  f.rule_id = "r1";
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(0), l.key(1), l.key(2)}));
  f.state = AlertState::kFiring;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(0), l.key(1)}));
  f.state = AlertState::kResolved;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(2)}));
  f = AlertFilter{};
  f.account_id = "999";
  EXPECT_EQ(AllPages(store(), f, 100), V{});
}

TEST_P(StoreConformance, ListAlertsPagesVisitEachAlertOnce) {
  AlertLists l(store());
  const std::vector<std::string> all = AllPages(store(), AlertFilter{}, 100);
  ASSERT_EQ(all.size(), 5u);
  for (int64_t limit : {1, 2}) {
    EXPECT_EQ(AllPages(store(), AlertFilter{}, limit), all) << "limit " << limit;
    AlertFilter firing;
    firing.state = AlertState::kFiring;
    EXPECT_EQ(AllPages(store(), firing, limit), (std::vector<std::string>{l.key(4), l.key(0), l.key(1)}));
    AlertFilter rule;
    rule.rule_id = "r1";
    EXPECT_EQ(AllPages(store(), rule, limit), (std::vector<std::string>{l.key(0), l.key(1), l.key(2)}));
    AlertFilter account;
    account.account_id = "222";
    EXPECT_EQ(AllPages(store(), account, limit), (std::vector<std::string>{l.key(4), l.key(1)}));
  }
  // A page of exactly the remaining items says there is no next page.
  AlertFilter f;
  f.limit = 5;
  ASSERT_OK_AND_ASSIGN(AlertPage page, store().ListAlerts(f));
  EXPECT_EQ(page.items.size(), 5u);
  EXPECT_TRUE(page.next.empty());
}

TEST_P(StoreConformance, ListAlertsFollowsAStateChange) {
  AlertLists l(store());
  Alert resolved = l.alerts[4];
  resolved.state = AlertState::kResolved;
  resolved.resolved_at_ms = 600;
  ASSERT_OK(store().PutAlert(resolved, 1).status());
  Alert refired = l.alerts[3];
  refired.state = AlertState::kFiring;
  refired.started_at_ms = 700;
  refired.resolved_at_ms.reset();
  ASSERT_OK(store().PutAlert(refired, 1).status());
  using V = std::vector<std::string>;
  AlertFilter f;
  f.state = AlertState::kFiring;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(3), l.key(0), l.key(1)}));
  f.state = AlertState::kResolved;
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(4), l.key(2)}));
  f = AlertFilter{};
  f.rule_id = "r2";
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(3), l.key(4)}));
  f.account_id = "";
  f.rule_id = "";
  EXPECT_EQ(AllPages(store(), f, 100), (V{l.key(3), l.key(4), l.key(0), l.key(1), l.key(2)}));
}

TEST_P(StoreConformance, ListAlertsRefusesBadInput) {
  AlertFilter f;
  f.limit = 0;
  EXPECT_EQ(store().ListAlerts(f).status().field(), "limit");
  f.limit = 1001;
  EXPECT_EQ(store().ListAlerts(f).status().field(), "limit");
  f = AlertFilter{};
  f.cursor = "not-a-cursor";
  EXPECT_EQ(store().ListAlerts(f).status().field(), "cursor");
  f.cursor = EncodeCursor("accounts", {"x"});
  EXPECT_EQ(store().ListAlerts(f).status().field(), "cursor");
  f.cursor = EncodeCursor("alerts", {"x"});
  EXPECT_EQ(store().ListAlerts(f).status().field(), "cursor");
  f = AlertFilter{};
  f.account_id = "111";
  f.rule_id = "r1";
  EXPECT_EQ(store().ListAlerts(f).status().field(), "rule_id");
  EXPECT_EQ(store().ListPendingAlerts(100, 0).status().field(), "limit");
  EXPECT_EQ(store().ListPendingAlerts(100, 1001).status().field(), "limit");
}

TEST_P(StoreConformance, PendingAlertsOldestFirstAndClearedOnesLeave) {
  std::vector<Alert> alerts;
  const int64_t since[] = {300, 100, 200, 100};
  for (int i = 0; i < 4; ++i) {
    Alert a = MakeAlert("r1", "acct" + std::to_string(i), 50);
    a.pending_notice = i == 2 ? AlertNotice::kResolved : AlertNotice::kFiring;
    a.pending_since_ms = since[i];
    alerts.push_back(a);
    ASSERT_OK(store().PutAlert(a, 0).status());
  }
  Alert quiet = MakeAlert("r1", "quiet", 50);  // nothing waiting
  quiet.pending_since_ms = 10;
  ASSERT_OK(store().PutAlert(quiet, 0).status());

  using V = std::vector<std::string>;
  ASSERT_OK_AND_ASSIGN(std::vector<Alert> got, store().ListPendingAlerts(1000, 10));
  EXPECT_EQ(Keys(got), (V{alerts[1].key, alerts[3].key, alerts[2].key, alerts[0].key}));
  EXPECT_EQ(got[2].pending_notice, AlertNotice::kResolved);
  EXPECT_EQ(got[2].revision, 1);
  ASSERT_OK_AND_ASSIGN(got, store().ListPendingAlerts(200, 10));
  EXPECT_EQ(Keys(got), (V{alerts[1].key, alerts[3].key, alerts[2].key}));
  ASSERT_OK_AND_ASSIGN(got, store().ListPendingAlerts(1000, 2));
  EXPECT_EQ(Keys(got), (V{alerts[1].key, alerts[3].key}));
  ASSERT_OK_AND_ASSIGN(got, store().ListPendingAlerts(99, 10));
  EXPECT_TRUE(got.empty());

  // Delivered: the notice is cleared and the alert leaves the outbox; a new notice moves it to its new time.
  Alert delivered = alerts[1];
  delivered.pending_notice = AlertNotice::kNone;
  delivered.deliveries = {AlertDelivery{"ch-a", AlertNotice::kFiring, 120, 1, true, 200, ""}};
  ASSERT_OK(store().PutAlert(delivered, 1).status());
  Alert renotified = alerts[3];
  renotified.pending_notice = AlertNotice::kRenotify;
  renotified.pending_since_ms = 400;
  ASSERT_OK(store().PutAlert(renotified, 1).status());
  ASSERT_OK_AND_ASSIGN(got, store().ListPendingAlerts(1000, 10));
  EXPECT_EQ(Keys(got), (V{alerts[2].key, alerts[0].key, alerts[3].key}));
  EXPECT_EQ(got[2].pending_notice, AlertNotice::kRenotify);
}

}  // namespace
}  // namespace ap::store::testing
