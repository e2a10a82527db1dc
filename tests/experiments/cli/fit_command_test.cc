// lclab fit end to end: the CDNOW log fitted, the holdout compared, the fragment a config includes
// and runs; every bad input exits 2 naming the file, row or option.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/h5.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
using lclab::testing::Command;
using lclab::testing::RunCommand;

const std::string kCdnow = std::string(LCLAB_SOURCE_DIR) + "/tests/data/cdnow/CDNOW_sample.txt";
const std::string kCdnowOptions =
    " --delimiter whitespace --no-header --id-column 2 --date-column 3 --amount-column 5 --date-format %Y%m%d"
    " --calibration-end 19970930";

struct Dir : lclab::testing::TempDir {
  Dir() : TempDir("fit") {}
};

TEST(FitCli, FitThenSimulateTheFittedCustomers) {
  Dir d;
  Command r = RunCommand("fit " + kCdnow + kCdnowOptions + " --holdout-end 19980630 --out " + (d / "fit.h5") +
                         " --config-out " + (d / "population.toml"));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* part : {"2,357 customers (946 with repeat purchases)", "bgnbd        r            0.2426",
                           "pareto_nbd", "gamma_gamma", "Holdout 19970930 to 19980630", "7+"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  sim::H5Reader h(d / "fit.h5");
  EXPECT_EQ(h.AttrString("/", "kind"), "fit");
  EXPECT_EQ(h.Read("/customers/p_alive").numbers.size(), 2357u);
  EXPECT_EQ(h.Read("/holdout_by_frequency/actual").numbers.size(), 8u);
  EXPECT_EQ(h.Read("/tracking/week").numbers.size(), 78u);
  // A config including the fragment simulates customers with the fitted purchase model.
  std::ofstream(d / "mine.toml") << "include = [\"population.toml\"]\n[population]\nsize = 3000\n[simulation]\ndays = 20\n"
                                    "warmup_days = 10\n";
  r = RunCommand("validate " + (d / "mine.toml") + " --print");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("r = 0.2425"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("include"), std::string::npos);  // the resolved config stands alone
  r = RunCommand("run " + (d / "mine.toml") + " -q --progress never --out " + (d / "mine.h5"));
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(FitCli, BadInputExitsTwo) {
  Dir d;
  std::ofstream(d / "once.csv") << "customer,date,amount\na,2020-01-01,5\nb,2020-01-02,7\nb,2020-05-01,7\n";
  std::ofstream(d / "grows.csv") << "period,survivors\n0,100\n1,80\n2,90\n";
  std::ofstream(d / "bad.csv") << "customer,date,amount\na,2020-01-01,5\na,2020/02/01,5\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fit " + kCdnow, "missing --calibration-end"},
      {"fit " + (d / "once.csv") + " --calibration-end 2020-03-31", "no customer made a repeat purchase"},
      {"fit --survival " + (d / "grows.csv"), "grows.csv:4: 90 survivors after 80"},
      {"fit " + (d / "bad.csv") + " --calibration-end 2020-01-31", "bad.csv:3: column 2 = \"2020/02/01\""},
      {"fit " + kCdnow + kCdnowOptions.substr(0, kCdnowOptions.find(" --calibration-end")) + " --calibration-end 19990101",
       "--calibration-end = 19990101 is after the log's last purchase"},
      {"fit " + kCdnow + kCdnowOptions + " --time-unit months", "--time-unit = months (expected weeks or days)"},
      {"fit " + (d / "missing.csv") + " --calibration-end 2020-01-01", "missing.csv: cannot be read"}};
  for (const auto& [args, message] : cases) {
    const Command r = RunCommand(args + " --out " + (d / "x.h5"));
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(d / "x.h5"));
  }
}

}  // namespace
}  // namespace lclab::experiments
