// The only file that includes toml++.
#include "experiments/config.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "models/population.h"
#include "sim/error.h"

namespace lclab::experiments {
namespace {

using sim::ConfigError;

constexpr double kInf = std::numeric_limits<double>::infinity();

// A numeric range with open or closed ends, and its description for messages.
struct Range {
  double lo = -kInf, hi = kInf;
  bool lo_open = false, hi_open = false;
  bool Contains(double v) const {
    return std::isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string Describe(const char* what) const {
    auto num = [](double v) {
      std::ostringstream os;
      os << v;
      return os.str();
    };
    std::string s = what;
    if (lo == -kInf && hi == kInf) return s + " (finite)";
    if (hi == kInf) return s + (lo_open ? " > " : " >= ") + num(lo);
    if (lo == -kInf) return s + (hi_open ? " < " : " <= ") + num(hi);
    return s + " in " + (lo_open ? "(" : "[") + num(lo) + ", " + num(hi) + (hi_open ? ")" : "]");
  }
};
const Range kAny{};
const Range kPositive{0, kInf, true, false};
const Range kNonNegative{0, kInf, false, false};
const Range kProbability{0, 1, false, false};
const Range kOpenProbability{0, 1, true, true};

std::string FormatValue(const toml::node& n) {
  std::ostringstream os;
  if (n.is_table()) return "a table";
  if (n.is_array_of_tables()) return "an array of tables";
  if (n.is_string()) {
    os << '"' << n.as_string()->get() << '"';
    return os.str();
  }
  n.visit([&](auto&& v) { os << v; });
  return os.str();
}

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

struct Ctx {
  std::string file;
  std::vector<std::string> overridden;  // key paths given with --set

  std::string Where(const std::string& path, const toml::node* n) const {
    for (const auto& o : overridden)
      if (path == o || path.starts_with(o + ".") || path.starts_with(o + "[") || o.starts_with(path + ".") ||
          o.starts_with(path + "["))
        return "--set " + o + ": ";
    if (n && n->source().begin.line > 0) return file + ":" + std::to_string(n->source().begin.line) + ": ";
    return file + ": ";
  }

  [[noreturn]] void Fail(const std::string& path, const toml::node* n, const std::string& expected) const {
    std::string msg = Where(path, n) + path;
    if (n) msg += " = " + FormatValue(*n);
    throw ConfigError(msg + " (expected " + expected + ")");
  }
};

// One table of the config at a key path. Reading a key marks it known and
// fills in its default if it is missing (so the table becomes the resolved
// config); Finish() rejects every key that was not read.
class Section {
 public:
  Section(const Ctx& ctx, toml::table& table, std::string path) : ctx_(&ctx), t_(&table), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string KeyPath(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  double Real(std::string_view key, double def, const Range& range = kAny) {
    toml::node* n = Node(key);
    if (!n) {
      t_->insert(key, def);
      return def;
    }
    double v;
    if (n->is_integer())
      v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point())
      v = n->as_floating_point()->get();
    else
      ctx_->Fail(KeyPath(key), n, range.Describe("a number"));
    if (!range.Contains(v)) ctx_->Fail(KeyPath(key), n, range.Describe("a number"));
    return v;
  }

  std::int64_t Int(std::string_view key, std::int64_t def, const Range& range = kAny) {
    toml::node* n = Node(key);
    if (!n) {
      t_->insert(key, def);
      return def;
    }
    if (!n->is_integer()) ctx_->Fail(KeyPath(key), n, range.Describe("an integer"));
    const std::int64_t v = n->as_integer()->get();
    if (!range.Contains(static_cast<double>(v))) ctx_->Fail(KeyPath(key), n, range.Describe("an integer"));
    return v;
  }

  bool Bool(std::string_view key, bool def) {
    toml::node* n = Node(key);
    if (!n) {
      t_->insert(key, def);
      return def;
    }
    if (!n->is_boolean()) ctx_->Fail(KeyPath(key), n, "true or false");
    return n->as_boolean()->get();
  }

