// The tables of h5_table.h as CSV files, for R and spreadsheets: the same
// columns (a name and a projection from a row), written as a header line and
// one line per row. Numbers round-trip exactly (NaN, Inf and -Inf as R and
// pandas read them), text is quoted when it holds a comma, a quote or a line
// break. The file is written beside its final path and renamed into place.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "experiments/report/h5_table.h"
#include "sim/error.h"

namespace lclab::experiments {
namespace csv_table_detail {

inline std::string Cell(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}
inline std::string Cell(std::int64_t v) { return std::to_string(v); }
inline std::string Cell(std::int32_t v) { return std::to_string(v); }
inline std::string Cell(std::uint8_t v) { return std::to_string(static_cast<int>(v)); }
inline std::string Cell(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

template <class Row, class Get>
std::string CellOf(const Row& r, const Column<Get>& col) {
  using Value = std::decay_t<decltype(col.get(r))>;
  return Cell(static_cast<h5_table_detail::Stored<Value>>(col.get(r)));
}

}  // namespace csv_table_detail

// Writes `rows` to `path` as CSV with the given columns. Throws sim::RuntimeError on I/O failure.
template <class Row, class... Gets>
void WriteCsv(const std::string& path, const std::vector<Row>& rows, const Column<Gets>&... cols) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary);
    std::string line;
    ((line += (line.empty() ? "" : ",") + csv_table_detail::Cell(cols.name)), ...);
    out << line << "\n";
    for (const Row& r : rows) {
      line.clear();
      bool first = true;
      ((line += (first ? "" : ",") + csv_table_detail::CellOf(r, cols), first = false), ...);
      out << line << "\n";
    }
    if (!out) throw sim::RuntimeError("cannot write " + temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) throw sim::RuntimeError("cannot rename " + temp + " to " + path + ": " + ec.message());
}

}  // namespace lclab::experiments
