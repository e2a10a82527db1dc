// What the HTML reports share (internal to experiments/report): reading an
// lclab output file's tables and attributes, the text summary's number
// formats as HTML, a health-check row, and a chart in a <figure>.
#pragma once

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/h5.h"

namespace lclab::experiments::html {

using Dataset = sim::H5Reader::Dataset;

// A table of the file: its columns by name.
struct Table {
  std::map<std::string, Dataset> cols;
  std::size_t rows = 0;
  double Num(const std::string& c, std::size_t i) const;      // NaN where missing
  std::string Str(const std::string& c, std::size_t i) const;  // "" where missing
};

// An lclab output file of this layout and the given kind ("run", "study"). Its accessors throw
// ConfigError naming what is missing.
class Source {
 public:
  Source(const std::string& path, const std::string& kind);
  const sim::H5Reader& h5() const { return *h5_; }
  const std::string& kind() const { return kind_; }
  bool HasGroup(const std::string& group) const;
  void Require(const std::string& dataset) const;
  Table ReadTable(const std::string& group) const;
  Dataset Read(const std::string& path) const;
  // Attributes; NaN, 0 or "" when absent.
  double AttrF64(const std::string& object, const std::string& name) const;
  std::int64_t AttrI64(const std::string& object, const std::string& name) const;
  std::string AttrString(const std::string& object, const std::string& name) const;

 private:
  std::string file_, kind_;
  std::unique_ptr<sim::H5Reader> h5_;
  std::vector<std::string> paths_;
};

// The kind of lclab output in `path` ("run", "study", "fit"); throws ConfigError as Source does.
std::string KindOf(const std::string& path);

// Numbers as the text summary prints them (format.h), escaped for HTML.
std::string Fmt(double v, int digits);
std::string Count(double v);
std::string KpiValue(const std::string& kpi, double v);
std::string KpiDiff(const std::string& kpi, double v);
std::string KpiLift(const std::string& kpi, double v, double lo, double hi);
std::string PValue(double p);

// One health check: severity ok, warn or alarm.
struct Health {
  std::string severity;
  std::string check, where, detail;  // detail is HTML
};
// The checks as a table, alarms first.
std::string HealthTable(std::vector<Health> checks);

// A chart in a <figure>, its caption (the SVG's <desc>) shown under it where it can wrap.
std::string Figure(const std::string& chart);

// The page around `body`, with the reports' style sheet.
std::string Page(const std::string& title, const std::string& body);

// Writes `html` to `path` through a temporary file renamed into place.
void WriteAtomically(const std::string& path, const std::string& html, const sim::StopFlag* stop);

}  // namespace lclab::experiments::html