  std::string Str(std::string_view key, const std::string& def, bool non_empty = true) {
    toml::node* n = Node(key);
    if (!n) {
      t_->insert(key, def);
      return def;
    }
    if (!n->is_string()) ctx_->Fail(KeyPath(key), n, "a string");
    std::string v = n->as_string()->get();
    if (non_empty && v.empty()) ctx_->Fail(KeyPath(key), n, "a non-empty string");
    return v;
  }

  // A string that must be one of `names`; returns its index.
  template <std::size_t N>
  int Enum(std::string_view key, const char* def, const std::array<const char*, N>& names) {
    toml::node* n = Node(key);
    const std::string v = Str(key, def);
    for (std::size_t i = 0; i < N; ++i)
      if (v == names[i]) return static_cast<int>(i);
    ctx_->Fail(KeyPath(key), n, "one of " + Join(names));
  }

  template <std::size_t N>
  static std::string Join(const std::array<const char*, N>& names) {
    std::string s;
    for (std::size_t i = 0; i < N; ++i) s += (i ? ", " : "") + std::string(names[i]);
    return s;
  }

  // A list of strings each one of `names`; returns a bit mask of their indices.
  template <std::size_t N>
  std::uint32_t EnumSet(std::string_view key, const std::vector<std::string>& def,
                        const std::array<const char*, N>& names) {
    toml::node* n = Node(key);
    if (!n) {
      toml::array a;
      for (const auto& s : def) a.push_back(s);
      t_->insert(key, std::move(a));
      n = Node(key);
    }
    if (!n->is_array()) ctx_->Fail(KeyPath(key), n, "an array of strings from " + Join(names));
    std::uint32_t mask = 0;
    const toml::array& a = *n->as_array();
    if (a.empty()) ctx_->Fail(KeyPath(key), n, "a non-empty array of strings from " + Join(names));
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string item_path = KeyPath(key) + "[" + std::to_string(i) + "]";
      if (!a[i].is_string()) ctx_->Fail(item_path, &a[i], "one of " + Join(names));
      const std::string v = a[i].as_string()->get();
      std::size_t k = 0;
      while (k < N && v != names[k]) ++k;
      if (k == N) ctx_->Fail(item_path, &a[i], "one of " + Join(names));
      mask |= 1u << k;
    }
    return mask;
  }

  std::vector<double> RealArray(std::string_view key, const std::vector<double>& def, const Range& range,
                                bool whole = false) {
    toml::node* n = Node(key);
    if (!n) {
      toml::array a;
      for (double v : def) a.push_back(v);
      t_->insert(key, std::move(a));
      return def;
    }
    if (!n->is_array() || n->as_array()->empty()) ctx_->Fail(KeyPath(key), n, "a non-empty array of numbers");
    std::vector<double> out;
    const toml::array& a = *n->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string item_path = KeyPath(key) + "[" + std::to_string(i) + "]";
      double v;
      if (a[i].is_integer())
        v = static_cast<double>(a[i].as_integer()->get());
      else if (a[i].is_floating_point())
        v = a[i].as_floating_point()->get();
      else
        ctx_->Fail(item_path, &a[i], range.Describe("a number"));
      if (!range.Contains(v) || (whole && v != std::floor(v)))
        ctx_->Fail(item_path, &a[i], range.Describe(whole ? "a whole number" : "a number"));
      out.push_back(v);
    }
    return out;
  }

  // A sub-table (created empty if missing).
  Section Table(std::string_view key) {
    toml::node* n = Node(key);
    if (!n) {
      t_->insert(key, toml::table{});
      n = Node(key);
    }
    if (!n->is_table()) ctx_->Fail(KeyPath(key), n, std::string("a table, not ") + TypeName(*n));
    return Section(*ctx_, *n->as_table(), KeyPath(key));
  }

