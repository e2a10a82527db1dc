#include "experiments/runner.h"

#include <chrono>
#include <cmath>

#include "experiments/assignment.h"
#include "experiments/campaign_analysis.h"
#include "experiments/daily_analysis.h"
#include "experiments/oracle.h"
#include "experiments/tally.h"
#include "sim/error.h"
#include "sim/mpi.h"
#include "sim/parallel.h"

namespace lclab::experiments {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Steps every day, with each campaign's daily analysis after each window day.
void StepDays(const ExperimentConfig& cfg, const RunOptions& options, models::Simulator& simulator,
              models::Population& pop, std::vector<DailyAnalysis>& daily, RunResult& result) {
  sim::Progress progress("simulating day", cfg.clock.total_days(), static_cast<double>(cfg.population_size),
                         "customer-days", options.progress);
  result.daily.reserve(cfg.clock.total_days());
  for (int day = 0; day < cfg.clock.total_days(); ++day) {
    sim::ThrowIfStopped(options.stop);
    result.daily.push_back(simulator.StepDay(pop, day, options.threads));
    if (cfg.clock.InWindow(day))
      for (DailyAnalysis& d : daily) d.Update(pop, day, options.threads, simulator);
    progress.Update(day + 1);
  }
}

// The real run: simulate, then analyse every campaign and the programme from the final population.
// Returns the recorded environment for the oracle's replays.
std::vector<models::Environment> Simulate(const ExperimentConfig& cfg, const RunOptions& options, RunResult& result) {
  models::Simulator simulator(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  PreparePopulation(cfg, simulator, pop, options);
  result.bytes_per_customer = pop.BytesPerCustomer();
  for (int ch = 0; ch < models::kNumChannels; ++ch) {
    result.open_intercept[ch] = simulator.intercepts().open[ch];
    result.unsubscribe_intercept[ch] = simulator.intercepts().unsubscribe[ch];
  }
  const int nc = static_cast<int>(cfg.campaigns.size());
  std::vector<DailyAnalysis> daily;
  for (int c = 0; c < nc; ++c) {
    daily.emplace_back(cfg, c, pop);
    if (cfg.campaigns[c].thompson) simulator.SetAllocation(c, daily.back().weights());
  }
  StepDays(cfg, options, simulator, pop, daily, result);

  result.campaigns.resize(nc);
  for (int c = 0; c < nc; ++c) {
    CampaignResult& cr = result.campaigns[c];
    cr.sequential = daily[c].TakeSeries();
    cr.allocation = daily[c].TakeAllocation();
    const CampaignTally tally = TallyCampaign(cfg, pop, c, cfg.clock.window_end() - 1, options.threads, {},
                                              cfg.campaigns[c].thompson ? &cr.allocation.weights : nullptr);
    AnalyseCampaign(cfg, c, tally, {&result.daily, simulator.cell_offset(c), &simulator.intercepts()}, cr);
  }
  AnalyseProgramme(cfg, TallyProgramme(cfg, pop, options.threads), pop.total, result);
  return simulator.environment();
}

}  // namespace

void PreparePopulation(const ExperimentConfig& cfg, models::Simulator& sim, models::Population& pop,
                       const RunOptions& options) {
  if (options.distributed)
    sim.AllocateSlice(pop, sim::SliceOf(cfg.population_size, models::kShardSize, sim::mpi::Rank(), sim::mpi::Size()),
                      options.threads);
  else
    sim.Allocate(pop, cfg.population_size, options.threads);
  AssignArms(cfg, pop, options.threads);
  if (options.after_assignment) options.after_assignment(pop);
  sim.Generate(pop, options.threads);
}

double EstimateRunBytes(const ExperimentConfig& cfg, std::size_t* bytes_per_customer, bool oracle) {
  const models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population empty;
  sim.Allocate(empty, 0);
  const std::size_t per_customer = empty.BytesPerCustomer();
  if (bytes_per_customer) *bytes_per_customer = per_customer;
  const double n = static_cast<double>(cfg.population_size);
  const double shards = std::ceil(n / static_cast<double>(models::kShardSize));
  const double cells = sim.num_cells();
  // A day's tally: two groups, and per cell its counts and 48 hourly counters.
  const double day = 2 * sizeof(models::GroupDay) + cells * (sizeof(models::CellDay) + models::DayTally::kHourBins * 8);
  // The campaign tallies: per shard, four sums per KPI and arm.
  const double tally = shards * cells * static_cast<double>(models::kNumCampaignKpis) * (3 * sizeof(Moments) + 8);
  const double populations = oracle && !cfg.campaigns.empty() ? 2 : 1;
  double looks = 0;  // a byte per customer for each KPI a look that updates its sums looks at
  for (int c = 0; c < static_cast<int>(cfg.campaigns.size()); ++c)
    if (LooksUpdateTheirSums(cfg, c)) looks += static_cast<double>(cfg.campaigns[c].primary_kpis.size());
  return populations * n * static_cast<double>(per_customer) + n * looks + day * (cfg.clock.total_days() + shards) +
         tally;
}

RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunResult result;
  result.customers = cfg.population_size;
  result.days = cfg.clock.total_days();
  // The population is freed before the replays.
  const std::vector<models::Environment> environment = Simulate(cfg, options, result);
  result.seconds = SecondsSince(start);
  if (options.oracle) {
    const auto oracle_start = std::chrono::steady_clock::now();
    ReplayOracle(cfg, options, environment, result);
    result.oracle = true;
    result.oracle_seconds = SecondsSince(oracle_start);
  }
  for (auto& cr : result.campaigns) ComputeRegret(cr);
  return result;
}

}  // namespace lclab::experiments
