// The HTML report of a study's summary.h5 (docs/report.md "A study"): health
// (failed runs, an audit that misses its nominal rates), the leaderboard per
// scenario and axis point with each strategy's paired difference from the
// baseline drawn as an interval, sweeps along each axis, the objective
// across replications, and the statistics audit against its nominal lines.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "experiments/report/html_parts.h"
#include "experiments/report/html_report.h"
#include "experiments/report/svg.h"

namespace lclab::experiments {
namespace {

using namespace html;  // NOLINT: the reports' shared parts
using svg::Escape;

constexpr double kNominalAlpha = 0.05, kNominalCoverage = 0.95;  // the audit's targets (docs/studies.md)

std::string Header(const Source& s, const std::string& h5_path) {
  std::string out = "<header><h1>Study " + Escape(s.AttrString("/", "study")) + "</h1>\n<p class=\"meta\">objective " +
                    Escape(s.AttrString("/", "objective")) + " (" + Escape(s.AttrString("/", "direction")) +
                    " is better) &middot; baseline " + Escape(s.AttrString("/", "baseline")) + " &middot; " +
                    std::to_string(s.AttrI64("/", "replications")) + " replications &middot; " +
                    Count(static_cast<double>(s.AttrI64("/", "runs"))) + " runs (" +
                    std::to_string(s.AttrI64("/", "failed")) + " failed) &middot; seed " +
                    std::to_string(s.AttrI64("/", "seed")) + " &middot; lclab " +
                    Escape(s.AttrString("/", "lclab_version")) + " (" + Escape(s.AttrString("/", "build_id")) +
                    ")</p>\n<p class=\"meta\">from <code>" + Escape(h5_path) + "</code> &middot; run as <code>" +
                    Escape(s.AttrString("/", "command_line")) + "</code></p>\n";
  return out + "<details><summary>The study file</summary><pre>" + Escape(s.AttrString("/", "study_file")) +
         "</pre></details><details><summary>The base config</summary><pre>" +
         Escape(s.AttrString("/", "base_config")) + "</pre></details></header>\n";
}

// "strategy (scenario, point): kpi, arm, method": one audit row.
std::string AuditLabel(const Table& a, std::size_t i) {
  std::string cell = a.Str("strategy", i) + " (" + a.Str("scenario", i);
  if (a.Num("point", i) > 0) cell += ", point " + std::to_string(static_cast<int>(a.Num("point", i)));
  return cell + "): " + a.Str("kpi", i) + ", " + a.Str("arm", i) + ", " + a.Str("method", i);
}

std::string HealthSection(const Source& s, const Table& audit) {
  std::vector<Health> h;
  const std::int64_t failed = s.AttrI64("/", "failed");
  h.push_back({failed > 0 ? "alarm" : "ok", "runs", "study",
               std::to_string(failed) + " of " + Count(static_cast<double>(s.AttrI64("/", "runs"))) +
                   " runs failed" + (failed > 0 ? ": their cells have fewer replications" : "")});
  for (std::size_t i = 0; i < audit.rows; ++i) {
    const bool null = audit.Num("null_effect", i) == 1;
    const double lo = audit.Num("rejection_low", i), hi = audit.Num("rejection_high", i);
    if (null && std::isfinite(lo) && (lo > kNominalAlpha || hi < kNominalAlpha))
      h.push_back({lo > kNominalAlpha ? "alarm" : "warn", "false positive rate", AuditLabel(audit, i),
                   Fmt(100 * audit.Num("rejection_rate", i), 1) + "% [" + Fmt(100 * lo, 1) + "%, " + Fmt(100 * hi, 1) +
                       "%] excludes the nominal 5%"});
    const double clo = audit.Num("coverage_low", i), chi = audit.Num("coverage_high", i);
    if (std::isfinite(clo) && (chi < kNominalCoverage || clo > kNominalCoverage))
      h.push_back({chi < kNominalCoverage ? "alarm" : "warn", "coverage", AuditLabel(audit, i),
                   Fmt(100 * audit.Num("coverage", i), 1) + "% [" + Fmt(100 * clo, 1) + "%, " + Fmt(100 * chi, 1) +
                       "%] excludes the nominal 95%"});
  }
  std::string out = "<section id=\"health\"><h2>Health checks</h2>\n<p class=\"how\">Failed runs leave cells with "
                    "fewer replications; an audit rate whose interval excludes its nominal value means a method "
                    "misbehaves in that cell (checked only with the oracle).</p>\n";
  return out + HealthTable(h) + "</section>\n";
}

// Each axis point's description, "axis = value, ..." (an axis that sets several keys shows its first).
std::map<int, std::string> PointNames(const Table& points) {
  std::map<int, std::string> names;
  std::set<std::pair<int, std::string>> seen;
  for (std::size_t i = 0; i < points.rows; ++i) {
    const int p = static_cast<int>(points.Num("point", i));
    if (!seen.insert({p, points.Str("axis", i)}).second) continue;
    std::string& n = names[p];
    n += (n.empty() ? "" : ", ") + points.Str("axis", i) + " = " + points.Str("value", i);
  }
  return names;
}

std::string LeaderboardSection(const Table& board, const Table& points, const std::string& objective) {
  const std::map<int, std::string> point_names = PointNames(points);
  std::string out = "<section id=\"leaderboard\"><h2>Leaderboard</h2>\n<p class=\"how\">Strategies are compared "
                    "with the baseline on the same seeds (paired), so the difference's interval is narrower than the "
                    "two means' intervals suggest.</p>\n";
  const bool axes = points.rows > 0;
  out += "<table><tr><th>scenario</th>" + std::string(axes ? "<th>point</th>" : "") + "<th>strategy</th><th>n</th><th>mean [95% CI]</th>"
         "<th>difference from baseline [95% CI]</th><th>p</th><th>variance cut by pairing</th><th>wins</th>"
         "<th>regret</th></tr>\n";
  std::map<std::string, std::vector<svg::ForestRow>> by_scenario;
  std::vector<std::string> scenarios;
  for (std::size_t i = 0; i < board.rows; ++i) {
    const bool baseline = board.Num("baseline", i) == 1;
    const std::string scenario = board.Str("scenario", i);
    const int point = static_cast<int>(board.Num("point", i));
    const std::string where = point_names.count(point) ? point_names.at(point) : "";
    out += "<tr><td>" + Escape(scenario) + "</td>" + (axes ? "<td>" + Escape(where) + "</td>" : "") + "<td>" +
           Escape(board.Str("strategy", i)) + (baseline ? " (baseline)" : "") + "</td><td class=\"num\">" +
           Count(board.Num("n", i)) + "</td><td class=\"num\">" + KpiValue(objective, board.Num("mean", i)) + " [" +
           KpiValue(objective, board.Num("ci_low", i)) + ", " + KpiValue(objective, board.Num("ci_high", i)) +
           "]</td><td class=\"num\">" +
           (baseline ? "&ndash;"
                     : KpiLift(objective, board.Num("diff", i), board.Num("diff_low", i), board.Num("diff_high", i))) +
           "</td><td class=\"num\">" + PValue(board.Num("p_value", i)) + "</td><td class=\"num\">" +
           (baseline ? "&ndash;" : Fmt(100 * board.Num("variance_reduction", i), 0) + "%") + "</td><td class=\"num\">" +
           Fmt(100 * board.Num("win_share", i), 0) + "%</td><td class=\"num\">" +
           KpiDiff(objective, board.Num("regret", i)) + "</td></tr>\n";
    if (baseline) continue;
    if (!by_scenario.count(scenario)) scenarios.push_back(scenario);
    by_scenario[scenario].push_back({board.Str("strategy", i) + (where.empty() ? "" : " @ " + where),
                                     board.Num("diff", i), board.Num("diff_low", i), board.Num("diff_high", i), NAN,
                                     NAN, NAN, NAN});
  }
  out += "</table>\n";
  for (const std::string& scenario : scenarios)
    out += Figure(svg::ForestPlot("Difference from the baseline: " + objective + " (" + scenario + ")",
                                  objective + ", better direction", by_scenario[scenario], false, "",
                                  "Each row is a strategy (at an axis point): the dot is its mean paired difference "
                                  "from the baseline, in the better direction; right of the dashed line is better."));
  return out + "</section>\n";
}

// Along each axis: the objective's mean (with its interval) per strategy, for each scenario.
std::string SweepSection(const Table& board, const Table& points, const std::string& objective) {
  if (points.rows == 0) return "";
  std::map<std::string, std::map<int, double>> axis_x;  // axis -> point -> the axis's first numeric key's value
  for (std::size_t i = 0; i < points.rows; ++i) {
    const std::string axis = points.Str("axis", i);
    const int p = static_cast<int>(points.Num("point", i));
    if (std::isfinite(points.Num("number", i)) && !axis_x[axis].count(p)) axis_x[axis][p] = points.Num("number", i);
  }
  std::string out = "<section id=\"sweeps\"><h2>Sweeps</h2>\n";
  std::set<std::string> scenarios;
  for (std::size_t i = 0; i < board.rows; ++i) scenarios.insert(board.Str("scenario", i));
  for (const auto& [axis, xs] : axis_x) {
    if (xs.size() < 2) continue;
    for (const std::string& scenario : scenarios) {
      std::map<std::string, svg::Series> by_strategy;
      for (std::size_t i = 0; i < board.rows; ++i) {
        const auto at = xs.find(static_cast<int>(board.Num("point", i)));
        if (board.Str("scenario", i) != scenario || at == xs.end()) continue;
        svg::Series& s = by_strategy[board.Str("strategy", i)];
        s.name = board.Str("strategy", i);
        s.x.push_back(at->second), s.y.push_back(board.Num("mean", i));
        s.low.push_back(board.Num("ci_low", i)), s.high.push_back(board.Num("ci_high", i));
      }
      std::vector<svg::Series> series;
      for (auto& [name, s] : by_strategy) series.push_back(s);
      out += Figure(svg::LineChart(objective + " along " + axis + " (" + scenario + ")", axis, objective, series, {},
                                   false, "Each line is a strategy's mean over replications at each point of the "
                                          "axis; the band is its 95% interval."));
    }
  }
  return out + "</section>\n";
}

// The objective's value in every replication: per scenario, a row per strategy (and axis point).
std::string ReplicationSection(const Table& run_kpis, const Table& points, const std::string& objective) {
  const std::map<int, std::string> point_names = PointNames(points);
  std::map<std::string, std::map<std::string, svg::StripRow>> rows;  // scenario -> row label -> values
  std::map<std::string, std::vector<std::string>> order;
  for (std::size_t i = 0; i < run_kpis.rows; ++i) {
    if (run_kpis.Str("kpi", i) != objective) continue;
    const std::string scenario = run_kpis.Str("scenario", i);
    const int point = static_cast<int>(run_kpis.Num("point", i));
    const std::string label =
        run_kpis.Str("strategy", i) + (point_names.count(point) ? " @ " + point_names.at(point) : std::string());
    if (!rows[scenario].count(label)) order[scenario].push_back(label), rows[scenario][label].label = label;
    rows[scenario][label].values.push_back(run_kpis.Num("value", i));
  }
  std::string out = "<section id=\"replications\"><h2>Across replications</h2>\n";
  for (const auto& [scenario, labels] : order) {
    std::vector<svg::StripRow> strip;
    for (const std::string& l : labels) strip.push_back(rows[scenario][l]);
    out += Figure(svg::Strip(objective + " in each replication (" + scenario + ")", objective, strip, false,
                             "Each dot is one replication's value; the bar is the mean. Replications share seeds "
                             "across strategies, which is why the paired differences above are tighter."));
  }
  return out + "</section>\n";
}

// Rejection rates and coverage with their binomial intervals against the nominal lines.
std::string AuditSection(const Table& audit) {
  if (audit.rows == 0)
    return "<section id=\"audit\"><h2>Statistics audit</h2><p>No audit: the study ran without the oracle "
           "(study.oracle = true gives one).</p></section>\n";
  std::vector<svg::ForestRow> fpr, power, coverage;
  for (std::size_t i = 0; i < audit.rows; ++i) {
    const svg::ForestRow rate{AuditLabel(audit, i), audit.Num("rejection_rate", i), audit.Num("rejection_low", i),
                              audit.Num("rejection_high", i), NAN, NAN, NAN, NAN};
    (audit.Num("null_effect", i) == 1 ? fpr : power).push_back(rate);
    if (std::isfinite(audit.Num("coverage", i)))
      coverage.push_back({AuditLabel(audit, i), audit.Num("coverage", i), audit.Num("coverage_low", i),
                          audit.Num("coverage_high", i), NAN, NAN, NAN, NAN});
  }
  std::string out = "<section id=\"audit\"><h2>Statistics audit</h2>\n";
  if (!fpr.empty())
    out += Figure(svg::ForestPlot("False positive rate where the true effect is 0", "share of replications significant",
                                  fpr, true, "", "Each row is a method in a cell: the dot is how often it declared "
                                                 "an effect that is not there, with its Wilson interval; the dashed "
                                                 "line is the nominal 5%.", kNominalAlpha));
  if (!power.empty())
    out += Figure(svg::ForestPlot("Power where the true effect is not 0", "share of replications significant", power,
                                  true, "", "Each row is a method in a cell: how often it found the real effect, "
                                            "with its Wilson interval.", 0.0));
  if (!coverage.empty())
    out += Figure(svg::ForestPlot("Coverage of the intervals", "share of intervals containing the true effect",
                                  coverage, true, "", "Each row is a method in a cell: how often its interval "
                                                      "contained the truth; the dashed line is the nominal 95%.",
                                  kNominalCoverage));
  return out + "</section>\n";
}

}  // namespace

void WriteStudyHtmlReport(const std::string& h5_path, const std::string& html_path, const sim::StopFlag* stop) {
  const Source s(h5_path, "study");
  const Table board = s.ReadTable("/leaderboard"), points = s.ReadTable("/points"), audit = s.ReadTable("/audit");
  const Table run_kpis = s.ReadTable("/run_kpis");
  const std::string objective = s.AttrString("/", "objective");
  std::string body = Header(s, h5_path) + HealthSection(s, audit) + LeaderboardSection(board, points, objective);
  sim::ThrowIfStopped(stop);
  body += SweepSection(board, points, objective) + ReplicationSection(run_kpis, points, objective) + AuditSection(audit);
  WriteAtomically(html_path, Page("lclab study report: " + s.AttrString("/", "study"), body), stop);
}

}  // namespace lclab::experiments
