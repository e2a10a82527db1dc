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

}  // namespace
}  // namespace lclab::experiments
