// Runs an experiment config: generates the population, assigns arms, steps
// the days, and accounts KPIs per arm with lifts against control.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/config.h"
#include "experiments/stats.h"
#include "models/simulator.h"
#include "sim/progress.h"

namespace lclab::experiments {

struct RunOptions {
  int threads = 1;                                      // >= 1
  sim::Progress::Mode progress = sim::Progress::Mode::kAuto;
  const std::atomic<bool>* stop = nullptr;              // when set and true, the run throws sim::Interrupted
};

struct ArmResult {
  std::string name;
  double weight = 0;
  bool holdout = false;
  bool control = false;
  std::int64_t assigned = 0;    // customers hashed to the arm
  std::int64_t entered = 0;     // customers whose trigger fired in the window
  std::int64_t sends = 0, deliveries = 0, opens = 0, clicks = 0, goals = 0, unsubscribes = 0;
  double message_cost = 0;      // sends x channel cost
  double revenue = 0;           // revenue of entered customers after entry
  double discount = 0;          // discounts given to entered customers after entry
};

enum class KpiKind { kProportion, kMean, kRatio };

struct KpiDef {
  const char* name;
  KpiKind kind;
  const char* unit;       // "share", "money", "count", "score"
  bool higher_is_better;
  bool latent;            // uses the latent truth a marketer cannot observe
  const char* population; // who the denominator is
};

// The foundation's KPIs (docs/output-format.md lists them with definitions).
const std::vector<KpiDef>& KpiDefinitions();

struct KpiRow {
  int kpi = 0;             // index into KpiDefinitions()
  int arm = 0;
  Moments moments;
  Estimate estimate;
  bool has_comparison = false;  // false for the control arm, or when undefined
  Comparison vs_control;
};

struct RunResult {
  std::vector<ArmResult> arms;
  std::vector<KpiRow> kpis;            // kpi-major, arm-minor
  std::vector<models::DayTally> daily;  // one per simulated day
  std::size_t customers = 0;
  int days = 0;
  double seconds = 0;                  // wall time of generation + simulation
  std::size_t bytes_per_customer = 0;  // population columns
};

// REQUIRES: cfg from LoadConfig.
RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options);

// Assigns arms to every customer (exposed for tests).
void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads);

// Computes the KPI rows from a finished population (exposed for tests).
std::vector<KpiRow> ComputeKpis(const ExperimentConfig& cfg, const models::Population& pop, int threads);

}  // namespace lclab::experiments
