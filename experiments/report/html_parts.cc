#include "experiments/report/html_parts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "experiments/config/error.h"
#include "experiments/report/format.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/report/svg.h"
#include "models/kpi.h"

namespace lclab::experiments::html {
namespace {

std::unique_ptr<sim::H5Reader> Open(const std::string& path) {
  std::unique_ptr<sim::H5Reader> h5;
  try {
    h5 = std::make_unique<sim::H5Reader>(path);
  } catch (const sim::RuntimeError&) {
    throw ConfigError(path + ": cannot be opened as HDF5 (expected an lclab run's or study's output)");
  }
  if (!h5->HasAttr("/", "layout"))
    throw ConfigError(path + ": no layout attribute (expected an lclab run's or study's output)");
  const std::string layout = h5->AttrString("/", "layout");
  if (layout != kOutputLayout)
    throw ConfigError(path + ": layout " + layout + " (expected " + kOutputLayout +
                      ": report it with the lclab that wrote it, or run again with this one)");
  return h5;
}

// The KPI named in a row, for its formats: the campaign registry, else the programme's.
const models::KpiDef& DefOf(const std::string& name) {
  const auto& campaign = models::CampaignKpiDefinitions();
  const int k = models::FindKpi(campaign, name);
  if (k >= 0) return campaign[k];
  const auto& programme = models::ProgrammeKpiDefinitions();
  const int j = models::FindKpi(programme, name);
  if (j < 0) throw ConfigError("no KPI named " + name + " in this lclab (expected the layout's KPI names)");
  return programme[j];
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
    "h1{margin-bottom:.2em}.meta{color:#555;font-size:.9em}.how{color:#555;font-size:.9em;font-style:italic}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.85em}td,th{border:1px solid #ccc;padding:2px 6px}"
    "td.num{text-align:right}tr.alarm td.sev{background:#D55E00;color:#fff}tr.warn td.sev{background:#E69F00}"
    "tr.ok td.sev{background:#009E73;color:#fff}figure{margin:1em 0}figcaption{color:#555;font-size:.85em;max-width:640px}"
    "table.heat{font-size:.75em}table.heat td{text-align:right;min-width:1.8em;padding:1px 3px}"
    "pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:30em}section{margin-top:2em}";

}  // namespace

double Table::Num(const std::string& c, std::size_t i) const {
  const auto it = cols.find(c);
  return it == cols.end() || i >= it->second.numbers.size() ? NAN : it->second.numbers[i];
}

std::string Table::Str(const std::string& c, std::size_t i) const {
  const auto it = cols.find(c);
  return it == cols.end() || i >= it->second.strings.size() ? "" : it->second.strings[i];
}

std::string KindOf(const std::string& path) {
  const auto h5 = Open(path);
  return h5->HasAttr("/", "kind") ? h5->AttrString("/", "kind") : "";
}

Source::Source(const std::string& path, const std::string& kind) : file_(path), kind_(kind), h5_(Open(path)) {
  const std::string found = h5_->HasAttr("/", "kind") ? h5_->AttrString("/", "kind") : "";
  if (found != kind)
    throw ConfigError(path + ": kind " + (found.empty() ? "(none)" : found) + " (expected a " + kind + ")");
  paths_ = h5_->ListDatasets();
  std::sort(paths_.begin(), paths_.end());
}

bool Source::HasGroup(const std::string& group) const {
  const auto it = std::lower_bound(paths_.begin(), paths_.end(), group + "/");
  return it != paths_.end() && it->rfind(group + "/", 0) == 0;
}

void Source::Require(const std::string& dataset) const {
  if (!std::binary_search(paths_.begin(), paths_.end(), dataset))
    throw ConfigError(file_ + ": no " + dataset + " (expected an lclab " + kind_ + "'s output; the file is incomplete)");
}

Table Source::ReadTable(const std::string& group) const {
  if (!HasGroup(group) || !h5_->HasAttr(group, "columns"))
    throw ConfigError(file_ + ": no table " + group + " (expected an lclab " + kind_ +
                      "'s output; the file is incomplete)");
  Table t;
  for (const std::string& c : h5_->AttrStrings(group, "columns")) {
    t.cols[c] = h5_->Read(group + "/" + c);
    t.rows = std::max(t.rows, std::max(t.cols[c].numbers.size(), t.cols[c].strings.size()));
  }
  return t;
}

Dataset Source::Read(const std::string& path) const {
  Require(path);
  return h5_->Read(path);
}

double Source::AttrF64(const std::string& object, const std::string& name) const {
  return h5_->HasAttr(object, name) ? h5_->AttrF64(object, name) : NAN;
}
std::int64_t Source::AttrI64(const std::string& object, const std::string& name) const {
  return h5_->HasAttr(object, name) ? h5_->AttrI64(object, name) : 0;
}
std::string Source::AttrString(const std::string& object, const std::string& name) const {
  return h5_->HasAttr(object, name) ? h5_->AttrString(object, name) : "";
}

std::string Fmt(double v, int digits) { return svg::Escape(Fixed(v, digits)); }
std::string Count(double v) { return std::isfinite(v) ? Thousands(std::llround(v)) : "-"; }
std::string KpiValue(const std::string& kpi, double v) { return svg::Escape(FormatKpiValue(DefOf(kpi), v)); }
std::string KpiDiff(const std::string& kpi, double v) { return svg::Escape(FormatKpiDiff(DefOf(kpi), v)); }
std::string KpiLift(const std::string& kpi, double v, double lo, double hi) {
  return svg::Escape(FormatLift(DefOf(kpi), Interval{v, NAN, lo, hi}));
}
std::string PValue(double p) { return svg::Escape(FormatP(p)); }

std::string HealthTable(std::vector<Health> h) {
  std::stable_sort(h.begin(), h.end(), [](const Health& a, const Health& b) {
    const auto rank = [](const std::string& sev) { return sev == "alarm" ? 0 : sev == "warn" ? 1 : 2; };
    return rank(a.severity) < rank(b.severity);
  });
  std::string out = "<table><tr><th></th><th>check</th><th>where</th><th>result</th></tr>\n";
  for (const Health& x : h)
    out += "<tr class=\"" + x.severity + "\"><td class=\"sev\">" + x.severity + "</td><td>" + svg::Escape(x.check) +
           "</td><td>" + svg::Escape(x.where) + "</td><td>" + x.detail + "</td></tr>\n";
  return out + "</table>\n";
}

std::string Figure(const std::string& chart) {
  const std::size_t a = chart.find("<desc>"), b = chart.find("</desc>");
  const std::string caption = a == std::string::npos || b == std::string::npos ? "" : chart.substr(a + 6, b - a - 6);
  return "<figure>" + chart + "<figcaption>" + caption + "</figcaption></figure>\n";
}

std::string Page(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + svg::Escape(title) +
         "</title><style>" + kStyle + "</style></head><body>\n" + body +
         "<footer class=\"meta\">Written by lclab report; every chart is inline SVG, readable offline. The layout of "
         "the numbers behind it: docs/output-format.md; how to read each chart: docs/report.md.</footer>\n"
         "</body></html>\n";
}

void WriteAtomically(const std::string& path, const std::string& html, const sim::StopFlag* stop) {
  const std::string temp = path + ".tmp";
  try {
    {
      std::ofstream out(temp, std::ios::binary);
      out << html;
      if (!out) throw sim::RuntimeError(path + ": cannot be written");
    }
    sim::ThrowIfStopped(stop);
    std::filesystem::rename(temp, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace lclab::experiments::html
