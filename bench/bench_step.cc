// Google Benchmark suites for the engine and the daily step.
#include <benchmark/benchmark.h>

#include "experiments/config/config.h"
#include "experiments/runner.h"
#include "floor_kernel.h"
#include "models/send_time.h"
#include "models/simulator.h"
#include "sim/random.h"

namespace {
using namespace lclab;

void BM_PhiloxBlock(benchmark::State& state) {
  sim::PhiloxCounter c{0, 1, 2, 3};
  for (auto _ : state) {
    c = sim::Philox4x32_10(c, {7, 9});
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhiloxBlock);

void BM_FloorKernel(benchmark::State& state) {
  std::vector<float> column(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bench::FloorKernel(column, 1, 3));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["customer_days_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FloorKernel)->Arg(100000)->Unit(benchmark::kMillisecond);

// A day's draws for 256 customers: one stream per customer (arg 0, what the floor kernel does) or the
// batch's first blocks (arg 1, sim::FirstBlocks, what the daily step uses). The batch loop is compiled
// for AVX-512 too (sim/simd.h): on a processor with it, arg 1 is about twice arg 0's rate; without it
// they run at about the floor's rate. Inside the branchy per-customer step only the separate batch
// loop stays vectorised, which is why the step fills a batch first.
void BM_DailyDraws(benchmark::State& state) {
  constexpr std::size_t kBatch = 256;
  sim::FirstBlocks<kBatch> blocks;
  std::uint32_t day = 0;
  for (auto _ : state) {
    float sum = 0;
    if (state.range(0) == 1) {
      blocks.Fill(3, 1000, day, 2, kBatch);
      for (std::size_t j = 0; j < kBatch; ++j) sum += blocks.UniformFloat(0, j) + blocks.UniformFloat(3, j);
    } else {
      for (std::size_t j = 0; j < kBatch; ++j) {
        sim::Stream rng(3, static_cast<std::uint32_t>(1000 + j), day, 2);
        const float u0 = rng.UniformFloat();
        rng.UniformFloat(), rng.UniformFloat();
        sum += u0 + rng.UniformFloat();
      }
    }
    benchmark::DoNotOptimize(sum);
    ++day;
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_DailyDraws)->Arg(0)->Arg(1);

// One day of the quickstart model for a population after a 60-day warm-up: customers, threads, and
// event stepping (0, the default) or daily stepping (1, the reference; the same results).
void BM_DailyStep(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const std::string stepping = state.range(2) == 0 ? "event" : "daily";
  const auto cfg = experiments::LoadConfig(std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml",
                                           {"population.size=" + std::to_string(n), "simulation.stepping=" + stepping});
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  experiments::RunOptions ro;
  ro.threads = threads;
  experiments::PreparePopulation(cfg, sim, pop, ro);
  int day = 0;
  for (; day < 60; ++day) sim.StepDay(pop, day, threads);
  for (auto _ : state) {
    if (day >= cfg.clock.total_days()) {
      state.PauseTiming();
      sim.Generate(pop, threads);
      day = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(sim.StepDay(pop, day++, threads));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["customer_days_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DailyStep)->Args({100000, 1, 0})->Args({100000, 2, 0})->Args({100000, 1, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Generate(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  models::ModelParams p;
  models::Simulator sim(p, {}, 1, sim::DayClock{0, 1});
  models::Population pop;
  sim.Allocate(pop, n);
  for (auto _ : state) sim.Generate(pop, 1);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Generate)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

// Send-time kernels, per message: a customer's activity profile for the day with its
// best allowed hour, and a von Mises draw (a session hour or a Thompson sample).
void BM_ActivityBestAllowedHour(benchmark::State& state) {
  lclab::models::SendWindow w;
  w.quiet_start = 22, w.quiet_end = 7;
  const auto delivery = lclab::models::DeliveryHours(w, -5);
  double peak = 0.0;
  for (auto _ : state) {
    const lclab::models::ActivityDay a(peak, 1.5);
    benchmark::DoNotOptimize(a.BestAllowedHour(delivery) + a.LogA(8));
    peak += 0.37;
    if (peak >= 24) peak -= 24;
  }
}
BENCHMARK(BM_ActivityBestAllowedHour);

void BM_SampleVonMises(benchmark::State& state) {
  std::uint32_t k = 0;
  for (auto _ : state) {
    lclab::sim::Stream rng(1, k++, 0, 8);
    benchmark::DoNotOptimize(lclab::models::SampleVonMises(rng, 1.0, static_cast<double>(state.range(0))));
  }
}
BENCHMARK(BM_SampleVonMises)->Arg(1)->Arg(20);

BENCHMARK_MAIN();
