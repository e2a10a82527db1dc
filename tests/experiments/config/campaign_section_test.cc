// One [[campaigns]] table: the messages of bad trigger, goal, audience,
// factor, design, send-time and analysis settings name the file, the key
// path, the value and what was expected; designs make the right variants.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

TEST(CampaignSection, NonPositiveWeightIsRejected) {
  std::string text = kMinimal;
  text.replace(text.find("variant_weight = 2"), 18, "variant_weight = -2");
  EXPECT_NE(ErrorOf(text).find("cfg.toml:9: campaigns[0].variant_weight = -2 (expected a number > 0)"),
            std::string::npos)
      << ErrorOf(text);
}

// The issue's bar: an unknown channel, factor level, stage, goal or trigger is named.
TEST(CampaignSection, UnknownChannelLevelStageGoalAndTrigger) {
  const std::string ch = ErrorOf(kMinimal, {"campaigns[0].channel=fax"});
  EXPECT_NE(ch.find("campaigns[0].channel = \"fax\" (expected one of email, push, web_push, in_app, sms, web_popup)"),
            std::string::npos)
      << ch;
  const std::string level_ch = ErrorOf(kMinimal, {"campaigns[0].factors[0].levels[1].channel=pigeon"});
  EXPECT_NE(level_ch.find("campaigns[0].factors[0].levels[1].channel = \"pigeon\""), std::string::npos) << level_ch;
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].trigger=birthday"}).find("campaigns[0].trigger = \"birthday\" (expected one of signup"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].goal=fame"}).find("campaigns[0].goal = \"fame\" (expected one of sign_up"),
            std::string::npos);
  const std::string st = ErrorOf(kMinimal, {"campaigns[0].audience.stages=[\"retention\", \"vip\"]"});
  EXPECT_NE(st.find("campaigns[0].audience.stages[1] = \"vip\" (expected one of prospect, reach"), std::string::npos)
      << st;
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].trigger=enter_stage", "campaigns[0].stage=heaven"})
                .find("campaigns[0].stage = \"heaven\""),
            std::string::npos);
  // A level that does not exist, where a level is referred to.
  const std::string lv = ErrorOf(std::string(kMinimal) + "\n[[campaigns.interactions]]\nlevels = [\"tone.urgent\", \"tone.shouty\"]\n");
  EXPECT_NE(lv.find("campaigns[0].interactions[0].levels = [\"tone.urgent\", \"tone.shouty\"] (expected a factor level "
                    "\"factor.level\", one of: tone.plain, tone.urgent)"),
            std::string::npos)
      << lv;
  const std::string ex = ErrorOf(std::string(kMinimal) + "\n[[campaigns.variants]]\nname = \"v\"\n"
                                                         "levels = { tone = \"loud\" }\n",
                                 {"campaigns[0].design=explicit"});
  EXPECT_NE(ex.find("campaigns[0].variants[0].levels.tone = \"loud\" (expected a level of factor tone: plain, urgent)"),
            std::string::npos)
      << ex;
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaigns.audience]\nsegments = [\"whales\"]\n")
                .find("campaigns[0].audience.segments[0] = \"whales\" (expected a persona name: default)"),
            std::string::npos);
}

TEST(CampaignSection, DesignsAndArms) {
  // Two factors of 2 and 3 levels: 6 variants plus the holdout.
  const ExperimentConfig full = LoadConfigText(std::string(kMinimal) + R"(
[[campaigns.factors]]
name = "length"
levels = ["short", "medium", "long"]
)", "cfg.toml", {});
  ASSERT_EQ(full.campaigns[0].arms.size(), 7u);
  EXPECT_EQ(full.campaigns[0].arms[6].name, "urgent+long");
  // A 2^(4-1) fraction: 8 variants, resolution IV.
  std::string four = R"(
[[campaigns]]
name = "mvt"
trigger = "schedule"
goal = "repeat_purchase"
design = "fractional"
holdout = false
)";
  for (const char* f : {"a", "b", "c", "d"}) four += "[[campaigns.factors]]\nname = \"" + std::string(f) + "\"\nlevels = [\"lo\", \"hi\"]\n";
  const ExperimentConfig frac = LoadConfigText(four, "cfg.toml", {});
  EXPECT_EQ(frac.campaigns[0].arms.size(), 8u);
  EXPECT_EQ(frac.campaigns[0].resolution, 4);
  EXPECT_EQ(frac.campaigns[0].generators, std::vector<std::string>{"D=ABC"});
  EXPECT_NE(ErrorOf(four, {"campaigns[0].generators=[\"D=AD\"]"}).find("campaigns[0].generators"), std::string::npos);
  // Two levels setting the same thing differently cannot meet in one variant.
  const std::string clash = ErrorOf(std::string(kMinimal) + R"(
[[campaigns.factors]]
name = "route"
levels = [{ name = "mail", channel = "email" }, { name = "phone", channel = "sms" }]
[[campaigns.factors]]
name = "medium"
levels = [{ name = "a", channel = "email" }, { name = "b", channel = "push" }]
)");
  EXPECT_NE(clash.find("levels that do not both set channel"), std::string::npos) << clash;
  const std::string e = ErrorOf(kMinimal, {"campaigns[0].control=nope"});
  EXPECT_NE(e.find("campaigns[0].control = \"nope\" (expected the name of an arm: holdout, plain, urgent)"),
            std::string::npos)
      << e;
  EXPECT_NE(ErrorOf("[[campaigns]]\nname = \"a\"\ntrigger = \"signup\"\n").find("campaigns[0].goal (expected a goal"),
            std::string::npos);
  // No campaigns (the world without marketing) and a campaign of one arm (a strategy everyone in its
  // audience gets) are valid: studies compare them with each other.
  EXPECT_EQ(ErrorOf("[population]\nsize = 10\n"), "");
  const ExperimentConfig one = LoadConfigText(kMinimal, "cfg.toml", {"campaigns[0].holdout=false", "campaigns[0].factors=[]"});
  ASSERT_EQ(one.campaigns[0].arms.size(), 1u);
  EXPECT_EQ(one.campaigns[0].control_arm, 0);
}

