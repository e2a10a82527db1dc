// Throughput: the quickstart at 1,000,000 customers x 365 days (by default),
// end to end as `lclab run` does it (simulation, analysis, sequential scan,
// HDF5 output) and the model alone (RunExperiment), beside the floor kernel
// over the same customer-days in the same process; prints the rates, their
// ratios to the floor, and the peak memory per customer.
#include <sys/resource.h>
#include <unistd.h>

#include <benchmark/benchmark.h>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/cli/commands.h"
#include "experiments/config/config.h"
#include "experiments/config/error.h"
#include "experiments/runner.h"
#include "floor_kernel.h"

namespace po = boost::program_options;
using namespace lclab;

namespace {
double PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;  // Linux reports KiB
}

// Seconds `lclab run CONFIG --set ... --quiet` takes in this process: HDF5 output included, the
// summary table not printed. The output goes to a temporary file, removed after.
double TimeRunCommand(const std::string& config, const std::vector<std::string>& sets, int threads) {
  const std::string out =
      (std::filesystem::temp_directory_path() / ("lclab_throughput_" + std::to_string(getpid()) + ".h5")).string();
  std::vector<std::string> args = {"run", config, "--threads", std::to_string(threads), "--out", out,
                                   "--progress", "never", "--quiet"};
  for (const auto& s : sets) args.insert(args.end(), {"--set", s});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  const auto t0 = std::chrono::steady_clock::now();
  const int code = experiments::RunCommand(static_cast<int>(argv.size()), argv.data(), "lclab_throughput");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::remove(out.c_str());
  if (code != 0) throw std::runtime_error("lclab run " + config + " exited " + std::to_string(code));
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  std::size_t customers = 1000000;
  int days = 365, warmup = 60, threads = 1;
  std::string config = std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml";
  std::string compare;
  po::options_description opts("lclab_throughput [options]");
  opts.add_options()("help,h", "show this help")("customers", po::value(&customers), "population size")(
      "days", po::value(&days), "total simulated days (warm-up included)")(
      "warmup", po::value(&warmup), "of which warm-up days")("threads", po::value(&threads), "threads for the model")(
      "config", po::value(&config), "experiment config (default: experiments/quickstart.toml)")(
      "compare", po::value(&compare),
      "a second config run on the same population size and days in the same process (e.g. "
      "experiments/configs/lifecycle_programme.toml, eight campaigns); prints its rate against the first");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "lclab_throughput: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  try {
    const double rss_before = PeakRssBytes();
    const std::vector<std::string> sets = {"population.size=" + std::to_string(customers),
                                           "simulation.days=" + std::to_string(days - warmup),
                                           "simulation.warmup_days=" + std::to_string(warmup)};
    const auto cfg = experiments::LoadConfig(config, sets);
    experiments::RunOptions ro;
    ro.threads = threads;
    ro.progress = sim::Progress::Mode::kNever;
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = experiments::RunExperiment(cfg, ro);
    const double model_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double rss = PeakRssBytes();
    const double end_s = TimeRunCommand(config, sets, threads);

    std::vector<float> column(customers, 0.0f);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(bench::FloorKernel(column, days, 3));
    const double floor_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

    const double cd = static_cast<double>(customers) * days;
    const double model_rate = cd / model_s, floor_rate = cd / floor_s, end_rate = cd / end_s;
    std::printf("lclab throughput: %s, %zu customers x %d days (%d warm-up), model on %d thread(s)\n",
                config.c_str(), customers, days, warmup, threads);
    std::printf("  end to end (lclab run: generate, %d days, analysis, HDF5): %8.2f s  %8.2fM customer-days/s\n", days,
                end_s, end_rate / 1e6);
    std::printf("  model      (generate + %d days + KPIs):                 %8.2f s  %8.2fM customer-days/s\n", days,
                model_s, model_rate / 1e6);
    std::printf("  floor      (2 draws per customer-day, 1 thread):        %8.2f s  %8.2fM customer-days/s\n", floor_s,
                floor_rate / 1e6);
    std::printf("  ratio  end to end / floor: %.1f%%   model / floor: %.1f%%\n", 100.0 * end_rate / floor_rate,
                100.0 * model_rate / floor_rate);
    std::printf("  memory peak RSS %.1f MiB (%.0f bytes per customer; columns %zu bytes per customer; %.1f MiB "
                "before the run)\n",
                rss / 1048576.0, rss / customers, result.bytes_per_customer, rss_before / 1048576.0);
    if (!compare.empty()) {
      const auto cfg2 = experiments::LoadConfig(compare, sets);
      const auto t2 = std::chrono::steady_clock::now();
      const auto result2 = experiments::RunExperiment(cfg2, ro);
      const double s2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
      std::size_t messages = 0;
      for (const auto& d : result2.daily) messages += static_cast<std::size_t>(d.groups[0].messages);
      std::printf("  compare %s: %zu campaigns, %zu messages\n", compare.c_str(), cfg2.campaigns.size(), messages);
      std::printf("  compare model: %8.2f s  %8.2fM customer-days/s = %.2fx the first config's time (%.0f%% of its rate)\n",
                  s2, cd / s2 / 1e6, s2 / model_s, 100.0 * model_s / s2);
      const double end2 = TimeRunCommand(compare, sets, threads);
      std::printf("  compare end to end: %8.2f s = %.2fx the first config's end-to-end time\n", end2, end2 / end_s);
      std::printf("  compare columns: %zu bytes per customer; peak RSS so far %.0f bytes per customer\n",
                  result2.bytes_per_customer, PeakRssBytes() / customers);
    }
    return 0;
  } catch (const experiments::ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "lclab_throughput: " << e.what() << "\n";
    return 1;
  }
}