  // An array of tables; if missing, `default_count` empty tables are created.
  std::vector<Section> TableArray(std::string_view key, std::size_t default_count) {
    toml::node* n = Node(key);
    if (!n) {
      toml::array a;
      for (std::size_t i = 0; i < default_count; ++i) a.push_back(toml::table{});
      t_->insert(key, std::move(a));
      n = Node(key);
    }
    if (!n->is_array()) ctx_->Fail(KeyPath(key), n, "an array of tables ([[" + KeyPath(key) + "]])");
    std::vector<Section> out;
    toml::array& a = *n->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string item_path = KeyPath(key) + "[" + std::to_string(i) + "]";
      if (!a[i].is_table()) ctx_->Fail(item_path, &a[i], "a table");
      out.emplace_back(*ctx_, *a[i].as_table(), item_path);
    }
    return out;
  }

  // Rejects keys that were never read.
  void Finish() const {
    for (auto&& [k, v] : *t_) {
      if (known_.count(std::string(k.str()))) continue;
      std::string expected;
      for (const auto& kk : known_) expected += (expected.empty() ? "" : ", ") + kk;
      const std::string path = KeyPath(k.str());
      throw ConfigError(ctx_->Where(path, &v) + "unknown key " + path + " = " + FormatValue(v) +
                        " (expected one of: " + expected + ")");
    }
  }

  [[noreturn]] void Fail(std::string_view key, const std::string& expected) const {
    ctx_->Fail(KeyPath(key), t_->get(key), expected);
  }
  const toml::node* Get(std::string_view key) const { return t_->get(key); }

 private:
  toml::node* Node(std::string_view key) {
    known_.insert(std::string(key));
    return t_->get(key);
  }

  const Ctx* ctx_;
  toml::table* t_;
  std::string path_;
  std::set<std::string> known_;
};


// Writes a table as TOML with floats in their shortest round-trip form
// (toml++'s own printer writes 17 significant digits).
bool BareKey(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string KeyText(std::string_view k) { return BareKey(k) ? std::string(k) : Quote(k); }

std::string ValueText(const toml::node& n) {
  if (n.is_string()) return Quote(n.as_string()->get());
  if (n.is_integer()) return std::to_string(n.as_integer()->get());
  if (n.is_boolean()) return n.as_boolean()->get() ? "true" : "false";
  if (n.is_floating_point()) {
    const double v = n.as_floating_point()->get();
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
  }
  if (n.is_array()) {
    std::string s = "[";
    const auto& a = *n.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) s += (i ? ", " : "") + ValueText(a[i]);
    return s + "]";
  }
  if (n.is_table()) {
    std::string s = "{ ";
    bool first = true;
    for (auto&& [k, v] : *n.as_table()) {
      s += (first ? "" : ", ") + KeyText(k.str()) + " = " + ValueText(v);
      first = false;
    }
    return s + " }";
  }
  std::ostringstream os;
  n.visit([&](auto&& v) { os << v; });
  return os.str();
}

void EmitTable(std::ostream& os, const toml::table& t, const std::string& prefix) {
  for (auto&& [k, v] : t)
    if (!v.is_table() && !v.is_array_of_tables()) os << KeyText(k.str()) << " = " << ValueText(v) << "\n";
  for (auto&& [k, v] : t) {
    const std::string path = prefix.empty() ? KeyText(k.str()) : prefix + "." + KeyText(k.str());
    if (v.is_table()) {
      os << "\n[" << path << "]\n";
      EmitTable(os, *v.as_table(), path);
    } else if (v.is_array_of_tables()) {
      for (const auto& elem : *v.as_array()) {
        os << "\n[[" << path << "]]\n";
        EmitTable(os, *elem.as_table(), path);
      }
    }
  }
}

