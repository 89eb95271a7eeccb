// Conformance: alert channels (store/alert_channel_store.h).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::AlertChannelKind;

StoredAlertChannel Channel(const std::string& id, int64_t version = 1) {
  StoredAlertChannel c;
  c.id = id;
  c.kind = AlertChannelKind::kWebhook;
  c.name = "channel " + id;
  c.url_shown = "https://hooks.example.com/" + id;
  // Sealed material is opaque bytes: NUL, high bytes and quotes must round-trip.
  c.sealed_url = std::string("\x00\x01\xff\"url\\", 8) + id;
  c.sealed_secret = std::string("\x80secret\x00", 8);
  c.version = version;
  c.created_at_ms = 1000;
  c.updated_at_ms = 2000 + version;
  c.updated_by = "u_admin";
  return c;
}

TEST_P(StoreConformance, AlertChannelCreateGetListReplace) {
  EXPECT_EQ(store().GetAlertChannel("c1").status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<StoredAlertChannel> none, store().ListAlertChannels());
  EXPECT_TRUE(none.empty());

  StoredAlertChannel sns = Channel("c2");
  sns.kind = AlertChannelKind::kSns;
  sns.url_shown.clear();
  sns.sealed_url.clear();
  sns.sealed_secret.clear();
  sns.topic_arn = "arn:aws:sns:us-east-1:123456789012:alerts";
  sns.region = "us-east-1";
  sns.enabled = false;
  ASSERT_OK(store().PutAlertChannel(sns, 0));
  ASSERT_OK(store().PutAlertChannel(Channel("c1"), 0));
  ASSERT_OK_AND_ASSIGN(StoredAlertChannel got, store().GetAlertChannel("c2"));
  EXPECT_EQ(got, sns);
  ASSERT_OK_AND_ASSIGN(got, store().GetAlertChannel("c1"));
  EXPECT_EQ(got, Channel("c1"));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredAlertChannel> channels, store().ListAlertChannels());
  ASSERT_EQ(channels.size(), 2u);
  EXPECT_EQ(channels[0], Channel("c1"));
  EXPECT_EQ(channels[1], sns);

  StoredAlertChannel v2 = Channel("c1", 2);
  v2.kind = AlertChannelKind::kSlack;
  v2.name = "renamed";
  v2.url_shown = "https://hooks.slack.com/…";
  v2.sealed_secret.clear();
  ASSERT_OK(store().PutAlertChannel(v2, 1));
  ASSERT_OK_AND_ASSIGN(got, store().GetAlertChannel("c1"));
  EXPECT_EQ(got, v2);
}

TEST_P(StoreConformance, AlertChannelWriteErrorsChangeNothing) {
  ASSERT_OK(store().PutAlertChannel(Channel("c1"), 0));
  EXPECT_EQ(store().PutAlertChannel(Channel("c1"), 0).code(), StatusCode::kAlreadyExists);
  // A stale version, a version that is not expected + 1, and a replacement of an absent channel.
  EXPECT_EQ(store().PutAlertChannel(Channel("c1", 3), 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().PutAlertChannel(Channel("c1", 3), 1).field(), "version");
  EXPECT_EQ(store().PutAlertChannel(Channel("c1", 1), -1).field(), "version");
  EXPECT_EQ(store().PutAlertChannel(Channel("c9", 2), 1).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().PutAlertChannel(Channel(""), 0).field(), "id");
  EXPECT_EQ(store().PutAlertChannel(Channel("a|b"), 0).field(), "id");
  StoredAlertChannel unnamed = Channel("c1", 2);
  unnamed.name.clear();
  EXPECT_EQ(store().PutAlertChannel(unnamed, 1).field(), "name");

  ASSERT_OK_AND_ASSIGN(StoredAlertChannel got, store().GetAlertChannel("c1"));
  EXPECT_EQ(got, Channel("c1"));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredAlertChannel> channels, store().ListAlertChannels());
  EXPECT_EQ(channels.size(), 1u);
  EXPECT_EQ(store().GetAlertChannel("c9").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, AlertChannelsStopAtTheCap) {
  for (size_t i = 0; i < kMaxAlertChannels; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "c%03zu", i);
    ASSERT_OK(store().PutAlertChannel(Channel(id), 0));
  }
  EXPECT_EQ(store().PutAlertChannel(Channel("c999"), 0).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().GetAlertChannel("c999").status().code(), StatusCode::kNotFound);
  // Replacing one at the cap is fine; deleting one makes room for one.
  ASSERT_OK(store().PutAlertChannel(Channel("c000", 2), 1));
  ASSERT_OK(store().DeleteAlertChannel("c001", 1));
  ASSERT_OK(store().PutAlertChannel(Channel("c999"), 0));
  EXPECT_EQ(store().PutAlertChannel(Channel("c998"), 0).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(std::vector<StoredAlertChannel> channels, store().ListAlertChannels());
  EXPECT_EQ(channels.size(), kMaxAlertChannels);
}

TEST_P(StoreConformance, DeleteAlertChannelChecksTheVersion) {
  EXPECT_EQ(store().DeleteAlertChannel("c1", 1).code(), StatusCode::kNotFound);
  ASSERT_OK(store().PutAlertChannel(Channel("c1"), 0));
  ASSERT_OK(store().PutAlertChannel(Channel("c2"), 0));
  EXPECT_EQ(store().DeleteAlertChannel("c1", 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_OK(store().GetAlertChannel("c1").status());
  ASSERT_OK(store().DeleteAlertChannel("c1", 1));
  EXPECT_EQ(store().GetAlertChannel("c1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().DeleteAlertChannel("c1", 1).code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<StoredAlertChannel> channels, store().ListAlertChannels());
  ASSERT_EQ(channels.size(), 1u);
  EXPECT_EQ(channels[0].id, "c2");
  // The id can be used again.
  ASSERT_OK(store().PutAlertChannel(Channel("c1"), 0));
}

TEST_P(StoreConformance, ConcurrentAlertChannelWritersOneWinsEachVersion) {
  ASSERT_OK(store().PutAlertChannel(Channel("c1"), 0));
  constexpr int kThreads = 4;
  std::atomic<int> wins{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      StoredAlertChannel next = Channel("c1", 2);
      next.name = "writer " + std::to_string(t);
      Status s = store().PutAlertChannel(next, 1);
      if (s.ok()) {
        ++wins;
      } else if (s.code() == StatusCode::kFailedPrecondition) {
        ++conflicts;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  ASSERT_OK_AND_ASSIGN(StoredAlertChannel got, store().GetAlertChannel("c1"));
  EXPECT_EQ(got.version, 2);
}

}  // namespace
}  // namespace ap::store::testing
