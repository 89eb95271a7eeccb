#include "domain/quota_config_diff.h"

#include <gtest/gtest.h>

#include "domain/job.h"
#include "status_matchers.h"

namespace ap::domain {
namespace {

using Ids = std::vector<std::string>;

ModelSpec Model(const std::string& id, const std::string& tpm, bool enabled, bool shown = false) {
  ModelSpec m;
  m.model_id = id;
  m.display_name = id;
  m.quota_code_tpm = tpm;
  m.enabled = enabled;
  m.show_in_dashboard = shown;
  return m;
}

QuotaConfig ConfigOf(std::vector<ModelSpec> models) {
  QuotaConfig c;
  c.models = std::move(models);
  return c;
}

TEST(DiffQuotaConfigs, NamesAddedRemovedToggledAndEditedModels) {
  QuotaConfig before = ConfigOf({Model("a", "L-00000001", true, true), Model("b", "L-00000002", false),
                                 Model("c", "L-00000003", true), Model("gone", "L-00000009", true)});
  ModelSpec c = Model("c", "L-00000003", true);
  c.display_name = "C renamed";
  QuotaConfig after = ConfigOf({Model("a", "L-00000001", false, false), Model("b", "L-00000002", true, true), c,
                                Model("new-on", "L-00000004", true), Model("new-off", "L-00000005", false)});
  QuotaConfigChanges d = DiffQuotaConfigs(before, after);
  EXPECT_EQ(d.added, (Ids{"new-on", "new-off"}));
  EXPECT_EQ(d.removed, (Ids{"gone"}));
  EXPECT_EQ(d.enabled, (Ids{"b"}));
  EXPECT_EQ(d.disabled, (Ids{"a"}));
  EXPECT_EQ(d.shown, (Ids{"b"}));
  EXPECT_EQ(d.hidden, (Ids{"a"}));
  EXPECT_EQ(d.edited, (Ids{"c"}));  // the name only: no new code to read
  EXPECT_EQ(d.newly_read_models, (Ids{"b", "new-on"}));
  EXPECT_EQ(d.newly_read_codes, (Ids{"L-00000002", "L-00000004"}));
  EXPECT_FALSE(d.empty());
}

TEST(DiffQuotaConfigs, AChangedCodeOfAnEnabledModelIsReadAnew) {
  QuotaConfig before = ConfigOf({Model("a", "L-00000001", true)});
  ModelSpec a = Model("a", "L-00000001", true);
  a.quota_code_rpm = "L-0000000A";
  QuotaConfigChanges d = DiffQuotaConfigs(before, ConfigOf({a}));
  EXPECT_EQ(d.edited, (Ids{"a"}));
  EXPECT_EQ(d.newly_read_models, (Ids{"a"}));
  EXPECT_EQ(d.newly_read_codes, (Ids{"L-00000001", "L-0000000A"}));
}

TEST(DiffQuotaConfigs, TheSameDocumentChangesNothing) {
  QuotaConfig c = ConfigOf({Model("a", "L-00000001", true, true)});
  QuotaConfigChanges d = DiffQuotaConfigs(c, c);
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(d.newly_read_codes.empty());
}

TEST(CodesOfModels, OnlyEnabledModelsAmongTheIdsEachCodeOnce) {
  ModelSpec two = Model("two", "L-00000001", true);  // shares a code with "one"
  two.quota_code_rpm = "L-00000002";
  QuotaConfig c = ConfigOf({Model("one", "L-00000001", true), two, Model("off", "L-00000003", false)});
  EXPECT_EQ(CodesOfModels(c, {"two", "one", "off", "unknown"}), (Ids{"L-00000001", "L-00000002"}));
  EXPECT_TRUE(CodesOfModels(c, {"off"}).empty());
}

TEST(RefreshJobScope, RoundTripsAndTheEmptyParamsMeanEverything) {
  RefreshJobScope scope{{"claude-opus-4.6-v1"}, {"L-00000001", "L-00000002"}};
  std::string params = EncodeRefreshJobScope(scope);
  EXPECT_EQ(params, "v1|models=claude-opus-4.6-v1|codes=L-00000001,L-00000002");
  ASSERT_OK_AND_ASSIGN(RefreshJobScope back, DecodeRefreshJobScope(params));
  EXPECT_EQ(back.model_ids, scope.model_ids);
  EXPECT_EQ(back.quota_codes, scope.quota_codes);
  EXPECT_EQ(EncodeRefreshJobScope({}), "");
  ASSERT_OK_AND_ASSIGN(RefreshJobScope all, DecodeRefreshJobScope(""));
  EXPECT_TRUE(all.all());
  EXPECT_EQ(DecodeRefreshJobScope("v1|1|2|3|reason").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeRefreshJobScope("v1|models=a|codes=").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ap::domain