// Applies one --set override ("a.b[1].c=value") to the table. Returns the key path.
std::string ApplyOverride(toml::table& root, const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set " + spec + ": expected KEY=VALUE, e.g. population.size=200000");
  const std::string key = spec.substr(0, eq);
  const std::string text = spec.substr(eq + 1);
  // The value in TOML syntax; a bare word is a string.
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
    parsed.insert("v", text);
  }
  toml::node* value = parsed.get("v");
  // Walk "a.b[1].c".
  std::vector<std::pair<std::string, long>> parts;  // name, index (-1 none)
  std::size_t pos = 0;
  while (pos <= key.size()) {
    const auto dot = key.find('.', pos);
    std::string part = key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    long index = -1;
    const auto br = part.find('[');
    if (br != std::string::npos) {
      if (part.back() != ']') throw ConfigError("--set " + spec + ": malformed key " + key);
      try {
        index = std::stol(part.substr(br + 1, part.size() - br - 2));
      } catch (...) {
        throw ConfigError("--set " + spec + ": malformed index in " + key);
      }
      part = part.substr(0, br);
    }
    if (part.empty()) throw ConfigError("--set " + spec + ": malformed key " + key);
    parts.emplace_back(part, index);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  toml::table* t = &root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& [name, index] = parts[i];
    walked += (walked.empty() ? "" : ".") + name;
    const bool last = i + 1 == parts.size();
    if (last && index < 0) {
      value->visit([&](auto&& v) { t->insert_or_assign(name, v); });
      break;
    }
    toml::node* n = t->get(name);
    if (index >= 0) {
      if (!n || !n->is_array() || index >= static_cast<long>(n->as_array()->size()) || index < 0)
        throw ConfigError("--set " + spec + ": " + walked + "[" + std::to_string(index) +
                          "] does not exist (expected an index into an existing array of tables)");
      toml::node& elem = (*n->as_array())[static_cast<std::size_t>(index)];
      walked += "[" + std::to_string(index) + "]";
      if (last) {
        throw ConfigError("--set " + spec + ": cannot replace a whole table " + walked);
      }
      if (!elem.is_table()) throw ConfigError("--set " + spec + ": " + walked + " is not a table");
      t = elem.as_table();
    } else {
      if (!n) {
        t->insert(name, toml::table{});
        n = t->get(name);
      }
      if (!n->is_table()) throw ConfigError("--set " + spec + ": " + walked + " is not a table");
      t = n->as_table();
    }
  }
  std::string path;
  for (const auto& [name, index] : parts)
    path += (path.empty() ? "" : ".") + name + (index >= 0 ? "[" + std::to_string(index) + "]" : "");
  return path;
}

template <std::size_t N>
std::array<double, N> NamedReals(Section s, const std::array<const char*, N>& names, const std::array<double, N>& def,
                                 const Range& range) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = s.Real(names[i], def[i], range);
  s.Finish();
  return out;
}

