// Reading a study file (study_config.h). The strategies', scenarios' and
// axes' values become override specs in TOML syntax, each with an origin that
// names the study file and the table it came from, so a mistake found when a
// cell's config is loaded is blamed on the right line of the study.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>

#include "experiments/analysis/stats.h"
#include "experiments/config/error.h"
#include "experiments/config/overrides.h"
#include "experiments/config/reader.h"
#include "experiments/config/study_config.h"
#include "models/kpi.h"
#include "sim/random.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kPurposeAxisSample = 0x57ad1e5;  // the random stream of a sampled axis

std::string ReadFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ConfigError(path + ": no such file (expected " + what + ")");
  if (fs::is_directory(path, ec)) throw ConfigError(path + ": is a directory (expected " + what + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot be read (expected " + what + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

toml::table Parse(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description()
       << " (expected valid TOML)";
    throw ConfigError(os.str());
  }
}

// A path in the study file, relative to the study file's folder.
std::string Beside(const std::string& study_path, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? path : (fs::path(study_path).parent_path() / p).lexically_normal().string();
}

// A `set` table as override specs: nested tables become dotted keys, every other value is set whole
// (an array of campaigns replaces the campaigns). Keys may be written dotted and quoted.
void Flatten(const toml::table& t, const std::string& prefix, const std::string& origin,
             std::vector<NamedOverride>& out) {
  for (auto&& [k, v] : t) {
    const std::string key = prefix + std::string(k.str());
    if (v.is_table()) Flatten(*v.as_table(), key + ".", origin, out);
    else out.push_back({key + "=" + ValueText(v), origin});
  }
}

std::vector<NamedOverride> ReadSet(Section& s, const std::string& origin) {
  std::vector<NamedOverride> out;
  if (!s.Has("set")) return out;
  toml::node* n = s.Raw("set");
  if (!n->is_table()) s.Fail("set", "a table of config keys and values, e.g. { \"population.size\" = 20000 }");
  Flatten(*n->as_table(), "", origin, out);
  return out;
}

// "study.toml: study.strategies[1] \"promo\"".
std::string Origin(const std::string& path, const Section& s, const std::string& name) {
  return path + ": " + s.path() + " \"" + name + "\"";
}

// A strategy or scenario: a unique name and its overrides; a strategy may take another config's campaigns.
StudyVariant ReadVariant(const std::string& path, Section& s, std::set<std::string>& names, bool strategy) {
  StudyVariant v;
  v.name = s.Str("name", "");
  if (!names.insert(v.name).second) s.Fail("name", "a name not used by another " + std::string(strategy ? "strategy" : "scenario"));
  const std::string origin = Origin(path, s, v.name);
  if (strategy && s.Has("campaigns_from")) {
    const std::string from = Beside(path, s.Str("campaigns_from", ""));
    const toml::table other = Parse(ReadFile(from, "an experiment config whose campaigns the strategy runs"), from);
    const toml::node* campaigns = other.get("campaigns");
    toml::array none;
    v.overrides.push_back({"campaigns=" + ValueText(campaigns ? *campaigns : none), origin + " campaigns_from"});
  }
  for (auto& o : ReadSet(s, origin + " set")) v.overrides.push_back(std::move(o));
  s.Finish();
  return v;
}

std::vector<StudyVariant> ReadVariants(const std::string& path, Section& st, const char* key, bool strategy,
                                       const std::string& default_name) {
  std::vector<StudyVariant> out;
  std::set<std::string> names;
  for (Section& s : st.TableArray(key, 0)) out.push_back(ReadVariant(path, s, names, strategy));
  if (out.empty()) out.push_back({default_name, {}});
  return out;
}

// --- axes ---------------------------------------------------------------------

// A number as TOML text, with the float noise of a grid step rounded away (0.15, not 0.15000000000000002).
std::string NumberText(double v, bool integer) {
  if (integer) return std::to_string(static_cast<std::int64_t>(std::llround(v)));
  const double rounded = std::stod([&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return std::string(buf);
  }());
  return ValueText(toml::value<double>(rounded));
}

void AddPoint(StudyAxis& a, const std::vector<const toml::node*>& values) {
  std::vector<std::string> text;
  std::vector<double> numbers;
  for (const toml::node* n : values) {
    text.push_back(ValueText(*n));
    numbers.push_back(n->is_number() ? n->value<double>().value_or(kNaN) : kNaN);
  }
  a.values.push_back(std::move(text));
  a.numbers.push_back(std::move(numbers));
}

void AddNumber(StudyAxis& a, double v, bool integer) {
  a.values.push_back(std::vector<std::string>(a.keys.size(), NumberText(v, integer)));
  a.numbers.push_back(std::vector<double>(a.keys.size(), integer ? std::round(v) : v));
}

// values = [...]: one value per point, or with several keys one array of values per point.
void ReadValues(Section& s, StudyAxis& a) {
  toml::node* n = s.Raw("values");
  if (!n->is_array() || n->as_array()->empty()) s.Fail("values", "a non-empty array of values, one per point");
  for (std::size_t i = 0; i < n->as_array()->size(); ++i) {
    const toml::node& item = (*n->as_array())[i];
    if (a.keys.size() == 1) {
      AddPoint(a, {&item});
      continue;
    }
    if (!item.is_array() || item.as_array()->size() != a.keys.size())
      s.FailItem("values", i, "an array of " + std::to_string(a.keys.size()) + " values, one per key");
    std::vector<const toml::node*> row;
    for (const toml::node& v : *item.as_array()) row.push_back(&v);
    AddPoint(a, row);
  }
}

// first, step, last: a grid of numbers, last included (within a millionth of a step).
void ReadGrid(Section& s, StudyAxis& a) {
  const double first = s.Real("first", 0), step = s.Real("step", 1), last = s.Real("last", 0);
  if (step == 0 || (last - first) / step < 0) s.Fail("step", "a step that leads from first to last");
  const double count = std::floor((last - first) / step + 1e-6) + 1;
  if (count > 10000) s.Fail("step", "at most 10,000 grid points");
  const bool integer = s.Raw("first")->is_integer() && s.Raw("step")->is_integer() && s.Raw("last")->is_integer();
  for (int i = 0; i < static_cast<int>(count); ++i) AddNumber(a, first + i * step, integer);
}

enum class Sample { kUniform, kLogUniform, kNormal, kDiscrete };
inline constexpr std::array<const char*, 4> kSampleNames = {"uniform", "log_uniform", "normal", "discrete"};
inline constexpr std::array<const char*, 2> kMethodNames = {"random", "latin_hypercube"};

// sample = "...": `points` draws from a distribution, independent or Latin hypercube (one draw in each
// of `points` equal-probability strata, in random order).
void ReadSample(Section& s, StudyAxis& a, std::uint64_t seed, int axis) {
  const auto kind = static_cast<Sample>(s.Enum("sample", "uniform", kSampleNames));
  const int points = static_cast<int>(s.Int("points", 10, Range{1, 10000}));
  const bool lhs = s.Enum("method", "random", kMethodNames) == 1;
  const bool integer = s.Bool("integer", false);
  sim::Stream rng(seed, static_cast<std::uint32_t>(axis), 0, kPurposeAxisSample);
  std::vector<double> u(static_cast<std::size_t>(points));
  for (auto& x : u) x = rng.UniformOpen();
  if (lhs) {
    std::vector<int> order(static_cast<std::size_t>(points));
    std::iota(order.begin(), order.end(), 0);
    for (int i = points - 1; i > 0; --i) std::swap(order[i], order[rng() % static_cast<std::uint32_t>(i + 1)]);
    for (int i = 0; i < points; ++i) u[i] = (order[i] + u[i]) / points;
  }
  if (kind == Sample::kDiscrete) {
    toml::node* c = s.Raw("choices");
    if (!c || !c->is_array() || c->as_array()->empty()) s.Fail("choices", "a non-empty array of values to draw from");
    const toml::array& choices = *c->as_array();
    for (double x : u) {
      const toml::node& pick = choices[std::min(choices.size() - 1, static_cast<std::size_t>(x * choices.size()))];
      AddPoint(a, std::vector<const toml::node*>(a.keys.size(), &pick));
    }
    return;
  }
  double p1 = 0, p2 = 0;
  if (kind == Sample::kNormal) {
    p1 = s.Real("mean", 0);
    p2 = s.Real("sd", 1, kPositive);
  } else {
    p1 = s.Real("low", 0, kind == Sample::kLogUniform ? kPositive : kAnyNumber);
    p2 = s.Real("high", 1);
    if (!(p2 > p1)) s.Fail("high", "a number > low = " + NumberText(p1, false) + " (the range must not be empty)");
  }
  for (double x : u) {
    double v = kind == Sample::kUniform    ? p1 + x * (p2 - p1)
               : kind == Sample::kNormal   ? p1 + p2 * NormalQuantile(x)
                                           : std::exp(std::log(p1) + x * (std::log(p2) - std::log(p1)));
    AddNumber(a, v, integer);
  }
}

StudyAxis ReadAxis(const std::string& path, Section& s, int index, std::uint64_t seed, const Names& strategies) {
  StudyAxis a;
  if (s.Has("keys")) {
    const auto keys = s.OptStrArray("keys", "a non-empty array of config keys varied together");
    if (!keys || keys->empty()) s.Fail("keys", "a non-empty array of config keys varied together");
    a.keys = *keys;
  } else {
    a.keys = {s.Str("key", "")};
  }
  a.name = s.Str("name", a.keys.front());
  a.origin = Origin(path, s, a.name);
  const int ways = s.Has("values") + s.Has("first") + s.Has("sample");
  if (ways != 1) s.Fail("values", "exactly one of values = [...], first/step/last, or sample = \"...\"");
  if (s.Has("values")) ReadValues(s, a);
  else if (s.Has("first")) ReadGrid(s, a);
  else ReadSample(s, a, seed, index);
  for (int k : s.NameList("strategies", strategies, strategies, "strategy")) a.strategies.push_back(k);
  s.Finish();
  return a;
}

// --- the study table ----------------------------------------------------------

void ReadBase(const std::string& path, Section& top, Section& st, StudyConfig& c) {
  if (st.Has("base")) {
    const std::string base = Beside(path, st.Str("base", ""));
    c.base_name = base;
    c.base_text = ReadFile(base, "the study's base experiment config");
    if (top.Has("base")) top.Fail("base", "no [base] table when study.base names a file");
    return;
  }
  if (!top.Has("base")) st.Fail("base", "a path to an experiment config, or a [base] table holding one");
  toml::node* n = top.Raw("base");
  if (!n->is_table()) top.Fail("base", "a table holding an experiment config");
  c.base_name = path + " [base]";
  c.base_text = TableText(*n->as_table());
}

void ReadObjective(Section& st, StudyConfig& c) {
  const auto& defs = models::ProgrammeKpiDefinitions();
  Names names;
  for (const auto& d : defs) names.push_back(d.name);
  c.objective = st.Enum("objective", "net_revenue_per_customer", names);
  static const Names kDirections = {"higher", "lower"};
  c.higher_is_better = st.Enum("direction", defs[c.objective].higher_is_better ? "higher" : "lower", kDirections) == 0;
  const Names headline = {"revenue_per_customer", "net_revenue_per_customer", "orders_per_customer",
                          "first_purchase_rate", "repeat_purchase_rate",     "churn_rate",
                          "unsubscribed_rate",    "messages_per_customer"};
  c.collect = {c.objective};
  for (int k : st.NameList("collect", headline, names, "KPI"))
    if (k != c.objective) c.collect.push_back(k);
}

}  // namespace

