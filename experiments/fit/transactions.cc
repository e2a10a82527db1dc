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

namespace {

// The periods' last days from the options, checked.
void ReadPeriods(const LogOptions& o, LogSummary& s) {
  if (o.delimiter != "whitespace" && o.delimiter.size() != 1)
    throw ConfigError("--delimiter = " + o.delimiter + " (expected one character, or whitespace)");
  if (!ParseDate(o.calibration_end, o.date_format, s.calibration_end))
    throw ConfigError("--calibration-end = " + o.calibration_end + " (expected a date in --date-format " +
                      o.date_format + ")");
  if (o.holdout_end.empty()) return;
  if (!ParseDate(o.holdout_end, o.date_format, s.holdout_end))
    throw ConfigError("--holdout-end = " + o.holdout_end + " (expected a date in --date-format " + o.date_format + ")");
  if (s.holdout_end <= s.calibration_end)
    throw ConfigError("--holdout-end = " + o.holdout_end + " (expected a date after --calibration-end " +
                      o.calibration_end + ")");
}

// The log's rows, one at a time: the customer, the day and the amount, each checked.
class LogRows {
 public:
  struct Row {
    std::string id;
    int day = 0;
    double amount = 0;
  };

  LogRows(const std::string& path, const LogOptions& o) : path_(path), o_(o), in_(path, std::ios::binary) {
    if (!in_) throw ConfigError(path + ": cannot be read (expected a transaction log)");
    std::vector<std::string> header;
    std::string line;
    if (o.header) {
      if (!std::getline(in_, line)) throw ConfigError(path + ": is empty (expected a header line and purchases)");
      header = Split(line, o.delimiter);
      ++row_;
    }
    id_ = ColumnIndex(path, "id", o.id_column, header);
    date_ = ColumnIndex(path, "date", o.date_column, header);
    amount_ = ColumnIndex(path, "amount", o.amount_column, header);
    need_ = std::max({id_, date_, amount_}) + 1;
  }

  // The next row; false at the end. Throws ConfigError naming the row and column of a malformed one.
  bool Next(Row& r) {
    std::string line;
    do {
      if (!std::getline(in_, line)) return false;
      ++row_;
    } while (line.empty() || line == "\r");
    const std::vector<std::string> f = Split(line, o_.delimiter);
    if (f.size() < need_)
      throw ConfigError(Where() + "has " + std::to_string(f.size()) + " columns (expected at least " +
                        std::to_string(need_) + ")");
    if (!ParseDate(f[date_], o_.date_format, r.day))
      throw ConfigError(DateError(f[date_], "(expected a date in --date-format " + o_.date_format + ")"));
    const std::string& a = f[amount_];
    const auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), r.amount);
    if (ec != std::errc() || p != a.data() + a.size() || !std::isfinite(r.amount))
      throw ConfigError(Where() + "column " + std::to_string(amount_ + 1) + " = \"" + a + "\" (expected a number)");
    r.id = f[id_], date_text_ = f[date_];
    return true;
  }

  // The message for the current row's date.
  std::string DateError(const std::string& date, const std::string& expected) const {
    return Where() + "column " + std::to_string(date_ + 1) + " = \"" + date + "\" " + expected;
  }
  const std::string& date_text() const { return date_text_; }

 private:
  std::string Where() const { return path_ + ":" + std::to_string(row_) + ": "; }

  std::string path_;
  const LogOptions& o_;
  std::ifstream in_;
  std::int64_t row_ = 0;
  std::size_t id_ = 0, date_ = 0, amount_ = 0, need_ = 0;
  std::string date_text_;
};

// Customers as the log streams by, and the cohort's repeat occasions by day (the tracking curve).
struct Stream {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Customer> customers;
  std::map<int, double> repeats_by_day;

  // Closes a customer's accumulated day: a first purchase, or a repeat in its period.
  void CloseDay(Customer& c, LogSummary& s) {
    if (c.day == c.first) return;
    if (c.day <= s.calibration_end) ++c.cal_repeats, c.cal_last = c.day, c.cal_repeat_value += c.day_amount;
    else ++c.holdout_repeats;
    ++s.occasions;
    if (c.first <= s.calibration_end) repeats_by_day[c.day] += 1;
  }

  // One purchase within the periods: a new customer, the same day again, or a new purchase day.
  void Add(const LogRows::Row& r, const LogRows& rows, LogSummary& s) {
    const auto [it, fresh] = index.emplace(r.id, customers.size());
    if (fresh) {
      customers.push_back({r.day, r.day, r.amount});
      s.ids.push_back(r.id);
      return;
    }
    Customer& c = customers[it->second];
    if (r.day < c.day)
      throw ConfigError(rows.DateError(rows.date_text(),
                                       "is before this customer's previous purchase (expected each customer's rows "
                                       "in date order: sort the log by date, or by customer and date)"));
    if (r.day == c.day) {
      c.day_amount += r.amount, ++s.same_day_merged;
      return;
    }
    CloseDay(c, s);
    c.day = r.day, c.day_amount = r.amount;
  }
};

// The summaries, in the log's order of first appearance; customers new after calibration left out.
LogSummary Summaries(const LogSummary& s, const Stream& st, int last, double unit_days) {
  LogSummary out = s;
  out.origin = st.customers.front().first;
  for (const Customer& c : st.customers) out.origin = std::min(out.origin, c.first);
  out.weekly_repeats.assign(static_cast<std::size_t>((last - out.origin) / 7 + 1), 0.0);
  for (const auto& [day, n] : st.repeats_by_day)
    out.weekly_repeats[static_cast<std::size_t>((day - out.origin) / 7)] += n;
  out.ids.clear();
  for (std::size_t i = 0; i < st.customers.size(); ++i) {
    const Customer& c = st.customers[i];
    if (c.first > s.calibration_end) {
      ++out.late_customers;
      continue;
    }
    const double x = c.cal_repeats;
    out.ids.push_back(s.ids[i]);
    out.customers.push_back({x, x > 0 ? (c.cal_last - c.first) / unit_days : 0.0,
                             (s.calibration_end - c.first) / unit_days, x > 0 ? c.cal_repeat_value / x : 0.0});
    out.holdout.push_back(c.holdout_repeats);
    out.first_day.push_back(c.first);
  }
  return out;
}

}  // namespace

LogSummary SummariseLog(const std::string& path, const LogOptions& o) {
  LogSummary s;
  ReadPeriods(o, s);
  LogRows rows(path, o);
  const int last = s.holdout_end >= 0 ? s.holdout_end : s.calibration_end;
  Stream st;
  int last_date = -1;
  for (LogRows::Row r; rows.Next(r);) {
    ++s.rows;
    last_date = std::max(last_date, r.day);
    if (r.amount < 0) ++s.refunds_dropped;
    else if (r.day > last) ++s.after_end;
    else st.Add(r, rows, s);
  }
  if (st.customers.empty()) throw ConfigError(path + ": has no purchases (expected a transaction log)");
  if (last_date < s.calibration_end)
    throw ConfigError("--calibration-end = " + o.calibration_end + " is after the log's last purchase (expected a " +
                      "date within the log)");
  for (Customer& c : st.customers) st.CloseDay(c, s);
  return Summaries(s, st, last, o.unit_days);
}

}  // namespace lclab::experiments
