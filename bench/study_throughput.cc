// A study of many small runs against one big run of the same customer-days:
// by default 200 runs of 20,000 customers x 180 days (the quickstart's model,
// one replication each) against one run of 4,000,000 customers x 180 days,
// on the same number of threads. Prints both rates, their ratio (the study's
// overhead per run: config, population set-up, calibration, analysis,
// journal) and the study's peak memory.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "experiments/config/error.h"
#include "experiments/runner.h"
#include "experiments/study/study_runner.h"

namespace po = boost::program_options;
using namespace lclab;
using namespace lclab::experiments;

namespace {
double PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}
double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

int main(int argc, char** argv) {
  int runs = 200, days = 180, warmup = 30, jobs = 1;
  std::size_t customers = 20000;
  po::options_description opts("lclab_study_throughput [options]");
  opts.add_options()("help,h", "show this help")("runs", po::value(&runs), "runs in the study")(
      "customers", po::value(&customers), "customers per study run")(
      "days", po::value(&days), "simulated days (warm-up included)")("warmup", po::value(&warmup), "warm-up days")(
      "jobs", po::value(&jobs), "study jobs; the big run gets as many threads");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "lclab_study_throughput: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  const std::string quickstart = std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml";
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("lclab_study_throughput_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  try {
    const std::string study_path = (dir / "study.toml").string();
    std::ofstream(study_path) << "[study]\nname = \"throughput\"\nbase = \"" << quickstart << "\"\nreplications = "
                              << runs << "\nset = { \"population.size\" = " << customers
                              << ", \"simulation.days\" = " << days - warmup
                              << ", \"simulation.warmup_days\" = " << warmup << " }\n";
    const double rss_before = PeakRssBytes();
    const StudyConfig study = LoadStudy(study_path, {});
    const auto t0 = std::chrono::steady_clock::now();
    const StudyPlan plan = PlanStudy(study);
    Journal journal((dir / "out").string(), ManifestFor(study, plan, {}), false);
    StudyOptions so;
    so.jobs = jobs, so.threads = 1, so.progress = sim::Progress::Mode::kNever;
    const std::vector<RunRecord> records = InPlanOrder(plan, RunStudy(study, plan, journal, so));
    const double study_s = Since(t0), study_rss = PeakRssBytes();
    int failed = 0;
    for (const auto& r : records) failed += !r.ok;

    const std::size_t big = customers * static_cast<std::size_t>(runs);
    const ExperimentConfig cfg =
        LoadConfig(quickstart, {"population.size=" + std::to_string(big), "simulation.days=" + std::to_string(days - warmup),
                                "simulation.warmup_days=" + std::to_string(warmup)});
    RunOptions ro;
    ro.threads = jobs, ro.progress = sim::Progress::Mode::kNever;
    const auto t1 = std::chrono::steady_clock::now();
    RunExperiment(cfg, ro);
    const double big_s = Since(t1);

    const double cd = static_cast<double>(big) * days;
    std::printf("lclab study throughput: the quickstart's model, %d jobs\n", jobs);
    std::printf("  study  %d runs x %zu customers x %d days: %8.2f s  %8.2fM customer-days/s (%d failed)\n", runs,
                customers, days, study_s, cd / study_s / 1e6, failed);
    std::printf("  one run of %zu customers x %d days (%d threads): %8.2f s  %8.2fM customer-days/s\n", big, days, jobs,
                big_s, cd / big_s / 1e6);
    std::printf("  ratio  study / one run: %.1f%% (target: at least 80%%)\n", 100.0 * big_s / study_s);
    std::printf("  study peak RSS %.1f MiB (%.1f MiB before it)\n", study_rss / 1048576.0, rss_before / 1048576.0);
  } catch (const ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    std::filesystem::remove_all(dir);
    return 2;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
