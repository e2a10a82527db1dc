// lclab run CONFIG [--seed N] [--threads N] [--out PATH] [--set KEY=VALUE]... [--oracle]
// lclab validate CONFIG [--set KEY=VALUE]... [--print]
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/signals.h"
#include "experiments/config/config.h"
#include "experiments/config/error.h"
#include "experiments/report/format.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/report/html_report.h"
#include "experiments/report/text_summary.h"
#include "experiments/runner.h"
#include "sim/error.h"
#include "sim/mpi.h"
#include "sim/system.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lclab::experiments {
namespace {

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
      "override a config key, e.g. --set population.size=200000 (repeatable; TOML values, bare words are strings)")(
      "ignore-memory", "run even if the memory the run needs exceeds the memory available");
  if (!is_run) {
    opts.add_options()("print", "print the resolved config (every key, defaults filled in) on stdout");
    return opts;
  }
  opts.add_options()("seed", po::value(&q.seed), "random seed (overrides simulation.seed), 0 .. 2^53")(
      "threads", po::value(&q.threads), "worker threads, >= 1 (default: all cores); results do not depend on it")(
      "out", po::value(&q.out), "output HDF5 file (default: results/<config name>.h5); an existing file is replaced")(
      "progress", po::value(&q.progress), "progress line on stderr: auto (when a terminal), always, never")(
      "summary", po::value(&q.summary), "summary tables: brief (headline KPIs) or full (every KPI)")(
      "quiet,q", "do not print the summary table")(
      "report", "also write the HTML report beside the output (<out>.html; docs/report.md)")(
      "oracle",
      "also replay every customer under every arm (same random draws) and report the true effects and "
      "whether the intervals covered them; costs about one more simulation per arm, and a second population in memory");
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
    UsageError("run", "--seed = " + std::to_string(q.seed) + " (expected an integer in [0, 9007199254740992])");
  if (q.vm.count("threads") && (q.threads < 1 || q.threads > 1024))
    UsageError("run", "--threads = " + std::to_string(q.threads) + " (expected an integer in [1, 1024])");
  if (q.vm.count("out") && q.out.empty()) UsageError("run", "--out = '' (expected a path for the HDF5 output)");
  const sim::Progress::Mode mode = ProgressMode(q);
  if (q.summary != "brief" && q.summary != "full")
    UsageError("run", "--summary = " + q.summary + " (expected brief or full)");
  return mode;
}

std::string DefaultOut(const std::string& config) {
  return (fs::path("results") / fs::path(config).stem()).string() + ".h5";
}

// Checks, before a long run, that the output can be written: a path to a regular file or to nothing
// yet, not the config itself, in a directory that exists (or is created) and can be written.
// Returns true if a file is there already (it will be replaced).
bool CheckOutput(const std::string& out, const std::string& config) {
  const fs::path p(out);
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (fs::exists(st)) {
    if (fs::is_directory(st)) throw ConfigError("--out " + out + ": is a directory (expected a file path)");
    if (!fs::is_regular_file(st))
      throw ConfigError("--out " + out + ": is not a regular file (a device, a FIFO or a socket; expected a path for an "
                        "HDF5 file, which lclab writes to a temporary file and renames into place)");
    if (fs::equivalent(p, config, ec))
      throw ConfigError("--out " + out + ": is the config file itself (expected another path for the output)");
  }
  std::error_code dir_ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), dir_ec);
  if (dir_ec) throw sim::RuntimeError("cannot create directory " + p.parent_path().string() + ": " + dir_ec.message());
  const std::string probe = out + ".tmp.probe";
  {
    std::ofstream f(probe);
    if (!f) throw sim::RuntimeError("cannot write to " + out + " (is the directory writable?)");
  }
  fs::remove(probe, ec);
  return fs::exists(st);
}

std::string GiB(double bytes) { return Fixed(bytes / (1024.0 * 1024 * 1024), 1) + " GiB"; }

