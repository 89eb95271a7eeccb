// SecretSealer: the KMS envelope against a FakeKms (round trip, binding to the account, the data-key caches and
// their TTL and bound, KMS failures), the local format, DualSealer reading both, and AccountService storing
// nothing when sealing fails.
#include "service/secret_sealer.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/encoding.h"

#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

// A KMS that "encrypts" a data key by naming it: the blob carries the key ARN, the context's account id and the key
// in hex; Decrypt checks the context and the key, like KMS. Counts calls; `fail` makes every call fail.
class FakeKms final : public aws::Kms {
 public:
  Result<aws::DataKey> GenerateDataKey(const std::string& key_id, const aws::EncryptionContext& context) override {
    ++generate_calls;
    if (!fail.ok()) return fail;
    aws::DataKey out;
    out.plaintext.assign(32, '\0');
    random.Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.plaintext.data()), 32));
    out.key_id = "arn:aws:kms:us-east-1:000000000000:key/" + key_id;
    out.ciphertext_blob = out.key_id + "|" + Account(context) + "|" + HexEncode(out.plaintext);
    return out;
  }
  Result<std::string> Decrypt(const std::string& blob, const aws::EncryptionContext& context,
                              const std::string& key_id) override {
    ++decrypt_calls;
    if (!fail.ok()) return fail;
    size_t a = blob.find('|');
    size_t b = blob.find('|', a + 1);
    if (a == std::string::npos || b == std::string::npos || blob.substr(a + 1, b - a - 1) != Account(context))
      return InvalidArgument("InvalidCiphertextException: ");
    if (!key_id.empty() && key_id != blob.substr(0, a)) return InvalidArgument("IncorrectKeyException: ");
    auto key = HexDecode(blob.substr(b + 1));
    return std::string(key->begin(), key->end());
  }
  static std::string Account(const aws::EncryptionContext& c) {
    auto it = c.find("account_id");
    return it == c.end() ? "" : it->second;
  }

  std::atomic<int> generate_calls{0};
  std::atomic<int> decrypt_calls{0};
  Status fail;
  FakeRandom random{9};
};

MasterKey TestKey() {
  MasterKey k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(100 + i);
  return k;
}

class KmsSealerTest : public ::testing::Test {
 protected:
  KmsSealer Make(KmsSealerOptions o = {}) { return KmsSealer(kms, "k1", clock, random, o); }
  FakeKms kms;
  FakeClock clock;
  FakeRandom random{3};
};

TEST_F(KmsSealerTest, RoundTripIsAnEnvelopeWithoutThePlaintext) {
  KmsSealer sealer = Make();
  ASSERT_OK_AND_ASSIGN(std::string sealed, sealer.Seal("the secret", "123456789012"));
  EXPECT_EQ(sealed.find("the secret"), std::string::npos);
  EXPECT_TRUE(IsKmsEnvelope(sealed));
  EXPECT_EQ(KmsEnvelopeKeyArn(sealed), "arn:aws:kms:us-east-1:000000000000:key/k1");
  KmsSealer fresh = Make();  // no cache: opens through KMS Decrypt
  ASSERT_OK_AND_ASSIGN(std::string opened, fresh.Open(sealed, "123456789012"));
  EXPECT_EQ(opened, "the secret");
  EXPECT_EQ(kms.decrypt_calls, 1);
}

TEST_F(KmsSealerTest, TheBlobOfOneAccountDoesNotOpenForAnother) {
  KmsSealer sealer = Make();
  ASSERT_OK_AND_ASSIGN(std::string sealed, sealer.Seal("the secret", "111111111111"));
  auto cached = sealer.Open(sealed, "222222222222");  // the data key is cached for A only
  EXPECT_EQ(cached.status().code(), StatusCode::kInternal);
  KmsSealer fresh = Make();
  auto through_kms = fresh.Open(sealed, "222222222222");  // KMS refuses the context
  EXPECT_EQ(through_kms.status().code(), StatusCode::kInternal) << through_kms.status().ToString();
  std::string tampered = sealed;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_EQ(fresh.Open(tampered, "111111111111").status().code(), StatusCode::kInternal);
}

