#include "experiments/analysis/power.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <sstream>

#include "experiments/analysis/stats.h"

namespace lclab::experiments {
namespace {

// Beyond this many customers a plan is no plan; it also keeps counts exact in doubles.
constexpr double kMaxTotal = 1e12;

std::string Str(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

[[noreturn]] void Bad(PowerInput input, double value, const std::string& expected) {
  throw PowerInputError(input, Str(value), expected);
}

bool IsProportion(const PowerSpec& s) { return s.metric == PowerMetric::kProportion; }

// Per-unit variances: p(1 - p) at the control's and at the treated rate for a
// proportion, the given standard deviations for a mean.
double ControlVariance(const PowerSpec& s) { return IsProportion(s) ? s.baseline * (1 - s.baseline) : s.sd * s.sd; }

double TreatmentVariance(const PowerSpec& s, double delta) {
  if (IsProportion(s)) return (s.baseline + delta) * (1 - s.baseline - delta);
  const double sd = s.sd_treatment.value_or(s.sd);
  return sd * sd;
}

// ceil(x), except that a product like 3839 * 50 / 50 a few ulps above an
// integer stays that integer; at least 2, the fewest for a variance.
std::int64_t Count(double x) {
  return std::max<std::int64_t>(2, static_cast<std::int64_t>(std::ceil(x * (1 - 8 * DBL_EPSILON))));
}

// The smallest delta > 0 with the target power, by bisection: power grows with
// delta, also for proportions, where delta^2 / Var grows although var_T moves.
double SmallestEffect(const PowerSpec& s, double n_treatment, double n_control) {
  auto reaches = [&](double d) { return ComparisonPower(s, d, n_treatment, n_control) >= s.power; };
  double lo = 0, hi = 0;
  if (IsProportion(s)) {
    hi = 1 - s.baseline;  // the treated rate's bound, where var_T = 0
    if (!reaches(hi))
      Bad(PowerInput::kControlSize, n_control,
          "a control size at which a treated rate below 1 reaches power " + Str(s.power) + "; try a larger one");
  } else {
    hi = std::sqrt(ControlVariance(s) / n_control + TreatmentVariance(s, 0) / n_treatment);
    while (!reaches(hi)) hi *= 2;
  }
  while (hi - lo > 1e-12 * hi) {
    const double mid = (lo + hi) / 2;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

}  // namespace

PowerInputError::PowerInputError(PowerInput in, std::string v, std::string e)
    : std::invalid_argument(std::string(kPowerInputNames[static_cast<int>(in)]) + " = " + v + " (expected " + e + ")"),
      input(in),
      value(std::move(v)),
      expected(std::move(e)) {}

std::int64_t PowerPlan::Total() const { return std::accumulate(n.begin(), n.end(), std::int64_t{0}); }

void ValidatePowerSpec(const PowerSpec& s) {
  if (IsProportion(s)) {
    if (!(s.baseline > 0 && s.baseline < 1)) Bad(PowerInput::kBaseline, s.baseline, "a proportion in (0, 1)");
    if (s.sd != 0) Bad(PowerInput::kSd, s.sd, "no standard deviation for a proportion (its variance is p(1 - p))");
    if (s.sd_treatment) Bad(PowerInput::kSdTreatment, *s.sd_treatment, "no standard deviation for a proportion");
  } else {
    if (!std::isfinite(s.baseline)) Bad(PowerInput::kBaseline, s.baseline, "a finite mean");
    if (!(s.sd > 0 && std::isfinite(s.sd))) Bad(PowerInput::kSd, s.sd, "a standard deviation > 0; required for a mean");
    if (s.sd_treatment && !(*s.sd_treatment > 0 && std::isfinite(*s.sd_treatment)))
      Bad(PowerInput::kSdTreatment, *s.sd_treatment, "a standard deviation > 0");
  }
  if (!(s.alpha > 0 && s.alpha < 1)) Bad(PowerInput::kAlpha, s.alpha, "a number in (0, 1)");
  // At no effect at all a test rejects with probability alpha: a target power
  // at or below it is met by any sample, however small.
  if (!(s.power > s.alpha && s.power < 1))
    Bad(PowerInput::kPower, s.power, "a number in (alpha, 1) = (" + Str(s.alpha) + ", 1)");
  const bool positive =
      std::all_of(s.weights.begin(), s.weights.end(), [](double w) { return w > 0 && std::isfinite(w); });
  if (s.weights.size() < 2 || !positive) {
    std::string list;
    for (double w : s.weights) list += (list.empty() ? "" : ",") + Str(w);
    throw PowerInputError(PowerInput::kWeights, list, "two or more weights > 0, control first, e.g. 50,50");
  }
}

double AbsoluteEffect(const PowerSpec& s, double lift, bool absolute) {
  if (!(lift != 0 && std::isfinite(lift))) Bad(PowerInput::kLift, lift, "a nonzero number");
  if (!absolute && s.baseline == 0)
    Bad(PowerInput::kLift, lift, "an absolute lift: a relative lift of a zero baseline is undefined");
  const double delta = absolute ? lift : s.baseline * lift;
  const double treated = s.baseline + delta;
  if (IsProportion(s) && !(treated > 0 && treated < 1))
    Bad(PowerInput::kLift, lift, "a lift that keeps the treated rate in (0, 1), not " + Str(treated));
  return delta;
}

// The textbook form 1 - Phi(z - x) + Phi(-z - x), with Phi(x - z) for
// 1 - Phi(z - x) so that powers near 1 keep their digits.
double TwoSidedPower(double delta, double se, double alpha) {
  const double z = NormalQuantile(1 - alpha / 2), x = delta / se;
  return NormalCdf(x - z) + NormalCdf(-z - x);
}

double ComparisonAlpha(const PowerSpec& s) {
  return s.bonferroni ? s.alpha / static_cast<double>(s.weights.size() - 1) : s.alpha;
}

double ComparisonPower(const PowerSpec& s, double delta, double n_treatment, double n_control) {
  const double se = std::sqrt(TreatmentVariance(s, delta) / n_treatment + ControlVariance(s) / n_control);
  return TwoSidedPower(delta, se, ComparisonAlpha(s));
}

std::vector<std::int64_t> ArmSizes(const std::vector<double>& weights, std::int64_t total) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::int64_t> n;
  for (double w : weights) n.push_back(Count(static_cast<double>(total) * w / sum));
  return n;
}

PowerPlan SampleSize(const PowerSpec& s, double delta) {
  const double z = NormalQuantile(1 - ComparisonAlpha(s) / 2) + NormalQuantile(s.power);
  const double sum = std::accumulate(s.weights.begin(), s.weights.end(), 0.0);
  // Closed form per comparison: delta / se = z with n_k = N w_k / sum(w). It
  // ignores the far tail, so it reaches the target; the exact power can only
  // lower the total.
  double closed = 0;
  for (std::size_t k = 1; k < s.weights.size(); ++k)
    closed = std::max(closed, z * z / (delta * delta) *
                                  (TreatmentVariance(s, delta) * sum / s.weights[k] +
                                   ControlVariance(s) * sum / s.weights[0]));
  if (closed > kMaxTotal)
    throw PowerInputError(PowerInput::kLift, Str(delta) + " (absolute)",
                          "an effect that needs at most 1e12 customers; this one needs more");
  auto reaches = [&](std::int64_t total) {
    const std::vector<std::int64_t> n = ArmSizes(s.weights, total);
    for (std::size_t k = 1; k < n.size(); ++k)
      if (ComparisonPower(s, delta, n[k], n[0]) < s.power) return false;
    return true;
  };
  std::int64_t lo = 0, hi = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(closed)));
  while (!reaches(hi)) ++hi;  // rounding in the closed form
  while (hi - lo > 1) {  // sizes, hence power, never fall as the total grows
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  PowerPlan plan{ArmSizes(s.weights, hi), {}, {}};
  for (std::size_t k = 1; k < plan.n.size(); ++k) plan.power.push_back(ComparisonPower(s, delta, plan.n[k], plan.n[0]));
  return plan;
}

PowerPlan MinimumDetectableEffect(const PowerSpec& s, std::int64_t n_control) {
  if (n_control < 2) Bad(PowerInput::kControlSize, static_cast<double>(n_control), "an integer >= 2");
  if (n_control > kMaxTotal) Bad(PowerInput::kControlSize, static_cast<double>(n_control), "an integer <= 1e12");
  PowerPlan plan{{n_control}, {}, {}};
  for (std::size_t k = 1; k < s.weights.size(); ++k) {
    plan.n.push_back(Count(static_cast<double>(n_control) * s.weights[k] / s.weights[0]));
    plan.mde.push_back(SmallestEffect(s, plan.n[k], n_control));
    plan.power.push_back(ComparisonPower(s, plan.mde.back(), plan.n[k], n_control));
  }
  return plan;
}

}  // namespace lclab::experiments