void ReadModel(Section& root, ExperimentConfig& cfg) {
  models::ModelParams& m = cfg.model;

  // [population]
  Section pop = root.Table("population");
  cfg.population_size = static_cast<std::size_t>(pop.Int("size", 100000, Range{1, 4.0e9}));
  {
    Section init = pop.Table("initial");
    m.initial.prospect = init.Real("prospect", m.initial.prospect, kNonNegative);
    m.initial.reach = init.Real("reach", m.initial.reach, kNonNegative);
    m.initial.acquisition = init.Real("acquisition", m.initial.acquisition, kNonNegative);
    m.initial.customer = init.Real("customer", m.initial.customer, kNonNegative);
    m.initial.tenure_days = static_cast<int>(init.Int("tenure_days", m.initial.tenure_days, Range{0, 10000}));
    if (m.initial.prospect + m.initial.reach + m.initial.acquisition + m.initial.customer <= 0)
      init.Fail("customer", "initial shares that sum to more than 0");
    init.Finish();
  }
  {
    Section tz = pop.Table("time_zones");
    const auto offsets = tz.RealArray("offsets", {-8, -5, 0, 1, 5.0, 8}, Range{-12, 14}, true);
    const auto weights = tz.RealArray("weights", {0.15, 0.25, 0.15, 0.2, 0.1, 0.15}, kPositive);
    if (offsets.size() != weights.size())
      tz.Fail("weights", "as many weights as offsets (" + std::to_string(offsets.size()) + ")");
    m.tz_offsets.clear();
    for (double o : offsets) m.tz_offsets.push_back(static_cast<int>(o));
    m.tz_weights = weights;
    tz.Finish();
  }
  m.personas.clear();
  std::set<std::string> persona_names;
  for (Section& ps : pop.TableArray("personas", 1)) {
    models::Persona p;
    p.name = ps.Str("name", "default");
    if (!persona_names.insert(p.name).second) ps.Fail("name", "a name not used by another persona");
    p.weight = ps.Real("weight", 1.0, kPositive);
    p.signup_rate = ps.Real("signup_rate", p.signup_rate, kNonNegative);
    p.first_purchase_rate = ps.Real("first_purchase_rate", p.first_purchase_rate, kNonNegative);
    p.purchase_rate_multiplier = ps.Real("purchase_rate_multiplier", 1.0, kPositive);
    p.responsiveness_mean = ps.Real("responsiveness_mean", 0.0, Range{-10, 10});
    p.price_sensitivity_mean = ps.Real("price_sensitivity_mean", 1.0, kPositive);
    p.quality = ps.Real("quality", p.quality, Range{0, 10});
    const auto chrono = NamedReals(ps.Table("chronotypes"), models::kChronotypeNames,
                                   {p.chronotype_weights[0], p.chronotype_weights[1], p.chronotype_weights[2]},
                                   kNonNegative);
    if (chrono[0] + chrono[1] + chrono[2] <= 0) ps.Fail("chronotypes", "weights that sum to more than 0");
    for (int c = 0; c < models::kNumChronotypes; ++c) p.chronotype_weights[c] = chrono[c];
    const auto opt = NamedReals(ps.Table("opt_in"), models::kChannelNames,
                                {p.opt_in[0], p.opt_in[1], p.opt_in[2], p.opt_in[3], p.opt_in[4]}, kProbability);
    for (int c = 0; c < models::kNumChannels; ++c) p.opt_in[c] = opt[c];
    ps.Finish();
    m.personas.push_back(p);
  }
  if (m.personas.size() > 255) pop.Fail("personas", "at most 255 personas");
  pop.Finish();

  // [purchase]
  Section pu = root.Table("purchase");
  m.purchase.r = pu.Real("r", 0.243, kPositive);
  m.purchase.alpha_days = pu.Real("alpha_weeks", 4.414, kPositive) * 7.0;
  m.purchase.a = pu.Real("a", 0.793, kPositive);
  m.purchase.b = pu.Real("b", 2.426, kPositive);
  m.purchase.spend_p = pu.Real("spend_p", 6.25, kPositive);
  m.purchase.spend_q = pu.Real("spend_q", 3.74, Range{1, kInf, true, false});
  m.purchase.spend_gamma = pu.Real("spend_gamma", 15.44, kPositive);
  pu.Finish();

  // [lifecycle]
  Section lc = root.Table("lifecycle");
  auto& l = m.lifecycle;
  l.lapse_days = static_cast<int>(lc.Int("lapse_days", l.lapse_days, Range{1, 10000}));
  l.inactive_days = static_cast<int>(lc.Int("inactive_days", l.inactive_days, Range{1, 10000}));
  if (l.inactive_days <= l.lapse_days)
    lc.Fail("inactive_days", "more than lifecycle.lapse_days (" + std::to_string(l.lapse_days) + ")");
  l.churn_days = static_cast<int>(lc.Int("churn_days", l.churn_days, Range{1, 10000}));
  l.k_loyal = static_cast<int>(lc.Int("k_loyal", l.k_loyal, Range{1, models::kMaxLoyalK}));
  l.loyal_window = static_cast<int>(lc.Int("loyal_window", l.loyal_window, Range{1, 10000}));
  l.loyal_min_score = static_cast<int>(lc.Int("loyal_min_score", l.loyal_min_score, Range{0, 10}));
  l.forget_rate = lc.Real("forget_rate", l.forget_rate, kNonNegative);
  l.bass_p = lc.Real("bass_p", l.bass_p, kNonNegative);
  l.bass_q = lc.Real("bass_q", l.bass_q, kNonNegative);
  l.referral_rate = lc.Real("referral_rate", l.referral_rate, kNonNegative);
  l.referral_signup_prob = lc.Real("referral_signup_prob", l.referral_signup_prob, kProbability);
  lc.Finish();

  // [satisfaction]
  Section sa = root.Table("satisfaction");
  auto& s = m.satisfaction;
  s.initial_mean = sa.Real("initial_mean", s.initial_mean, Range{0, 10});
  s.initial_sd = sa.Real("initial_sd", s.initial_sd, kNonNegative);
  s.experience_sd = sa.Real("experience_sd", s.experience_sd, kNonNegative);
  s.weight = sa.Real("weight", s.weight, kProbability);
  s.fatigue_threshold = sa.Real("fatigue_threshold", s.fatigue_threshold, kNonNegative);
  s.fatigue_penalty = sa.Real("fatigue_penalty", s.fatigue_penalty, kNonNegative);
  s.csat_threshold = sa.Real("csat_threshold", s.csat_threshold, Range{0, 10});
  sa.Finish();

  // [web]
  Section web = root.Table("web");
  {
    std::array<double, models::kNumStages> dv{}, db{};
    for (int i = 0; i < models::kNumStages; ++i) dv[i] = m.web.visit_prob[i], db[i] = m.web.bounce_prob[i];
    const auto v = NamedReals(web.Table("visit"), models::kStageNames, dv, kProbability);
    const auto b = NamedReals(web.Table("bounce"), models::kStageNames, db, kProbability);
    for (int i = 0; i < models::kNumStages; ++i) m.web.visit_prob[i] = v[i], m.web.bounce_prob[i] = b[i];
  }
  m.web.click_visit_boost = web.Real("click_visit_boost", m.web.click_visit_boost, Range{1, kInf});
  web.Finish();

  // [response]
  Section re = root.Table("response");
  auto& r = m.response;
  r.responsiveness_sd = re.Real("responsiveness_sd", r.responsiveness_sd, kNonNegative);
  r.activity_weight = re.Real("activity_weight", r.activity_weight, kNonNegative);
  r.fatigue_mean = re.Real("fatigue_mean", r.fatigue_mean, kNonNegative);
  r.fatigue_shape = re.Real("fatigue_shape", r.fatigue_shape, kPositive);
  r.fatigue_tau_days = re.Real("fatigue_tau_days", r.fatigue_tau_days, kPositive);
  r.unsubscribe_fatigue = re.Real("unsubscribe_fatigue", r.unsubscribe_fatigue, kNonNegative);
  r.price_sensitivity_shape = re.Real("price_sensitivity_shape", r.price_sensitivity_shape, kPositive);
  r.incentive_effect = re.Real("incentive_effect", r.incentive_effect, kAny);
  r.halo_days = static_cast<double>(re.Int("halo_days", static_cast<std::int64_t>(r.halo_days), Range{0, 365}));
  r.halo_boost = re.Real("halo_boost", r.halo_boost, Range{1, kInf});
  r.kappa_mean = re.Real("kappa_mean", r.kappa_mean, Range{0, 50, true, false});
  r.kappa_shape = re.Real("kappa_shape", r.kappa_shape, kPositive);
  r.peak_sd_hours = re.Real("peak_sd_hours", r.peak_sd_hours, kNonNegative);
  re.Finish();

  // [channels.<name>]
  Section ch = root.Table("channels");
  for (int c = 0; c < models::kNumChannels; ++c) {
    Section cs = ch.Table(models::kChannelNames[c]);
    auto& cp = r.channels[c];
    cp.delivery = cs.Real("delivery", cp.delivery, kProbability);
    cp.open = cs.Real("open", cp.open, kOpenProbability);
    cp.click = cs.Real("click", cp.click, kOpenProbability);
    cp.unsubscribe = cs.Real("unsubscribe", cp.unsubscribe, kOpenProbability);
    cp.cost = cs.Real("cost", cp.cost, kNonNegative);
    cs.Finish();
  }
  ch.Finish();
}

