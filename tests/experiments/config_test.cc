// Config loading: defaults, overrides, and error messages that name the file,
// the key path, the value and what was expected.
#include "experiments/config.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/error.h"
#include "models/campaign.h"

namespace lclab::experiments {
namespace {

const char* kMinimal = R"(
[population]
size = 5000

[[campaigns]]
name = "promo"
trigger = "schedule"
goal = "repeat_purchase"
variant_weight = 2

[[campaigns.factors]]
name = "tone"
levels = ["plain", { name = "urgent", open = 0.2 }]
)";

std::string ErrorOf(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    LoadConfigText(text, "cfg.toml", sets);
  } catch (const sim::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, MinimalConfigTakesDefaults) {
  const ExperimentConfig c = LoadConfigText(kMinimal, "cfg.toml", {});
  EXPECT_EQ(c.population_size, 5000u);
  EXPECT_EQ(c.clock.window_days, 180);
  EXPECT_EQ(c.clock.warmup_days, 60);
  ASSERT_EQ(c.campaigns.size(), 1u);
  const CampaignConfig& cc = c.campaigns[0];
  ASSERT_EQ(cc.arms.size(), 3u);  // holdout, plain, urgent
  EXPECT_TRUE(cc.arms[0].treatment.holdout);
  EXPECT_EQ(cc.arms[1].name, "plain");
  EXPECT_EQ(cc.arms[2].weight, 2.0);
  EXPECT_FLOAT_EQ(cc.arms[2].treatment.effects.open, 0.2f);
  EXPECT_EQ(cc.control_arm, 0);
  EXPECT_EQ(cc.arms[1].treatment.max_sends, 12);  // a schedule sends up to 12 by default
  EXPECT_EQ(cc.plan.audience_opt_in, 1u);          // opted in to email, the variants' channel
  EXPECT_NEAR(c.model.purchase.alpha_days, 4.414 * 7, 1e-12);
  // The resolved config carries every default.
  EXPECT_NE(c.resolved_toml.find("warmup_days = 60"), std::string::npos);
  EXPECT_NE(c.resolved_toml.find("alpha_weeks = 4.414"), std::string::npos);
  EXPECT_NE(c.resolved_toml.find("opted_in = [\"email\"]"), std::string::npos) << c.resolved_toml;
  // And it loads back to the same values.
  const ExperimentConfig again = LoadConfigText(c.resolved_toml, "resolved.toml", {});
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
}

TEST(Config, OverridesApply) {
  const std::int64_t seed = 99;
  const ExperimentConfig c = LoadConfigText(
      kMinimal, "cfg.toml",
      {"population.size=1234", "simulation.days=30", "campaigns[0].factors[0].levels[1].incentive=percent_discount",
       "campaigns[0].factors[0].levels[1].incentive_value=0.25", "campaigns[0].salt=abc"},
      &seed);
  EXPECT_EQ(c.population_size, 1234u);
  EXPECT_EQ(c.clock.window_days, 30);
  EXPECT_EQ(c.campaigns[0].arms[2].treatment.incentive, models::Incentive::kPercentDiscount);
  EXPECT_FLOAT_EQ(c.campaigns[0].arms[2].treatment.incentive_value, 0.25f);
  EXPECT_EQ(c.campaigns[0].salt, "abc");
  EXPECT_EQ(c.seed, 99u);
}

TEST(Config, UnknownKeyNamesFileKeyAndValue) {
  const std::string e = ErrorOf(std::string(kMinimal) + "\n[simulation]\nwarmup_dayz = 3\n");
  EXPECT_NE(e.find("cfg.toml:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key simulation.warmup_dayz = 3"), std::string::npos) << e;
  EXPECT_NE(e.find("warmup_days"), std::string::npos) << e;  // lists what is known
}

TEST(Config, WrongTypeNamesExpectedType) {
  const std::string e = ErrorOf(R"(
[population]
size = "big"
)");
  EXPECT_NE(e.find("cfg.toml:3: population.size = \"big\" (expected an integer"), std::string::npos) << e;
}

TEST(Config, NonPositiveWeightIsRejected) {
  std::string text = kMinimal;
  text.replace(text.find("variant_weight = 2"), 18, "variant_weight = -2");
  EXPECT_NE(ErrorOf(text).find("cfg.toml:9: campaigns[0].variant_weight = -2 (expected a number > 0)"),
            std::string::npos)
      << ErrorOf(text);
}

TEST(Config, OutOfRangeValues) {
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].send_hour=24"})
                .find("campaigns[0].send_hour = 24 (expected an integer in [0, 23])"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[lifecycle]\nlapse_days = 90\ninactive_days = 60\n")
                .find("lifecycle.inactive_days = 60 (expected more than lifecycle.lapse_days (90))"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].incentive=percent_discount", "campaigns[0].incentive_value=1.5"})
                .find("incentive_value < 1 for a percent_discount"),
            std::string::npos);
}

