// Number formats and the text table: NaN prints as "-", signs and thousands,
// tiny p-values, each KPI unit, intervals, and column alignment.
#include "experiments/report/format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace lclab::experiments {
namespace {

TEST(Format, Numbers) {
  EXPECT_EQ(Fixed(3.14159, 2), "3.14");
  EXPECT_EQ(Fixed(NAN, 2), "-");
  EXPECT_EQ(Signed(0.5, 1), "+0.5");
  EXPECT_EQ(Signed(-2, 0), "-2");
  EXPECT_EQ(Signed(INFINITY, 1), "-");
  EXPECT_EQ(Thousands(1234567), "1,234,567");
  EXPECT_EQ(Thousands(-1000), "-1,000");
  EXPECT_EQ(Thousands(999), "999");
  EXPECT_EQ(FormatP(0.04567), "0.0457");
  EXPECT_EQ(FormatP(1e-9), "<0.0001");
  EXPECT_EQ(FormatP(NAN), "-");
}

TEST(Format, KpiUnits) {
  const auto& defs = models::CampaignKpiDefinitions();
  EXPECT_EQ(FormatKpiValue(defs[models::kOpenRate], 0.12345), "12.35%");
  EXPECT_EQ(FormatKpiValue(defs[models::kRevenuePerCustomer], 3.456), "3.46");
  EXPECT_EQ(FormatKpiValue(defs[models::kNps], 12.34), "12.3");
  EXPECT_EQ(FormatKpiValue(defs[models::kOrdersPerCustomer], 0.5), "0.500");
  EXPECT_EQ(FormatKpiDiff(defs[models::kOpenRate], 0.0123), "+1.23 pp");
  const Interval lift{0.0129, 0.003, 0.0075, 0.0183};
  EXPECT_EQ(FormatLift(defs[models::kFirstPurchaseRate], lift), "+1.29 pp [+0.75, +1.83]");
  EXPECT_EQ(FormatLift(defs[models::kRevenuePerCustomer], {1.5, 0.1, 1.25, 1.75}), "+1.50 [+1.25, +1.75]");
  EXPECT_EQ(FormatRel({0.083, 0.01, 0.047, 0.119}), "+8.3% [+4.7%, +11.9%]");
  EXPECT_EQ(FormatRel({NAN, NAN, NAN, NAN}), "-");
  EXPECT_EQ(PlusMinus({0.53, 0.08, 0.36, 0.70}, 2, 1.0), "+0.53±0.17");
  EXPECT_EQ(PlusMinus({0.01, 0.0, 0.005, 0.015}, 2, 100.0), "+1.00±0.50");
}

TEST(Format, TableAlignsNamesLeftAndNumbersRight) {
  std::ostringstream os;
  PrintTable(os, {{"arm", "role", "n"}, {"holdout", "control", "35,367"}, {"a", "variant", "7"}}, "  ");
  EXPECT_EQ(os.str(),
            "  arm      role          n\n"
            "  holdout  control  35,367\n"
            "  a        variant       7\n");
  std::ostringstream one;
  PrintTable(one, {{"arm", "weight"}, {"treatment 1", "1"}}, "", 1);
  EXPECT_EQ(one.str(), "arm          weight\ntreatment 1       1\n");
}

}  // namespace
}  // namespace lclab::experiments
