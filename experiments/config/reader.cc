#include "experiments/config/reader.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

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

// A number node as a double; false if the node is not a number.
bool NumberOf(const toml::node& n, double& v) {
  if (n.is_integer()) {
    v = static_cast<double>(n.as_integer()->get());
    return true;
  }
  if (n.is_floating_point()) {
    v = n.as_floating_point()->get();
    return true;
  }
  return false;
}

// Keys as TOML writes them: bare when they can be.
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

}  // namespace

// --- ranges, names and values ---------------------------------------------

bool Range::Contains(double v) const {
  return std::isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
}

std::string Range::Describe(const char* what) const {
  auto num = [](double v) {
    if (v == std::floor(v) && std::fabs(v) <= 0x1p53) return std::to_string(static_cast<std::int64_t>(v));
    std::ostringstream os;
    os << v;
    return os.str();
  };
  const std::string s = what;
  if (std::isinf(lo) && std::isinf(hi)) return s + " (finite)";
  if (std::isinf(hi)) return s + (lo_open ? " > " : " >= ") + num(lo);
  if (std::isinf(lo)) return s + (hi_open ? " < " : " <= ") + num(hi);
  return s + " in " + (lo_open ? "(" : "[") + num(lo) + ", " + num(hi) + (hi_open ? ")" : "]");
}

std::string JoinNames(const Names& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

int IndexOf(const Names& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

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

std::string DescribeValue(const toml::node& n) {
  if (n.is_table()) return "a table";
  if (n.is_array_of_tables()) return "an array of tables";
  return ValueText(n);
}

std::string TableText(const toml::table& t) {
  std::ostringstream os;
  EmitTable(os, t, "");
  return os.str();
}

// --- source ------------------------------------------------------------------

std::string Source::Where(const std::string& path, const toml::node* n) const {
  for (const auto& [o, option] : overridden)
    if (path == o || path.starts_with(o + ".") || path.starts_with(o + "[") || o.starts_with(path + ".") ||
        o.starts_with(path + "["))
      return option + ": ";
  if (n && n->source().begin.line > 0) return file + ":" + std::to_string(n->source().begin.line) + ": ";
  return file + ": ";
}

void Source::Fail(const std::string& path, const toml::node* n, const std::string& expected) const {
  std::string msg = Where(path, n) + path;
  if (n) msg += " = " + DescribeValue(*n);
  throw ConfigError(msg + " (expected " + expected + ")");
}

// --- section -----------------------------------------------------------------

Section::Section(const Source& source, toml::table& table, std::string path)
    : source_(&source), t_(&table), path_(std::move(path)) {}

std::string Section::KeyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string Section::ItemPath(std::string_view key, std::size_t i) const {
  return KeyPath(key) + "[" + std::to_string(i) + "]";
}

toml::node* Section::Node(std::string_view key) {
  known_.insert(std::string(key));
  return t_->get(key);
}

toml::node* Section::Raw(std::string_view key) { return Node(key); }

void Section::Set(std::string_view key, toml::node&& value) {
  known_.insert(std::string(key));
  value.visit([&](auto&& v) { t_->insert_or_assign(key, std::move(v)); });
}

toml::node* Section::ValueOr(std::string_view key, toml::node&& def) {
  toml::node* n = Node(key);
  if (n) return n;
  Set(key, std::move(def));
  return nullptr;
}

double Section::Real(std::string_view key, double def, const Range& range) {
  const toml::node* n = ValueOr(key, toml::value<double>(def));
  if (!n) return def;
  double v = 0;
  if (!NumberOf(*n, v) || !range.Contains(v)) FailAt(KeyPath(key), n, range.Describe("a number"));
  return v;
}

std::int64_t Section::Int(std::string_view key, std::int64_t def, const Range& range) {
  const toml::node* n = ValueOr(key, toml::value<std::int64_t>(def));
  if (!n) return def;
  if (!n->is_integer()) FailAt(KeyPath(key), n, range.Describe("an integer"));
  const std::int64_t v = n->as_integer()->get();
  // Exactly: an integer a double cannot hold (beyond 2^53) is not in a range it would round into.
  const double d = static_cast<double>(v);
  if (!range.Contains(d) || (std::fabs(d) >= 0x1p53 && (d >= 0x1p63 || static_cast<std::int64_t>(d) != v)))
    FailAt(KeyPath(key), n, range.Describe("an integer"));
  return v;
}

bool Section::Bool(std::string_view key, bool def) {
  const toml::node* n = ValueOr(key, toml::value<bool>(def));
  if (!n) return def;
  if (!n->is_boolean()) FailAt(KeyPath(key), n, "true or false");
  return n->as_boolean()->get();
}

std::string Section::Str(std::string_view key, const std::string& def, bool non_empty) {
  const toml::node* n = ValueOr(key, toml::value<std::string>(def));
  if (!n) return def;
  if (!n->is_string()) FailAt(KeyPath(key), n, "a string");
  std::string v = n->as_string()->get();
  if (non_empty && v.empty()) FailAt(KeyPath(key), n, "a non-empty string");
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) FailAt(KeyPath(key), n, "a string without control characters");
  return v;
}

int Section::Enum(std::string_view key, const std::string& def, const Names& names) {
  return Lookup(key, Str(key, def), names, "one of ");
}

std::optional<double> Section::OptReal(std::string_view key, const Range& range) {
  if (!Has(key)) return std::nullopt;
  return Real(key, 0, range);
}

std::optional<std::int64_t> Section::OptInt(std::string_view key, const Range& range) {
  if (!Has(key)) return std::nullopt;
  return Int(key, 0, range);
}

namespace {
toml::array ArrayOf(const Names& names) {
  toml::array a;
  for (const auto& s : names) a.push_back(s);
  return a;
}
}  // namespace

std::vector<double> Section::RealArray(std::string_view key, const std::vector<double>& def, const Range& range,
                                       bool whole) {
  toml::array a_def;
  for (double v : def) a_def.push_back(v);
  const toml::node* n = ValueOr(key, std::move(a_def));
  if (!n) return def;
  if (!n->is_array() || n->as_array()->empty()) FailAt(KeyPath(key), n, "a non-empty array of numbers");
  std::vector<double> out;
  const toml::array& a = *n->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    double v = 0;
    if (!NumberOf(a[i], v)) FailAt(ItemPath(key, i), &a[i], range.Describe("a number"));
    if (!range.Contains(v) || (whole && v != std::floor(v)))
      FailAt(ItemPath(key, i), &a[i], range.Describe(whole ? "a whole number" : "a number"));
    out.push_back(v);
  }
  return out;
}

