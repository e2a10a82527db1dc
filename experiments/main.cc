// lclab: the command-line interface.
//   lclab run CONFIG [--seed N] [--threads N] [--out PATH] [--set KEY=VALUE]... [--oracle]
//   lclab validate CONFIG [--set KEY=VALUE]... [--print]
// Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage, 130 interrupted.
#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "experiments/config.h"
#include "experiments/output.h"
#include "experiments/power.h"
#include "experiments/runner.h"
#include "lclab/version.h"
#include "sim/error.h"

namespace po = boost::program_options;
using namespace lclab;

namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnSignal(int) { g_stop = true; }

const char* kUsage =
    "lclab: customer-lifecycle simulation and experimentation lab\n"
    "\n"
    "usage:\n"
    "  lclab run CONFIG [options]       run an experiment config; write HDF5 and print a summary\n"
    "  lclab validate CONFIG [options]  check a config without running it\n"
    "  lclab power [options]            sample size per arm, or the minimum detectable effect\n"
    "  lclab --help | --version\n"
    "\n"
    "'lclab run --help', 'lclab validate --help' and 'lclab power --help' list their options.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage, 130 interrupted.\n";

[[noreturn]] void UsageError(const std::string& cmd, const std::string& msg) {
  throw sim::ConfigError("lclab " + cmd + ": " + msg + "\n(see 'lclab " + cmd + " --help')");
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
  if (std::filesystem::is_directory(p, ec)) throw sim::ConfigError("--out " + out + ": is a directory (expected a file path)");
  const std::string probe = out + ".tmp.probe";
  { std::ofstream f(probe); if (!f) throw sim::RuntimeError("cannot write to " + out + " (is the directory writable?)"); }
  std::filesystem::remove(probe, ec);
}

int Run(const std::string& cmd, int argc, char** argv, const std::string& command_line) {
  const bool is_run = cmd == "run";
  po::options_description opts(is_run ? "lclab run CONFIG [options]" : "lclab validate CONFIG [options]");
  std::vector<std::string> sets;
  std::int64_t seed = -1;
  int threads = 0;
  std::string out, progress = "auto", summary = "brief";
  opts.add_options()("help,h", "show this help")(
      "set", po::value(&sets)->composing(),
      "override a config key, e.g. --set population.size=200000 (repeatable; TOML values, bare words are strings)");
  if (is_run) {
    opts.add_options()("seed", po::value(&seed), "random seed (overrides simulation.seed), >= 0")(
        "threads", po::value(&threads),
        "worker threads, >= 1 (default: all cores); results do not depend on it")(
        "out", po::value(&out), "output HDF5 file (default: results/<config name>.h5)")(
        "progress", po::value(&progress), "progress line on stderr: auto (when a terminal), always, never")(
        "summary", po::value(&summary), "summary tables: brief (headline KPIs) or full (every KPI)")(
        "quiet,q", "do not print the summary table")(
        "oracle",
        "also replay every customer under every arm (same random draws) and report the true effects and "
        "whether the intervals covered them; costs one more simulation per arm");
  } else {
    opts.add_options()("print", "print the resolved config (every key, defaults filled in)");
  }
  po::options_description hidden;
  std::vector<std::string> positional;
  hidden.add_options()("config", po::value(&positional));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("config", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    UsageError(cmd, e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return sim::kExitOk;
  }
  if (positional.size() != 1)
    UsageError(cmd, positional.empty() ? "missing CONFIG (expected a path to a TOML config)"
                                       : "expected one CONFIG, got " + std::to_string(positional.size()));
  const std::string& config_path = positional[0];
  if (is_run && vm.count("seed") && seed < 0)
    UsageError(cmd, "--seed = " + std::to_string(seed) + " (expected an integer >= 0)");
  if (is_run && vm.count("threads") && (threads < 1 || threads > 1024))
    UsageError(cmd, "--threads = " + std::to_string(threads) + " (expected an integer in [1, 1024])");
  sim::Progress::Mode mode = sim::Progress::Mode::kAuto;
  if (progress == "always") mode = sim::Progress::Mode::kAlways;
  else if (progress == "never") mode = sim::Progress::Mode::kNever;
  else if (progress != "auto") UsageError(cmd, "--progress = " + progress + " (expected auto, always or never)");

  if (summary != "brief" && summary != "full")
    UsageError(cmd, "--summary = " + summary + " (expected brief or full)");
  const std::int64_t* seed_ptr = (is_run && vm.count("seed")) ? &seed : nullptr;
  const experiments::ExperimentConfig cfg = experiments::LoadConfig(config_path, sets, seed_ptr);

  if (!is_run) {
    if (vm.count("print")) std::cout << cfg.resolved_toml;
    std::size_t arms = 0;
    for (const auto& c : cfg.campaigns) arms += c.arms.size();
    std::cout << "ok: " << config_path << " (" << cfg.campaigns.size() << " campaign"
              << (cfg.campaigns.size() == 1 ? "" : "s") << ", " << arms << " arms, " << cfg.population_size
              << " customers, " << cfg.clock.total_days() << " days)\n";
    return sim::kExitOk;
  }

  if (out.empty()) out = DefaultOut(config_path);
  CheckWritable(out);
  experiments::RunOptions ro;
  ro.threads = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  ro.progress = mode;
  ro.stop = &g_stop;
  ro.oracle = vm.count("oracle") > 0;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  const experiments::RunResult result = experiments::RunExperiment(cfg, ro);
  experiments::RunInfo info{command_line, ro.threads, summary == "full"};
  experiments::WriteResults(out, cfg, result, info);
  if (!vm.count("quiet")) {
    experiments::PrintSummary(std::cout, cfg, result, info);
    std::cout << "\nwrote " << out << "\n";
  }
  return sim::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  try {
    if (argc < 2) {
      std::cerr << kUsage;
      return sim::kExitConfig;
    }
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::cout << kUsage;
      return sim::kExitOk;
    }
    if (cmd == "--version" || cmd == "-V") {
      std::cout << "lclab " << kVersion << " (" << kBuildId << ")\n";
      return sim::kExitOk;
    }
    if (cmd == "power") return experiments::RunPowerCommand(argc - 1, argv + 1);
    if (cmd != "run" && cmd != "validate") {
      std::cerr << "lclab: unknown command '" << cmd << "' (expected run, validate or power)\n\n" << kUsage;
      return sim::kExitConfig;
    }
    return Run(cmd, argc - 1, argv + 1, command_line);
  } catch (const sim::ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return sim::kExitConfig;
  } catch (const sim::Interrupted&) {
    std::cerr << "\nlclab: interrupted; no output written\n";
    return sim::kExitInterrupted;
  } catch (const std::bad_alloc&) {
    std::cerr << "lclab: out of memory (try a smaller population.size)\n";
    return sim::kExitRuntime;
  } catch (const std::exception& e) {
    std::cerr << "lclab: " << e.what() << "\n";
    return sim::kExitRuntime;
  }
}
