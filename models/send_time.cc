#include "models/send_time.h"

#include <algorithm>
#include <cmath>

namespace lclab::models {
namespace {

struct HourCircle {
  std::array<double, 24> cos{}, sin{};
  HourCircle() {
    for (int h = 0; h < 24; ++h) cos[h] = std::cos(HourToAngle(h)), sin[h] = std::sin(HourToAngle(h));
  }
};
const HourCircle& Circle() {
  static const HourCircle c;
  return c;
}

}  // namespace

double HourCos(int h) { return Circle().cos[h]; }
double HourSin(int h) { return Circle().sin[h]; }

std::array<std::int8_t, 24> DeliveryHours(const SendWindow& w, int tz) {
  std::array<bool, 24> allowed{};
  bool any = false;
  for (int h = 0; h < 24; ++h) {
    const int zone_hour = WrapHour(h - tz + w.zone);
    const bool in_window = w.window_start == w.window_end || InHourRange(zone_hour, w.window_start, w.window_end);
    allowed[h] = in_window && !InHourRange(h, w.quiet_start, w.quiet_end);
    any = any || allowed[h];
  }
  std::array<std::int8_t, 24> out;
  out.fill(-1);
  if (!any) return out;
  // The nearest allowed hour (an edge of the allowed hours); on a tie, the later one.
  for (int h = 0; h < 24; ++h)
    for (int k = 0; k <= 12; ++k) {
      if (allowed[WrapHour(h + k)]) {
        out[h] = static_cast<std::int8_t>(WrapHour(h + k));
        break;
      }
      if (allowed[WrapHour(h - k)]) {
        out[h] = static_cast<std::int8_t>(WrapHour(h - k));
        break;
      }
    }
  return out;
}

double A1Inverse(double r) {
  if (r < 0.53) return 2 * r + r * r * r + 5 * std::pow(r, 5) / 6;
  if (r < 0.85) return -0.4 + 1.39 * r + 0.43 / (1 - r);
  return 1 / (r * r * r - 4 * r * r + 3 * r);
}

double SampleVonMises(sim::Stream& rng, double mu, double kappa) {
  constexpr double kPi = std::numbers::pi;
  if (kappa < 1e-6) return mu + kPi * (2.0 * rng.UniformOpen() - 1.0);
  if (kappa > 1e5) {  // wrapped normal with variance 1 / kappa (Box-Muller)
    const double r = std::sqrt(-2.0 * std::log(rng.UniformOpen())), t = 2.0 * kPi * rng.UniformOpen();
    return mu + r * std::cos(t) / std::sqrt(kappa);
  }
  const double tau = 1.0 + std::sqrt(1.0 + 4.0 * kappa * kappa);
  const double rho = (tau - std::sqrt(2.0 * tau)) / (2.0 * kappa);
  const double r = (1.0 + rho * rho) / (2.0 * rho);
  double f = 0;
  for (;;) {
    const double u1 = rng.UniformOpen(), u2 = rng.UniformOpen();
    const double z = std::cos(kPi * u1);
    f = (1.0 + r * z) / (r + z);
    const double c = kappa * (r - f);
    if (c * (2.0 - c) - u2 > 0.0 || std::log(c / u2) + 1.0 - c >= 0.0) break;
  }
  const double theta = std::acos(std::clamp(f, -1.0, 1.0));
  return rng.UniformOpen() < 0.5 ? mu - theta : mu + theta;
}

ActivityDay::ActivityDay(double peak_hour, double kappa) : kappa_(kappa) {
  const auto& c = Circle();
  const double cos_peak = std::cos(HourToAngle(peak_hour)), sin_peak = std::sin(HourToAngle(peak_hour));
  for (int h = 0; h < 24; ++h) cos_offset_[h] = c.cos[h] * cos_peak + c.sin[h] * sin_peak;
  // exp(kappa) is factored out of every term, so a large kappa cannot overflow.
  double mean = 0.0;
  for (int h = 0; h < 24; ++h) mean += weight_[h] = std::exp(kappa_ * (cos_offset_[h] - 1.0));
  log_mean_ = std::log(mean / 24.0);
  best_hour_ = 0;
  for (int h = 1; h < 24; ++h)
    if (cos_offset_[h] > cos_offset_[best_hour_]) best_hour_ = h;
}

int ActivityDay::BestAllowedHour(const std::array<std::int8_t, 24>& delivery) const {
  int best = -1;
  for (int h = 0; h < 24; ++h)
    if (delivery[h] == h && (best < 0 || cos_offset_[h] > cos_offset_[best])) best = h;
  return best;
}

OpenDelay::OpenDelay(double scale_hours, double shape) : decay_(kMaxHours) {
  for (int k = 0; k < kMaxHours; ++k) decay_[k] = std::pow(1.0 + k / scale_hours, -shape);
}

std::array<double, OpenDelay::kMaxHours> OpenDelay::Probabilities(const ActivityDay& activity, int hour) const {
  std::array<double, 24> a{};
  for (int j = 0; j < 24; ++j) a[j] = activity.Weight(WrapHour(hour + j));  // normalised below
  std::array<double, kMaxHours> p{};
  double total = 0.0;
  for (int k = 0; k < kMaxHours; ++k) total += p[k] = a[k % 24] * decay_[k];
  for (double& x : p) x /= total;
  return p;
}

int OpenDelay::Sample(const ActivityDay& activity, int hour, double u) const {
  const std::array<double, kMaxHours> p = Probabilities(activity, hour);
  double left = u;
  for (int k = 0; k < kMaxHours; ++k)
    if ((left -= p[k]) < 0.0) return k;
  return kMaxHours - 1;  // u within rounding of 1
}

}  // namespace lclab::models
