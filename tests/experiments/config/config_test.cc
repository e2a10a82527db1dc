// Config loading: defaults, overrides, and error messages that name the file,
// the key path, the value and what was expected.
#include "experiments/config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config_test_util.h"
#include "experiments/config/error.h"
#include "models/campaign.h"

namespace lclab::experiments {
namespace {

using namespace testing;

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





TEST(Config, SetOverridesAreValidatedToo) {
  const std::string unknown = ErrorOf(kMinimal, {"population.sizee=5"});
  EXPECT_EQ(unknown.rfind("--set population.sizee: unknown key population.sizee = 5", 0), 0u) << unknown;
  const std::string type = ErrorOf(kMinimal, {"population.size=abc"});
  EXPECT_EQ(type.rfind("--set population.size: population.size = \"abc\" (expected an integer", 0), 0u) << type;
  EXPECT_NE(ErrorOf(kMinimal, {"population.size"}).find("expected KEY=VALUE"), std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"campaigns[5].goal=sign_up"}).find("does not exist"), std::string::npos);
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
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "/no/such/lclab.toml: no such file (expected a TOML experiment config)");
  }
}

TEST(Config, QuickstartValidates) {
  const ExperimentConfig c = LoadConfig(std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml", {});
  EXPECT_GE(c.campaigns[0].arms.size(), 2u);
}

// Every example campaign has a guardrail that can breach against its control, and none that breaches by
// construction: each guardrail tolerates some worsening (a holdout unsubscribes nobody, so a margin of 0
// would flag every campaign that sends), is no attribution KPI against a holdout, and can move in the
// window; the primary KPI is incremental against a holdout. No example draws a warning.
TEST(Config, ExampleGuardrailsCanBreachButNotByConstruction) {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths = {fs::path(LCLAB_SOURCE_DIR) / "experiments" / "quickstart.toml"};
  for (const auto& e : fs::directory_iterator(fs::path(LCLAB_SOURCE_DIR) / "experiments" / "configs"))
    paths.push_back(e.path());
  const auto& defs = models::CampaignKpiDefinitions();
  for (const auto& path : paths) {
    const ExperimentConfig cfg = LoadConfig(path.string(), {});
    EXPECT_TRUE(ConfigWarnings(cfg).empty()) << path << ": " << ConfigWarnings(cfg).front();
    for (const CampaignConfig& cc : cfg.campaigns) {
      const bool holdout = cc.arms[cc.control_arm].holdout;
      int can_breach = 0;
      for (int k : cc.guardrail_kpis) {
        EXPECT_GT(cc.guardrail_margins[k].value, 0) << path << " " << cc.name << " " << defs[k].name;
        EXPECT_FALSE(holdout && defs[k].attribution) << path << " " << cc.name << " " << defs[k].name;
        can_breach += !defs[k].needs_churn_days || cfg.clock.window_days > cfg.model.lifecycle.churn_days;
      }
      EXPECT_GE(can_breach, 1) << path << " " << cc.name;
      for (int k : cc.primary_kpis) EXPECT_FALSE(holdout && defs[k].attribution) << path << " " << cc.name;
    }
  }
  EXPECT_GE(paths.size(), 16u);
}

}  // namespace
}  // namespace lclab::experiments
