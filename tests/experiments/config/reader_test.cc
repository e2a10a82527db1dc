// The typed TOML reader on its own: values and defaults written in, types and
// ranges checked with the file, line, key path, value and expectation in the
// message, name look-ups that list the known names, keys never read
// rejected, and values written back as TOML in their shortest form.
#include "experiments/config/reader.h"

#include <gtest/gtest.h>

#include <string>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

struct Doc {
  Source source;
  toml::table root;
  explicit Doc(const std::string& text, std::vector<Source::Override> overridden = {}) {
    source.file = "r.toml";
    source.overridden = std::move(overridden);
    root = toml::parse(text, std::string_view("r.toml"));
  }
  Section Top() { return Section(source, root, ""); }
};

template <class F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Reader, ValuesAndDefaults) {
  Doc d("a = 2\nb = 0.5\nc = true\nname = \"x\"\n");
  Section s = d.Top();
  EXPECT_EQ(s.Real("a", 9, kPositive), 2.0);  // an integer is a number
  EXPECT_EQ(s.Real("b", 9), 0.5);
  EXPECT_TRUE(s.Bool("c", false));
  EXPECT_EQ(s.Str("name", "y"), "x");
  EXPECT_EQ(s.Int("missing", 7, Range{0, 10}), 7);
  EXPECT_EQ(s.Real("missing_real", 0.25), 0.25);
  s.Finish();
  // Defaults are written in: the table is now the resolved config.
  EXPECT_EQ(d.root["missing"].value<std::int64_t>(), 7);
  EXPECT_EQ(d.root["missing_real"].value<double>(), 0.25);
  EXPECT_EQ(TableText(d.root), "a = 2\nb = 0.5\nc = true\nmissing = 7\nmissing_real = 0.25\nname = \"x\"\n");
}

TEST(Reader, TypeAndRangeErrorsNameEverything) {
  Doc d("a = -2\n\nb = \"big\"\nc = 1.5\nd = 3\n");
  Section s = d.Top();
  EXPECT_EQ(ErrorOf([&] { s.Real("a", 1, kPositive); }), "r.toml:1: a = -2 (expected a number > 0)");
  EXPECT_EQ(ErrorOf([&] { s.Int("b", 1); }), "r.toml:3: b = \"big\" (expected an integer (finite))");
  EXPECT_EQ(ErrorOf([&] { s.Int("c", 1, Range{0, 10}); }), "r.toml:4: c = 1.5 (expected an integer in [0, 10])");
  EXPECT_EQ(ErrorOf([&] { s.Real("d", 1, kOpenProbability); }), "r.toml:5: d = 3 (expected a number in (0, 1))");
  EXPECT_EQ(ErrorOf([&] { s.Bool("d", true); }), "r.toml:5: d = 3 (expected true or false)");
}

TEST(Reader, OverriddenKeysBlameTheOverride) {
  Doc d("[p]\nsize = 0\n", {{"p.size", "--set p.size"}});
  Section p = d.Top().Table("p");
  EXPECT_EQ(ErrorOf([&] { p.Int("size", 1, Range{1, 10}); }), "--set p.size: p.size = 0 (expected an integer in [1, 10])");
}

TEST(Reader, LookupsListTheKnownNames) {
  Doc d("pick = \"c\"\nset = [\"a\", \"zz\"]\nlist = [\"b\", \"b\"]\n");
  Section s = d.Top();
  const Names names = {"a", "b", "c"};
  EXPECT_EQ(s.Enum("pick", "a", names), 2);
  EXPECT_EQ(ErrorOf([&] { s.Enum("pick", "a", Names{"x", "y"}); }), "r.toml:1: pick = \"c\" (expected one of x, y)");
  EXPECT_EQ(ErrorOf([&] { s.NameSet("set", {}, names); }), "r.toml:2: set[1] = \"zz\" (expected one of a, b, c)");
  EXPECT_EQ(ErrorOf([&] { s.NameList("list", {}, names, "KPI"); }), "r.toml:3: list[1] = \"b\" (expected a KPI not listed twice)");
  EXPECT_EQ(ErrorOf([&] { s.Lookup("pick", "d", names, "a letter: "); }), "r.toml:1: pick = \"c\" (expected a letter: a, b, c)");
  EXPECT_EQ(s.NameSet("absent", Names{"a", "c"}, names), 0b101u);  // the default, written in
  EXPECT_TRUE(s.NameList("absent_list", {}, names, "KPI").empty());
}

TEST(Reader, UnknownKeysAreRejectedWithTheKnownOnes) {
  Doc d("[t]\nalpha = 1\nbeta = 2\n");
  Section t = d.Top().Table("t");
  t.Real("alpha", 0);
  EXPECT_EQ(ErrorOf([&] { t.Finish(); }), "r.toml:3: unknown key t.beta = 2 (expected one of: alpha)");
}

TEST(Reader, TablesArraysAndHourRanges) {
  Doc d("x = 3\nq = [22, 7]\nbad = [5, 5]\n[[item]]\nv = 1\n[[item]]\nv = 2\n");
  Section s = d.Top();
  EXPECT_EQ(ErrorOf([&] { s.Table("x"); }), "r.toml:1: x = 3 (expected a table, not an integer)");
  const std::vector<Section> items = s.TableArray("item", 0);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].path(), "item[1]");
  EXPECT_EQ(s.TableArray("none", 2).size(), 2u);  // the default: that many empty tables
  EXPECT_EQ(s.HourRange("q"), std::make_pair(22, 7));
  EXPECT_EQ(s.HourRange("absent_hours"), std::make_pair(0, 0));
  EXPECT_NE(ErrorOf([&] { s.HourRange("bad"); }).find("bad = [5, 5] (expected [] or two different hours"),
            std::string::npos);
  const std::vector<double> nums = s.RealArray("nums", {1, 2}, kPositive);
  EXPECT_EQ(nums, (std::vector<double>{1, 2}));
}

TEST(Reader, ValueTextIsShortestRoundTrip) {
  toml::table t = toml::parse("a = 0.9\nb = 2.0\nc = 1e-10\ns = \"tab\\there \\\"q\\\"\"\nl = [1, 2.5]\n");
  EXPECT_EQ(ValueText(*t.get("a")), "0.9");
  EXPECT_EQ(ValueText(*t.get("b")), "2.0");
  EXPECT_EQ(ValueText(*t.get("c")), "1e-10");
  EXPECT_EQ(ValueText(*t.get("s")), "\"tab\\there \\\"q\\\"\"");
  EXPECT_EQ(ValueText(*t.get("l")), "[1, 2.5]");
  EXPECT_EQ(JoinNames(Names{"a", "b"}), "a, b");
  EXPECT_EQ(IndexOf(Names{"a", "b"}, "b"), 1);
  EXPECT_EQ(IndexOf(Names{"a", "b"}, "c"), -1);
  EXPECT_EQ((Range{1, 5, true, false}.Describe("a number")), "a number in (1, 5]");
  EXPECT_FALSE(kAnyNumber.Contains(std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace lclab::experiments
