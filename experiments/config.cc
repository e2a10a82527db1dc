// The only file that includes toml++.
#include "experiments/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "experiments/design.h"
#include "experiments/kpi.h"
#include "experiments/assignment.h"
#include "models/population.h"
#include "sim/error.h"

namespace lclab::experiments {
namespace {

using sim::ConfigError;

constexpr double kInf = std::numeric_limits<double>::infinity();

// "a, b, c": the names of a KPI registry, for messages.
std::string KpiNameList(const std::vector<KpiDef>& defs) {
  std::string names;
  for (const auto& d : defs) names += (names.empty() ? "" : ", ") + std::string(d.name);
  return names;
}

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

std::string ValueText(const toml::node& n);

std::string FormatValue(const toml::node& n) {
  std::ostringstream os;
  if (n.is_table()) return "a table";
  if (n.is_array() && !n.is_array_of_tables()) return ValueText(n);
  if (n.is_array_of_tables()) return "an array of tables";
  if (n.is_string()) {
    os << '"' << n.as_string()->get() << '"';
    return os.str();
  }
  if (n.is_floating_point()) {  // the shortest text that reads back as the value: 0.9, not 0.90000000000000002
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, n.as_floating_point()->get());
    std::string text(buf, r.ptr);
    if (text.find_first_of(".eni") == std::string::npos) text += ".0";  // 2.0 stays a float: not "2"
    return text;
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

  // A list of distinct KPI names from `defs` (possibly empty); returns their indices in order.
  std::vector<int> KpiList(std::string_view key, const std::vector<std::string>& def, const std::vector<KpiDef>& defs) {
    const std::string names = KpiNameList(defs);
    toml::node* n = Node(key);
    if (!n) {
      toml::array a;
      for (const auto& v : def) a.push_back(v);
      t_->insert(key, std::move(a));
      n = Node(key);
    }
    if (!n->is_array()) ctx_->Fail(KeyPath(key), n, "an array of KPI names from " + names);
    std::vector<int> out;
    const toml::array& a = *n->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string item_path = KeyPath(key) + "[" + std::to_string(i) + "]";
      const int k = a[i].is_string() ? FindKpi(defs, a[i].as_string()->get()) : -1;
      if (k < 0) ctx_->Fail(item_path, &a[i], "one of " + names);
      if (std::find(out.begin(), out.end(), k) != out.end()) ctx_->Fail(item_path, &a[i], "a KPI not listed twice");
      out.push_back(k);
    }
    return out;
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

  // Optional values: read if present (and checked), never filled in.
  std::optional<double> OptReal(std::string_view key, const Range& range = kAny) {
    if (!Node(key)) return std::nullopt;
    return Real(key, 0, range);
  }
  std::optional<std::int64_t> OptInt(std::string_view key, const Range& range = kAny) {
    if (!Node(key)) return std::nullopt;
    return Int(key, 0, range);
  }
  template <std::size_t N>
  std::optional<int> OptEnum(std::string_view key, const std::array<const char*, N>& names) {
    if (!Node(key)) return std::nullopt;
    return Enum(key, names[0], names);
  }
  bool Has(std::string_view key) const { return t_->get(key) != nullptr; }
  toml::node* Raw(std::string_view key) { return Node(key); }
  toml::table& table() { return *t_; }
  const Ctx& ctx() const { return *ctx_; }

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
                                {p.opt_in[0], p.opt_in[1], p.opt_in[2], p.opt_in[3], p.opt_in[4], p.opt_in[5]},
                                kProbability);
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
  r.calibrate = re.Bool("calibrate", r.calibrate);
  r.incentive_reference_value = re.Real("incentive_reference_value", r.incentive_reference_value, kPositive);
  r.points_redemption = re.Real("points_redemption", r.points_redemption, kProbability);
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
  r.weekend_shift_hours = re.Real("weekend_shift_hours", r.weekend_shift_hours, Range{-12, 12});
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
    cp.needs_visit = cs.Bool("needs_visit", cp.needs_visit);
    cs.Finish();
  }
  ch.Finish();
}

