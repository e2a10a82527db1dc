// lclab power [options]: the sample size per arm for a lift, or with --n the
// minimum detectable effect of a given size, printed as a small table.
// lclab power CONFIG --lift X | --mde: the same from a pilot of the config's world, in population.size
// and window days (power_config.cc).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/analysis/power.h"
#include "experiments/cli/commands.h"
#include "experiments/cli/power_config.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/config/error.h"
#include "experiments/report/format.h"

namespace po = boost::program_options;

namespace lclab::experiments {
namespace {

std::string Num(double v, const char* format = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::vector<double> ParseAllocation(const std::string& text) {
  std::vector<double> weights;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    std::istringstream in(item);
    double w = 0;
    if (!(in >> w) || !(in >> std::ws).eof())
      throw ConfigError("--allocation = " + text +
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
  PrintTable(os, rows, "  ", 1);
  os << "  total N = " << Thousands(plan.Total()) << " (control " << Thousands(plan.n[0]);
  for (std::size_t k = 1; k < plan.n.size(); ++k) os << " + " << Thousands(plan.n[k]);
  os << ")\n";
}

// The command line's inputs.
struct PowerRequest {
  std::string type = "proportion", allocation = "50,50";
  PowerSpec spec;
  double lift = 0, sd_treatment = 0;
  std::int64_t n = 0;
  PowerConfigRequest from_config;
  po::variables_map vm;
};

po::options_description Options(PowerRequest& q) {
  po::options_description opts(
      "lclab power [options]: sample size per arm for --lift, or the minimum detectable effect (MDE) for --n\nlclab power CONFIG --lift X | --mde [options]: the same from a pilot of the config's world");
  opts.add_options()("help,h", "show this help")(
      "type", po::value(&q.type), "the KPI: proportion (default; variance p(1-p)) or mean (needs --sd)")(
      "baseline", po::value(&q.spec.baseline), "the control's proportion or mean (required)")(
      "sd", po::value(&q.spec.sd), "per-unit standard deviation of a mean")(
      "sd-treatment", po::value(&q.sd_treatment), "the treatment arms' standard deviation (default: --sd)")(
      "lift", po::value(&q.lift), "the effect to detect, relative to --baseline (0.1 = +10%, -0.1 = -10%)")(
      "absolute", "--lift is absolute (0.02 = +2 pp for a proportion)")(
      "alpha", po::value(&q.spec.alpha), "two-sided significance level (default 0.05)")(
      "power", po::value(&q.spec.power), "target power of each comparison (default 0.8)")(
      "allocation", po::value(&q.allocation), "arm weights, control first (default 50,50; e.g. 10,45,45)")(
      "n", po::value(&q.n), "the control's size: print the MDE of each treatment arm instead of sample sizes")(
      "bonferroni", "split alpha over the (arms - 1) comparisons with the control");
  po::options_description config("with a CONFIG (lclab power CONFIG --lift X | --mde): baseline, spread, arms and "
                                 "alpha come from a pilot of the config's world");
  config.add_options()("mde", "the minimum detectable effect at the config's population.size and window")(
      "pilot-size", po::value(&q.from_config.pilot_size), "customers in the pilot (default: population.size, at most 50,000)")(
      "set", po::value(&q.from_config.sets)->composing(), "override a config key, as in lclab run")(
      "seed", po::value<std::int64_t>(), "random seed of the pilot (overrides simulation.seed)")(
      "threads", po::value(&q.from_config.threads), "worker threads for the pilot (default 1)");
  opts.add(config);
  return opts;
}

// The spec from the options, checked as the command line spells them.
void CompleteSpec(PowerRequest& q) {
  const auto& vm = q.vm;
  if (!vm.count("baseline")) throw ConfigError("missing --baseline (expected the control's proportion or mean)");
  if (vm.count("lift") == vm.count("n"))
    throw ConfigError("expected exactly one of --lift (sample size) and --n (minimum detectable effect)");
  if (vm.count("absolute") && !vm.count("lift")) throw ConfigError("--absolute applies to --lift only");
  if (q.type != "proportion" && q.type != "mean")
    throw ConfigError("--type = " + q.type + " (expected proportion or mean)");
  q.spec.metric = q.type == "mean" ? PowerMetric::kMean : PowerMetric::kProportion;
  if (q.spec.metric == PowerMetric::kMean && !vm.count("sd"))
    throw ConfigError("missing --sd (expected the per-unit standard deviation; required for --type mean)");
  if (q.spec.metric == PowerMetric::kProportion && (vm.count("sd") || vm.count("sd-treatment")))
    throw ConfigError("--sd and --sd-treatment apply to --type mean only");
  if (vm.count("sd-treatment")) q.spec.sd_treatment = q.sd_treatment;
  q.spec.weights = ParseAllocation(q.allocation);
  q.spec.bonferroni = vm.count("bonferroni") > 0;
  ValidatePowerSpec(q.spec);
}

// The config mode's request, checked: the inputs a config supplies are refused on the command line.
PowerConfigRequest& CompleteConfigRequest(PowerRequest& q, const std::string& config) {
  const auto& vm = q.vm;
  for (const char* given : {"baseline", "sd", "sd-treatment", "type", "allocation", "n", "bonferroni"})
    if (vm.count(given))
      throw ConfigError(std::string("--") + given + " with a CONFIG (expected none: the pilot measures the baseline "
                        "and spread, the config has the arms, and alpha is split over its comparisons)");
  if (vm.count("lift") + vm.count("mde") != 1)
    throw ConfigError("expected exactly one of --lift (customers and days) and --mde (minimum detectable effect)");
  if (vm.count("absolute") && !vm.count("lift")) throw ConfigError("--absolute applies to --lift only");
  PowerConfigRequest& r = q.from_config;
  r.config = config;
  if (vm.count("seed")) {
    r.seed = vm["seed"].as<std::int64_t>();
    if (*r.seed < 0) throw ConfigError("--seed = " + std::to_string(*r.seed) + " (expected an integer in [0, 2^53])");
  }
  if (vm.count("pilot-size") && (r.pilot_size < 100 || r.pilot_size > 10000000))
    throw ConfigError("--pilot-size = " + std::to_string(r.pilot_size) + " (expected 100 to 10,000,000 customers)");
  if (r.threads < 1 || r.threads > 1024)
    throw ConfigError("--threads = " + std::to_string(r.threads) + " (expected an integer in [1, 1024])");
  if (vm.count("alpha")) r.alpha = q.spec.alpha;
  r.ask = {vm.count("mde") > 0, q.lift, vm.count("absolute") > 0, q.spec.alpha, q.spec.power};
  return r;
}

int Run(int argc, char** argv) {
  PowerRequest q;
  const po::options_description opts = Options(q);
  std::vector<std::string> positional;
  try {
    po::options_description hidden;
    hidden.add_options()("config", po::value(&positional));
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("config", -1);
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), q.vm);
    po::notify(q.vm);
  } catch (const po::error& e) {
    throw ConfigError(e.what());
  }
  if (q.vm.count("help")) {
    std::cout << opts << "\n";
    return kExitOk;
  }
  if (positional.size() > 1) throw ConfigError("expected at most one CONFIG, got " + std::to_string(positional.size()));
  if (positional.size() == 1) return PowerFromConfig(CompleteConfigRequest(q, positional[0]));
  for (const char* config_only : {"mde", "pilot-size", "set", "seed", "threads"})
    if (q.vm.count(config_only)) throw ConfigError(std::string("--") + config_only + " needs a CONFIG");
  CompleteSpec(q);
  const PowerSpec& spec = q.spec;
  if (q.vm.count("n")) {
    const PowerPlan plan = MinimumDetectableEffect(spec, q.n);
    std::cout << "lclab power: minimum detectable effect (absolute, and relative to the baseline)\n";
    PrintInputs(spec, "  control n   " + Thousands(q.n), std::cout);
    PrintPlan(spec, plan, std::cout);
    return kExitOk;
  }
  const double delta = AbsoluteEffect(spec, q.lift, q.vm.count("absolute") > 0);
  std::string effect = "  effect      " + Num(delta, "%+.6g") + " absolute";
  if (spec.baseline != 0) effect += " = " + Num(100 * delta / spec.baseline, "%+.6g") + "% relative";
  effect += "; treatment " + Num(spec.baseline + delta);
  const PowerPlan plan = SampleSize(spec, delta);
  std::cout << "lclab power: sample size per arm\n";
  PrintInputs(spec, effect, std::cout);
  PrintPlan(spec, plan, std::cout);
  return kExitOk;
}

// A power input as the command line names it.
std::string OptionName(PowerInput input) {
  static const char* const kOptions[] = {"--baseline", "--sd",   "--sd-treatment", "--alpha",
                                         "--power",    "--allocation", "--lift", "--n"};
  return kOptions[static_cast<int>(input)];
}

}  // namespace

int PowerCommand(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const PowerInputError& e) {
    throw ConfigError("lclab power: " + OptionName(e.input) + " = " + e.value + " (expected " + e.expected +
                      ")\n(see 'lclab power --help')");
  } catch (const ConfigError& e) {
    throw ConfigError(std::string("lclab power: ") + e.what() + "\n(see 'lclab power --help')");
  }
}

}  // namespace lclab::experiments
