// The simulated purchase process reproduces the BG/NBD and Gamma-Gamma models
// (docs/references.md): closed forms checked against the CDNOW fit, and a simulated
// cohort's repeat purchases against E[X(t)] within sampling error.
#include "models/bgnbd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "test_util.h"

namespace lclab::models {
namespace {

constexpr double kR = 0.243, kAlpha = 4.414, kA = 0.793, kB = 2.426;  // CDNOW, weeks

TEST(Bgnbd, Hyp2F1KnownValues) {
  // 2F1(1, 1; 2; z) = -ln(1 - z) / z.
  for (double z : {0.1, 0.5, 0.9}) EXPECT_NEAR(Hyp2F1(1, 1, 2, z), -std::log(1 - z) / z, 1e-10);
  // 2F1(a, b; b; z) = (1 - z)^-a.
  EXPECT_NEAR(Hyp2F1(0.7, 2.5, 2.5, 0.6), std::pow(0.4, -0.7), 1e-10);
}

// The fast form 2F1(a, b; a + 1; z) equals the power series where both converge, beyond z = 0.7 too.
TEST(Bgnbd, Hyp2F1Ap1MatchesTheSeries) {
  for (double a : {0.3, 1.2, 7.5, 30.0})
    for (double b : {0.4, 1.6, 2.0, 8.3})
      for (double z : {0.2, 0.69, 0.71, 0.8, 0.9, 0.97, 0.995}) {
        const double series = Hyp2F1(a, b, a + 1, z), fast = Hyp2F1Ap1(a, b, z);
        EXPECT_NEAR(fast, series, 1e-8 * std::fabs(series)) << a << " " << b << " " << z;
      }
}

struct CdnowRow {
  double x, t_x, T;
};

std::vector<CdnowRow> ReadCdnow() {
  std::ifstream in(std::string(LCLAB_SOURCE_DIR) + "/tests/data/cdnow/cdnow_customers_summary.csv");
  std::vector<CdnowRow> rows;
  std::string line;
  std::getline(in, line);  // header ID,x,t_x,T,zbar
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, x, tx, T;
    std::getline(ss, id, ','), std::getline(ss, x, ','), std::getline(ss, tx, ','), std::getline(ss, T, ',');
    rows.push_back({std::stod(x), std::stod(tx), std::stod(T)});
  }
  return rows;
}

// Fader, Hardie and Lee (2005): log-likelihood -9582.4 at the published
// (rounded) estimates; rounding the parameters to 3 decimals moves it by < 0.1.
TEST(Bgnbd, CdnowLogLikelihoodMatchesThePaper) {
  const auto rows = ReadCdnow();
  ASSERT_EQ(rows.size(), 2357u) << "tests/data/cdnow/cdnow_customers_summary.csv";
  double ll = 0, x_total = 0;
  for (const auto& r : rows) ll += BgnbdLogLikelihood(kR, kAlpha, kA, kB, r.x, r.t_x, r.T), x_total += r.x;
  EXPECT_NEAR(ll, -9582.4, 0.1);
  EXPECT_EQ(x_total, 2457);
}

// Expected calibration-period repeat purchases over the cohort, sum E[X(T_i)],
// matches the observed 2,457 within 3 standard errors of the observed total
// (SE from the sample variance of x: sqrt(n) * sd).
TEST(Bgnbd, CdnowExpectedPurchasesMatchObserved) {
  const auto rows = ReadCdnow();
  double expected = 0, s = 0, ss = 0;
  for (const auto& r : rows) {
    expected += BgnbdExpectedPurchases(kR, kAlpha, kA, kB, r.T);
    s += r.x, ss += r.x * r.x;
  }
  const double n = static_cast<double>(rows.size());
  const double se_total = std::sqrt(n * (ss - s * s / n) / (n - 1));
  EXPECT_NEAR(expected, s, 3 * se_total);
}

TEST(Bgnbd, ProbAliveProperties) {
  EXPECT_EQ(BgnbdProbAlive(kR, kAlpha, kA, kB, 0, 0, 38.86), 1.0);
  // A recent buyer is likelier alive than one whose last purchase was long ago.
  EXPECT_GT(BgnbdProbAlive(kR, kAlpha, kA, kB, 2, 35, 38.86), BgnbdProbAlive(kR, kAlpha, kA, kB, 2, 5, 38.86));
  const double p = BgnbdProbAlive(kR, kAlpha, kA, kB, 2, 30.43, 38.86);
  EXPECT_NEAR(p, 1.0 / (1.0 + kA / (kB + 1) * std::pow((kAlpha + 38.86) / (kAlpha + 30.43), kR + 2)), 1e-12);
}

// A cohort that makes its first purchase on day 0 and is simulated day by day
// makes E[X(t)] repeat purchases by day t (alpha in days = 7 x weeks).
// Tolerance: 5 standard errors of the cohort mean, from its sample variance.
TEST(Bgnbd, SimulatedCohortMatchesExpectedRepeatPurchases) {
  ModelParams p;
  p.initial = {0, 0, 0, 1, 0};  // a cohort: every first purchase on day 0
  const int days = 39 * 7;
  constexpr std::size_t kN = 100000;
  testing::World w(p, kN, days + 1, 2024);
  std::vector<double> cumulative(days + 1, 0.0);
  double orders = 0, revenue = 0;
  for (int d = 0; d <= days; ++d) {
    const DayTally t = w.sim.StepDay(w.pop, d, 2);
    orders += static_cast<double>(t.groups[0].orders);
    revenue += t.groups[0].revenue;
    cumulative[d] = orders;
  }
  for (int t : {13 * 7, 26 * 7, 39 * 7}) {
    // Per-customer repeat counts are needed for the SE only at the end; at
    // earlier t the SE is smaller, so use the end-of-period SE (conservative).
    double s = 0, ss = 0;
    for (std::size_t i = 0; i < kN; ++i) {
      const double x = w.pop.orders[i] - 1.0;
      s += x, ss += x * x;
    }
    const double se = std::sqrt((ss - s * s / kN) / (kN - 1) / kN);
    const double expected = BgnbdExpectedPurchases(p.purchase.r, p.purchase.alpha_days, p.purchase.a, p.purchase.b, t);
    EXPECT_NEAR(cumulative[t] / kN, expected, 5 * se) << "t = " << t << " days";
  }
  // Gamma-Gamma: the mean order value is p gamma / (q - 1) = 35.2 on CDNOW.
  // Var(z) = E[p(p+1)/nu^2] - E[z]^2 = p(p+1) gamma^2/((q-1)(q-2)) - E[z]^2.
  const auto& pp = p.purchase;
  const double mean = GammaGammaMeanSpend(pp.spend_p, pp.spend_q, pp.spend_gamma);
  const double var = pp.spend_p * (pp.spend_p + 1) * pp.spend_gamma * pp.spend_gamma /
                         ((pp.spend_q - 1) * (pp.spend_q - 2)) - mean * mean;
  // Orders of one customer share nu, so inflate the SE by the design effect
  // of clustering: sqrt(E[orders^2]/E[orders]).
  double s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    const double x = w.pop.orders[i] - 1.0;
    s1 += x, s2 += x * x;
  }
  const double se = std::sqrt(var / orders * (s2 / s1));
  EXPECT_NEAR(revenue / orders, mean, 5 * se);
  EXPECT_NEAR(mean, 35.2, 0.05);
}

}  // namespace
}  // namespace lclab::models

