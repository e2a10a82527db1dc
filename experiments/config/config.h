// Experiment configs: TOML files (docs/config.md) loaded, validated and
// resolved into the value types the model and the runner use. Errors throw
// ConfigError (experiments/config/error.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/campaign.h"
#include "models/kpi.h"
#include "models/params.h"
#include "sim/clock.h"

namespace lclab::experiments {

// A level of a content factor: its effects on the response logits and the
// settings it imposes on the message (unset settings keep the campaign's).
struct LevelConfig {
  std::string name;
  models::Logits effects;
  std::optional<models::Channel> channel;
  std::optional<models::SendPolicy> send_policy;
  std::optional<int> send_hour, every_days, max_sends, min_gap_days;
  std::optional<models::Incentive> incentive;
  std::optional<double> incentive_value;
};

struct FactorConfig {
  std::string name;
  std::vector<LevelConfig> levels;  // >= 2; levels[0] is the reference level of the factorial analysis
};

// A planted two-way interaction between two levels of two different factors.
struct InteractionConfig {
  int factor_a = 0, level_a = 0, factor_b = 0, level_b = 0;
  models::Logits effects;
};

// A segment-specific deviation: added for customers of `persona` in arms with
// the level (or in every variant when factor < 0).
struct SegmentEffectConfig {
  int persona = 0;
  int factor = -1, level = -1;
  models::Logits effects;
};

struct ArmConfig {
  std::string name;                 // unique within the campaign
  double weight = 1.0;              // allocation weight, > 0
  bool holdout = false;             // gets no message
  std::vector<int> levels;          // level index per factor (empty for a holdout)
  models::ArmTreatment treatment;   // resolved: campaign settings, then the levels'
};

struct CampaignConfig {
  std::string name;                 // unique
  std::string salt;                 // assignment salt ("": derived from the seed and the name, so each seed splits anew)
  std::string goal_kpi;             // what the goal conversion is called in reports (e.g. a playbook's KPI)
  int best_by = 0;                  // KPI that picks the best variant (default: the first primary KPI)
  std::string design = "full_factorial";         // full_factorial, fractional or explicit
  int resolution = 0;               // fractional designs: resolution (0: not fractional)
  std::vector<std::string> generators;  // fractional designs: e.g. "C=AB"
  std::vector<FactorConfig> factors;
  std::vector<InteractionConfig> interactions;
  std::vector<SegmentEffectConfig> segment_effects;
  std::vector<ArmConfig> arms;      // a holdout first (if any), then the variants
  int control_arm = 0;              // index into arms
  // Analysis (docs/statistics.md): KPIs by index into models::CampaignKpiDefinitions().
  std::vector<int> primary_kpis;    // decision KPIs (multiple-testing corrections run over them), >= 1
  std::vector<int> guardrail_kpis;  // KPIs that must not get worse
  // Per KPI: how much worse a guardrail may get (the registry's default unless guardrail_margins sets it).
  std::vector<models::GuardrailMargin> guardrail_margins;
  double sequential_customers = 0;  // customers at which the confidence sequence is tightest (0: the pair's entrants)
  bool thompson = false;            // allocation = "thompson": daily Thompson sampling instead of fixed weights
  double min_share = 0;             // thompson: each arm's share is at least this
  int allocation_kpi = 0;           // thompson: the KPI the arms compete on
  models::CampaignPlan plan;        // the model's view, arms filled from `arms`
};

struct ExperimentConfig {
  std::string path;                 // the config file as given
  std::string resolved_toml;        // the whole config after overrides, with every default filled in
  std::uint64_t seed = 1;           // simulation.seed (or --seed)
  std::size_t population_size = 0;  // population.size
  sim::DayClock clock;              // simulation.warmup_days, simulation.days
  models::ModelParams model;
  std::string experiment_name;      // programme.name
  double global_control = 0.0;      // share of customers held out of every campaign, [0, 0.5]
  std::string global_salt;          // assignment salt of the global control group ("": derived from the seed)
  std::uint64_t global_salt_hash = 0;  // the key the global control is assigned by
  double confidence = 0.95;         // confidence level of intervals, (0.5, 1)
  bool sequential = true;           // daily always-valid analysis of every primary KPI
  std::vector<int> programme_primary, programme_guardrail;  // indices into models::ProgrammeKpiDefinitions()
  std::vector<models::GuardrailMargin> programme_margins;   // per programme KPI
  std::vector<CampaignConfig> campaigns;  // >= 1
  models::Programme programme;      // the model's view of every campaign
};

// Loads and validates `path`, applying `overrides` ("key.path=value", values
// in TOML syntax, bare words taken as strings) and then `seed_override` if
// it is set. Throws ConfigError naming the file (or --set), the key path,
// the value and what was expected.
ExperimentConfig LoadConfig(const std::string& path, const std::vector<std::string>& overrides,
                            const std::int64_t* seed_override = nullptr);

// Things a valid config may still get wrong, for `lclab validate` to say: a primary or guardrail KPI
// that needs more days than the window has (churn needs lifecycle.churn_days without a purchase).
std::vector<std::string> ConfigWarnings(const ExperimentConfig& cfg);

// Same, from text (for tests); `name` stands in for the file name in messages.
ExperimentConfig LoadConfigText(const std::string& text, const std::string& name,
                                const std::vector<std::string>& overrides,
                                const std::int64_t* seed_override = nullptr);

// An override from elsewhere than the command line: `spec` as for --set, `origin` what messages name
// instead of "--set" (a study's "study.toml: study.strategies[1] \"promo\" set").
struct NamedOverride {
  std::string spec;
  std::string origin;
};
// LoadConfig and LoadConfigText with named overrides, applied in order.
ExperimentConfig LoadConfigWith(const std::string& path, const std::vector<NamedOverride>& overrides,
                                const std::int64_t* seed_override = nullptr);
ExperimentConfig LoadConfigTextWith(const std::string& text, const std::string& name,
                                    const std::vector<NamedOverride>& overrides,
                                    const std::int64_t* seed_override = nullptr);

}  // namespace lclab::experiments
