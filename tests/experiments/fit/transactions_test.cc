// The transaction log read into summaries: the CDNOW sample log gives the published per-customer
// summary exactly, and every malformed input names its file, row and column.
#include "experiments/fit/transactions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

const std::string kData = std::string(LCLAB_SOURCE_DIR) + "/tests/data/cdnow/";

LogOptions CdnowOptions() {
  LogOptions o;
  o.delimiter = "whitespace", o.header = false;
  o.id_column = "2", o.date_column = "3", o.amount_column = "5";
  o.date_format = "%Y%m%d", o.calibration_end = "19970930", o.holdout_end = "19980630";
  return o;
}

TEST(Transactions, CdnowLogGivesThePublishedSummary) {
  const LogSummary s = SummariseLog(kData + "CDNOW_sample.txt", CdnowOptions());
  ASSERT_EQ(s.customers.size(), 2357u);
  std::ifstream in(kData + "cdnow_customers_summary.csv");
  std::string line;
  std::getline(in, line);
  double holdout = 0;
  for (std::size_t i = 0; std::getline(in, line); ++i) {
    std::stringstream ss(line);
    std::string f[5];
    for (auto& x : f) std::getline(ss, x, ',');
    ASSERT_EQ(s.ids[i], std::string(4 - f[0].size(), '0') + f[0]);
    const CustomerSummary& c = s.customers[i];
    EXPECT_EQ(c.x, std::stod(f[1])) << f[0];
    EXPECT_NEAR(c.t_x, std::stod(f[2]), 0.005 + 1e-9) << f[0];
    EXPECT_NEAR(c.T, std::stod(f[3]), 0.005 + 1e-9) << f[0];
    EXPECT_NEAR(c.mean_value, std::stod(f[4]), 0.005 + 1e-9) << f[0];  // rounded half up to cents
    holdout += s.holdout[i];
  }
  // 78 weeks of tracking; the holdout's repeat occasions sum to the tracking curve's last 39 weeks.
  EXPECT_EQ(s.weekly_repeats.size(), 78u);
  double tracked = 0;
  for (double w : s.weekly_repeats) tracked += w;
  EXPECT_EQ(tracked, 2457 + holdout);
  EXPECT_GT(s.same_day_merged, 0);
  EXPECT_EQ(s.late_customers, 0);
}

TEST(Transactions, BadInputNamesRowAndColumn) {
  const auto path = std::filesystem::temp_directory_path() / ("lclab_log_" + std::to_string(getpid()) + ".csv");
  auto error = [&](const std::string& text, LogOptions o = {}) {
    std::ofstream(path) << text;
    if (o.calibration_end.empty()) o.calibration_end = "2020-03-31";
    try {
      SummariseLog(path.string(), o);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  const std::string head = "customer,date,amount\n";
  has(error(head + "a,2020-01-01,5\na,2020-13-01,5\n"), ":3: column 2 = \"2020-13-01\" (expected a date in --date-format %Y-%m-%d)");
  has(error(head + "a,2020-01-01,five\n"), ":2: column 3 = \"five\" (expected a number)");
  has(error(head + "a,2020-01-01\n"), ":2: has 2 columns (expected at least 3)");
  has(error(head + "a,2020-02-01,5\na,2020-01-01,5\n"), ":3: column 2 = \"2020-01-01\" is before this customer's previous purchase");
  has(error(head + "a,2020-01-01,5\n"), "--calibration-end = 2020-03-31 is after the log's last purchase");
  has(error("id,day,value\na,2020-01-01,5\n"), ":1: no column named \"customer\" for --id-column (expected one of: id, day, value)");
  LogOptions bad;
  bad.calibration_end = "31/03/2020";
  has(error(head + "a,2020-01-01,5\n", bad), "--calibration-end = 31/03/2020 (expected a date in --date-format %Y-%m-%d)");
  // The rules: refunds dropped, same-day purchases merged, rows after the end ignored, late customers left out.
  std::ofstream(path) << head
                      << "a,2020-01-01,5\na,2020-01-01,7\na,2020-02-01,-3\na,2020-02-10,4\nb,2020-04-02,9\n"
                         "a,2020-04-05,6\n";
  LogOptions o;
  o.calibration_end = "2020-03-31";
  const LogSummary s = SummariseLog(path.string(), o);
  EXPECT_EQ(s.refunds_dropped, 1);
  EXPECT_EQ(s.same_day_merged, 1);
  EXPECT_EQ(s.after_end, 2);  // b's and a's April purchases: no holdout
  ASSERT_EQ(s.customers.size(), 1u);
  EXPECT_EQ(s.customers[0].x, 1);
  EXPECT_DOUBLE_EQ(s.customers[0].t_x, 40.0 / 7);
  EXPECT_DOUBLE_EQ(s.customers[0].mean_value, 4);
  std::filesystem::remove(path);
}

TEST(Transactions, Dates) {
  int d = 0;
  ASSERT_TRUE(ParseDate("1970-01-01", "%Y-%m-%d", d));
  EXPECT_EQ(d, 0);
  ASSERT_TRUE(ParseDate("20000229", "%Y%m%d", d));
  EXPECT_EQ(d, 11016);
  EXPECT_FALSE(ParseDate("2001-02-29", "%Y-%m-%d", d));
  ASSERT_TRUE(ParseDate("31/12/1999", "%d/%m/%Y", d));
  EXPECT_EQ(d, 10956);
  EXPECT_FALSE(ParseDate("1999-12-31x", "%Y-%m-%d", d));
}

}  // namespace
}  // namespace lclab::experiments
