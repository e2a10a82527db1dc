// Loading a config: parse the TOML, apply --set overrides and the seed, read
// every section (sections.h), and keep the resolved config (every key, the
// defaults filled in) as TOML text for the output.
#include "experiments/config/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/config/error.h"
#include "experiments/config/overrides.h"
#include "experiments/config/reader.h"
#include "experiments/config/sections.h"
#include "models/assignment.h"
#include "models/kpi.h"

namespace lclab::experiments {
namespace {

void ReadProgramme(Section& root, ExperimentConfig& cfg) {
  Section pr = root.Table("programme");
  cfg.experiment_name = pr.Str("name", "lifecycle-programme");
  cfg.global_control = pr.Real("global_control", 0.0, Range{0, 0.5});
  cfg.global_salt = pr.Str("salt", "", /*non_empty=*/false);
  cfg.global_salt_hash = models::SaltHash(cfg.global_salt.empty()
                                              ? "seed:" + std::to_string(cfg.seed) + ":global_control:" + cfg.experiment_name
                                              : "global_control:" + cfg.global_salt);
  cfg.confidence = pr.Real("confidence", 0.95, Range{0.5, 1, true, true});
  cfg.sequential = pr.Bool("sequential", true);
  ReadKpiRoles(pr, models::ProgrammeKpiDefinitions(), "net_revenue_per_customer", {"churn_rate", "unsubscribed_rate"},
               cfg.programme_primary, cfg.programme_guardrail);
  cfg.programme_margins = ReadGuardrailMargins(pr, models::ProgrammeKpiDefinitions(), cfg.programme_guardrail);
  cfg.programme.cap_messages = static_cast<int>(pr.Int("cap_messages", 0, Range{0, models::kMaxCap}));
  cfg.programme.cap_days = static_cast<int>(pr.Int("cap_days", 7, Range{1, 365}));
  cfg.programme.start_weekday = pr.Enum("start_weekday", "monday", kWeekdayNames);
  cfg.programme.history_half_life_days = pr.Real("history_half_life_days", 30.0, Range{0, 10000, true, false});
  pr.Finish();
}

void ReadCampaigns(Section& root, ExperimentConfig& cfg) {
  std::set<std::string> names;
  std::vector<Section> campaigns = root.TableArray("campaigns", 0);

  if (campaigns.size() > static_cast<std::size_t>(models::kMaxCampaigns))
    root.Fail("campaigns", "at most " + std::to_string(models::kMaxCampaigns) + " campaigns");
  for (Section& cs : campaigns) ReadCampaign(cs, cfg, names);
  for (const auto& c : cfg.campaigns) cfg.programme.campaigns.push_back(c.plan);
}

// --seed: simulation.seed, blamed on the option in messages.
void ApplySeed(toml::table& root, Source& source, std::int64_t seed) {
  toml::node* sim_node = root.get("simulation");
  if (!sim_node) {
    root.insert("simulation", toml::table{});
    sim_node = root.get("simulation");
  }
  if (!sim_node->is_table()) source.Fail("simulation", sim_node, "a table");
  sim_node->as_table()->insert_or_assign("seed", seed);
  source.overridden.push_back({"simulation.seed", "--seed"});
}

void ReadSimulation(Section& top, ExperimentConfig& cfg) {
  Section simu = top.Table("simulation");
  // Seeds up to 2^53, so that every tool reading the output (R, JavaScript) holds them exactly.
  cfg.seed = static_cast<std::uint64_t>(simu.Int("seed", 1, Range{0, 0x1p53}));
  cfg.clock.window_days = static_cast<int>(simu.Int("days", 180, Range{1, models::kMaxDays}));
  cfg.clock.warmup_days = static_cast<int>(simu.Int("warmup_days", 60, Range{0, models::kMaxDays}));
  if (cfg.clock.total_days() > models::kMaxDays)
    simu.Fail("days", "simulation.days + simulation.warmup_days <= " + std::to_string(models::kMaxDays));
  cfg.model.stepping = static_cast<models::Stepping>(simu.Enum("stepping", "event", models::kSteppingNames));
  simu.Finish();
}

ExperimentConfig Resolve(toml::table& root, Source& source, const std::string& path,
                         const std::vector<NamedOverride>& overrides, const std::int64_t* seed_override) {
  for (const auto& o : overrides) {
    const std::string key = ApplyOverride(root, o.spec, o.origin);
    source.overridden.push_back({key, o.origin + " " + key});
  }
  if (seed_override) ApplySeed(root, source, *seed_override);
  ExperimentConfig cfg;
  cfg.path = path;
  Section top(source, root, "");
  ReadSimulation(top, cfg);
  ReadModel(top, cfg);
  ReadProgramme(top, cfg);
  ReadCampaigns(top, cfg);
  top.Finish();
  cfg.resolved_toml = "# lclab resolved config: every key, defaults filled in\n" + TableText(root);
  return cfg;
}

toml::table ParseToml(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description()
       << " (expected valid TOML)";
    throw ConfigError(os.str());
  }
}

// `from`'s keys that `into` lacks, tables merged key by key: the including config's own values win.
void MergeMissing(toml::table& into, const toml::table& from) {
  for (auto&& [k, v] : from) {
    toml::node* mine = into.get(k);
    if (!mine) into.insert(k, v);
    else if (mine->is_table() && v.is_table()) MergeMissing(*mine->as_table(), *v.as_table());
  }
}

// include = "file.toml" or ["a.toml", "b.toml"]: the files' tables (a fitted [purchase], a shared
// population) merged in under the config's own keys, paths relative to the config's folder.
void ApplyIncludes(toml::table& root, const std::string& path, const std::string& name) {
  toml::node* inc = root.get("include");
  if (!inc) return;
  std::vector<std::string> files;
  const auto where = [&](const toml::node& n) { return name + ":" + std::to_string(n.source().begin.line) + ": "; };
  if (inc->is_string()) files.push_back(inc->as_string()->get());
  else if (inc->is_array())
    for (const toml::node& f : *inc->as_array()) {
      if (!f.is_string()) throw ConfigError(where(f) + "include = ... (expected an array of paths to TOML files)");
      files.push_back(f.as_string()->get());
    }
  else throw ConfigError(where(*inc) + "include (expected a path to a TOML file, or an array of them)");
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  for (const std::string& f : files) {
    const std::string file = (dir / f).lexically_normal().string();
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(where(*inc) + "include = \"" + f + "\": " + file + " cannot be read (expected a TOML file)");
    std::ostringstream ss;
    ss << in.rdbuf();
    const toml::table included = ParseToml(ss.str(), file);
    if (included.contains("include"))
      throw ConfigError(file + ": include (expected no include in an included file)");
    MergeMissing(root, included);
  }
  root.erase("include");
}

ExperimentConfig ParseAndResolve(const std::string& text, const std::string& name, const std::string& path,
                                 const std::vector<NamedOverride>& overrides, const std::int64_t* seed_override) {
  Source source;
  source.file = name;
  toml::table root = ParseToml(text, name);
  ApplyIncludes(root, path, name);
  return Resolve(root, source, path, overrides, seed_override);
}

}  // namespace