TEST_F(KmsSealerTest, DataKeysAreCachedWithinTheTtlAndFetchedAgainAfterIt) {
  KmsSealerOptions o;
  o.data_key_ttl = std::chrono::minutes(5);
  KmsSealer sealer = Make(o);
  ASSERT_OK_AND_ASSIGN(std::string first, sealer.Seal("a", "111111111111"));
  ASSERT_OK_AND_ASSIGN(std::string second, sealer.Seal("b", "111111111111"));
  EXPECT_EQ(kms.generate_calls, 1) << "the account's data key is reused";
  ASSERT_OK(sealer.Open(first, "111111111111"));
  ASSERT_OK(sealer.Open(second, "111111111111"));
  EXPECT_EQ(kms.decrypt_calls, 0) << "a key this sealer generated needs no Decrypt";

  KmsSealer reader = Make(o);
  ASSERT_OK(reader.Open(first, "111111111111"));
  ASSERT_OK(reader.Open(second, "111111111111"));
  EXPECT_EQ(kms.decrypt_calls, 1) << "one Decrypt per data key within the TTL";

  clock.Advance(std::chrono::minutes(5));
  ASSERT_OK(reader.Open(first, "111111111111"));
  EXPECT_EQ(kms.decrypt_calls, 2) << "after the TTL the data key is decrypted again";
  ASSERT_OK(sealer.Seal("c", "111111111111"));
  EXPECT_EQ(kms.generate_calls, 2) << "after the TTL a new data key is generated";
}

TEST_F(KmsSealerTest, TheCachesAreBounded) {
  KmsSealerOptions o;
  o.max_cached_keys = 2;
  KmsSealer sealer = Make(o);
  std::vector<std::string> blobs;
  for (const char* id : {"111111111111", "222222222222", "333333333333"}) {
    ASSERT_OK_AND_ASSIGN(std::string s, sealer.Seal("x", id));
    blobs.push_back(s);
    clock.Advance(std::chrono::seconds(1));
  }
  EXPECT_EQ(kms.generate_calls, 3);
  ASSERT_OK(sealer.Seal("y", "111111111111"));  // evicted (the oldest): a new data key
  EXPECT_EQ(kms.generate_calls, 4);
  ASSERT_OK(sealer.Open(blobs[2], "333333333333"));  // still cached
  EXPECT_EQ(kms.decrypt_calls, 0);
  ASSERT_OK(sealer.Open(blobs[0], "111111111111"));  // its data key was evicted: decrypted again
  EXPECT_EQ(kms.decrypt_calls, 1);
}

TEST_F(KmsSealerTest, KmsFailuresAreUnavailableNamingTheKeyAndCode) {
  KmsSealer sealer = Make();
  ASSERT_OK_AND_ASSIGN(std::string sealed, sealer.Seal("x", "111111111111"));
  kms.fail = FailedPrecondition("DisabledException: key is disabled");
  KmsSealer other = Make();
  auto s = other.Seal("x", "111111111111");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("k1"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("DisabledException"), std::string::npos) << s.status().message();
  EXPECT_EQ(other.Open(sealed, "111111111111").status().code(), StatusCode::kUnavailable);
}

TEST_F(KmsSealerTest, IsCurrentComparesTheKeyArnLearnedFromKms) {
  KmsSealer sealer = Make();
  ASSERT_OK(sealer.CheckRoundTrip());
  EXPECT_EQ(kms.generate_calls, 1);
  EXPECT_EQ(kms.decrypt_calls, 1);
  ASSERT_OK_AND_ASSIGN(std::string sealed, sealer.Seal("x", "111111111111"));
  EXPECT_TRUE(sealer.IsCurrent(sealed));
  KmsSealer other(kms, "k2", clock, random);
  ASSERT_OK(other.CheckRoundTrip());
  EXPECT_FALSE(other.IsCurrent(sealed));
  LocalSealer local(TestKey(), random);
  ASSERT_OK_AND_ASSIGN(std::string local_blob, local.Seal("x", "111111111111"));
  EXPECT_FALSE(sealer.IsCurrent(local_blob));
  EXPECT_TRUE(local.IsCurrent(local_blob));
  EXPECT_FALSE(local.IsCurrent(sealed));
}

