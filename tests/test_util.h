// Helpers shared by the tests: a generated population for model tests, a
// run of an experiment config for end-to-end tests, and a run of the lclab
// binary for command-line tests. Tolerances of statistical checks are
// derived from standard errors, never tuned to a printout.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/config/config.h"
#include "experiments/runner.h"
#include "models/simulator.h"

namespace lclab::testing {

// --- model tests ---

struct World {
  models::Population pop;
  models::Simulator sim;
  World(const models::ModelParams& p, std::size_t n, int days, std::uint64_t seed = 11, models::Programme programme = {},
        int threads = 2)
      : sim(p, std::move(programme), seed, sim::DayClock{0, days}) {
    sim.Allocate(pop, n);
    sim.Generate(pop, threads);
  }
};

// Population size of the statistical model tests, and their tolerance in standard errors.
inline constexpr std::size_t kN = 200000;
inline constexpr double kZ = 5.0;

// The standard error of a binomial proportion p over n trials.
inline double BinomialSe(double p, double n) { return std::sqrt(p * (1 - p) / n); }

// The same bits: equal numbers, and NaN equal to NaN (results must match to the bit across threads).
inline bool SameBits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }
inline bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!SameBits(a[i], b[i])) return false;
  return true;
}

// --- experiment tests ---

// Runs a config given as text (named "test.toml" in messages), with --set overrides.
inline experiments::RunResult RunText(const std::string& text, const std::vector<std::string>& sets = {},
                                      int threads = 2, bool oracle = false) {
  const experiments::ExperimentConfig cfg = experiments::LoadConfigText(text, "test.toml", sets);
  experiments::RunOptions ro;
  ro.threads = threads;
  ro.progress = sim::Progress::Mode::kNever;
  ro.oracle = oracle;
  return experiments::RunExperiment(cfg, ro);
}

// The row of a campaign KPI by name and arm index; throws if absent.
inline const experiments::KpiRow& KpiRowOf(const experiments::CampaignResult& c, const std::string& kpi, int arm) {
  const int k = models::FindKpi(models::CampaignKpiDefinitions(), kpi);
  for (const auto& r : c.kpis)
    if (r.kpi == k && r.arm == arm) return r;
  throw std::runtime_error("no kpi " + kpi);
}

// --- command-line tests ---

// A fresh folder for one test's files, removed with it: lclab_<tag>_<pid> under the temporary folder.
struct TempDir {
  std::filesystem::path p;
  explicit TempDir(const std::string& tag)
      : p(std::filesystem::temp_directory_path() / ("lclab_" + tag + "_" + std::to_string(getpid()))) {
    std::filesystem::remove_all(p), std::filesystem::create_directories(p);
  }
  ~TempDir() { std::filesystem::remove_all(p); }
  std::string operator/(const std::string& name) const { return (p / name).string(); }
};

struct Command {
  int code = -1;  // exit code, -1 if killed by a signal
  std::string out, err;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `lclab <args>` through the shell (so `args` may redirect or set the environment with `prefix`).
inline Command RunCommand(const std::string& args, const std::string& prefix = "") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string tag = "lclab_cmd_" + std::to_string(getpid());
  const std::string out = (dir / (tag + ".out")).string(), err = (dir / (tag + ".err")).string();
  const int status =
      std::system((prefix + std::string(LCLAB_BINARY) + " " + args + " >" + out + " 2>" + err).c_str());
  Command r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace lclab::testing
