// `lclab power`: the sample size per arm for a lift, or with --n the minimum
// detectable effect of a given size, printed as a small table.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/power.h"
#include "sim/error.h"

namespace po = boost::program_options;

namespace lclab::experiments {
namespace {

std::string Num(double v, const char* format = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string Thousands(std::int64_t v) {
  const std::string s = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

// Rows padded to each column's widest cell; the first column left-aligned.
void PrintTable(std::ostream& os, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    os << "  ";
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::string pad(width[c] - r[c].size(), ' ');
      os << (c ? "  " + pad + r[c] : r[c] + pad);
    }
    os << "\n";
  }
}

std::vector<double> ParseAllocation(const std::string& text) {
  std::vector<double> weights;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    std::istringstream in(item);
    double w = 0;
    if (!(in >> w) || !(in >> std::ws).eof())
      throw sim::ConfigError("--allocation = " + text +
                             " (expected comma-separated weights, control first, e.g. 50,50)");
    weights.push_back(w);
  }
  return weights;
}

// The inputs as understood, above the table; `given` is the effect or the control's size.
void PrintInputs(const PowerSpec& s, const std::string& given, std::ostream& os) {
  const bool proportion = s.metric == PowerMetric::kProportion;
  os << "  metric      " << (proportion ? "proportion" : "mean") << ", baseline " << Num(s.baseline);
  if (!proportion) {
    os << ", sd " << Num(s.sd);
    if (s.sd_treatment) os << " (treatment " << Num(*s.sd_treatment) << ")";
  }
  os << "\n" << given << "\n  test        two-sided z, alpha " << Num(s.alpha);
  if (s.bonferroni && s.weights.size() > 2)
    os << " / " << s.weights.size() - 1 << " comparisons (Bonferroni) = " << Num(ComparisonAlpha(s)) << " each";
  os << ", power " << Num(s.power) << "\n  allocation  ";
  for (std::size_t k = 0; k < s.weights.size(); ++k) os << (k ? "," : "") << Num(s.weights[k]);
  os << " (control first)\n";
}

void PrintPlan(const PowerSpec& s, const PowerPlan& plan, std::ostream& os) {
  const bool mde = !plan.mde.empty();
  std::vector<std::vector<std::string>> rows{{"arm", "weight", "n_control", "n_treatment", "total"}};
  if (mde) rows[0].insert(rows[0].end(), {"MDE abs", "MDE rel"});
  else rows[0].push_back("power");
  for (std::size_t k = 1; k < plan.n.size(); ++k) {
    rows.push_back({"treatment " + std::to_string(k), Num(s.weights[k]), Thousands(plan.n[0]), Thousands(plan.n[k]),
                    Thousands(plan.n[0] + plan.n[k])});
    if (mde) {
      rows.back().push_back(Num(plan.mde[k - 1], "%+.4g"));
      rows.back().push_back(s.baseline != 0 ? Num(100 * plan.mde[k - 1] / s.baseline, "%+.2f") + "%" : "-");
    } else {
      rows.back().push_back(Num(plan.power[k - 1], "%.4f"));
    }
  }
  os << "\n";
  PrintTable(os, rows);
  os << "  total N = " << Thousands(plan.Total()) << " (control " << Thousands(plan.n[0]);
  for (std::size_t k = 1; k < plan.n.size(); ++k) os << " + " << Thousands(plan.n[k]);
  os << ")\n";
}

int Run(int argc, char** argv) {
  po::options_description opts(
      "lclab power [options]: sample size per arm for --lift, or the minimum detectable effect (MDE) for --n");
  std::string type = "proportion", allocation = "50,50";
  PowerSpec spec;
  double lift = 0, sd_treatment = 0;
  std::int64_t n = 0;
  opts.add_options()("help,h", "show this help")(
      "type", po::value(&type), "the KPI: proportion (default; variance p(1-p)) or mean (needs --sd)")(
      "baseline", po::value(&spec.baseline), "the control's proportion or mean (required)")(
      "sd", po::value(&spec.sd), "per-unit standard deviation of a mean")(
      "sd-treatment", po::value(&sd_treatment), "the treatment arms' standard deviation (default: --sd)")(
      "lift", po::value(&lift), "the effect to detect, relative to --baseline (0.1 = +10%, -0.1 = -10%)")(
      "absolute", "--lift is absolute (0.02 = +2 pp for a proportion)")(
      "alpha", po::value(&spec.alpha), "two-sided significance level (default 0.05)")(
      "power", po::value(&spec.power), "target power of each comparison (default 0.8)")(
      "allocation", po::value(&allocation), "arm weights, control first (default 50,50; e.g. 10,45,45)")(
      "n", po::value(&n), "the control's size: print the MDE of each treatment arm instead of sample sizes")(
      "bonferroni", "split alpha over the (arms - 1) comparisons with the control");
  po::variables_map vm;
  try {
    // No positional arguments: an empty description makes a stray word an error.
    const po::positional_options_description none;
    po::store(po::command_line_parser(argc, argv).options(opts).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw sim::ConfigError(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return sim::kExitOk;
  }
  if (!vm.count("baseline")) throw sim::ConfigError("missing --baseline (expected the control's proportion or mean)");
  if (vm.count("lift") == vm.count("n"))
    throw sim::ConfigError("expected exactly one of --lift (sample size) and --n (minimum detectable effect)");
  if (vm.count("absolute") && !vm.count("lift")) throw sim::ConfigError("--absolute applies to --lift only");
  if (type != "proportion" && type != "mean")
    throw sim::ConfigError("--type = " + type + " (expected proportion or mean)");
  spec.metric = type == "mean" ? PowerMetric::kMean : PowerMetric::kProportion;
  if (spec.metric == PowerMetric::kMean && !vm.count("sd"))
    throw sim::ConfigError("missing --sd (expected the per-unit standard deviation; required for --type mean)");
  if (vm.count("sd-treatment")) spec.sd_treatment = sd_treatment;
  spec.weights = ParseAllocation(allocation);
  spec.bonferroni = vm.count("bonferroni") > 0;
  ValidatePowerSpec(spec);

  if (vm.count("n")) {
    const PowerPlan plan = MinimumDetectableEffect(spec, n);
    std::cout << "lclab power: minimum detectable effect (absolute, and relative to the baseline)\n";
    PrintInputs(spec, "  control n   " + Thousands(n), std::cout);
    PrintPlan(spec, plan, std::cout);
    return sim::kExitOk;
  }
  const double delta = AbsoluteEffect(spec, lift, vm.count("absolute") > 0);
  std::string effect = "  effect      " + Num(delta, "%+.6g") + " absolute";
  if (spec.baseline != 0) effect += " = " + Num(100 * delta / spec.baseline, "%+.6g") + "% relative";
  effect += "; treatment " + Num(spec.baseline + delta);
  const PowerPlan plan = SampleSize(spec, delta);
  std::cout << "lclab power: sample size per arm\n";
  PrintInputs(spec, effect, std::cout);
  PrintPlan(spec, plan, std::cout);
  return sim::kExitOk;
}

}  // namespace

int RunPowerCommand(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const sim::ConfigError& e) {
    throw sim::ConfigError(std::string("lclab power: ") + e.what() + "\n(see 'lclab power --help')");
  }
}

}  // namespace lclab::experiments