// The issue's bar: an unknown channel, factor level, stage, goal or trigger is named.
TEST(Config, UnknownChannelLevelStageGoalAndTrigger) {
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

TEST(Config, DesignsAndArms) {
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
  EXPECT_NE(ErrorOf("[population]\nsize = 10\n").find("at least one [[campaigns]]"), std::string::npos);
}

TEST(Config, SetOverridesAreValidatedToo) {
  const std::string unknown = ErrorOf(kMinimal, {"population.sizee=5"});
  EXPECT_EQ(unknown.rfind("--set population.sizee: unknown key population.sizee = 5", 0), 0u) << unknown;
  const std::string type = ErrorOf(kMinimal, {"population.size=abc"});
  EXPECT_EQ(type.rfind("--set population.size: population.size = \"abc\" (expected an integer", 0), 0u) << type;
  EXPECT_NE(ErrorOf(kMinimal, {"population.size"}).find("expected KEY=VALUE"), std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[5].goal=sign_up"}).find("does not exist"), std::string::npos);
}

TEST(Config, ReviewedHoles) {
  // Infinite numbers are not numbers a model can use.
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].variant_weight=inf"}).find("campaigns[0].variant_weight = inf (expected a number > 0)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"response.incentive_effect=-inf"}).find("expected a number (finite)"), std::string::npos);
  // Every campaign, factor and level needs a name.
  EXPECT_NE(ErrorOf("[[campaigns]]\ntrigger = \"signup\"\ngoal = \"first_purchase\"\n")
                .find("campaigns[0].name (expected a name for every campaign)"),
            std::string::npos);
  // A first-purchase goal cannot follow a trigger that needs a purchase.
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[0].trigger=lapsed", "campaigns[0].goal=first_purchase"})
                .find("campaigns[0].goal = \"first_purchase\""),
            std::string::npos);
  // The offending element of an array is named.
  EXPECT_NE(ErrorOf(kMinimal, {"population.time_zones.offsets=[0, 5.5]", "population.time_zones.weights=[1, 1]"})
                .find("population.time_zones.offsets[1] = 5.5 (expected a whole number in [-12, 14])"),
            std::string::npos)
      << ErrorOf(kMinimal, {"population.time_zones.offsets=[0, 5.5]", "population.time_zones.weights=[1, 1]"});
}

TEST(Config, SyntaxErrorsGiveALine) {
  const std::string e = ErrorOf("[population]\nsize = = 3\n");
  EXPECT_EQ(e.rfind("cfg.toml:2:", 0), 0u) << e;
  EXPECT_NE(e.find("expected valid TOML"), std::string::npos);
}

TEST(Config, MissingFile) {
  try {
    LoadConfig("/no/such/lclab.toml", {});
    FAIL();
  } catch (const sim::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "/no/such/lclab.toml: no such file (expected a TOML experiment config)");
  }
}

TEST(Config, QuickstartValidates) {
  const ExperimentConfig c = LoadConfig(std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml", {});
  EXPECT_GE(c.campaigns[0].arms.size(), 2u);
}

}  // namespace
}  // namespace lclab::experiments