std::vector<std::string> ConfigWarnings(const ExperimentConfig& cfg) {
  std::vector<std::string> warnings;
  const int days = cfg.clock.window_days, needed = cfg.model.lifecycle.churn_days;
  const auto& defs = models::CampaignKpiDefinitions();
  // Campaign customers enter during the window; the programme's include every customer who bought
  // before it, so its churn can move in any window.
  for (std::size_t c = 0; c < cfg.campaigns.size(); ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    auto check = [&](const std::vector<int>& kpis, const char* role) {
      for (int k : kpis)
        if (defs[k].needs_churn_days && days <= needed)
          warnings.push_back("campaigns[" + std::to_string(c) + "] \"" + cc.name + "\": " + defs[k].name + " (" +
                             role + ") needs more than lifecycle.churn_days = " + std::to_string(needed) +
                             " days without a purchase, and the window has " + std::to_string(days) +
                             ": only entrants whose last purchase came before the window can move it");
    };
    check(cc.primary_kpis, "primary");
    check(cc.guardrail_kpis, "guardrail");
  }
  return warnings;
}

namespace {

// Command-line overrides, named "--set" in messages.
std::vector<NamedOverride> CommandLine(const std::vector<std::string>& sets) {
  std::vector<NamedOverride> named;
  for (const auto& s : sets) named.push_back({s, "--set"});
  return named;
}

}  // namespace

ExperimentConfig LoadConfigText(const std::string& text, const std::string& name,
                                const std::vector<std::string>& overrides, const std::int64_t* seed_override) {
  return ParseAndResolve(text, name, name, CommandLine(overrides), seed_override);
}

ExperimentConfig LoadConfigTextWith(const std::string& text, const std::string& name,
                                    const std::vector<NamedOverride>& overrides, const std::int64_t* seed_override) {
  return ParseAndResolve(text, name, name, overrides, seed_override);
}

ExperimentConfig LoadConfig(const std::string& path, const std::vector<std::string>& overrides,
                            const std::int64_t* seed_override) {
  return LoadConfigWith(path, CommandLine(overrides), seed_override);
}

ExperimentConfig LoadConfigWith(const std::string& path, const std::vector<NamedOverride>& overrides,
                                const std::int64_t* seed_override) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw ConfigError(path + ": no such file (expected a TOML experiment config)");
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError(path + ": is a directory (expected a TOML experiment config)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot be read (expected a readable TOML experiment config)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseAndResolve(ss.str(), path, path, overrides, seed_override);
}

}  // namespace lclab::experiments
