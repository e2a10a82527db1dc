// The fits reproduce the published estimates on CDNOW (docs/fit.md, docs/references.md): BG/NBD and
// Pareto/NBD on the 2,357 customers' (x, t_x, T), Gamma-Gamma on the 946 repeat buyers' mean spend,
// within 1% of each parameter, and the published log-likelihoods; sBG on the two survivor tables.
#include "experiments/fit/fits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace lclab::experiments {
namespace {

std::vector<CustomerSummary> Cdnow() {
  std::ifstream in(std::string(LCLAB_SOURCE_DIR) + "/tests/data/cdnow/cdnow_customers_summary.csv");
  std::vector<CustomerSummary> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string f[5];
    for (auto& x : f) std::getline(ss, x, ',');
    rows.push_back({std::stod(f[1]), std::stod(f[2]), std::stod(f[3]), std::stod(f[4])});
  }
  return rows;
}

void ExpectWithinOnePercent(const MleFit& fit, const std::vector<double>& published) {
  ASSERT_EQ(fit.values.size(), published.size());
  for (std::size_t i = 0; i < published.size(); ++i)
    EXPECT_NEAR(fit.values[i], published[i], 0.01 * published[i]) << fit.names[i];
  EXPECT_TRUE(fit.converged) << fit.status;
  for (double se : fit.se) EXPECT_TRUE(std::isfinite(se) && se > 0);
}

TEST(Fits, CdnowBgnbd) {
  const MleFit fit = FitBgnbd(Cdnow());
  ExpectWithinOnePercent(fit, {0.243, 4.414, 0.793, 2.426});
  EXPECT_NEAR(fit.log_likelihood, -9582.4, 0.05);
  EXPECT_NEAR(fit.aic, 2 * 9582.4 + 8, 0.1);
}

TEST(Fits, CdnowParetoNbd) {
  const MleFit fit = FitParetoNbd(Cdnow());
  ExpectWithinOnePercent(fit, {0.553, 10.578, 0.606, 11.669});
  EXPECT_NEAR(fit.log_likelihood, -9595.0, 0.05);
}

TEST(Fits, CdnowGammaGamma) {
  const MleFit fit = FitGammaGamma(Cdnow());
  ExpectWithinOnePercent(fit, {6.25, 3.74, 15.44});
}

TEST(Fits, SbgSurvivorTables) {
  // Fader and Hardie (2007), "How to project customer retention": two cohorts of 1,000 over 7 years.
  ExpectWithinOnePercent(FitSbg({1000, 631, 468, 382, 326, 289, 262, 241}), {0.704, 1.182});
  ExpectWithinOnePercent(FitSbg({1000, 869, 743, 653, 593, 551, 517, 491}), {0.668, 3.806});
}

}  // namespace
}  // namespace lclab::experiments
