// Trait distributions match their parameters: sample moments within 5
// standard errors (the SE of a sample mean is sd/sqrt(n); of a sample variance
// of a normal, var*sqrt(2/(n-1))).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_util.h"

namespace lclab::models {
namespace {
using namespace testing;

struct Sample {
  double n = 0, s = 0, ss = 0;
  void Add(double x) { n += 1, s += x, ss += x * x; }
  double Mean() const { return s / n; }
  double Var() const { return (ss - s * s / n) / (n - 1); }
};

ModelParams TwoPersonas() {
  ModelParams p;
  p.personas = {Persona{.name = "a", .weight = 1.0, .purchase_rate_multiplier = 1.0},
                Persona{.name = "b", .weight = 3.0, .responsiveness_mean = 0.5, .price_sensitivity_mean = 2.0}};
  p.personas[1].opt_in = {0.5, 0.1, 0.0, 1.0, 0.3};
  p.tz_offsets = {-5, 0, 8};
  p.tz_weights = {0.5, 0.3, 0.2};
  return p;
}

TEST(Traits, PurchaseRateIsGamma) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float l : w.pop.lambda) s.Add(l);
  const double mean = p.purchase.r / p.purchase.alpha_days, var = p.purchase.r / std::pow(p.purchase.alpha_days, 2);
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
  // Gamma variance: Var(s^2) ~ (mu4 - sigma^4)/n with mu4 = 3 sigma^4 (1 + 2/r) for a Gamma.
  const double var_se = std::sqrt((3 * var * var * (1 + 2 / p.purchase.r) - var * var) / kN);
  EXPECT_NEAR(s.Var(), var, kZ * var_se);
}

TEST(Traits, DropoutIsBeta) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float x : w.pop.dropout) s.Add(x);
  const double a = p.purchase.a, b = p.purchase.b;
  const double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
}

TEST(Traits, SpendRateIsGamma) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float x : w.pop.spend_rate) s.Add(x);
  const double mean = p.purchase.spend_q / p.purchase.spend_gamma;
  const double var = p.purchase.spend_q / std::pow(p.purchase.spend_gamma, 2);
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
}

TEST(Traits, ResponsivenessIsNormalPerPersona) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  Sample s[2];
  for (std::size_t i = 0; i < kN; ++i) s[w.pop.segment[i]].Add(w.pop.responsiveness[i]);
  const double sd = p.response.responsiveness_sd;
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(s[k].Mean(), p.personas[k].responsiveness_mean, kZ * sd / std::sqrt(s[k].n));
    EXPECT_NEAR(s[k].Var(), sd * sd, kZ * sd * sd * std::sqrt(2.0 / (s[k].n - 1)));
  }
}

TEST(Traits, PriceSensitivityMeanPerPersona) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  Sample s[2];
  for (std::size_t i = 0; i < kN; ++i) s[w.pop.segment[i]].Add(w.pop.price_sens[i]);
  for (int k = 0; k < 2; ++k) {
    const double mean = p.personas[k].price_sensitivity_mean;
    const double var = mean * mean / p.response.price_sensitivity_shape;
    EXPECT_NEAR(s[k].Mean(), mean, kZ * std::sqrt(var / s[k].n));
  }
}

TEST(Traits, CategoricalMixesMatchWeights) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  double persona_b = 0, tz[3] = {0, 0, 0}, optin_email[2] = {0, 0}, n_seg[2] = {0, 0};
  for (std::size_t i = 0; i < kN; ++i) {
    const int seg = w.pop.segment[i];
    persona_b += seg == 1;
    n_seg[seg] += 1;
    optin_email[seg] += w.pop.opt_in[i] & 1;
    tz[w.pop.tz_offset[i] == -5 ? 0 : w.pop.tz_offset[i] == 0 ? 1 : 2] += 1;
  }
  EXPECT_NEAR(persona_b / kN, 0.75, kZ * BinomialSe(0.75, kN));
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(tz[k] / kN, p.tz_weights[k], kZ * BinomialSe(p.tz_weights[k], kN));
  for (int s = 0; s < 2; ++s) {
    const double q = p.personas[s].opt_in[0];
    EXPECT_NEAR(optin_email[s] / n_seg[s], q, kZ * BinomialSe(q, n_seg[s]) + 1e-12);
  }
}

