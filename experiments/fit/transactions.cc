#include "experiments/fit/transactions.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <unordered_map>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

std::vector<std::string> Split(const std::string& line, const std::string& delimiter) {
  std::vector<std::string> f;
  if (delimiter == "whitespace") {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i >= line.size()) break;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
      f.push_back(line.substr(i, j - i));
      i = j;
    }
    return f;
  }
  std::string cur;
  for (char c : line) {
    if (c == delimiter[0]) f.push_back(cur), cur.clear();
    else if (c != '\r') cur += c;
  }
  f.push_back(cur);
  return f;
}

// The column's index: a 1-based number, or its name in the header.
std::size_t ColumnIndex(const std::string& path, const std::string& what, const std::string& column,
                        const std::vector<std::string>& header) {
  std::size_t n = 0;
  const auto [p, ec] = std::from_chars(column.data(), column.data() + column.size(), n);
  if (ec == std::errc() && p == column.data() + column.size()) {
    if (n < 1) throw ConfigError("--" + what + "-column = " + column + " (expected a column number from 1)");
    return n - 1;
  }
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == column) return i;
  std::string names;
  for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
  throw ConfigError(path + ":1: no column named \"" + column + "\" for --" + what + "-column (expected one of: " +
                    (header.empty() ? "none: the log has no header, give column numbers" : names) + ")");
}

// One customer as the log streams by: the open purchase day, and the periods' counts so far.
struct Customer {
  int first = 0, day = 0;          // first purchase day; the day being accumulated
  double day_amount = 0;
  int cal_repeats = 0, cal_last = 0, holdout_repeats = 0;
  double cal_repeat_value = 0;
};

}  // namespace

bool ParseDate(const std::string& text, const std::string& format, int& day) {
  int y = -1, m = -1, d = -1;
  std::size_t i = 0;
  auto number = [&](int digits, int& out) {
    int v = 0, got = 0;
    while (got < digits && i < text.size() && text[i] >= '0' && text[i] <= '9') v = v * 10 + (text[i++] - '0'), ++got;
    out = v;
    return got == digits || (got > 0 && digits == 2 && (i >= text.size() || text[i] < '0' || text[i] > '9'));
  };
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] == '%' && f + 1 < format.size()) {
      const char c = format[++f];
      if (c == 'Y' && !number(4, y)) return false;
      if (c == 'm' && !number(2, m)) return false;
      if (c == 'd' && !number(2, d)) return false;
      if (c != 'Y' && c != 'm' && c != 'd') return false;
    } else if (i >= text.size() || text[i++] != format[f]) {
      return false;
    }
  }
  if (i != text.size() || y < 0 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return false;
  day = DaysFromCivil(y, m, d);
  return true;
}

