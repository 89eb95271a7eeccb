// StoredChannelDirectory over a real in-memory SqliteStore and a LocalSealer: channels come back with their URL
// and secret opened; the store only ever holds sealed strings.
#include "service/stored_channel_directory.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/random.h"
#include "status_matchers.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::service {
namespace {

MasterKey TestKey() {
  MasterKey k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(7 + i);
  return k;
}

class StoredChannelDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteStoreOptions so;
    so.path = ":memory:";
    auto opened = store::SqliteStore::Open(so);
    ASSERT_OK(opened.status());
    store_ = std::move(opened).value();
  }

  // Stores a webhook channel `id` sealed as the alert service does.
  store::StoredAlertChannel PutWebhook(const std::string& id, const std::string& url, const std::string& secret) {
    store::StoredAlertChannel c;
    c.id = id;
    c.kind = domain::AlertChannelKind::kWebhook;
    c.name = "hook";
    c.url_shown = url;
    c.sealed_url = *SealChannelSecret(sealer_, url, id);
    c.sealed_secret = *SealChannelSecret(sealer_, secret, id);
    c.version = 1;
    EXPECT_OK(store_->PutAlertChannel(c, 0));
    return c;
  }

  FakeRandom random_{5};
  LocalSealer sealer_{TestKey(), random_};
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(StoredChannelDirectoryTest, GetOpensTheSealedUrlAndSecret) {
  const std::string secret = "0123456789abcdef-secret";
  store::StoredAlertChannel stored = PutWebhook("ch_1", "https://hooks.example.com/x?token=t", secret);
  EXPECT_EQ(stored.sealed_secret.find(secret), std::string::npos);
  EXPECT_EQ(stored.sealed_url.find("token=t"), std::string::npos);

  StoredChannelDirectory directory(*store_, sealer_);
  ASSERT_OK_AND_ASSIGN(domain::AlertChannel got, directory.Get("ch_1"));
  EXPECT_EQ(got.id, "ch_1");
  EXPECT_EQ(got.kind, domain::AlertChannelKind::kWebhook);
  EXPECT_EQ(got.name, "hook");
  EXPECT_EQ(got.url, "https://hooks.example.com/x?token=t");
  EXPECT_EQ(got.secret, secret);
  EXPECT_TRUE(got.enabled);
  EXPECT_OK(domain::ValidateAlertChannel(got));
}

TEST_F(StoredChannelDirectoryTest, NoSecretStaysEmptyAndSnsHasNoUrl) {
  PutWebhook("ch_1", "https://hooks.example.com/x", "");
  store::StoredAlertChannel sns;
  sns.id = "ch_2";
  sns.kind = domain::AlertChannelKind::kSns;
  sns.name = "topic";
  sns.topic_arn = "arn:aws:sns:eu-west-1:123456789012:alerts";
  sns.region = "eu-west-1";
  sns.enabled = false;
  sns.version = 1;
  ASSERT_OK(store_->PutAlertChannel(sns, 0));

  StoredChannelDirectory directory(*store_, sealer_);
  ASSERT_OK_AND_ASSIGN(domain::AlertChannel hook, directory.Get("ch_1"));
  EXPECT_EQ(hook.secret, "");
  ASSERT_OK_AND_ASSIGN(domain::AlertChannel topic, directory.Get("ch_2"));
  EXPECT_EQ(topic.url, "");
  EXPECT_EQ(topic.topic_arn, sns.topic_arn);
  EXPECT_EQ(topic.region, "eu-west-1");
  EXPECT_FALSE(topic.enabled);
}

TEST_F(StoredChannelDirectoryTest, UnknownChannelIsNotFound) {
  StoredChannelDirectory directory(*store_, sealer_);
  EXPECT_EQ(directory.Get("ch_none").status().code(), StatusCode::kNotFound);
}

TEST_F(StoredChannelDirectoryTest, ASealedStringCopiedToAnotherChannelDoesNotOpen) {
  store::StoredAlertChannel a = PutWebhook("ch_a", "https://a.example.com/", "0123456789abcdef");
  store::StoredAlertChannel b = a;
  b.id = "ch_b";
  ASSERT_OK(store_->PutAlertChannel(b, 0));
  StoredChannelDirectory directory(*store_, sealer_);
  EXPECT_OK(directory.Get("ch_a").status());
  EXPECT_EQ(directory.Get("ch_b").status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ap::service