namespace lclab::models {
namespace {
// Initial customers with a tenure: first purchase uniform on [-T, 0], then the
// daily process until day -1. Their mean repeat purchases at day 0 is the
// average of E[X(t - 1)] over t = 0..T (t - 1 whole days after the first
// purchase; 0 for t = 0). Tolerance: 5 standard errors of the mean.
TEST(Bgnbd, InitialTenureHistoriesFollowTheModel) {
  ModelParams p;
  const int tenure = 273;
  p.initial = {0, 0, 0, 1, tenure};
  constexpr std::size_t kN = 100000;
  testing::World w(p, kN, 1, 77);
  double s = 0, ss = 0, first_sum = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    ASSERT_GE(w.pop.first_purchase_day[i], -tenure);
    ASSERT_LE(w.pop.first_purchase_day[i], 0);
    ASSERT_LE(w.pop.last_purchase_day[i], -1 + (w.pop.first_purchase_day[i] == 0));
    const double x = w.pop.orders[i] - 1.0;
    s += x, ss += x * x;
    first_sum += w.pop.first_purchase_day[i];
  }
  const auto& pp = p.purchase;
  double expected = 0;
  for (int t = 0; t <= tenure; ++t)
    expected += t >= 1 ? BgnbdExpectedPurchases(pp.r, pp.alpha_days, pp.a, pp.b, t - 1) : 0.0;
  expected /= tenure + 1;
  const double se = std::sqrt((ss - s * s / kN) / (kN - 1) / kN);
  EXPECT_NEAR(s / kN, expected, 5 * se);
  // First purchase days uniform on [-T, 0]: mean -T/2, sd sqrt(((T+1)^2 - 1)/12).
  const double sd = std::sqrt(((tenure + 1.0) * (tenure + 1.0) - 1.0) / 12.0);
  EXPECT_NEAR(first_sum / kN, -tenure / 2.0, 5 * sd / std::sqrt(kN));
}
}  // namespace
}  // namespace lclab::models