TEST(Traits, InitialStageMixMatchesShares) {
  ModelParams p;
  p.initial = {0.4, 0.3, 0.2, 0.1, 0};
  World w(p, kN, 1);
  double counts[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < kN; ++i) ++counts[std::min<int>(w.pop.stage[i], 3)];
  const double share[4] = {0.4, 0.3, 0.2, 0.1};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(counts[k] / kN, share[k], kZ * BinomialSe(share[k], kN));
  for (std::size_t i = 0; i < kN; ++i)
    if (w.pop.stage[i] == static_cast<std::uint8_t>(Stage::kConversion)) {
      ASSERT_TRUE(w.pop.alive(i));
      ASSERT_EQ(w.pop.orders[i], 1);
    }
}

TEST(Traits, ChronotypePeaks) {
  const ModelParams p;
  World w(p, kN, 1);
  // Peak hours wrap around midnight, so compare the offset from the
  // chronotype's peak folded into [-12, 12).
  Sample s[3];
  for (std::size_t i = 0; i < kN; ++i) {
    const int c = w.pop.chronotype[i];
    s[c].Add(std::remainder(w.pop.peak_hour[i] - kChronotypePeak[c], 24.0));
  }
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(s[c].Mean(), 0.0, kZ * p.response.peak_sd_hours / std::sqrt(s[c].n));
}

TEST(Activity, ProfileHasMeanOneAndPeaksAtThePeakHour) {
  for (double kappa : {0.3, 1.5, 4.0}) {
    double mean = 0;
    int best = -1;
    double best_v = -1e9;
    for (int h = 0; h < 24; ++h) {
      const double v = ActivityDay(20.0, kappa).LogA(h);
      mean += std::exp(v) / 24;
      if (v > best_v) best_v = v, best = h;
    }
    EXPECT_NEAR(mean, 1.0, 1e-12);
    EXPECT_EQ(best, 20);
  }
}

TEST(Activity, LargeConcentrationStaysFinite) {
  const double v = ActivityDay(8.0, 2000.0).LogA(8);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(std::isfinite(ActivityDay(8.0, 2000.0).LogA(20)));
  EXPECT_GT(v, 0.0);
}

TEST(Traits, DrawsDoNotDependOnThreads) {
  const ModelParams p = TwoPersonas();
  World a(p, 20000, 1, 5, {}, 1), b(p, 20000, 1, 5, {}, 2);
  EXPECT_EQ(a.pop.lambda, b.pop.lambda);
  EXPECT_EQ(a.pop.responsiveness, b.pop.responsiveness);
  EXPECT_EQ(a.pop.stage, b.pop.stage);
  World c(p, 20000, 1, 6, {}, 2);
  EXPECT_NE(a.pop.lambda, c.pop.lambda);
}

}  // namespace
}  // namespace lclab::models

namespace lclab::models {
namespace {
TEST(Population, ResizeFillsAndAccountsEveryColumn) {
  Population p;
  p.Resize(10, 4, 2, 3);
  EXPECT_EQ(p.size(), 10u);
  EXPECT_EQ(p.recent.size(), 40u);
  EXPECT_EQ(p.message_days.size(), 30u);
  ASSERT_EQ(p.campaigns.size(), 2u);
  EXPECT_EQ(p.campaigns[1].entered_day[3], kNever);
  EXPECT_EQ(p.campaigns[1].revenue_at_entry.size(), 10u);
  EXPECT_EQ(p.stage_day[3], kBeforeRun);
  EXPECT_EQ(p.no_purchase[3], 1.0f);
  // 8 one-byte + 13 float + 6 int16 + 5 uint16 columns, 4 int16 recent days, 3 int16 message days;
  // per campaign 9 one-byte + 2 int16 + 2 uint16 + 1 float.
  EXPECT_EQ(p.BytesPerCustomer(), 8u + 13 * 4 + 6 * 2 + 5 * 2 + 4 * 2 + 3 * 2 + 2 * (9 + 2 * 2 + 2 * 2 + 4));
}
}  // namespace
}  // namespace lclab::models