void ReadCampaign(Section& root, ExperimentConfig& cfg) {
  Section ca = root.Table("campaign");
  auto& plan = cfg.plan;
  plan.enabled = true;
  cfg.campaign_name = ca.Str("name", "welcome_email");
  plan.channel = static_cast<models::Channel>(ca.Enum("channel", "email", models::kChannelNames));
  plan.trigger = static_cast<models::Trigger>(ca.Enum("trigger", "signup", models::kTriggerNames));
  plan.goal = static_cast<models::Goal>(ca.Enum("goal", "first_purchase", models::kGoalNames));
  plan.delay_days = static_cast<int>(ca.Int("delay_days", 0, Range{0, 365}));
  plan.every_days = static_cast<int>(ca.Int("every_days", 7, Range{1, 365}));
  plan.max_sends = static_cast<int>(ca.Int("max_sends", plan.trigger == models::Trigger::kSchedule ? 12 : 1, Range{1, 255}));
  plan.send_hour = static_cast<int>(ca.Int("send_hour", 10, Range{0, 23}));
  plan.goal_rate = ca.Real("goal_rate", 0.15, kOpenProbability);
  std::vector<std::string> def_audience;
  switch (plan.trigger) {
    case models::Trigger::kSignup: def_audience = {"acquisition"}; break;
    case models::Trigger::kFirstPurchase: def_audience = {"conversion"}; break;
    default: def_audience = {"conversion", "retention", "loyalty"}; break;
  }
  plan.audience_stages = static_cast<std::uint8_t>(ca.EnumSet("audience", def_audience, models::kStageNames));
  if (plan.goal == models::Goal::kFirstPurchase &&
      (plan.trigger == models::Trigger::kFirstPurchase || plan.trigger == models::Trigger::kLapsed))
    ca.Fail("goal", std::string("a goal that customers reached by trigger \"") +
                        models::kTriggerNames[static_cast<int>(plan.trigger)] +
                        "\" can convert to (they have bought already): repeat_purchase or reactivation");
  if (plan.goal == models::Goal::kFirstPurchase &&
      !(plan.audience_stages & (1u << static_cast<int>(models::Stage::kAcquisition))))
    ca.Fail("audience", "to include \"acquisition\" when campaign.goal is \"first_purchase\"");
  if (plan.goal != models::Goal::kFirstPurchase && (plan.audience_stages & 0x0F) == plan.audience_stages &&
      !(plan.audience_stages & (1u << static_cast<int>(models::Stage::kConversion))))
    ca.Fail("audience", "converted stages (conversion, retention, loyalty, churned) for a repeat-purchase goal");
  plan.start_day = cfg.clock.window_start();
  plan.end_day = cfg.clock.window_end();
  ca.Finish();
}