TEST(CampaignSection, OutOfRangeValues) {
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].send_hour=24"})
                .find("campaigns[0].send_hour = 24 (expected an integer in [0, 23])"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].incentive=percent_discount", "campaigns[0].incentive_value=1.5"})
                .find("incentive_value < 1 for a percent_discount"),
            std::string::npos);
}

TEST(CampaignSection, ReviewedHoles) {
  // Infinite numbers are not numbers a model can use.
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].variant_weight=inf"}).find("campaigns[0].variant_weight = inf (expected a number > 0)"),
            std::string::npos);
  // Every campaign, factor and level needs a name.
  EXPECT_NE(ErrorOf("[[campaigns]]\ntrigger = \"signup\"\ngoal = \"first_purchase\"\n")
                .find("campaigns[0].name (expected a name for every campaign)"),
            std::string::npos);
  // A first-purchase goal cannot follow a trigger that needs a purchase.
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].trigger=lapsed", "campaigns[0].goal=first_purchase"})
                .find("campaigns[0].goal = \"first_purchase\""),
            std::string::npos);
}

// Bad analysis settings exit with the file, line, key, value and what was expected.
TEST(CampaignSection, BadAnalysisSettings) {
  auto error = [](const std::string& extra, const std::string& programme = "") {
    const std::string text = "[programme]\n" + programme + R"(
[[campaigns]]
name = "c"
trigger = "signup"
goal = "first_purchase"
)" + extra + "\n[[campaigns.factors]]\nname = \"t\"\nlevels = [\"a\", \"b\"]\n";
    try {
      LoadConfigText(text, "bad.toml", {});
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  has(error("primary_metrics = [\"revenue\"]"),
      "bad.toml:7: campaigns[0].primary_metrics[0] = \"revenue\" (expected one of signup_rate,");
  has(error("primary_metrics = []"), "campaigns[0].primary_metrics");
  has(error("primary_metrics = [\"open_rate\", \"open_rate\"]"),
      "primary_metrics[1] = \"open_rate\" (expected a KPI not listed twice)");
  has(error("primary_metrics = [\"churn_rate\"]\nguardrail_metrics = [\"churn_rate\"]"),
      "(expected KPIs that are not also primary_metrics (churn_rate is in both))");
  has(error("allocation = \"bandit\""), "campaigns[0].allocation = \"bandit\" (expected one of fixed, thompson)");
  has(error("allocation = \"thompson\"\nmin_share = 0.5"), "campaigns[0].min_share = 0.5 (expected a number in [0, 0.333333))");
  has(error("allocation = \"thompson\"\nallocation_metric = \"opens\""),
      "campaigns[0].allocation_metric = \"opens\" (expected one of signup_rate,");
  has(error("guardrail_margin = -0.1"), "campaigns[0].guardrail_margin = -0.1");
  has(error("allocation = \"thompson\"\nallocation_metric = \"open_rate\""),
      "campaigns[0].allocation_metric = \"open_rate\" (expected a KPI that a holdout arm has too");
  // A primary KPI that is a default guardrail leaves the guardrails; written in both it is an error.
  EXPECT_EQ(error("primary_metrics = [\"churn_rate\"]"), "no error");
  has(error("", "sequential = \"yes\""), "programme.sequential = \"yes\" (expected true or false)");
  has(error("", "primary_metrics = [\"nps\", 3]"), "programme.primary_metrics[1] = 3 (expected one of revenue_per_customer,");
}

TEST(CampaignSection, BadSendTimeSettings) {
  auto error = [](const std::string& extra, const std::string& level = "") {
    const std::string text = R"(
[[campaigns]]
name = "c"
trigger = "signup"
goal = "first_purchase"
)" + extra + (level.empty() ? "" : "\n[[campaigns.factors]]\nname = \"t\"\nlevels = [\"a\", " + level + "]\n");
    try {
      LoadConfigText(text, "bad.toml", {});
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("send_policy = \"smart\"").find("campaigns[0].send_policy = \"smart\" (expected one of local_hour"),
            std::string::npos);
  EXPECT_NE(error("quiet_hours = [22, 22]").find("campaigns[0].quiet_hours = [22, 22] (expected [] or two different hours"),
            std::string::npos);
  EXPECT_NE(error("quiet_hours = [22]").find("quiet_hours"), std::string::npos);
  EXPECT_NE(error("quiet_hours = [0, 12]\ndelivery_window = [2, 10]").find(
                "campaigns[0].delivery_window = [2, 10] (expected a delivery window (hours in UTC+0) that leaves "
                "some hour outside quiet_hours for customers in UTC+0)"),
            std::string::npos);
  EXPECT_NE(error("channel = \"in_app\"\nsend_policy = \"learned\"").find(
                "send_policy \"local_hour\" for channel in_app"),
            std::string::npos);
  EXPECT_NE(error("", "{ name = \"b\", send_policy = \"oracel\" }").find(
                "campaigns[0].factors[0].levels[1].send_policy = \"oracel\""),
            std::string::npos);
  EXPECT_NE(error("explore_days = 0").find("campaigns[0].explore_days = 0"), std::string::npos);
  EXPECT_EQ(error("quiet_hours = [22, 7]\nsend_policy = \"thompson\""), "no error");
}

}  // namespace
}  // namespace lclab::experiments
