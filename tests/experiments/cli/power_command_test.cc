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

}  // namespace
}  // namespace lclab::experiments