void ReadExperiment(Section& root, ExperimentConfig& cfg) {
  Section ex = root.Table("experiment");
  cfg.experiment_name = ex.Str("name", cfg.campaign_name);
  cfg.salt = ex.Str("salt", cfg.experiment_name);
  cfg.confidence = ex.Real("confidence", 0.95, Range{0.5, 1, true, true});
  std::vector<Section> arms = ex.TableArray("arms", 0);
  if (arms.size() < 2) ex.Fail("arms", "at least two [[experiment.arms]] tables (a control and a variant)");
  if (arms.size() > 64) ex.Fail("arms", "at most 64 arms");
  std::set<std::string> names;
  for (Section& as : arms) {
    ArmConfig a;
    if (!as.Get("name")) as.Fail("name", "a name for every arm");
    a.name = as.Str("name", "");
    if (!names.insert(a.name).second) as.Fail("name", "a name not used by another arm");
    a.weight = as.Real("weight", 1.0, kPositive);
    auto& t = a.treatment;
    t.holdout = as.Bool("holdout", false);
    t.open_effect = static_cast<float>(as.Real("open_effect", 0.0, Range{-10, 10}));
    t.click_effect = static_cast<float>(as.Real("click_effect", 0.0, Range{-10, 10}));
    t.goal_effect = static_cast<float>(as.Real("goal_effect", 0.0, Range{-10, 10}));
    t.unsubscribe_effect = static_cast<float>(as.Real("unsubscribe_effect", 0.0, Range{-10, 10}));
    t.discount = static_cast<float>(as.Real("discount", 0.0, Range{0, 1, false, true}));
    as.Finish();
    cfg.arms.push_back(a);
  }
  const std::string control = ex.Str("control", cfg.arms[0].name);
  cfg.control_arm = -1;
  for (std::size_t i = 0; i < cfg.arms.size(); ++i)
    if (cfg.arms[i].name == control) cfg.control_arm = static_cast<int>(i);
  if (cfg.control_arm < 0) {
    std::string names_list;
    for (const auto& a : cfg.arms) names_list += (names_list.empty() ? "" : ", ") + a.name;
    ex.Fail("control", "the name of an arm: " + names_list);
  }
  for (const auto& a : cfg.arms) cfg.plan.arms.push_back(a.treatment);
  ex.Finish();
}