std::uint64_t ReplicationSeed(std::uint64_t study_seed, int replication) {
  // SplitMix64 finaliser over the pair: well mixed, and below 2^53 like every seed.
  std::uint64_t z = study_seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(replication) + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) >> 11;
}

StudyConfig LoadStudy(const std::string& path, const std::vector<std::string>& sets) {
  StudyConfig c;
  c.path = path;
  toml::table root = Parse(ReadFile(path, "a TOML study file"), path);
  Source source;
  source.file = path;
  for (const auto& spec : sets) {
    if (!spec.starts_with("study.")) {
      c.common.push_back({spec, "--set"});  // after study.set, below
      continue;
    }
    const std::string key = ApplyOverride(root, spec);
    source.overridden.push_back({key, "--set " + key});
  }
  std::vector<NamedOverride> command_line = std::move(c.common);
  c.common.clear();
  Section top(source, root, "");
  Section st = top.Table("study");
  c.name = st.Str("name", fs::path(path).stem().string());
  ReadBase(path, top, st, c);
  c.seed = static_cast<std::uint64_t>(st.Int("seed", 1, Range{0, 0x1p53}));
  c.replications = static_cast<int>(st.Int("replications", 10, Range{1, 100000}));
  c.common = ReadSet(st, path + ": study.set");
  for (auto& o : command_line) c.common.push_back(std::move(o));
  ReadObjective(st, c);
  c.strategies = ReadVariants(path, st, "strategies", true, "base");
  Names strategy_names;
  for (const auto& s : c.strategies) strategy_names.push_back(s.name);
  c.baseline = st.Lookup("baseline", st.Str("baseline", strategy_names.front()), strategy_names, "a strategy name: ");
  c.scenarios = ReadVariants(path, st, "scenarios", false, "default");
  std::vector<Section> axes = st.TableArray("axes", 0);
  for (std::size_t i = 0; i < axes.size(); ++i)
    c.axes.push_back(ReadAxis(path, axes[i], static_cast<int>(i), c.seed, strategy_names));
  c.axes_mode = static_cast<AxesMode>(st.Enum("axes_mode", "cross", kAxesModeNames));
  if (c.axes_mode == AxesMode::kZip)
    for (const auto& a : c.axes)
      if (a.values.size() != c.axes.front().values.size())
        st.Fail("axes_mode", "axes of equal length to zip (\"" + a.name + "\" has " + std::to_string(a.values.size()) +
                                 " points, \"" + c.axes.front().name + "\" " +
                                 std::to_string(c.axes.front().values.size()) + ")");
  c.max_runs = st.Int("max_runs", 2000, Range{1, 1e7});
  c.keep_runs = st.Bool("keep_runs", false);
  c.oracle = st.Bool("oracle", false);
  st.Finish();
  top.Finish();
  c.text = TableText(root);
  return c;
}

}  // namespace lclab::experiments
