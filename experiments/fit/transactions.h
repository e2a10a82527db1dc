// A transaction log read into per-customer summaries (docs/fit.md), streamed:
// memory grows with the customers, not the rows. Rules: a customer's rows
// must come in date order (a log sorted by date, or by customer and date);
// purchases of one customer on one day are one purchase occasion, their
// amounts summed; negative amounts (refunds) are dropped and counted; rows
// after the last period's end are ignored and counted; a customer whose first
// purchase falls after the calibration period is left out and counted.
// Anything else malformed (an unparseable date or amount, a missing column)
// is an error naming the file, row and column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiments/fit/fits.h"

namespace lclab::experiments {

struct LogOptions {
  std::string delimiter = ",";       // a single character, or "whitespace" (runs of blanks and tabs)
  bool header = true;                // the first line names the columns
  // Columns by name (with a header) or by 1-based number.
  std::string id_column = "customer", date_column = "date", amount_column = "amount";
  std::string date_format = "%Y-%m-%d";  // %Y, %m, %d and literal characters, e.g. %Y%m%d or %d/%m/%Y
  std::string calibration_end;       // required: the last day of the calibration period, in date_format
  std::string holdout_end;           // optional: the last day of the holdout period
  double unit_days = 7;              // the time unit of x, t_x and T (7: weeks)
};

struct LogSummary {
  std::vector<std::string> ids;
  std::vector<CustomerSummary> customers;  // over the calibration period
  std::vector<double> holdout;             // repeat purchase occasions in the holdout, per customer
  std::vector<int> first_day;              // the customer's first purchase (days since 1970-01-01)
  int origin = 0;                          // the earliest first purchase
  int calibration_end = 0, holdout_end = -1;  // the periods' last days (holdout_end -1: no holdout)
  std::vector<double> weekly_repeats;      // repeat purchase occasions in each week from `origin` to the last period's end
  // What the rules did.
  std::int64_t rows = 0, occasions = 0, same_day_merged = 0, refunds_dropped = 0, after_end = 0, late_customers = 0;
};

// Reads and summarises `path`. Throws ConfigError naming the file, row and column for bad input.
LogSummary SummariseLog(const std::string& path, const LogOptions& options);

// Days since 1970-01-01 of `text` in `format`, or false.
bool ParseDate(const std::string& text, const std::string& format, int& day);

}  // namespace lclab::experiments
