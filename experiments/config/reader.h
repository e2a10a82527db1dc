// The typed TOML reader the config sections are written with. Internal to
// experiments/config/ (the only folder that sees toml++).
//
// A Section is one table of the config at a key path. Reading a key marks it
// known, checks its type and range, and writes the default in if the key is
// missing, so that after reading the table is the resolved config; Finish()
// rejects every key that was never read. Every failure throws ConfigError
// naming the file and line (or the --set override), the key path, the value
// and what was expected:
//   quickstart.toml:12: campaigns[0].weight = -2 (expected a number > 0)
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace lclab::experiments {

// A numeric range with open or closed ends.
struct Range {
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  bool Contains(double v) const;
  // "a number > 0", "an integer in [1, 365]", "a number (finite)".
  std::string Describe(const char* what) const;
};
inline constexpr Range kAnyNumber{};
inline constexpr Range kPositive{0, std::numeric_limits<double>::infinity(), true, false};
inline constexpr Range kNonNegative{0, std::numeric_limits<double>::infinity(), false, false};
inline constexpr Range kProbability{0, 1, false, false};
inline constexpr Range kOpenProbability{0, 1, true, true};

// A list of names for look-ups and messages.
using Names = std::vector<std::string>;
template <std::size_t N>
Names NamesOf(const std::array<const char*, N>& names) {
  return Names(names.begin(), names.end());
}
// "a, b, c".
std::string JoinNames(const Names& names);
// The index of `name` in `names`, or -1.
int IndexOf(const Names& names, std::string_view name);

// A value as TOML text: strings quoted and escaped, floats in their shortest
// round-trip form (0.9, not 0.90000000000000002; 2.0 stays 2.0).
std::string ValueText(const toml::node& n);
// A value for a message: ValueText, or "a table" / "an array of tables".
std::string DescribeValue(const toml::node& n);
// The whole table as TOML, tables after the plain keys, in insertion order.
std::string TableText(const toml::table& t);

// Where the config came from: the file name, and the key paths the command
// line overrode (a message about them blames the option, not the file).
struct Source {
  struct Override {
    std::string path;    // "population.size"
    std::string option;  // "--set population.size", "--seed"
  };
  std::string file;
  std::vector<Override> overridden;

  // "file:line: ", "--set key: " or "--seed: ".
  std::string Where(const std::string& path, const toml::node* n) const;
  [[noreturn]] void Fail(const std::string& path, const toml::node* n, const std::string& expected) const;
};

class Section {
 public:
  Section(const Source& source, toml::table& table, std::string path);

  const std::string& path() const { return path_; }
  // "campaigns[0].name" for key "name".
  std::string KeyPath(std::string_view key) const;
  bool Has(std::string_view key) const { return t_->get(key) != nullptr; }

  // --- scalars: the value, or `def` (written in) when the key is missing ---
  double Real(std::string_view key, double def, const Range& range = kAnyNumber);
  std::int64_t Int(std::string_view key, std::int64_t def, const Range& range = kAnyNumber);
  bool Bool(std::string_view key, bool def);
  // A string without control characters (they would reach terminals and files raw).
  std::string Str(std::string_view key, const std::string& def, bool non_empty = true);
  // A string that must be one of `names`; returns its index.
  int Enum(std::string_view key, const std::string& def, const Names& names);
  template <std::size_t N>
  int Enum(std::string_view key, const char* def, const std::array<const char*, N>& names) {
    return Enum(key, def, NamesOf(names));
  }

  // --- optional scalars: read and checked if present, never written in ---
  std::optional<double> OptReal(std::string_view key, const Range& range = kAnyNumber);
  std::optional<std::int64_t> OptInt(std::string_view key, const Range& range = kAnyNumber);
  template <std::size_t N>
  std::optional<int> OptEnum(std::string_view key, const std::array<const char*, N>& names) {
    if (!Has(key)) return std::nullopt;
    return Enum(key, names[0], names);
  }

  // --- arrays ---
  // A non-empty array of numbers in `range` (whole numbers if `whole`).
  std::vector<double> RealArray(std::string_view key, const std::vector<double>& def, const Range& range,
                                bool whole = false);
  // A non-empty array of strings from `names`; returns the bit mask of their indices.
  std::uint32_t NameSet(std::string_view key, const Names& def, const Names& names);
  // An array of distinct strings from `names` (possibly empty); returns their indices in order.
  // `what` names the kind of thing named, for messages ("KPI").
  std::vector<int> NameList(std::string_view key, const Names& def, const Names& names, const std::string& what);
  // An array of strings if the key is present (never written in).
  std::optional<Names> OptStrArray(std::string_view key, const std::string& expected);
  // [] or an hour range [start, end] of two different hours in 0..23 (wrapping past midnight when
  // start > end); {0, 0} for none.
  std::pair<int, int> HourRange(std::string_view key);

  // --- look-ups: the index of a name, or a failure listing the known names ---
  // `expected` leads the list: "a persona name: " gives "a persona name: a, b, c".
  int Lookup(std::string_view key, const std::string& name, const Names& names, const std::string& expected);
  // The same for item `index` of the array at `key`.
  int LookupItem(std::string_view key, std::size_t index, const Names& names, const std::string& expected);

  // --- tables ---
  // A sub-table (created empty if missing).
  Section Table(std::string_view key);
  // An array of tables; if missing, `default_count` empty tables are created.
  std::vector<Section> TableArray(std::string_view key, std::size_t default_count);
  // The raw node at key (marked known), or nullptr; for shapes the typed readers do not cover.
  toml::node* Raw(std::string_view key);
  // Writes a value in as the resolved config's (marking the key known).
  void Set(std::string_view key, toml::node&& value);

  // Rejects keys that were never read.
  void Finish() const;
  [[noreturn]] void Fail(std::string_view key, const std::string& expected) const;
  // A failure about item `index` of the array at `key`.
  [[noreturn]] void FailItem(std::string_view key, std::size_t index, const std::string& expected) const;
  [[noreturn]] void FailAt(const std::string& path, const toml::node* n, const std::string& expected) const {
    source_->Fail(path, n, expected);
  }

 private:
  // The node at key, marked known; when missing, `def` is written in first.
  toml::node* ValueOr(std::string_view key, toml::node&& def);
  toml::node* Node(std::string_view key);
  std::string ItemPath(std::string_view key, std::size_t i) const;

  const Source* source_;
  toml::table* t_;
  std::string path_;
  std::set<std::string> known_;
};

}  // namespace lclab::experiments