LogSummary SummariseLog(const std::string& path, const LogOptions& o) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot be read (expected a transaction log)");
  if (o.delimiter != "whitespace" && o.delimiter.size() != 1)
    throw ConfigError("--delimiter = " + o.delimiter + " (expected one character, or whitespace)");
  LogSummary s;
  if (!ParseDate(o.calibration_end, o.date_format, s.calibration_end))
    throw ConfigError("--calibration-end = " + o.calibration_end + " (expected a date in --date-format " +
                      o.date_format + ")");
  if (!o.holdout_end.empty()) {
    if (!ParseDate(o.holdout_end, o.date_format, s.holdout_end))
      throw ConfigError("--holdout-end = " + o.holdout_end + " (expected a date in --date-format " + o.date_format + ")");
    if (s.holdout_end <= s.calibration_end)
      throw ConfigError("--holdout-end = " + o.holdout_end + " (expected a date after --calibration-end " +
                        o.calibration_end + ")");
  }
  const int last = s.holdout_end >= 0 ? s.holdout_end : s.calibration_end;
  std::string line;
  std::vector<std::string> header;
  std::int64_t row = 0;
  if (o.header) {
    if (!std::getline(in, line)) throw ConfigError(path + ": is empty (expected a header line and purchases)");
    header = Split(line, o.delimiter);
    ++row;
  }
  const std::size_t id_col = ColumnIndex(path, "id", o.id_column, header);
  const std::size_t date_col = ColumnIndex(path, "date", o.date_column, header);
  const std::size_t amount_col = ColumnIndex(path, "amount", o.amount_column, header);
  const std::size_t need = std::max({id_col, date_col, amount_col}) + 1;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Customer> customers;
  int last_date = -1;
  std::map<int, double> repeats_by_day;  // the cohort's repeat occasions, for the tracking curve
  // Closes a customer's accumulated day: a first purchase, or a repeat in its period.
  auto close_day = [&](Customer& c) {
    if (c.day == c.first) return;
    if (c.day <= s.calibration_end) ++c.cal_repeats, c.cal_last = c.day, c.cal_repeat_value += c.day_amount;
    else ++c.holdout_repeats;
    ++s.occasions;
    if (c.first <= s.calibration_end) repeats_by_day[c.day] += 1;
  };
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = Split(line, o.delimiter);
    const std::string where = path + ":" + std::to_string(row) + ": ";
    if (f.size() < need)
      throw ConfigError(where + "has " + std::to_string(f.size()) + " columns (expected at least " +
                        std::to_string(need) + ")");
    int day = 0;
    if (!ParseDate(f[date_col], o.date_format, day))
      throw ConfigError(where + "column " + std::to_string(date_col + 1) + " = \"" + f[date_col] +
                        "\" (expected a date in --date-format " + o.date_format + ")");
    double amount = 0;
    const std::string& a = f[amount_col];
    const auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), amount);
    if (ec != std::errc() || p != a.data() + a.size() || !std::isfinite(amount))
      throw ConfigError(where + "column " + std::to_string(amount_col + 1) + " = \"" + a + "\" (expected a number)");
    ++s.rows;
    last_date = std::max(last_date, day);
    if (amount < 0) {
      ++s.refunds_dropped;
      continue;
    }
    if (day > last) {
      ++s.after_end;
      continue;
    }
    const auto [it, fresh] = index.emplace(f[id_col], customers.size());
    if (fresh) {
      customers.push_back({day, day, amount});
      s.ids.push_back(f[id_col]);
      continue;
    }
    Customer& c = customers[it->second];
    if (day < c.day)
      throw ConfigError(where + "column " + std::to_string(date_col + 1) + " = \"" + f[date_col] +
                        "\" is before this customer's previous purchase (expected each customer's rows in date "
                        "order: sort the log by date, or by customer and date)");
    if (day == c.day) {
      c.day_amount += amount, ++s.same_day_merged;
      continue;
    }
    close_day(c);
    c.day = day, c.day_amount = amount;
  }
  if (customers.empty()) throw ConfigError(path + ": has no purchases (expected a transaction log)");
  if (last_date < s.calibration_end)
    throw ConfigError("--calibration-end = " + o.calibration_end + " is after the log's last purchase (expected a " +
                      "date within the log)");
  for (Customer& c : customers) close_day(c);
  // The summaries, in the log's order of first appearance; customers new after calibration left out.
  s.origin = customers.front().first;
  for (const Customer& c : customers) s.origin = std::min(s.origin, c.first);
  s.weekly_repeats.assign(static_cast<std::size_t>((last - s.origin) / 7 + 1), 0.0);
  for (const auto& [day, n] : repeats_by_day) s.weekly_repeats[static_cast<std::size_t>((day - s.origin) / 7)] += n;
  LogSummary out = s;
  out.ids.clear();
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const Customer& c = customers[i];
    if (c.first > s.calibration_end) {
      ++out.late_customers;
      continue;
    }
    const double x = c.cal_repeats;
    out.ids.push_back(s.ids[i]);
    out.customers.push_back({x, x > 0 ? (c.cal_last - c.first) / o.unit_days : 0.0,
                             (s.calibration_end - c.first) / o.unit_days, x > 0 ? c.cal_repeat_value / x : 0.0});
    out.holdout.push_back(c.holdout_repeats);
    out.first_day.push_back(c.first);
  }
  return out;
}

}  // namespace lclab::experiments
