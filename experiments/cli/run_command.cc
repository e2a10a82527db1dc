// lclab run CONFIG [--seed N] [--threads N] [--out PATH] [--set KEY=VALUE]... [--oracle]
// lclab validate CONFIG [--set KEY=VALUE]... [--print]
#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/config/config.h"
#include "experiments/config/error.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/report/text_summary.h"
#include "experiments/runner.h"
#include "sim/error.h"

namespace po = boost::program_options;

namespace lclab::experiments {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnSignal(int) { g_stop = true; }

// What `run` and `validate` were asked.
struct Request {
  std::string config;
  std::vector<std::string> sets;
  std::int64_t seed = -1;
  int threads = 0;
  std::string out, progress = "auto", summary = "brief";
  po::variables_map vm;
};

po::options_description Options(bool is_run, Request& q) {
  po::options_description opts(is_run ? "lclab run CONFIG [options]" : "lclab validate CONFIG [options]");
  opts.add_options()("help,h", "show this help")(
      "set", po::value(&q.sets)->composing(),
      "override a config key, e.g. --set population.size=200000 (repeatable; TOML values, bare words are strings)");
  if (!is_run) {
    opts.add_options()("print", "print the resolved config (every key, defaults filled in)");
    return opts;
  }
  opts.add_options()("seed", po::value(&q.seed), "random seed (overrides simulation.seed), >= 0")(
      "threads", po::value(&q.threads), "worker threads, >= 1 (default: all cores); results do not depend on it")(
      "out", po::value(&q.out), "output HDF5 file (default: results/<config name>.h5)")(
      "progress", po::value(&q.progress), "progress line on stderr: auto (when a terminal), always, never")(
      "summary", po::value(&q.summary), "summary tables: brief (headline KPIs) or full (every KPI)")(
      "quiet,q", "do not print the summary table")(
      "oracle",
      "also replay every customer under every arm (same random draws) and report the true effects and "
      "whether the intervals covered them; costs one more simulation per arm");
  return opts;
}

// Parses the command line; returns false after printing --help.
bool Parse(const std::string& cmd, int argc, char** argv, Request& q) {
  const po::options_description opts = Options(cmd == "run", q);
  po::options_description hidden;
  std::vector<std::string> positional;
  hidden.add_options()("config", po::value(&positional));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("config", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), q.vm);
    po::notify(q.vm);
  } catch (const po::error& e) {
    UsageError(cmd, e.what());
  }
  if (q.vm.count("help")) {
    std::cout << opts << "\n";
    return false;
  }
  if (positional.size() != 1)
    UsageError(cmd, positional.empty() ? "missing CONFIG (expected a path to a TOML config)"
                                       : "expected one CONFIG, got " + std::to_string(positional.size()));
  q.config = positional[0];
  return true;
}

sim::Progress::Mode ProgressMode(const Request& q) {
  if (q.progress == "always") return sim::Progress::Mode::kAlways;
  if (q.progress == "never") return sim::Progress::Mode::kNever;
  if (q.progress != "auto") UsageError("run", "--progress = " + q.progress + " (expected auto, always or never)");
  return sim::Progress::Mode::kAuto;
}

// Checks the options of `run`; returns the progress mode.
sim::Progress::Mode CheckRunOptions(const Request& q) {
  if (q.vm.count("seed") && q.seed < 0)
    UsageError("run", "--seed = " + std::to_string(q.seed) + " (expected an integer >= 0)");
  if (q.vm.count("threads") && (q.threads < 1 || q.threads > 1024))
    UsageError("run", "--threads = " + std::to_string(q.threads) + " (expected an integer in [1, 1024])");
  const sim::Progress::Mode mode = ProgressMode(q);
  if (q.summary != "brief" && q.summary != "full")
    UsageError("run", "--summary = " + q.summary + " (expected brief or full)");
  return mode;
}

std::string DefaultOut(const std::string& config) {
  return (std::filesystem::path("results") / std::filesystem::path(config).stem()).string() + ".h5";
}

// Fails early (before a long run) if the output cannot be created.
void CheckWritable(const std::string& out) {
  const std::filesystem::path p(out);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (ec) throw sim::RuntimeError("cannot create directory " + p.parent_path().string() + ": " + ec.message());
  if (std::filesystem::is_directory(p, ec)) throw ConfigError("--out " + out + ": is a directory (expected a file path)");
  const std::string probe = out + ".tmp.probe";
  {
    std::ofstream f(probe);
    if (!f) throw sim::RuntimeError("cannot write to " + out + " (is the directory writable?)");
  }
  std::filesystem::remove(probe, ec);
}

}  // namespace

void UsageError(const std::string& cmd, const std::string& msg) {
  throw ConfigError("lclab " + cmd + ": " + msg + "\n(see 'lclab " + cmd + " --help')");
}

int ValidateCommand(int argc, char** argv) {
  Request q;
  if (!Parse("validate", argc, argv, q)) return kExitOk;
  const ExperimentConfig cfg = LoadConfig(q.config, q.sets);
  if (q.vm.count("print")) std::cout << cfg.resolved_toml;
  std::size_t arms = 0;
  for (const auto& c : cfg.campaigns) arms += c.arms.size();
  std::cout << "ok: " << q.config << " (" << cfg.campaigns.size() << " campaign" << (cfg.campaigns.size() == 1 ? "" : "s")
            << ", " << arms << " arms, " << cfg.population_size << " customers, " << cfg.clock.total_days()
            << " days)\n";
  return kExitOk;
}

int RunCommand(int argc, char** argv, const std::string& command_line) {
  Request q;
  if (!Parse("run", argc, argv, q)) return kExitOk;
  RunOptions ro;
  ro.progress = CheckRunOptions(q);
  const ExperimentConfig cfg = LoadConfig(q.config, q.sets, q.vm.count("seed") ? &q.seed : nullptr);
  const std::string out = q.out.empty() ? DefaultOut(q.config) : q.out;
  CheckWritable(out);
  ro.threads = q.threads > 0 ? q.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ro.stop = &g_stop;
  ro.oracle = q.vm.count("oracle") > 0;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  const RunResult result = RunExperiment(cfg, ro);
  const RunInfo info{command_line, ro.threads, q.summary == "full"};
  WriteResults(out, cfg, result, info);
  if (!q.vm.count("quiet")) {
    PrintSummary(std::cout, cfg, result, info);
    std::cout << "\nwrote " << out << "\n";
  }
  return kExitOk;
}

}  // namespace lclab::experiments
