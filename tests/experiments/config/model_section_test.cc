// The model's sections: population, personas, purchase, lifecycle,
// satisfaction, web, response and channels, read with their defaults and
// checked against their ranges.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

TEST(ModelSection, LifecycleDaysMustBeOrdered) {
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "\n[lifecycle]\nlapse_days = 90\ninactive_days = 60\n")
                .find("lifecycle.inactive_days = 60 (expected more than lifecycle.lapse_days (90))"),
            std::string::npos);
}

TEST(ModelSection, ReviewedHoles) {
  EXPECT_NE(ErrorOf(kMinimal, {"response.incentive_effect=-inf"}).find("expected a number (finite)"), std::string::npos);
  // The offending element of an array is named.
  EXPECT_NE(ErrorOf(kMinimal, {"population.time_zones.offsets=[0, 5.5]", "population.time_zones.weights=[1, 1]"})
                .find("population.time_zones.offsets[1] = 5.5 (expected a whole number in [-12, 14])"),
            std::string::npos)
      << ErrorOf(kMinimal, {"population.time_zones.offsets=[0, 5.5]", "population.time_zones.weights=[1, 1]"});
}

TEST(ModelSection, PopulationAndPersonas) {
  const ExperimentConfig c = LoadConfigText(std::string(kMinimal) + R"(
[[population.personas]]
name = "thrifty"
weight = 3
price_sensitivity_mean = 1.6
chronotypes = { morning = 1, midday = 0, evening = 0 }
opt_in = { sms = 0.9 }

[[population.personas]]
name = "casual"
)", "cfg.toml", {});
  ASSERT_EQ(c.model.personas.size(), 2u);
  EXPECT_EQ(c.model.personas[0].name, "thrifty");
  EXPECT_EQ(c.model.personas[0].weight, 3.0);
  EXPECT_EQ(c.model.personas[0].chronotype_weights[1], 0.0);
  EXPECT_EQ(c.model.personas[0].opt_in[static_cast<int>(models::Channel::kSms)], 0.9);
  EXPECT_EQ(c.model.personas[0].opt_in[0], models::Persona{}.opt_in[0]);  // unset channels keep their default
  EXPECT_EQ(c.model.personas[1].price_sensitivity_mean, 1.0);
  EXPECT_EQ(c.model.tz_offsets.size(), c.model.tz_weights.size());
  const std::string twice = std::string(kMinimal) + "[[population.personas]]\nname = \"a\"\n[[population.personas]]\nname = \"a\"\n";
  EXPECT_NE(ErrorOf(twice).find("population.personas[1].name = \"a\" (expected a name not used by another persona)"),
            std::string::npos)
      << ErrorOf(twice);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "[[population.personas]]\nchronotypes = { morning = 0, midday = 0, evening = 0 }\n")
                .find("(expected weights that sum to more than 0)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"population.initial={ prospect = 0, reach = 0, acquisition = 0, customer = 0 }"})
                .find("initial shares that sum to more than 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"population.time_zones.offsets=[0, 1]", "population.time_zones.weights=[1]"})
                .find("population.time_zones.weights = [1] (expected as many weights as offsets (2))"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"population.size=0"}).find("population.size = 0 (expected an integer in [1, 4000000000])"),
            std::string::npos);
}

TEST(ModelSection, PurchaseResponseAndChannels) {
  const ExperimentConfig c = LoadConfigText(kMinimal, "cfg.toml",
                                            {"purchase.alpha_weeks=2", "channels.sms.open=0.4", "web.visit.loyalty=0.5",
                                             "response.halo_days=5", "lifecycle.k_loyal=4"});
  EXPECT_DOUBLE_EQ(c.model.purchase.alpha_days, 14.0);  // weeks in the config, days in the model
  EXPECT_EQ(c.model.response.channels[static_cast<int>(models::Channel::kSms)].open, 0.4);
  EXPECT_EQ(c.model.web.visit_prob[static_cast<int>(models::Stage::kLoyalty)], 0.5);
  EXPECT_EQ(c.model.response.halo_days, 5.0);
  EXPECT_EQ(c.model.lifecycle.k_loyal, 4);
  EXPECT_NE(ErrorOf(kMinimal, {"channels.sms.open=1"}).find("channels.sms.open = 1 (expected a number in (0, 1))"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"channels.fax.open=0.1"}).find("unknown key channels.fax"), std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"purchase.spend_q=1"}).find("purchase.spend_q = 1 (expected a number > 1)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"lifecycle.k_loyal=9"}).find("lifecycle.k_loyal = 9 (expected an integer in [1, 8])"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal, {"web.bounce.vip=0.1"}).find("unknown key web.bounce.vip"), std::string::npos);
}

}  // namespace
}  // namespace lclab::experiments