TEST_F(KmsSealerTest, CheckRoundTripReportsTheKmsError) {
  KmsSealer sealer = Make();
  kms.fail = PermissionDenied("AccessDeniedException: not allowed");
  Status s = sealer.CheckRoundTrip();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
}

TEST_F(KmsSealerTest, LocalBlobsStillOpenInKmsModeWithTheMasterKey) {
  LocalSealer local(TestKey(), random);
  ASSERT_OK_AND_ASSIGN(std::string old_blob, local.Seal("old secret", "111111111111"));
  DualSealer both(std::make_unique<KmsSealer>(kms, "k1", clock, random),
                  std::make_unique<LocalSealer>(TestKey(), random));
  ASSERT_OK_AND_ASSIGN(std::string opened, both.Open(old_blob, "111111111111"));
  EXPECT_EQ(opened, "old secret");
  ASSERT_OK_AND_ASSIGN(std::string new_blob, both.Seal("new secret", "111111111111"));
  EXPECT_TRUE(IsKmsEnvelope(new_blob)) << "new seals go to the target";
  EXPECT_FALSE(both.IsCurrent(old_blob));
  EXPECT_TRUE(both.IsCurrent(new_blob));
  ASSERT_OK_AND_ASSIGN(std::string reopened, both.Open(new_blob, "111111111111"));
  EXPECT_EQ(reopened, "new secret");

  DualSealer kms_only(std::make_unique<KmsSealer>(kms, "k1", clock, random), nullptr);
  auto refused = kms_only.Open(old_blob, "111111111111");
  EXPECT_EQ(refused.status().code(), StatusCode::kInternal);
  EXPECT_NE(refused.status().message().find("AP_MASTER_KEY"), std::string::npos) << refused.status().message();
  LocalSealer local_only(TestKey(), random);
  EXPECT_EQ(local_only.Open(new_blob, "111111111111").status().code(), StatusCode::kInternal);
}

// Sealing fails (KMS down): the create and the rotation fail with Unavailable and the store keeps what it had.
TEST(AccountServiceSealing, KmsFailureOnSealStoresNothing) {
  testing::TestEnv env;
  FakeKms kms;
  KmsSealer sealer(kms, "k1", env.clock, env.random);
  AccountService accounts(*env.store, env.clock, env.random, sealer, *env.audit, *env.auth, env.assumer,
                          std::chrono::seconds(5));
  ASSERT_OK(accounts.Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  ASSERT_OK_AND_ASSIGN(domain::Account before, env.store->GetAccount("123456789012"));
  EXPECT_TRUE(IsKmsEnvelope(before.sealed_credentials));

  kms.fail = Unavailable("connection refused");
  env.clock.Advance(std::chrono::minutes(6));  // past the cached data key
  auto created = accounts.Create(env.Admin(), env.AccessKeyAccount("210987654321"));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(env.store->GetAccount("210987654321").status().code(), StatusCode::kNotFound);

  AccountPatch rotate;
  rotate.credentials = env.AccessKeyAccount("123456789012").credentials;
  rotate.credentials->secret_access_key = "another/secret/key/EXAMPLEKEYEXAMPLEKEY0";
  auto updated = accounts.Update(env.Admin(), "123456789012", rotate);
  EXPECT_EQ(updated.status().code(), StatusCode::kUnavailable);
  ASSERT_OK_AND_ASSIGN(domain::Account after, env.store->GetAccount("123456789012"));
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.sealed_credentials, before.sealed_credentials);

  auto exported = accounts.ExportCredentials(env.Admin(), "123456789012");
  EXPECT_EQ(exported.status().code(), StatusCode::kUnavailable) << "KMS down is not a broken secret";
}

}  // namespace
}  // namespace ap::service
