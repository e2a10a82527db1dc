// Send time: customers' hourly activity, the policies that choose a message's
// hour, and the constraints (quiet hours, delivery window) that move it
// (docs/model.md "Send time").
//
// Hours are integers 0..23. A customer's local hour is (zone hour - zone + tz)
// mod 24 for a sender in UTC offset `zone` and a customer in UTC offset `tz`.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "sim/random.h"

namespace lclab::models {

// How an arm picks each message's local delivery hour.
enum class SendPolicy : std::uint8_t {
  kLocalHour = 0,    // the same local hour for everybody (send_hour)
  kZoneHour,         // the same moment for everybody: send_hour in the sender's zone (send_zone)
  kRandom,           // a uniformly random local hour per message
  kAudienceExplore,  // explore-then-exploit over the arm's audience: random hours for explore_days,
                     // then the local hour with the best open rate so far, +- exploit_band_hours
  kLearned,          // the customer's own recency-weighted engagement hour (fallback: audience's)
  kThompson,         // a draw from the posterior of the customer's best hour (von Mises)
  kOracle,           // the customer's true best allowed hour that day (the regret bound)
};
inline constexpr int kNumSendPolicies = 7;
inline constexpr std::array<const char*, kNumSendPolicies> kSendPolicyNames = {
    "local_hour", "zone_hour", "random", "audience_explore", "learned", "thompson", "oracle"};

inline bool UsesHistory(SendPolicy p) { return p == SendPolicy::kLearned || p == SendPolicy::kThompson; }

// Hours when a campaign may deliver. Quiet hours are local: [quiet_start,
// quiet_end), wrapping past midnight when quiet_start > quiet_end, none when
// equal. The delivery window is in the sender's zone: [window_start,
// window_end), wrapping likewise, all day when equal.
struct SendWindow {
  int zone = 0;  // sender's UTC offset, hours, -12..14
  int quiet_start = 0, quiet_end = 0;
  int window_start = 0, window_end = 0;
};

// True if hour h lies in [start, end) on the 24-hour circle (never when start == end).
inline bool InHourRange(int h, int start, int end) {
  if (start == end) return false;
  return start < end ? (h >= start && h < end) : (h >= start || h < end);
}

// Delivery hour for every wanted local hour of a customer in UTC offset tz:
// the wanted hour if allowed, else the nearest allowed hour (a send inside quiet
// hours or outside the window moves to the nearer edge; on a tie, the later
// one); -1 everywhere if no hour is allowed.
std::array<std::int8_t, 24> DeliveryHours(const SendWindow& w, int tz);

// Hour arithmetic on the 24-hour circle.
inline int WrapHour(int h) { return ((h % 24) + 24) % 24; }
inline int HourDistance(int a, int b) {
  const int d = WrapHour(a - b);
  return d > 12 ? 24 - d : d;
}
inline double HourToAngle(double h) { return h * (2.0 * std::numbers::pi / 24.0); }
// cos and sin of HourToAngle(h) for a whole hour h in [0, 24), from a table.
double HourCos(int h);
double HourSin(int h);
// Nearest integer hour of an angle (radians), 0..23.
inline int AngleToHour(double theta) {
  return WrapHour(static_cast<int>(std::lround(theta * (24.0 / (2.0 * std::numbers::pi)))));
}

// The inverse of A1(kappa) = I1(kappa) / I0(kappa), the mean resultant length of a
// von Mises distribution: the approximation of Best and Fisher (1981), as in
// Fisher (1993) "Statistical analysis of circular data", eq. 4.40. REQUIRES 0 <= r < 1.
double A1Inverse(double r);

// A draw from the von Mises distribution with mean direction mu and
// concentration kappa >= 0 (Best and Fisher 1979, Applied Statistics 28:152).
double SampleVonMises(sim::Stream& rng, double mu, double kappa);

// One customer's activity profile on one day:
//   A(h) = exp(kappa cos(2 pi (h - peak) / 24)) / mean over the 24 hours,
// so A has mean 1 and the open logit gains eta log A(h).
class ActivityDay {
 public:
  ActivityDay(double peak_hour, double kappa);
  double LogA(int h) const { return kappa_ * (cos_offset_[h] - 1.0) - log_mean_; }
  // exp(kappa (cos - 1)) at hour h: proportional to A(h), for sampling in proportion to it.
  double Weight(int h) const { return weight_[h]; }
  // The true best hour: the integer hour of highest activity.
  int BestHour() const { return best_hour_; }
  // The best hour among those `delivery` allows (delivery[h] == h); -1 if none.
  int BestAllowedHour(const std::array<std::int8_t, 24>& delivery) const;

 private:
  // A message's send-time choice reads these several times: computed once, in the constructor.
  double kappa_, log_mean_;
  std::array<double, 24> cos_offset_;  // cos(2 pi (h - peak) / 24)
  std::array<double, 24> weight_;      // exp(kappa (cos_offset - 1))
  int best_hour_;
};

// How long an opened message waited, in whole hours after its delivery hour (docs/model.md "Open
// delay"): for a message delivered at local hour h,
//   P(k) proportional to A((h + k) mod 24) (1 + k / scale)^-shape,   k = 0, 1, ..., kMaxHours - 1,
// the customer's activity when reading times a heavy-tailed loss of attention as the message ages.
class OpenDelay {
 public:
  static constexpr int kMaxHours = 168;  // a week
  OpenDelay(double scale_hours, double shape);  // REQUIRES: both > 0
  // The delay of an open, from u uniform in [0, 1).
  int Sample(const ActivityDay& activity, int hour, double u) const;
  // The same distribution's probabilities (tests and the docs' figures).
  std::array<double, kMaxHours> Probabilities(const ActivityDay& activity, int hour) const;

 private:
  std::vector<double> decay_;  // (1 + k / scale)^-shape; on the heap, to keep the simulator's hot members together
};

// Peak hour of a customer's activity on a day: weekends shift it.
inline double PeakOnDay(double peak_hour, bool weekend, double weekend_shift) {
  return weekend ? peak_hour + weekend_shift : peak_hour;
}

}  // namespace lclab::models
