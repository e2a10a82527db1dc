#include "experiments/fit/fit_run.h"

#include <charconv>
#include <fstream>

#include "experiments/config/error.h"

namespace lclab::experiments {

bool FitOutcome::Converged() const {
  bool ok = true;
  if (has_log) ok = ok && bgnbd.converged && pareto.converged && gamma_gamma.converged;
  if (has_survival) ok = ok && sbg.converged;
  return ok;
}

std::vector<double> ReadSurvivors(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot be read (expected a survival table)");
  std::vector<double> n;
  std::string line;
  for (int row = 1; std::getline(in, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string value = line.substr(line.find_last_of(",;\t ") == std::string::npos ? 0 : line.find_last_of(",;\t ") + 1);
    double v = 0;
    const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || p != value.data() + value.size()) {
      if (row == 1) continue;  // a header
      throw ConfigError(path + ":" + std::to_string(row) + ": \"" + value + "\" (expected the number of survivors)");
    }
    if (v < 0) throw ConfigError(path + ":" + std::to_string(row) + ": " + value + " (expected survivors >= 0)");
    if (!n.empty() && v > n.back())
      throw ConfigError(path + ":" + std::to_string(row) + ": " + value + " survivors after " +
                        std::to_string(n.back()) + " the period before (expected a cohort that does not grow)");
    n.push_back(v);
  }
  if (n.size() < 3 || n.front() <= 0)
    throw ConfigError(path + ": " + std::to_string(n.size()) + " periods (expected a cohort of at least 1 and 3 or " +
                      "more periods: survivors after 0, 1, 2, ... periods)");
  return n;
}

FitOutcome RunFit(const FitRequest& q) {
  FitOutcome out;
  if (!q.log_path.empty()) {
    out.has_log = true;
    out.log = SummariseLog(q.log_path, q.log);
    int repeat = 0;
    for (const auto& c : out.log.customers) repeat += c.x > 0 && c.mean_value > 0;
    if (repeat == 0)
      throw ConfigError(q.log_path + ": no customer made a repeat purchase in the calibration period (expected " +
                        "repeat buyers: the purchase and spend models are fitted on them)");
    out.bgnbd = FitBgnbd(out.log.customers);
    out.pareto = FitParetoNbd(out.log.customers);
    out.gamma_gamma = FitGammaGamma(out.log.customers);
    out.frequency_spend_correlation = FrequencySpendCorrelation(out.log.customers);
    out.forecast = ForecastBgnbd(out.log, out.bgnbd, q.log.unit_days, q.horizon);
  }
  if (!q.survival_path.empty()) {
    out.has_survival = true;
    out.survivors = ReadSurvivors(q.survival_path);
    out.sbg = FitSbg(out.survivors);
  }
  return out;
}

}  // namespace lclab::experiments