// Engagement states an audience can name ("none": has never bought).
constexpr std::array<const char*, 4> kAudienceEngagement = {"active", "lapsed", "inactive", "none"};
constexpr std::array<const char*, 7> kWeekdayNames = {"monday", "tuesday", "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};
constexpr std::array<const char*, 3> kDesignNames = {"full_factorial", "fractional", "explicit"};
constexpr std::array<const char*, 2> kBestByNames = {"goal_conversion_rate", "net_revenue_per_customer"};
constexpr std::array<const char*, 2> kAllocationNames = {"fixed", "thompson"};
const Range kEffect{-10, 10};

std::uint8_t StageBits(std::initializer_list<models::Stage> stages) {
  std::uint8_t m = 0;
  for (auto s : stages) m |= static_cast<std::uint8_t>(1u << static_cast<int>(s));
  return m;
}

std::vector<std::string> StageNamesOf(std::uint8_t mask) {
  std::vector<std::string> out;
  for (int s = 0; s < models::kNumStages; ++s)
    if (mask >> s & 1u) out.push_back(models::kStageNames[s]);
  return out;
}

// Index of the persona named `name`, or -1; `names` lists them all for messages.
int PersonaIndex(const models::ModelParams& m, const std::string& name, std::string& names) {
  int found = -1;
  names.clear();
  for (std::size_t k = 0; k < m.personas.size(); ++k) {
    if (m.personas[k].name == name) found = static_cast<int>(k);
    names += (names.empty() ? "" : ", ") + m.personas[k].name;
  }
  return found;
}

bool ValidName(const std::string& n) { return !n.empty() && n.find_first_of(".+=") == std::string::npos; }

models::Logits ReadEffects(Section& s) {
  models::Logits l;
  l.open = static_cast<float>(s.Real("open", 0.0, kEffect));
  l.click = static_cast<float>(s.Real("click", 0.0, kEffect));
  l.goal = static_cast<float>(s.Real("goal", 0.0, kEffect));
  l.unsubscribe = static_cast<float>(s.Real("unsubscribe", 0.0, kEffect));
  return l;
}

// "factor.level" -> indices, or fails naming the key.
std::pair<int, int> LevelRef(Section& s, std::string_view key, const std::string& ref,
                             const std::vector<FactorConfig>& factors) {
  const auto dot = ref.find('.');
  std::string known;
  for (const auto& f : factors)
    for (const auto& l : f.levels) known += (known.empty() ? "" : ", ") + f.name + "." + l.name;
  if (known.empty()) known = "(the campaign has no factors)";
  if (dot != std::string::npos) {
    const std::string fn = ref.substr(0, dot), ln = ref.substr(dot + 1);
    for (std::size_t f = 0; f < factors.size(); ++f)
      if (factors[f].name == fn)
        for (std::size_t l = 0; l < factors[f].levels.size(); ++l)
          if (factors[f].levels[l].name == ln) return {static_cast<int>(f), static_cast<int>(l)};
  }
  s.Fail(key, "a factor level \"factor.level\", one of: " + known);
}

// The settings a factor level, or the campaign itself, gives a message.
struct Settings {
  models::Channel channel = models::Channel::kEmail;
  models::SendPolicy send_policy = models::SendPolicy::kLocalHour;
  int send_hour = 10, every_days = 7, max_sends = 1, min_gap_days = 0;
  models::Incentive incentive = models::Incentive::kNone;
  double incentive_value = 0;
};

void ReadLevelSettings(Section& ls, LevelConfig& level) {
  if (auto v = ls.OptEnum("channel", models::kChannelNames)) level.channel = static_cast<models::Channel>(*v);
  if (auto v = ls.OptEnum("send_policy", models::kSendPolicyNames))
    level.send_policy = static_cast<models::SendPolicy>(*v);
  if (auto v = ls.OptInt("send_hour", Range{0, 23})) level.send_hour = static_cast<int>(*v);
  if (auto v = ls.OptInt("every_days", Range{1, 365})) level.every_days = static_cast<int>(*v);
  if (auto v = ls.OptInt("max_sends", Range{1, 255})) level.max_sends = static_cast<int>(*v);
  if (auto v = ls.OptInt("min_gap_days", Range{0, 365})) level.min_gap_days = static_cast<int>(*v);
  if (auto v = ls.OptEnum("incentive", models::kIncentiveNames)) level.incentive = static_cast<models::Incentive>(*v);
  if (auto v = ls.OptReal("incentive_value", kNonNegative)) level.incentive_value = *v;
}

void ReadFactors(Section& ca, CampaignConfig& cc) {
  std::set<std::string> factor_names;
  for (Section& fs : ca.TableArray("factors", 0)) {
    FactorConfig f;
    if (!fs.Has("name")) fs.Fail("name", "a name for every factor");
    f.name = fs.Str("name", "");
    if (!ValidName(f.name)) fs.Fail("name", "a name without '.', '+' or '='");
    if (!factor_names.insert(f.name).second) fs.Fail("name", "a name not used by another factor");
    // levels: strings or inline tables; strings become { name = "..." } in the resolved config.
    toml::node* ln = fs.Raw("levels");
    if (!ln || !ln->is_array() || ln->as_array()->size() < 2)
      fs.Fail("levels", "an array of at least two levels (names, or tables with a name and effects)");
    toml::array& arr = *ln->as_array();
    for (std::size_t k = 0; k < arr.size(); ++k)
      if (arr[k].is_string()) {
        toml::table t;
        t.insert("name", arr[k].as_string()->get());
        arr.replace(arr.cbegin() + static_cast<std::ptrdiff_t>(k), std::move(t));
      }
    std::set<std::string> level_names;
    for (Section& ls : fs.TableArray("levels", 0)) {
      LevelConfig level;
      if (!ls.Has("name")) ls.Fail("name", "a name for every level");
      level.name = ls.Str("name", "");
      if (!ValidName(level.name)) ls.Fail("name", "a name without '.', '+' or '='");
      if (!level_names.insert(level.name).second) ls.Fail("name", "a name not used by another level of " + f.name);
      level.effects = ReadEffects(ls);
      ReadLevelSettings(ls, level);
      ls.Finish();
      f.levels.push_back(level);
    }
    fs.Finish();
    cc.factors.push_back(f);
  }
  if (cc.factors.size() > 15) ca.Fail("factors", "at most 15 factors");
}

// Applies the levels' settings over the campaign's; two levels may not set one setting differently.
void ResolveArm(Section& ca, const CampaignConfig& cc, const Settings& base, ArmConfig& arm, const std::string& where,
                const std::array<models::ChannelParams, models::kNumChannels>& cfg_channels) {
  Settings s = base;
  std::map<std::string, std::string> set_by;
  auto apply = [&](const char* key, const std::string& level_name, auto& target, const auto& value) {
    if (!value) return;
    auto it = set_by.find(key);
    if (it != set_by.end() && !(target == *value))
      ca.Fail("factors", "levels that do not both set " + std::string(key) + ": " + it->second + " and " +
                             level_name + " do in " + where);
    set_by[key] = level_name;
    target = *value;
  };
  for (std::size_t f = 0; f < arm.levels.size(); ++f) {
    const LevelConfig& l = cc.factors[f].levels[arm.levels[f]];
    const std::string ln = cc.factors[f].name + "." + l.name;
    apply("channel", ln, s.channel, l.channel);
    apply("send_policy", ln, s.send_policy, l.send_policy);
    apply("send_hour", ln, s.send_hour, l.send_hour);
    apply("every_days", ln, s.every_days, l.every_days);
    apply("max_sends", ln, s.max_sends, l.max_sends);
    apply("min_gap_days", ln, s.min_gap_days, l.min_gap_days);
    apply("incentive", ln, s.incentive, l.incentive);
    apply("incentive_value", ln, s.incentive_value, l.incentive_value);
    arm.treatment.effects += l.effects;
  }
  if (s.incentive == models::Incentive::kPercentDiscount && s.incentive_value >= 1.0)
    ca.Fail(set_by.count("incentive_value") ? "factors" : "incentive_value",
            "incentive_value < 1 for a percent_discount (a fraction off the order), not " +
                std::to_string(s.incentive_value) + " in " + where);
  auto& t = arm.treatment;
  t.holdout = arm.holdout;
  if (!t.holdout && s.send_policy != models::SendPolicy::kLocalHour &&
      cfg_channels[static_cast<int>(s.channel)].needs_visit)
    ca.Fail(set_by.count("send_policy") ? "factors" : "send_policy",
            "send_policy \"local_hour\" for channel " + std::string(models::kChannelNames[static_cast<int>(s.channel)]) +
                " (its messages are shown during a visit, at the visit's hour) in " + where);
  t.channel = s.channel, t.send_policy = s.send_policy, t.send_hour = s.send_hour, t.every_days = s.every_days;
  t.max_sends = s.max_sends;
  t.min_gap_days = s.min_gap_days, t.incentive = s.incentive, t.incentive_value = static_cast<float>(s.incentive_value);
  for (const auto& in : cc.interactions)
    if (!arm.levels.empty() && arm.levels[in.factor_a] == in.level_a && arm.levels[in.factor_b] == in.level_b)
      t.effects += in.effects;
}

// An hour range [start, end) as a two-element array of hours 0..23 (wrapping past
// midnight when start > end), or an empty array for none.
std::pair<int, int> HourRange(Section& s, std::string_view key) {
  toml::node* n = s.Raw(key);
  if (!n) {
    s.table().insert(key, toml::array{});
    n = s.Raw(key);
  }
  const std::string expected = "[] or two different hours [start, end] in 0..23, e.g. [21, 8]";
  if (!n->is_array()) s.ctx().Fail(s.KeyPath(key), n, expected);
  const toml::array& a = *n->as_array();
  if (a.empty()) return {0, 0};
  if (a.size() != 2 || !a[0].is_integer() || !a[1].is_integer()) s.ctx().Fail(s.KeyPath(key), n, expected);
  const auto h0 = a[0].as_integer()->get(), h1 = a[1].as_integer()->get();
  if (h0 < 0 || h0 > 23 || h1 < 0 || h1 > 23 || h0 == h1) s.ctx().Fail(s.KeyPath(key), n, expected);
  return {static_cast<int>(h0), static_cast<int>(h1)};
}

// Send-time constraints and the learning policies' settings of a campaign.
void ReadSendTime(Section& cs, const ExperimentConfig& cfg, models::CampaignPlan& plan) {
  auto& w = plan.send_window;
  w.zone = static_cast<int>(cs.Int("send_zone", 0, Range{-12, 14}));
  std::tie(w.quiet_start, w.quiet_end) = HourRange(cs, "quiet_hours");
  std::tie(w.window_start, w.window_end) = HourRange(cs, "delivery_window");
  for (int tz : cfg.model.tz_offsets)
    if (models::DeliveryHours(w, tz)[0] < 0)
      cs.Fail("delivery_window", "a delivery window (hours in UTC" + std::string(w.zone < 0 ? "" : "+") +
                                     std::to_string(w.zone) + ") that leaves some hour outside quiet_hours for "
                                     "customers in UTC" + (tz < 0 ? "" : "+") + std::to_string(tz));
  plan.explore_days = static_cast<int>(cs.Int("explore_days", 7, Range{1, 365}));
  plan.exploit_band_hours = static_cast<int>(cs.Int("exploit_band_hours", 2, Range{0, 11}));
  plan.history_min_events = static_cast<int>(cs.Int("history_min_events", 3, Range{1, 255}));
}

// primary_metrics and guardrail_metrics of a campaign or the programme: the default guardrails leave
// out any KPI made primary, and a KPI written in both lists is an error.
void ReadKpiRoles(Section& s, const std::vector<KpiDef>& defs, const std::string& def_primary,
                  const std::vector<std::string>& def_guardrails, std::vector<int>& primary,
                  std::vector<int>& guardrail) {
  auto is_primary = [&](int k) { return std::find(primary.begin(), primary.end(), k) != primary.end(); };
  primary = s.KpiList("primary_metrics", {def_primary}, defs);
  std::vector<std::string> def_guard;
  for (const auto& g : def_guardrails)
    if (!is_primary(FindKpi(defs, g))) def_guard.push_back(g);
  guardrail = s.KpiList("guardrail_metrics", def_guard, defs);
  for (int k : guardrail)
    if (is_primary(k))
      s.Fail("guardrail_metrics", std::string("KPIs that are not also primary_metrics (") + defs[k].name +
                                      " is in both)");
}

// KPI roles, the sequential horizon and the allocation of a campaign (docs/statistics.md).
void ReadAnalysis(Section& cs, CampaignConfig& cc) {
  const auto& defs = CampaignKpiDefinitions();
  ReadKpiRoles(cs, defs, cc.best_by, {"churn_rate", "unsubscribe_rate"}, cc.primary_kpis, cc.guardrail_kpis);
  if (cc.primary_kpis.empty()) cs.Fail("primary_metrics", "at least one KPI name");
  cc.guardrail_margin = cs.Real("guardrail_margin", 0.0, Range{0, 10});
  cc.sequential_customers = cs.Real("sequential_customers", 0.0, Range{0, 1e12});
  cc.thompson = cs.Enum("allocation", "fixed", kAllocationNames) == 1;
  const double arms = static_cast<double>(cc.arms.size());
  // Read under a fixed allocation too (and ignored), so switching with --set needs no other change.
  if (cc.thompson && cc.arms.size() < 2) cs.Fail("allocation", "\"fixed\" for a campaign with one arm");
  cc.min_share = cs.Real("min_share", std::min(0.05, 0.5 / arms), Range{0, 1 / arms, false, true});
  const std::string metric = cs.Str("allocation_metric", defs[cc.primary_kpis[0]].name);
  cc.allocation_kpi = FindKpi(defs, metric);
  if (cc.allocation_kpi < 0) cs.Fail("allocation_metric", "one of " + KpiNameList(defs));
  // A holdout sends no messages, so a message-funnel KPI has no value there and Thompson could never start.
  const bool funnel = cc.allocation_kpi >= kOpenRate;
  const bool holdout = std::any_of(cc.arms.begin(), cc.arms.end(), [](const ArmConfig& a) { return a.holdout; });
  if (cc.thompson && funnel && holdout)
    cs.Fail("allocation_metric", "a KPI that a holdout arm has too (not " + metric + ", which counts messages)");
}

void ReadCampaign(Section& cs, ExperimentConfig& cfg, std::set<std::string>& campaign_names) {
  CampaignConfig cc;
  auto& plan = cc.plan;
  if (!cs.Has("name")) cs.Fail("name", "a name for every campaign");
  cc.name = cs.Str("name", "");
  if (cc.name == "." || cc.name == ".." ||
      cc.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != std::string::npos)
    cs.Fail("name", "a campaign name of letters, digits, '_', '-' and '.' (it names an HDF5 group)");
  if (!campaign_names.insert(cc.name).second) cs.Fail("name", "a name not used by another campaign");
  if (!cs.Has("trigger")) cs.Fail("trigger", "a trigger, one of " + Section::Join(models::kTriggerNames));
  plan.trigger = static_cast<models::Trigger>(cs.Enum("trigger", "signup", models::kTriggerNames));
  if (!cs.Has("goal")) cs.Fail("goal", "a goal, one of " + Section::Join(models::kGoalNames));
  plan.goal = static_cast<models::Goal>(cs.Enum("goal", "first_purchase", models::kGoalNames));
  cc.salt = cs.Str("salt", cc.name);
  cc.goal_kpi = cs.Str("goal_kpi", std::string(models::kGoalNames[static_cast<int>(plan.goal)]) + " conversions");
  cc.best_by = kBestByNames[cs.Enum("best_by", kBestByNames[0], kBestByNames)];
  plan.delay_days = static_cast<int>(cs.Int("delay_days", 0, Range{0, 365}));
  using models::Trigger, models::Goal, models::Stage;
  if (plan.trigger == Trigger::kEnterStage) {
    if (!cs.Has("stage")) cs.Fail("stage", "the stage whose entry triggers the campaign (trigger = \"enter_stage\")");
    plan.stage = static_cast<Stage>(cs.Enum("stage", "acquisition", models::kStageNames));
  }
  if (plan.trigger == Trigger::kVisit && plan.delay_days != 0)
    cs.Fail("delay_days", "0 for trigger \"visit\" (the message is shown during the visit)");
  if (plan.trigger == Trigger::kSchedule && cs.Has("weekdays"))
    plan.weekday_mask = static_cast<std::uint8_t>(cs.EnumSet("weekdays", {}, kWeekdayNames));
  if (plan.trigger == Trigger::kBackInStock) {
    plan.recency_days = static_cast<int>(cs.Int("recency_days", 90, Range{1, 10000}));
    plan.interest_share = static_cast<float>(cs.Real("interest_share", 0.2, kProbability));
  }
  plan.goal_rate = cs.Real("goal_rate", 0.15, kOpenProbability);
  const bool engages = plan.goal == Goal::kRewardsJoin || plan.goal == Goal::kFeatureAdoption;
  if (engages) {
    plan.purchase_multiplier = cs.Real("purchase_multiplier", plan.goal == Goal::kRewardsJoin ? 1.2 : 1.1, kPositive);
    plan.dropout_multiplier = cs.Real("dropout_multiplier", 0.85, Range{0, 1, true, false});
  }

  // Message settings (factor levels may override them per variant).
  Settings base;
  base.channel = static_cast<models::Channel>(cs.Enum("channel", "email", models::kChannelNames));
  base.send_policy = static_cast<models::SendPolicy>(cs.Enum("send_policy", "local_hour", models::kSendPolicyNames));
  base.send_hour = static_cast<int>(cs.Int("send_hour", 10, Range{0, 23}));
  ReadSendTime(cs, cfg, plan);
  base.every_days = static_cast<int>(cs.Int("every_days", 7, Range{1, 365}));
  const int def_max = plan.trigger == Trigger::kSchedule ? 12 : plan.trigger == Trigger::kBackInStock ? 6 : 1;
  base.max_sends = static_cast<int>(cs.Int("max_sends", def_max, Range{1, 255}));
  base.min_gap_days = static_cast<int>(cs.Int("min_gap_days", 0, Range{0, 365}));
  base.incentive = static_cast<models::Incentive>(cs.Enum("incentive", "none", models::kIncentiveNames));
  base.incentive_value = cs.Real("incentive_value", 0.0, kNonNegative);

  // Audience.
  Section au = cs.Table("audience");
  std::uint8_t def_stages = 0;
  switch (plan.goal) {
    case Goal::kSignUp: def_stages = StageBits({Stage::kProspect, Stage::kReach}); break;
    case Goal::kFirstPurchase: def_stages = StageBits({Stage::kAcquisition}); break;
    case Goal::kReactivation:
      def_stages = StageBits({Stage::kConversion, Stage::kRetention, Stage::kLoyalty, Stage::kChurned});
      break;
    case Goal::kReferral: def_stages = StageBits({Stage::kRetention, Stage::kLoyalty}); break;
    case Goal::kReturnVisit:
      def_stages = StageBits({Stage::kAcquisition, Stage::kConversion, Stage::kRetention, Stage::kLoyalty});
      break;
    default: def_stages = StageBits({Stage::kConversion, Stage::kRetention, Stage::kLoyalty}); break;
  }
  if (plan.trigger == Trigger::kEnterStage) def_stages = StageBits({plan.stage});
  plan.audience_stages = static_cast<std::uint8_t>(au.EnumSet("stages", StageNamesOf(def_stages), models::kStageNames));
  plan.audience_engagement = static_cast<std::uint8_t>(
      au.EnumSet("engagement", {kAudienceEngagement.begin(), kAudienceEngagement.end()}, kAudienceEngagement));
  if (au.Has("segments")) {
    toml::node* n = au.Raw("segments");
    if (!n->is_array() || n->as_array()->empty()) au.Fail("segments", "a non-empty array of persona names");
    plan.audience_segments.assign(cfg.model.personas.size(), 0);
    const toml::array& a = *n->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string names;
      const int k = a[i].is_string() ? PersonaIndex(cfg.model, a[i].as_string()->get(), names)
                                     : PersonaIndex(cfg.model, "", names);
      if (k < 0 || !a[i].is_string())
        au.ctx().Fail(au.KeyPath("segments") + "[" + std::to_string(i) + "]", &a[i], "a persona name: " + names);
      plan.audience_segments[k] = 1;
    }
  }
  const std::uint8_t stages = plan.audience_stages;
  auto has = [&](Stage s) { return (stages >> static_cast<int>(s)) & 1u; };
  const std::string goal_name = models::kGoalNames[static_cast<int>(plan.goal)];
  const std::string trigger_name = models::kTriggerNames[static_cast<int>(plan.trigger)];
  const bool bought_trigger = plan.trigger == Trigger::kFirstPurchase || plan.trigger == Trigger::kPurchase ||
                              plan.trigger == Trigger::kLapsed || plan.trigger == Trigger::kInactive ||
                              plan.trigger == Trigger::kBackInStock;
  if ((plan.goal == Goal::kFirstPurchase || plan.goal == Goal::kSignUp) && bought_trigger)
    cs.Fail("goal", "a goal that customers reached by trigger \"" + trigger_name +
                        "\" can convert to (they have bought already), e.g. repeat_purchase or reactivation");
  if (plan.goal == Goal::kSignUp && !has(Stage::kProspect) && !has(Stage::kReach))
    au.Fail("stages", "\"prospect\" or \"reach\" for goal \"sign_up\"");
  if (plan.goal == Goal::kFirstPurchase && !has(Stage::kAcquisition))
    au.Fail("stages", "\"acquisition\" for goal \"first_purchase\"");
  if ((plan.goal == Goal::kRepeatPurchase || plan.goal == Goal::kReactivation) && (stages & 0xF8) == 0)
    au.Fail("stages", "a converted stage (conversion, retention, loyalty, churned) for goal \"" + goal_name + "\"");

  // Factors, planted interactions and segment deviations.
  ReadFactors(cs, cc);
  for (Section& is : cs.TableArray("interactions", 0)) {
    InteractionConfig in;
    toml::node* n = is.Raw("levels");
    if (!n || !n->is_array() || n->as_array()->size() != 2 || !(*n->as_array())[0].is_string() ||
        !(*n->as_array())[1].is_string())
      is.Fail("levels", "two factor levels, e.g. [\"tone.urgent\", \"length.short\"]");
    std::tie(in.factor_a, in.level_a) = LevelRef(is, "levels", (*n->as_array())[0].as_string()->get(), cc.factors);
    std::tie(in.factor_b, in.level_b) = LevelRef(is, "levels", (*n->as_array())[1].as_string()->get(), cc.factors);
    if (in.factor_a == in.factor_b) is.Fail("levels", "levels of two different factors");
    in.effects = ReadEffects(is);
    is.Finish();
    cc.interactions.push_back(in);
  }
  for (Section& ss : cs.TableArray("segment_effects", 0)) {
    SegmentEffectConfig se;
    std::string names;
    se.persona = PersonaIndex(cfg.model, ss.Str("segment", ""), names);
    if (se.persona < 0) ss.Fail("segment", "a persona name: " + names);
    if (ss.Has("level")) std::tie(se.factor, se.level) = LevelRef(ss, "level", ss.Str("level", ""), cc.factors);
    se.effects = ReadEffects(ss);
    ss.Finish();
    cc.segment_effects.push_back(se);
  }

  // Design: the variants.
  const bool holdout = cs.Bool("holdout", true);
  const double holdout_weight = cs.Real("holdout_weight", 1.0, kPositive);
  const double variant_weight = cs.Real("variant_weight", 1.0, kPositive);
  const int design = cs.Enum("design", "full_factorial", kDesignNames);
  cc.design = kDesignNames[design];
  std::vector<ArmConfig> variants;
  auto level_name = [&](const std::vector<int>& levels) {
    std::string n;
    for (std::size_t f = 0; f < levels.size(); ++f) n += (f ? "+" : "") + cc.factors[f].levels[levels[f]].name;
    return n.empty() ? std::string("message") : n;
  };
  if (design == 0 || design == 1) {
    if (cs.Has("variants")) cs.Fail("variants", "no [[campaigns.variants]] unless design = \"explicit\"");
    std::vector<std::vector<int>> runs;
    if (design == 0) {
      std::vector<int> counts;
      double total = 1;
      for (const auto& f : cc.factors) counts.push_back(static_cast<int>(f.levels.size())), total *= f.levels.size();
      if (total > 254) cs.Fail("factors", "a full factorial of at most 254 variants (this one has " +
                                              std::to_string(static_cast<long long>(total)) +
                                              "; use design = \"fractional\" or \"explicit\")");
      runs = FullFactorial(counts);
    } else {
      for (std::size_t f = 0; f < cc.factors.size(); ++f)
        if (cc.factors[f].levels.size() != 2)
          cs.Fail("design", "two levels per factor for a fractional design (factor " + cc.factors[f].name + " has " +
                                std::to_string(cc.factors[f].levels.size()) + ")");
      const int k = static_cast<int>(cc.factors.size());
      const int p = static_cast<int>(cs.Int("fraction", 1, Range{1, 14}));
      std::vector<std::string> gens;
      if (cs.Has("generators")) {
        toml::node* n = cs.Raw("generators");
        if (!n->is_array()) cs.Fail("generators", "an array of strings such as \"D=ABC\"");
        for (const auto& g : *n->as_array()) {
          if (!g.is_string()) cs.Fail("generators", "an array of strings such as \"D=ABC\"");
          gens.push_back(g.as_string()->get());
        }
      }
      try {
        const FractionalDesign fd = Fractional(k, p, gens);
        runs = fd.runs;
        cc.generators = fd.generators;
        cc.resolution = fd.resolution;
        if (!cs.Has("generators")) {
          toml::array a;
          for (const auto& g : fd.generators) a.push_back(g);
          cs.table().insert("generators", std::move(a));
        }
        cs.Raw("generators");
      } catch (const std::invalid_argument& e) {
        cs.Fail(cs.Has("generators") ? "generators" : "fraction", e.what());
      }
    }
    for (const auto& run : runs) {
      ArmConfig a;
      a.levels = run;
      a.name = level_name(run);
      a.weight = variant_weight;
      variants.push_back(a);
    }
  } else {
    for (Section& vs : cs.TableArray("variants", 0)) {
      ArmConfig a;
      if (!vs.Has("name")) vs.Fail("name", "a name for every variant");
      a.name = vs.Str("name", "");
      a.weight = vs.Real("weight", variant_weight, kPositive);
      Section lv = vs.Table("levels");
      for (const auto& f : cc.factors) {
        if (!lv.Has(f.name)) lv.Fail(f.name, "a level of factor " + f.name + " for every variant");
        const std::string want = lv.Str(f.name, "");
        int found = -1;
        std::string names;
        for (std::size_t l = 0; l < f.levels.size(); ++l) {
          if (f.levels[l].name == want) found = static_cast<int>(l);
          names += (names.empty() ? "" : ", ") + f.levels[l].name;
        }
        if (found < 0) lv.Fail(f.name, "a level of factor " + f.name + ": " + names);
        a.levels.push_back(found);
      }
      lv.Finish();
      vs.Finish();
      variants.push_back(a);
    }
    if (variants.empty()) cs.Fail("variants", "at least one [[campaigns.variants]] for design = \"explicit\"");
  }
  if (holdout) {
    ArmConfig h;
    h.name = "holdout";
    h.weight = holdout_weight;
    h.holdout = true;
    cc.arms.push_back(h);
  }
  for (auto& v : variants) cc.arms.push_back(v);
  if (cc.arms.size() < 2) cs.Fail("holdout", "at least two arms: a holdout, or two or more variants");
  if (cc.arms.size() > 255) cs.Fail("factors", "at most 255 arms");
  std::set<std::string> arm_names;
  for (const auto& a : cc.arms)
    if (!arm_names.insert(a.name).second)
      cs.Fail(design == 2 ? "variants" : "factors", "unique arm names (\"" + a.name + "\" appears twice)");
  const std::string control = cs.Str("control", cc.arms[0].name);
  cc.control_arm = -1;
  std::string arm_list;
  for (std::size_t i = 0; i < cc.arms.size(); ++i) {
    if (cc.arms[i].name == control) cc.control_arm = static_cast<int>(i);
    arm_list += (arm_list.empty() ? "" : ", ") + cc.arms[i].name;
  }
  if (cc.control_arm < 0) cs.Fail("control", "the name of an arm: " + arm_list);

  // Resolve every arm's treatment, with segment deviations per persona.
  const std::size_t np = cfg.model.personas.size();
  for (std::size_t a = 0; a < cc.arms.size(); ++a) {
    ArmConfig& arm = cc.arms[a];
    ResolveArm(cs, cc, base, arm, "arm " + arm.name, cfg.model.response.channels);
    if (!cc.segment_effects.empty() && !arm.holdout) {
      arm.treatment.segment_effects.assign(np, models::Logits{});
      for (const auto& se : cc.segment_effects)
        if (se.factor < 0 || arm.levels[se.factor] == se.level) arm.treatment.segment_effects[se.persona] += se.effects;
    }
  }
  // Reachability: by default the audience must be opted in to the variants' channel when they share one.
  std::vector<std::string> def_opt;
  {
    int shared = -1;
    bool one = true;
    for (const auto& a : cc.arms) {
      if (a.holdout) continue;
      const int ch = static_cast<int>(a.treatment.channel);
      if (shared >= 0 && shared != ch) one = false;
      shared = ch;
    }
    if (one && shared >= 0 && !cfg.model.response.channels[shared].needs_visit)
      def_opt.push_back(models::kChannelNames[shared]);
  }
  if (!au.Has("opted_in") && def_opt.empty()) {
    au.table().insert("opted_in", toml::array{});
    au.Raw("opted_in");
  } else {
    plan.audience_opt_in = static_cast<std::uint8_t>(au.EnumSet("opted_in", def_opt, models::kChannelNames));
  }
  au.Finish();
  ReadAnalysis(cs, cc);
  plan.start_day = cfg.clock.window_start();
  plan.end_day = cfg.clock.window_end();
  for (const auto& a : cc.arms) plan.arms.push_back(a.treatment);
  plan.adaptive = cc.thompson;
  plan.salt_hash = SaltHash(cc.salt);
  cs.Finish();
  cfg.campaigns.push_back(std::move(cc));
}

