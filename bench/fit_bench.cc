// Fitting speed (docs/fit.md): BG/NBD on 100,000 customers' summaries (target: under a second on one
// core), and the transaction log read into summaries, streamed (a million and ten million rows).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "experiments/fit/fits.h"
#include "experiments/fit/transactions.h"

using namespace lclab::experiments;

namespace {

// n customers of a BG/NBD world (CDNOW's parameters, weeks), first purchases over 12 weeks, observed
// to week 39, their purchase times rounded to days as a log would record them.
std::vector<CustomerSummary> Simulated(std::size_t n) {
  boost::random::mt19937 rng(7);
  boost::random::gamma_distribution<double> lambda(0.243, 1 / 4.414);
  boost::random::beta_distribution<double> dropout(0.793, 2.426);
  boost::random::uniform_int_distribution<int> birth(0, 83);
  std::vector<CustomerSummary> out;
  for (std::size_t i = 0; i < n; ++i) {
    const double rate = lambda(rng), p = dropout(rng);
    const double T = (273 - birth(rng)) / 7.0;
    boost::random::exponential_distribution<double> gap(rate);
    double t = 0, last = 0, x = 0;
    for (;;) {
      t += gap(rng);
      if (t > T) break;
      x += 1, last = std::floor(t * 7) / 7;
      if (boost::random::uniform_01<double>()(rng) < p) break;
    }
    out.push_back({x, last, T, 0});
  }
  return out;
}

void BM_FitBgnbd100k(benchmark::State& state) {
  const std::vector<CustomerSummary> customers = Simulated(100000);
  for (auto _ : state) benchmark::DoNotOptimize(FitBgnbd(customers));
}
BENCHMARK(BM_FitBgnbd100k)->Unit(benchmark::kMillisecond);

// A log of 100,000 customers x `purchases` rows each, in date order (months 1 + c % 3, then monthly).
std::filesystem::path WriteLog(int purchases) {
  const auto path = std::filesystem::temp_directory_path() / ("lclab_fit_bench_" + std::to_string(getpid()) + ".csv");
  std::ofstream f(path);
  f << "customer,date,amount\n";
  for (int k = 0; k < purchases; ++k)  // sorted by date: every customer's k-th purchase, then the next
    for (int c = 0; c < 100000; ++c) {
      const int day = 1 + (c % 3) * 30 + k * 2;  // every other day from January (28-day months)
      const int month = 1 + (day - 1) / 28, dom = 1 + (day - 1) % 28;
      f << c << ",1997-" << (month < 10 ? "0" : "") << month << "-" << (dom < 10 ? "0" : "") << dom << "," << 10 + k
        << "\n";
    }
  return path;
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// The log read into summaries: 10 rows per customer (a million rows), and 100 (ten million). The
// summary is streamed, so the peak memory grows with the customers, not the rows: the counter
// peak_growth_mb is how much the process's peak rose while reading.
void BM_SummariseLog(benchmark::State& state) {
  const int purchases = static_cast<int>(state.range(0));
  const auto path = WriteLog(purchases);
  LogOptions o;
  o.calibration_end = "1997-02-28";  // later rows are read and counted, as a holdout's would be
  const long before = PeakRssKb();
  for (auto _ : state) benchmark::DoNotOptimize(SummariseLog(path.string(), o));
  state.counters["peak_growth_mb"] = static_cast<double>(PeakRssKb() - before) / 1024.0;
  state.counters["rows"] = 100000.0 * purchases;
  state.SetItemsProcessed(state.iterations() * 100000 * purchases);
  std::filesystem::remove(path);
}
BENCHMARK(BM_SummariseLog)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
