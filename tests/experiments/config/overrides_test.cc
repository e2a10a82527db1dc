// --set overrides: values in TOML syntax (bare words are strings), paths
// through tables and arrays of tables, and the messages of bad paths.
#include "experiments/config/overrides.h"

#include <gtest/gtest.h>

#include <string>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

std::string ErrorOf(toml::table& t, const std::string& spec) {
  try {
    ApplyOverride(t, spec);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Overrides, ValuesAndPaths) {
  toml::table t = toml::parse("[[campaigns]]\nname = \"a\"\n[[campaigns]]\nname = \"b\"\n");
  EXPECT_EQ(ApplyOverride(t, "population.size=200"), "population.size");
  EXPECT_EQ(t["population"]["size"].value<std::int64_t>(), 200);
  EXPECT_EQ(ApplyOverride(t, "campaigns[1].channel=sms"), "campaigns[1].channel");
  EXPECT_EQ(t["campaigns"][1]["channel"].value<std::string>(), "sms");  // a bare word is a string
  ApplyOverride(t, "campaigns[0].levels=[\"x\", \"y\"]");
  EXPECT_EQ(t["campaigns"][0]["levels"].as_array()->size(), 2u);
  ApplyOverride(t, "x.rate=0.5");
  EXPECT_EQ(t["x"]["rate"].value<double>(), 0.5);
  ApplyOverride(t, "x.rate=\"0.5\"");  // quoted: a string
  EXPECT_EQ(t["x"]["rate"].value<std::string>(), "0.5");
}

TEST(Overrides, BadPaths) {
  toml::table t = toml::parse("size = 3\n[[campaigns]]\nname = \"a\"\n");
  EXPECT_EQ(ErrorOf(t, "population.size"), "--set population.size: expected KEY=VALUE, e.g. population.size=200000");
  EXPECT_EQ(ErrorOf(t, "=3"), "--set =3: expected KEY=VALUE, e.g. population.size=200000");
  EXPECT_EQ(ErrorOf(t, "campaigns[3].goal=x"),
            "--set campaigns[3].goal=x: campaigns[3] does not exist (expected an index into an existing array of tables)");
  EXPECT_EQ(ErrorOf(t, "campaigns[0]=x"), "--set campaigns[0]=x: cannot replace a whole table campaigns[0]");
  EXPECT_EQ(ErrorOf(t, "size.x=1"), "--set size.x=1: size is not a table");
  EXPECT_EQ(ErrorOf(t, "a..b=1"), "--set a..b=1: malformed key a..b");
  EXPECT_EQ(ErrorOf(t, "c[x].d=1"), "--set c[x].d=1: malformed index in c[x].d");
}

}  // namespace
}  // namespace lclab::experiments
