// Fitting speed (docs/fit.md): BG/NBD on 100,000 customers' summaries (target: under a second on one
// core), and the transaction log read into summaries, streamed (a million rows).
#include <benchmark/benchmark.h>
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

// A log of a million rows: 100,000 customers x 10 purchases, read and summarised.
void BM_SummariseLog1M(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / ("lclab_fit_bench_" + std::to_string(getpid()) + ".csv");
  {
    std::ofstream f(path);
    f << "customer,date,amount\n";
    for (int c = 0; c < 100000; ++c)
      for (int k = 0; k < 10; ++k) {  // in date order: months 1 + c % 3, then monthly
        const int month = 1 + c % 3 + k;
        f << c << ",1997-" << (month < 10 ? "0" : "") << month << "-15," << 10 + k << "\n";
      }
  }
  LogOptions o;
  o.calibration_end = "1997-09-30";
  for (auto _ : state) benchmark::DoNotOptimize(SummariseLog(path.string(), o));
  state.SetItemsProcessed(state.iterations() * 1000000);
  std::filesystem::remove(path);
}
BENCHMARK(BM_SummariseLog1M)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
