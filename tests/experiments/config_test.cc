// Config loading: defaults, overrides, and error messages that name the file,
// the key path, the value and what was expected.
#include "experiments/config.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/error.h"

namespace lclab::experiments {
namespace {

const char* kMinimal = R"(
[population]
size = 5000

[[experiment.arms]]
name = "control"
holdout = true

[[experiment.arms]]
name = "email"
weight = 2
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
  ASSERT_EQ(c.arms.size(), 2u);
  EXPECT_TRUE(c.arms[0].treatment.holdout);
  EXPECT_EQ(c.arms[1].weight, 2.0);
  EXPECT_EQ(c.control_arm, 0);
  EXPECT_NEAR(c.model.purchase.alpha_days, 4.414 * 7, 1e-12);
  // The resolved config carries every default.
  EXPECT_NE(c.resolved_toml.find("warmup_days = 60"), std::string::npos);
  EXPECT_NE(c.resolved_toml.find("alpha_weeks = 4.414"), std::string::npos);
  // And it loads back to the same values.
  const ExperimentConfig again = LoadConfigText(c.resolved_toml, "resolved.toml", {});
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
}

TEST(Config, OverridesApply) {
  const std::int64_t seed = 99;
  const ExperimentConfig c = LoadConfigText(
      kMinimal, "cfg.toml",
      {"population.size=1234", "simulation.days=30", "experiment.arms[1].discount=0.25", "experiment.salt=abc"}, &seed);
  EXPECT_EQ(c.population_size, 1234u);
  EXPECT_EQ(c.clock.window_days, 30);
  EXPECT_FLOAT_EQ(c.arms[1].treatment.discount, 0.25f);
  EXPECT_EQ(c.salt, "abc");
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
  text.replace(text.find("weight = 2"), 10, "weight = -2");
  EXPECT_NE(ErrorOf(text).find("experiment.arms[1].weight = -2 (expected a number > 0)"), std::string::npos)
      << ErrorOf(text);
  text.replace(text.find("weight = -2"), 11, "weight = 0");
  EXPECT_NE(ErrorOf(text).find("experiment.arms[1].weight = 0 (expected a number > 0)"), std::string::npos);
}

TEST(Config, OutOfRangeValues) {
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaign]\nsend_hour = 24\n")
                .find("campaign.send_hour = 24 (expected an integer in [0, 23])"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[lifecycle]\nlapse_days = 90\ninactive_days = 60\n")
                .find("lifecycle.inactive_days = 60 (expected more than lifecycle.lapse_days (90))"),
            std::string::npos);
}

TEST(Config, UnknownChannelTriggerGoalAndStage) {
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaign]\nchannel = \"fax\"\n")
                .find("campaign.channel = \"fax\" (expected one of email, push, web_push, in_app, sms)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaign]\ntrigger = \"birthday\"\n").find("campaign.trigger = \"birthday\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaign]\ngoal = \"fame\"\n").find("campaign.goal = \"fame\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[campaign]\naudience = [\"acquisition\", \"vip\"]\n")
                .find("campaign.audience[1] = \"vip\" (expected one of prospect, reach"),
            std::string::npos);
}

TEST(Config, ArmsAndControl) {
  EXPECT_NE(ErrorOf("[[experiment.arms]]\nname = \"only\"\n").find("at least two"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[experiment]\n").find(""), std::string::npos);
  const std::string e = ErrorOf("[experiment]\ncontrol = \"nope\"\n[[experiment.arms]]\nname = \"a\"\n"
                                "[[experiment.arms]]\nname = \"b\"\n");
  EXPECT_NE(e.find("experiment.control = \"nope\" (expected the name of an arm: a, b)"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("[[experiment.arms]]\nname = \"a\"\n[[experiment.arms]]\nname = \"a\"\n")
                .find("experiment.arms[1].name = \"a\" (expected a name not used by another arm)"),
            std::string::npos);
}

TEST(Config, SetOverridesAreValidatedToo) {
  const std::string unknown = ErrorOf(kMinimal, {"population.sizee=5"});
  EXPECT_EQ(unknown.rfind("--set population.sizee: unknown key population.sizee = 5", 0), 0u) << unknown;
  const std::string type = ErrorOf(kMinimal, {"population.size=abc"});
  EXPECT_EQ(type.rfind("--set population.size: population.size = \"abc\" (expected an integer", 0), 0u) << type;
  EXPECT_NE(ErrorOf(kMinimal, {"population.size"}).find("expected KEY=VALUE"), std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"experiment.arms[5].weight=1"}).find("does not exist"), std::string::npos);
}

TEST(Config, ReviewedHoles) {
  // Infinite numbers are not numbers a model can use.
  EXPECT_NE(ErrorOf(kMinimal, {"experiment.arms[1].weight=inf"}).find("experiment.arms[1].weight = inf (expected a number > 0)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"response.incentive_effect=-inf"}).find("expected a number (finite)"), std::string::npos);
  // Every arm needs a name.
  EXPECT_NE(ErrorOf("[[experiment.arms]]\nname = \"a\"\n[[experiment.arms]]\nweight = 2\n")
                .find("experiment.arms[1].name (expected a name for every arm)"),
            std::string::npos);
  // A first-purchase goal cannot follow a trigger that needs a purchase.
  EXPECT_NE(ErrorOf(kMinimal, {"campaign.trigger=lapsed"}).find("campaign.goal = \"first_purchase\""),
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

TEST(Config, ExampleConfigsValidate) {
  const ExperimentConfig c = LoadConfig(std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml", {});
  EXPECT_GE(c.arms.size(), 2u);
}

}  // namespace
}  // namespace lclab::experiments