std::uint32_t Section::NameSet(std::string_view key, const Names& def, const Names& names) {
  ValueOr(key, ArrayOf(def));
  const toml::node* n = Node(key);
  if (!n->is_array()) FailAt(KeyPath(key), n, "an array of strings from " + JoinNames(names));
  const toml::array& a = *n->as_array();
  if (a.empty()) FailAt(KeyPath(key), n, "a non-empty array of strings from " + JoinNames(names));
  std::uint32_t mask = 0;
  for (std::size_t i = 0; i < a.size(); ++i) mask |= 1u << LookupItem(key, i, names, "one of ");
  return mask;
}

std::vector<int> Section::NameList(std::string_view key, const Names& def, const Names& names,
                                   const std::string& what) {
  ValueOr(key, ArrayOf(def));
  const toml::node* n = Node(key);
  if (!n->is_array()) FailAt(KeyPath(key), n, "an array of " + what + " names from " + JoinNames(names));
  std::vector<int> out;
  const toml::array& a = *n->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int k = LookupItem(key, i, names, "one of ");
    for (int prev : out)
      if (prev == k) FailAt(ItemPath(key, i), &a[i], "a " + what + " not listed twice");
    out.push_back(k);
  }
  return out;
}

std::optional<Names> Section::OptStrArray(std::string_view key, const std::string& expected) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) FailAt(KeyPath(key), n, expected);
  Names out;
  for (const auto& item : *n->as_array()) {
    if (!item.is_string()) FailAt(KeyPath(key), n, expected);
    out.push_back(item.as_string()->get());
  }
  return out;
}

std::pair<int, int> Section::HourRange(std::string_view key) {
  ValueOr(key, toml::array{});
  const toml::node* n = Node(key);
  const std::string expected = "[] or two different hours [start, end] in 0..23, e.g. [21, 8]";
  if (!n->is_array()) FailAt(KeyPath(key), n, expected);
  const toml::array& a = *n->as_array();
  if (a.empty()) return {0, 0};
  if (a.size() != 2 || !a[0].is_integer() || !a[1].is_integer()) FailAt(KeyPath(key), n, expected);
  const auto h0 = a[0].as_integer()->get(), h1 = a[1].as_integer()->get();
  if (h0 < 0 || h0 > 23 || h1 < 0 || h1 > 23 || h0 == h1) FailAt(KeyPath(key), n, expected);
  return {static_cast<int>(h0), static_cast<int>(h1)};
}

int Section::Lookup(std::string_view key, const std::string& name, const Names& names, const std::string& expected) {
  const int k = IndexOf(names, name);
  if (k < 0) FailAt(KeyPath(key), t_->get(key), expected + JoinNames(names));
  return k;
}

int Section::LookupItem(std::string_view key, std::size_t index, const Names& names, const std::string& expected) {
  const toml::node& item = (*t_->get(key)->as_array())[index];
  const int k = item.is_string() ? IndexOf(names, item.as_string()->get()) : -1;
  if (k < 0) FailAt(ItemPath(key, index), &item, expected + JoinNames(names));
  return k;
}

Section Section::Table(std::string_view key) {
  ValueOr(key, toml::table{});
  toml::node* n = Node(key);
  if (!n->is_table()) FailAt(KeyPath(key), n, std::string("a table, not ") + TypeName(*n));
  return Section(*source_, *n->as_table(), KeyPath(key));
}

std::vector<Section> Section::TableArray(std::string_view key, std::size_t default_count) {
  toml::array def;
  for (std::size_t i = 0; i < default_count; ++i) def.push_back(toml::table{});
  ValueOr(key, std::move(def));
  toml::node* n = Node(key);
  if (!n->is_array()) FailAt(KeyPath(key), n, "an array of tables ([[" + KeyPath(key) + "]])");
  std::vector<Section> out;
  toml::array& a = *n->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_table()) FailAt(ItemPath(key, i), &a[i], "a table");
    out.emplace_back(*source_, *a[i].as_table(), ItemPath(key, i));
  }
  return out;
}

void Section::Finish() const {
  for (auto&& [k, v] : *t_) {
    if (known_.count(std::string(k.str()))) continue;
    Names known(known_.begin(), known_.end());
    const std::string path = KeyPath(k.str());
    throw ConfigError(source_->Where(path, &v) + "unknown key " + path + " = " + DescribeValue(v) +
                      " (expected one of: " + JoinNames(known) + ")");
  }
}

void Section::Fail(std::string_view key, const std::string& expected) const {
  source_->Fail(KeyPath(key), t_->get(key), expected);
}

void Section::FailItem(std::string_view key, std::size_t index, const std::string& expected) const {
  source_->Fail(ItemPath(key, index), &(*t_->get(key)->as_array())[index], expected);
}

}  // namespace lclab::experiments
