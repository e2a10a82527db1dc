// Power and sample size for a treatment-against-control comparison of a KPI
// (docs/statistics.md "Power and sample size"): pure functions; the
// `lclab power` command (experiments/cli/power_command.cc) is built on them.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lclab::experiments {

enum class PowerMetric { kProportion, kMean };

// The KPI in the control, the test and the allocation. Every treatment arm is
// compared with the control (the first weight).
struct PowerSpec {
  PowerMetric metric = PowerMetric::kProportion;
  double baseline = 0;      // the control's proportion or mean
  double sd = 0;                      // means: the control's per-unit standard deviation
  std::optional<double> sd_treatment;  // means: the treatment's; unset means sd
  double alpha = 0.05;      // two-sided, for the whole family under Bonferroni
  double power = 0.8;       // the target power of every comparison
  std::vector<double> weights = {50, 50};  // control first
  bool bonferroni = false;  // split alpha over the (arms - 1) comparisons
};

// Arm sizes (control first) and, per treatment arm, its power at the planned
// effect (sample-size mode) or its minimum detectable absolute effect and the
// power there, the target (MDE mode).
struct PowerPlan {
  std::vector<std::int64_t> n;
  std::vector<double> power;
  std::vector<double> mde;  // empty in sample-size mode
  std::int64_t Total() const;
};

// The inputs of a power calculation, for errors about them.
enum class PowerInput { kBaseline, kSd, kSdTreatment, kAlpha, kPower, kWeights, kLift, kControlSize };
inline constexpr const char* kPowerInputNames[] = {"baseline", "sd",   "sd_treatment", "alpha",
                                                   "power",    "weights", "lift",      "n_control"};

// An input outside its range: which input, its value as text and what was
// expected. what() reads "baseline = 1.5 (expected a proportion in (0, 1))";
// a command line names the input its own way.
class PowerInputError : public std::invalid_argument {
 public:
  PowerInputError(PowerInput input, std::string value, std::string expected);
  PowerInput input;
  std::string value, expected;
};

// Throws PowerInputError.
void ValidatePowerSpec(const PowerSpec& spec);
// The absolute effect of a lift (relative to the baseline unless `absolute`),
// checked: nonzero, and for proportions a treated rate in (0, 1).
double AbsoluteEffect(const PowerSpec& spec, double lift, bool absolute);

// power = 1 - Phi(z_{1-alpha/2} - delta/se) + Phi(z_{alpha/2} - delta/se).
double TwoSidedPower(double delta, double se, double alpha);
// The alpha of each comparison: alpha / (arms - 1) under Bonferroni.
double ComparisonAlpha(const PowerSpec& spec);
// Power of one treatment arm of n_treatment against n_control at absolute effect delta.
double ComparisonPower(const PowerSpec& spec, double delta, double n_treatment, double n_control);
// Arm sizes for a total of `total`: ceil(total w_k / sum w), at least 2 each.
std::vector<std::int64_t> ArmSizes(const std::vector<double>& weights, std::int64_t total);

// The smallest total whose arm sizes give every comparison the target power at
// absolute effect delta. REQUIRES: a valid spec and effect.
PowerPlan SampleSize(const PowerSpec& spec, double delta);
// The smallest absolute effect > 0 that each treatment arm detects with the
// target power when the control has n_control units and the weights size the
// other arms. Throws PowerInputError if no treated rate below 1 gets there.
PowerPlan MinimumDetectableEffect(const PowerSpec& spec, std::int64_t n_control);

}  // namespace lclab::experiments
