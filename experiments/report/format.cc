#include "experiments/report/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lclab::experiments {

std::string Fixed(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Signed(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", digits, v);
  return buf;
}

std::string Thousands(std::int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string FormatP(double p) {
  if (!std::isfinite(p)) return "-";
  char buf[32];
  if (p < 1e-4)
    std::snprintf(buf, sizeof buf, "<0.0001");
  else
    std::snprintf(buf, sizeof buf, "%.4f", p);
  return buf;
}

std::string FormatKpiValue(const models::KpiDef& d, double v) {
  if (d.unit == std::string("share")) return Fixed(100 * v, 2) + "%";
  if (d.unit == std::string("money")) return Fixed(v, 2);
  if (d.unit == std::string("score")) return Fixed(v, 1);
  return Fixed(v, 3);
}

std::string FormatKpiDiff(const models::KpiDef& d, double x) {
  return d.unit == std::string("share") ? Signed(100 * x, 2) + " pp" : Signed(x, d.unit == std::string("count") ? 3 : 2);
}

std::string FormatLift(const models::KpiDef& d, const Interval& c) {
  if (d.unit == std::string("share"))
    return Signed(100 * c.estimate, 2) + " pp [" + Signed(100 * c.low, 2) + ", " + Signed(100 * c.high, 2) + "]";
  const int digits = d.unit == std::string("count") ? 3 : 2;
  return Signed(c.estimate, digits) + " [" + Signed(c.low, digits) + ", " + Signed(c.high, digits) + "]";
}

std::string FormatRel(const Interval& c) {
  if (!std::isfinite(c.estimate)) return "-";
  return Signed(100 * c.estimate, 1) + "% [" + Signed(100 * c.low, 1) + "%, " + Signed(100 * c.high, 1) + "%]";
}

std::string PlusMinus(const Interval& t, int digits, double scale) {
  if (!std::isfinite(t.estimate)) return "-";
  return Signed(scale * t.estimate, digits) + "±" + Fixed(scale * (t.high - t.estimate), digits);
}

std::string KpiLabel(const models::KpiDef& d) {
  return std::string(d.name) + (d.latent ? " (latent)" : "") + (d.attribution ? " (attributed)" : "");
}

std::string NoteText(int note, int days_to_move) {
  switch (note) {
    case 1: return "not observable in this window (needs > " + std::to_string(days_to_move) + " days without a purchase)";
    case 2: return "too few customers to compare (fewer than 10 in an arm)";
    case 3: return "no variation in either arm";
    default: return "";
  }
}

void PrintTable(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                std::size_t left_columns) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], r[c].size());
    }
  for (const auto& r : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::size_t pad = width[c] - r[c].size();
      if (c < left_columns)
        line += r[c] + std::string(pad, ' ');
      else
        line += std::string(pad, ' ') + r[c];
      if (c + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << '\n';
  }
}

}  // namespace lclab::experiments