// The memory estimate, checked against what is available unless --ignore-memory. Returns it as text.
// Under mpirun a process holds its slice of the population: the estimate is per process.
std::string CheckMemory(const ExperimentConfig& cfg, const Request& q) {
  std::size_t per_customer = 0;
  const int ranks = sim::mpi::Size();
  const bool oracle = q.vm.count("oracle") > 0;
  const double need = EstimateRunBytes(cfg, &per_customer, oracle) / ranks;
  const std::string estimate = "about " + GiB(need) + (ranks > 1 ? " per process" : "") + " (" +
                               std::to_string(per_customer) + " bytes per customer x " +
                               Thousands(static_cast<std::int64_t>(cfg.population_size / static_cast<std::size_t>(ranks))) +
                               " customers" + (oracle ? ", twice for the oracle's replays" : "") + ", and tallies)";
  const double available = sim::AvailableBytes();
  if (!q.vm.count("ignore-memory") && available > 0 && need > available)
    throw ConfigError(cfg.path + ": population.size = " + std::to_string(cfg.population_size) + " needs " + estimate +
                      ", but " + GiB(available) +
                      " is available (expected a population that fits; --ignore-memory runs it anyway)");
  return estimate;
}

}  // namespace

void UsageError(const std::string& cmd, const std::string& msg) {
  throw ConfigError("lclab " + cmd + ": " + msg + "\n(see 'lclab " + cmd + " --help')");
}

int ValidateCommand(int argc, char** argv) {
  Request q;
  if (!Parse("validate", argc, argv, q)) return kExitOk;
  const ExperimentConfig cfg = LoadConfig(q.config, q.sets);
  const std::string memory = CheckMemory(cfg, q);
  if (sim::mpi::Rank() > 0) return kExitOk;  // under mpirun, rank 0 speaks
  if (q.vm.count("print")) std::cout << cfg.resolved_toml;
  std::size_t arms = 0;
  for (const auto& c : cfg.campaigns) arms += c.arms.size();
  std::cerr << "ok: " << q.config << " (" << cfg.campaigns.size() << " campaign" << (cfg.campaigns.size() == 1 ? "" : "s")
            << ", " << arms << " arms, " << cfg.population_size << " customers, " << cfg.clock.total_days()
            << " days; memory " << memory << ")\n";
  for (const std::string& w : ConfigWarnings(cfg)) std::cerr << "warning: " << w << "\n";
  return kExitOk;
}

int RunCommand(int argc, char** argv, const std::string& command_line) {
  const sim::StopFlag* stop = CatchSignals();
  Request q;
  if (!Parse("run", argc, argv, q)) return kExitOk;
  RunOptions ro;
  ro.progress = CheckRunOptions(q);
  const ExperimentConfig cfg = LoadConfig(q.config, q.sets, q.vm.count("seed") ? &q.seed : nullptr);
  const std::string out = q.out.empty() ? DefaultOut(q.config) : q.out;
  CheckMemory(cfg, q);
  // Under mpirun every rank simulates its slice of the population and rank 0 writes (docs/cluster.md).
  const bool writer = sim::mpi::Rank() == 0;
  const bool replacing = writer && CheckOutput(out, q.config);
  ro.threads = q.threads > 0 ? q.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ro.stop = stop;
  ro.oracle = q.vm.count("oracle") > 0;
  ro.distributed = sim::mpi::Size() > 1;
  if (!writer) ro.progress = sim::Progress::Mode::kNever;
  const RunResult result = RunExperiment(cfg, ro);
  if (!writer) return kExitOk;
  const RunInfo info{command_line, ro.threads, q.summary == "full"};
  WriteResults(out, cfg, result, info, stop);
  const std::string report = std::filesystem::path(out).replace_extension(".html").string();
  if (q.vm.count("report")) WriteHtmlReport(out, report, stop);
  // Complete from here: a signal now does not undo the output.
  if (!q.vm.count("quiet")) {
    PrintSummary(std::cout, cfg, result, info);
    std::cout << "\n" << (replacing ? "replaced " : "wrote ") << out << "\n";
    if (q.vm.count("report")) std::cout << "report " << report << "\n";
  }
  return kExitOk;
}

}  // namespace lclab::experiments