void ReadProgramme(Section& root, ExperimentConfig& cfg) {
  Section pr = root.Table("programme");
  cfg.experiment_name = pr.Str("name", "lifecycle-programme");
  cfg.global_control = pr.Real("global_control", 0.0, Range{0, 0.5});
  cfg.global_salt = pr.Str("salt", cfg.experiment_name);
  cfg.confidence = pr.Real("confidence", 0.95, Range{0.5, 1, true, true});
  cfg.sequential = pr.Bool("sequential", true);
  ReadKpiRoles(pr, ProgrammeKpiDefinitions(), "net_revenue_per_customer", {"churn_rate", "unsubscribed_rate"},
               cfg.programme_primary, cfg.programme_guardrail);
  cfg.programme.cap_messages = static_cast<int>(pr.Int("cap_messages", 0, Range{0, models::kMaxCap}));
  cfg.programme.cap_days = static_cast<int>(pr.Int("cap_days", 7, Range{1, 365}));
  cfg.programme.start_weekday = pr.Enum("start_weekday", "monday", kWeekdayNames);
  cfg.programme.history_half_life_days = pr.Real("history_half_life_days", 30.0, Range{0, 10000, true, false});
  pr.Finish();
  std::set<std::string> names;
  std::vector<Section> campaigns = root.TableArray("campaigns", 0);
  if (campaigns.empty()) root.Fail("campaigns", "at least one [[campaigns]] table");
  if (campaigns.size() > static_cast<std::size_t>(models::kMaxCampaigns))
    root.Fail("campaigns", "at most " + std::to_string(models::kMaxCampaigns) + " campaigns");
  for (Section& cs : campaigns) ReadCampaign(cs, cfg, names);
  for (const auto& c : cfg.campaigns) cfg.programme.campaigns.push_back(c.plan);
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
  ReadProgramme(top, cfg);
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
