// lclab power on the command line: the tables it prints and the messages of
// bad input, which name the option, the value and what was expected (exit 2).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace lclab::experiments {
namespace {

using testing::Command;
using testing::RunCommand;

Command RunLclab(const std::string& args) { return RunCommand("power " + args); }

TEST(PowerCli, SampleSizeAndMde) {
  Command r = RunLclab("--baseline 0.10 --lift 0.2");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3,839"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total N = 7,678"), std::string::npos) << r.out;
  r = RunLclab("--type mean --baseline 10 --sd 1 --lift 0.5 --absolute --allocation 20,80");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("total N = 197 (control 40 + 157)"), std::string::npos) << r.out;
  r = RunLclab("--baseline 0.10 --n 3839 --allocation 10,45,45 --bonferroni");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("MDE rel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("treatment 2"), std::string::npos) << r.out;
  r = RunLclab("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--allocation"), std::string::npos);
}

TEST(PowerCli, BadInputsExitTwoNamingTheOption) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--baseline 1.5 --lift 0.1", "lclab power: --baseline = 1.5 (expected a proportion in (0, 1))"},
      {"--lift 0.1", "lclab power: missing --baseline"},
      {"--baseline 0.1", "exactly one of --lift (sample size) and --n"},
      {"--baseline 0.1 --lift 0.1 --n 100", "exactly one of --lift (sample size) and --n"},
      {"--type mean --baseline 3 --lift 0.1", "lclab power: missing --sd"},
      {"--type median --baseline 3 --lift 0.1", "lclab power: --type = median (expected proportion or mean)"},
      {"--baseline 0.1 --lift 0.1 --alpha 0", "lclab power: --alpha = 0 (expected a number in (0, 1))"},
      {"--baseline 0.1 --lift 0.1 --power 1", "lclab power: --power = 1 (expected a number in (alpha, 1)"},
      {"--baseline 0.1 --lift 0.1 --allocation 50,x", "lclab power: --allocation = 50,x (expected comma-separated"},
      {"--baseline 0.1 --lift 0.1 --allocation 100", "lclab power: --allocation = 100 (expected two or more"},
      {"--baseline 0.5 --lift 1", "lclab power: --lift = 1 (expected a lift that keeps the treated rate in (0, 1)"},
      {"--baseline 0.1 --n 1", "lclab power: --n = 1 (expected an integer >= 2)"},
      {"--baseline 0.1 --lift abc", "--lift"},
      {"--baseline 0.1 --sd 2 --lift 0.1", "lclab power: --sd and --sd-treatment apply to --type mean only"},
      {"--type mean --baseline 3 --sd -1 --lift 0.1", "lclab power: --sd = -1 (expected a standard deviation > 0"},
  };
  for (const auto& [args, message] : cases) {
    const Command r = RunLclab(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }
}

// With a CONFIG: a pilot of the config's world, the answer in population.size and window days.
TEST(PowerCli, FromAConfig) {
  const std::string quickstart = std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml";
  Command r = RunLclab(quickstart + " --lift 0.1 --pilot-size 5000 --threads 2");
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* part : {"pilot of 5,000 customers", "campaign welcome_email", "first_purchase_rate", "population.size",
                           "entered by window day", "two-sided alpha 0.05"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  r = RunLclab(quickstart + " --mde --pilot-size 5000 --set population.size=200000 --alpha 0.1");
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* part : {"minimum detectable effect at population.size 200,000", "MDE rel", "alpha 0.1"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {quickstart + " --lift 0.1 --baseline 0.2", "--baseline with a CONFIG (expected none"},
      {quickstart + " --lift 0.1 --mde", "expected exactly one of --lift (customers and days) and --mde"},
      {quickstart, "expected exactly one of --lift (customers and days) and --mde"},
      {quickstart + " --mde --absolute", "--absolute applies to --lift only"},
      {quickstart + " --lift 0.1 --pilot-size 10", "--pilot-size = 10 (expected 100 to 10,000,000 customers)"},
      {quickstart + " --lift 0.1 --set population.size=0", "population.size = 0"},
      {quickstart + " " + quickstart + " --lift 0.1", "expected at most one CONFIG, got 2"},
      {"--baseline 0.1 --lift 0.1 --mde", "--mde needs a CONFIG"},
      {"/nonexistent.toml --lift 0.1", "/nonexistent.toml"},
      {quickstart + " --lift 0", "--lift = 0 (expected a nonzero number)"},
  };
  for (const auto& [args, message] : cases) {
    r = RunLclab(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }
}

}  // namespace
}  // namespace lclab::experiments
