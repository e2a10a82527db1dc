// Send-time building blocks against hand-worked values and theory: hour
// ranges, the move out of quiet hours and into the delivery window, the
// activity profile (mean 1, peak at the peak hour, finite for any concentration), and the von Mises sampler (mean direction and mean
// resultant length I1(kappa) / I0(kappa), Mardia and Jupp 2000, section 3.5.4).
#include "models/send_time.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::models {
namespace {

TEST(SendTime, HourRangesWrapPastMidnight) {
  EXPECT_TRUE(InHourRange(23, 22, 7));
  EXPECT_TRUE(InHourRange(0, 22, 7));
  EXPECT_TRUE(InHourRange(6, 22, 7));
  EXPECT_FALSE(InHourRange(7, 22, 7));
  EXPECT_FALSE(InHourRange(21, 22, 7));
  EXPECT_TRUE(InHourRange(9, 9, 17));
  EXPECT_FALSE(InHourRange(17, 9, 17));
  EXPECT_FALSE(InHourRange(5, 5, 5));  // empty
  EXPECT_EQ(HourDistance(23, 1), 2);
  EXPECT_EQ(HourDistance(1, 23), 2);
  EXPECT_EQ(HourDistance(0, 12), 12);
  EXPECT_EQ(AngleToHour(HourToAngle(23.6)), 0);
  EXPECT_EQ(AngleToHour(HourToAngle(-0.6)), 23);
}

TEST(SendTime, QuietHoursMoveASendToTheNearerEdge) {
  SendWindow w;
  w.quiet_start = 22, w.quiet_end = 7;  // allowed: 07..21 local
  const auto d = DeliveryHours(w, 0);
  for (int h = 7; h < 22; ++h) EXPECT_EQ(d[h], h);
  EXPECT_EQ(d[22], 21);
  EXPECT_EQ(d[23], 21);  // 2 h back against 8 h on
  EXPECT_EQ(d[1], 21);   // 4 h back against 6 h on
  EXPECT_EQ(d[2], 7);    // 5 h either way: the later edge
  EXPECT_EQ(d[3], 7);
  EXPECT_EQ(d[6], 7);
  // No quiet hours and no window: every hour as asked.
  const auto all = DeliveryHours(SendWindow{}, 5);
  for (int h = 0; h < 24; ++h) EXPECT_EQ(all[h], h);
}

TEST(SendTime, DeliveryWindowIsInTheSendersZone) {
  SendWindow w;
  w.zone = -5, w.window_start = 9, w.window_end = 17;  // 09-17 in UTC-5
  // A customer in UTC+1 is 6 h ahead: the window is 15..22 local.
  const auto d = DeliveryHours(w, 1);
  for (int h = 15; h < 23; ++h) EXPECT_EQ(d[h], h);
  EXPECT_EQ(d[8], 15);
  EXPECT_EQ(d[23], 22);
  EXPECT_EQ(d[3], 22);   // 5 h back against 12 h on
  // With quiet hours 21-08 local as well, only 15..20 are left.
  w.quiet_start = 21, w.quiet_end = 8;
  const auto q = DeliveryHours(w, 1);
  EXPECT_EQ(q[22], 20);
  EXPECT_EQ(q[10], 15);
  // A window that lies entirely in quiet hours leaves nothing.
  w.window_start = 16, w.window_end = 18;  // 22-24 local in UTC+1
  EXPECT_EQ(DeliveryHours(w, 1)[0], -1);
}

TEST(SendTime, ActivityHasMeanOneAndPeaksAtThePeakHour) {
  const ActivityDay a(8.4, 1.7);
  double mean = 0;
  for (int h = 0; h < 24; ++h) mean += std::exp(a.LogA(h)) / 24.0;
  EXPECT_NEAR(mean, 1.0, 1e-12);
  EXPECT_EQ(a.BestHour(), 8);
  EXPECT_EQ(ActivityDay(23.7, 0.5).BestHour(), 0);
  // Hand value: log A(h) - log A(peak hour) = kappa (cos(2 pi (h - peak) / 24) - cos(2 pi 0.4 / 24)).
  EXPECT_NEAR(a.LogA(14) - a.LogA(8), 1.7 * (std::cos(2 * M_PI * 5.6 / 24) - std::cos(2 * M_PI * 0.4 / 24)), 1e-12);
  std::array<std::int8_t, 24> only_evening;
  only_evening.fill(-1);
  for (int h = 17; h < 22; ++h) only_evening[h] = static_cast<std::int8_t>(h);
  EXPECT_EQ(a.BestAllowedHour(only_evening), 17);
  only_evening.fill(-1);
  EXPECT_EQ(a.BestAllowedHour(only_evening), -1);
}

TEST(SendTime, VonMisesDrawsHaveTheirMeanDirectionAndResultantLength) {
  for (const double kappa : {0.5, 2.0, 30.0}) {
    const double mu = 1.1;
    const int n = 40000;
    double c = 0, s = 0;
    for (int k = 0; k < n; ++k) {
      sim::Stream rng(7, static_cast<std::uint32_t>(k), 0, 99);
      const double t = SampleVonMises(rng, mu, kappa);
      c += std::cos(t - mu), s += std::sin(t - mu);
    }
    c /= n, s /= n;
    // E cos(t - mu) = A1(kappa) = I1 / I0; E sin(t - mu) = 0. Var cos <= 1/2 (1 + A2) - A1^2 <= 1, so
    // 4.5 standard errors of at most 1 / sqrt(n) bound each mean (a chance failure is below 1e-5).
    const double a1 = std::cyl_bessel_i(1.0, kappa) / std::cyl_bessel_i(0.0, kappa);
    const double tol = 4.5 / std::sqrt(static_cast<double>(n));
    EXPECT_NEAR(c, a1, tol) << "kappa " << kappa;
    EXPECT_NEAR(s, 0.0, tol) << "kappa " << kappa;
  }
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

// With a flat day (kappa 0) the delay is the decay alone; probabilities sum to 1 and Sample inverts
// their cumulative sum.
TEST(OpenDelay, FlatDayIsTheDecayAndSampleInvertsTheCdf) {
  const OpenDelay delay(1.4, 1.4);
  const ActivityDay flat(8.0, 0.0);
  const auto p = delay.Probabilities(flat, 8);
  double total = 0.0;
  for (double x : p) total += x;
  EXPECT_NEAR(total, 1.0, 1e-12);
  for (int k = 1; k < OpenDelay::kMaxHours; ++k)
    EXPECT_NEAR(p[k] / p[0], std::pow(1.0 + k / 1.4, -1.4), 1e-12) << k;
  double cdf = 0.0;
  for (int k = 0; k < 48; ++k) {
    EXPECT_EQ(delay.Sample(flat, 8, cdf + 0.5 * p[k]), k);
    cdf += p[k];
  }
  EXPECT_EQ(delay.Sample(flat, 8, std::nextafter(1.0, 0.0)), OpenDelay::kMaxHours - 1);
}

// A message delivered at the customer's peak is read sooner than one delivered at the trough, whose
// opens wait for the day to come round.
TEST(OpenDelay, DeliveryAtThePeakIsReadSooner) {
  const OpenDelay delay(1.4, 1.4);
  const ActivityDay day(20.0, 2.0);
  const auto at_peak = delay.Probabilities(day, 20), at_trough = delay.Probabilities(day, 8);
  EXPECT_GT(at_peak[0], 2.0 * at_trough[0]);
  int mode = 0;
  for (int k = 0; k < 24; ++k)
    if (at_trough[k] > at_trough[mode]) mode = k;
  EXPECT_GE(mode, 6);  // the trough's opens wait for the evening
}

}  // namespace
}  // namespace lclab::models