ExperimentConfig Resolve(toml::table& root, Ctx& ctx, const std::string& path,
                         const std::vector<std::string>& overrides, const std::int64_t* seed_override) {
  for (const auto& o : overrides) ctx.overridden.push_back(ApplyOverride(root, o));
  if (seed_override) {
    toml::node* sim_node = root.get("simulation");
    if (!sim_node) {
      root.insert("simulation", toml::table{});
      sim_node = root.get("simulation");
    }
    if (!sim_node->is_table()) ctx.Fail("simulation", sim_node, "a table");
    sim_node->as_table()->insert_or_assign("seed", *seed_override);
    ctx.overridden.push_back("simulation.seed");
  }
  ExperimentConfig cfg;
  cfg.path = path;
  Section top(ctx, root, "");
  Section simu = top.Table("simulation");
  cfg.seed = static_cast<std::uint64_t>(simu.Int("seed", 1, Range{0, 9.007199254740992e15}));
  cfg.clock.window_days = static_cast<int>(simu.Int("days", 180, Range{1, models::kMaxDays}));
  cfg.clock.warmup_days = static_cast<int>(simu.Int("warmup_days", 60, Range{0, models::kMaxDays}));
  if (cfg.clock.total_days() > models::kMaxDays)
    simu.Fail("days", "simulation.days + simulation.warmup_days <= " + std::to_string(models::kMaxDays));
  simu.Finish();
  ReadModel(top, cfg);
  ReadCampaign(top, cfg);
  ReadExperiment(top, cfg);
  top.Finish();
  std::ostringstream os;
  os << "# lclab resolved config: every key, defaults filled in\n";
  EmitTable(os, root, "");
  cfg.resolved_toml = os.str();
  return cfg;
}

ExperimentConfig ParseAndResolve(const std::string& text, const std::string& name, const std::string& path,
                                 const std::vector<std::string>& overrides, const std::int64_t* seed_override) {
  Ctx ctx;
  ctx.file = name;
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description()
       << " (expected valid TOML)";
    throw ConfigError(os.str());
  }
  return Resolve(root, ctx, path, overrides, seed_override);
}

}  // namespace

ExperimentConfig LoadConfigText(const std::string& text, const std::string& name,
                                const std::vector<std::string>& overrides, const std::int64_t* seed_override) {
  return ParseAndResolve(text, name, name, overrides, seed_override);
}

ExperimentConfig LoadConfig(const std::string& path, const std::vector<std::string>& overrides,
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
