#include "experiments/study/study_report.h"

#include <cmath>
#include <filesystem>

#include "experiments/report/csv_table.h"
#include "experiments/report/format.h"
#include "experiments/report/h5_table.h"
#include "experiments/report/hdf5_report.h"
#include "lclab/version.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

// --- the tables, listed once ----------------------------------------------------

struct RunRow {
  const PlannedRun* run;
  const RunRecord* record;
};
struct RunKpiRow {
  const PlannedRun* run;
  int kpi;
  double value;
};
struct PointRow {
  int point;
  std::string axis, key, value;
  double number;
};

const std::string& Name(const std::vector<StudyVariant>& v, int i) { return v[i].name; }

// The runs, their KPIs and the axis points.
template <class Sink>
void RunTables(Sink& sink, const StudyConfig& s, const StudyPlan& plan, const std::vector<RunRecord>& records) {
  const auto& cells = plan.cells;
  const auto& pdefs = models::ProgrammeKpiDefinitions();
  std::vector<RunRow> runs;
  std::vector<RunKpiRow> kpis;
  for (const PlannedRun& r : plan.runs) {
    runs.push_back({&r, &records[r.index]});
    const RunRecord& rec = records[r.index];
    for (std::size_t k = 0; k < rec.metrics.size(); ++k) kpis.push_back({&r, s.collect[k], rec.metrics[k]});
  }
  auto strategy = [&](int cell) { return Name(s.strategies, cells[cell].strategy); };
  auto scenario = [&](int cell) { return Name(s.scenarios, cells[cell].scenario); };
  auto point = [&](int cell) { return cells[cell].point; };
  sink.Table("runs", runs, Col("index", [](const RunRow& r) { return r.run->index; }),
             Col("id", [](const RunRow& r) { return r.run->id; }),
             Col("strategy", [&](const RunRow& r) { return strategy(r.run->cell); }),
             Col("scenario", [&](const RunRow& r) { return scenario(r.run->cell); }),
             Col("point", [&](const RunRow& r) { return point(r.run->cell); }),
             Col("replication", [](const RunRow& r) { return r.run->replication; }),
             Col("seed", [](const RunRow& r) { return static_cast<std::int64_t>(r.run->seed); }),
             Col("status", [](const RunRow& r) { return std::string(r.record->ok ? "ok" : "failed"); }),
             Col("error", [](const RunRow& r) { return r.record->error; }),
             Col("seconds", [](const RunRow& r) { return r.record->seconds; }));
  sink.Table("run_kpis", kpis, Col("run", [](const RunKpiRow& r) { return r.run->index; }),
             Col("strategy", [&](const RunKpiRow& r) { return strategy(r.run->cell); }),
             Col("scenario", [&](const RunKpiRow& r) { return scenario(r.run->cell); }),
             Col("point", [&](const RunKpiRow& r) { return point(r.run->cell); }),
             Col("replication", [](const RunKpiRow& r) { return r.run->replication; }),
             Col("seed", [](const RunKpiRow& r) { return static_cast<std::int64_t>(r.run->seed); }),
             Col("kpi", [&](const RunKpiRow& r) { return std::string(pdefs[r.kpi].name); }),
             Col("value", &RunKpiRow::value));
  std::vector<PointRow> points;
  for (int p = 0; p < static_cast<int>(plan.points.size()); ++p)
    for (std::size_t a = 0; a < s.axes.size(); ++a)
      for (std::size_t k = 0; k < s.axes[a].keys.size(); ++k) {
        const int v = plan.points[p][a];
        points.push_back({p, s.axes[a].name, s.axes[a].keys[k], s.axes[a].values[v][k], s.axes[a].numbers[v][k]});
      }
  sink.Table("points", points, Col("point", &PointRow::point), Col("axis", &PointRow::axis),
             Col("key", &PointRow::key), Col("value", &PointRow::value), Col("number", &PointRow::number));
}

template <class Sink>
void LeaderboardTable(Sink& sink, const StudyConfig& s, const StudySummary& sum) {
  const auto& pdefs = models::ProgrammeKpiDefinitions();
  sink.Table("leaderboard", sum.leaderboard,
             Col("scenario", [&](const LeaderRow& r) { return Name(s.scenarios, r.scenario); }),
             Col("point", &LeaderRow::point),
             Col("strategy", [&](const LeaderRow& r) { return Name(s.strategies, r.strategy); }),
             Col("baseline", [&](const LeaderRow& r) { return r.strategy == s.baseline; }),
             Col("objective", [&](const LeaderRow&) { return std::string(pdefs[s.objective].name); }),
             Col("n", &LeaderRow::n), Col("failed", &LeaderRow::failed),
             Col("mean", [](const LeaderRow& r) { return r.objective.estimate; }),
             Col("ci_low", [](const LeaderRow& r) { return r.objective.low; }),
             Col("ci_high", [](const LeaderRow& r) { return r.objective.high; }), Col("pairs", &LeaderRow::pairs),
             Col("diff", [](const LeaderRow& r) { return r.difference.estimate; }),
             Col("diff_low", [](const LeaderRow& r) { return r.difference.low; }),
             Col("diff_high", [](const LeaderRow& r) { return r.difference.high; }),
             Col("p_value", &LeaderRow::p_value), Col("se_paired", [](const LeaderRow& r) { return r.difference.se; }),
             Col("se_unpaired", &LeaderRow::se_unpaired), Col("variance_reduction", &LeaderRow::variance_reduction),
             Col("win_share", &LeaderRow::win_share), Col("regret", &LeaderRow::regret));
}

// The audit and the decisions' regret.
template <class Sink>
void AuditTables(Sink& sink, const StudyConfig& s, const StudySummary& sum) {
  const auto& cdefs = models::CampaignKpiDefinitions();
  const double conf = 0.95;
  auto rate = [conf](const Rate AuditRow::*m, int part) {
    return [m, part, conf](const AuditRow& r) {
      const Interval w = (r.*m).Wilson(conf);
      return part == 0 ? w.estimate : part == 1 ? w.low : w.high;
    };
  };
  sink.Table("audit", sum.audit, Col("scenario", [&](const AuditRow& r) { return Name(s.scenarios, r.scenario); }),
             Col("point", &AuditRow::point),
             Col("strategy", [&](const AuditRow& r) { return Name(s.strategies, r.strategy); }),
             Col("campaign", &AuditRow::campaign),
             Col("kpi", [&](const AuditRow& r) { return std::string(cdefs[r.kpi].name); }), Col("arm", &AuditRow::arm),
             Col("method", [](const AuditRow& r) { return std::string(kAuditMethodNames[r.method]); }),
             Col("null_effect", &AuditRow::null_effect), Col("n", &AuditRow::n),
             Col("rejection_rate", rate(&AuditRow::significant, 0)), Col("rejection_low", rate(&AuditRow::significant, 1)),
             Col("rejection_high", rate(&AuditRow::significant, 2)),
             Col("significant", [](const AuditRow& r) { return r.wrong_sign.n; }),
             Col("type_s", rate(&AuditRow::wrong_sign, 0)), Col("type_s_low", rate(&AuditRow::wrong_sign, 1)),
             Col("type_s_high", rate(&AuditRow::wrong_sign, 2)), Col("coverage", rate(&AuditRow::covered, 0)),
             Col("coverage_low", rate(&AuditRow::covered, 1)), Col("coverage_high", rate(&AuditRow::covered, 2)),
             Col("bias", &AuditRow::bias), Col("exaggeration", &AuditRow::exaggeration));
  sink.Table("decisions", sum.decisions,
             Col("scenario", [&](const DecisionRow& r) { return Name(s.scenarios, r.scenario); }),
             Col("point", &DecisionRow::point),
             Col("strategy", [&](const DecisionRow& r) { return Name(s.strategies, r.strategy); }),
             Col("campaign", &DecisionRow::campaign),
             Col("kpi", [&](const DecisionRow& r) { return std::string(cdefs[r.kpi].name); }),
             Col("method", [](const DecisionRow& r) { return std::string(kAuditMethodNames[r.method]); }),
             Col("n", &DecisionRow::n), Col("regret", [](const DecisionRow& r) { return r.regret.estimate; }),
             Col("regret_low", [](const DecisionRow& r) { return r.regret.low; }),
             Col("regret_high", [](const DecisionRow& r) { return r.regret.high; }));
}

template <class Sink>
void StudyTables(Sink& sink, const StudyConfig& s, const StudyPlan& plan, const std::vector<RunRecord>& records,
                 const StudySummary& sum) {
  RunTables(sink, s, plan, records);
  LeaderboardTable(sink, s, sum);
  AuditTables(sink, s, sum);
}

struct H5Sink {
  sim::H5Writer& w;
  template <class Row, class... Gets>
  void Table(const std::string& name, const std::vector<Row>& rows, const Column<Gets>&... cols) {
    WriteTable(w, "/" + name, rows, cols...);
  }
};

struct CsvSink {
  std::string dir;
  template <class Row, class... Gets>
  void Table(const std::string& name, const std::vector<Row>& rows, const Column<Gets>&... cols) {
    WriteCsv((std::filesystem::path(dir) / (name + ".csv")).string(), rows, cols...);
  }
};

// --- text -----------------------------------------------------------------------

std::string PointText(const StudyConfig& s, const StudyPlan& plan, int point) {
  std::string t;
  for (std::size_t a = 0; a < s.axes.size(); ++a)
    t += (a ? ", " : "") + s.axes[a].name + " = " + s.axes[a].values[plan.points[point][a]].front();
  return t;
}

// "3 strategies", "1 point".
std::string Count(std::size_t n, const std::string& one, const std::string& many) {
  return Thousands(static_cast<std::int64_t>(n)) + " " + (n == 1 ? one : many);
}

std::string Percent(double v) { return std::isfinite(v) ? Fixed(100 * v, 1) + "%" : "-"; }

std::string RateText(const Rate& r) {
  if (r.n == 0) return "-";
  const Interval w = r.Wilson(0.95);
  return Percent(w.estimate) + " [" + Fixed(100 * w.low, 1) + ", " + Fixed(100 * w.high, 1) + "] of " +
         Thousands(r.n);
}

// One scenario's leaderboard; with axes, a column per axis (the sweep), the points in order.
void PrintLeaderboard(std::ostream& os, const StudyConfig& s, const StudyPlan& plan, const StudySummary& sum,
                      int scenario) {
  const models::KpiDef& d = models::ProgrammeKpiDefinitions()[s.objective];
  const std::string base = s.strategies[s.baseline].name;
  std::vector<std::vector<std::string>> t;
  std::vector<std::string> head;
  for (const auto& a : s.axes) head.push_back(a.name);
  const std::size_t axis_columns = head.size();
  for (const char* h : {"strategy", "n"}) head.push_back(h);
  head.push_back(std::string(d.name) + " [95% CI]");
  head.push_back("vs " + base + ", paired [95% CI]");
  for (const char* h : {"p", "wins", "regret", "pairing cut variance by"}) head.push_back(h);
  t.push_back(head);
  for (const LeaderRow& r : sum.leaderboard) {
    if (r.scenario != scenario) continue;
    std::vector<std::string> row;
    for (std::size_t a = 0; a < s.axes.size(); ++a) row.push_back(s.axes[a].values[plan.points[r.point][a]].front());
    row.push_back(s.strategies[r.strategy].name + (r.strategy == s.baseline ? " (baseline)" : ""));
    row.push_back(std::to_string(r.n) + (r.failed ? " (" + std::to_string(r.failed) + " failed)" : ""));
    const Interval& o = r.objective;
    row.push_back(FormatKpiValue(d, o.estimate) +
                  (std::isfinite(o.low) ? " [" + FormatKpiValue(d, o.low) + ", " + FormatKpiValue(d, o.high) + "]" : ""));
    const bool base_row = r.strategy == s.baseline;
    row.push_back(base_row ? "-" : FormatLift(d, r.difference));
    row.push_back(base_row ? "-" : FormatP(r.p_value));
    row.push_back(Percent(r.win_share));
    row.push_back(FormatKpiDiff(d, r.regret));
    row.push_back(base_row ? "-" : Percent(r.variance_reduction));
    t.push_back(row);
  }
  PrintTable(os, t, "  ", axis_columns + 1);
}

void PrintAudit(std::ostream& os, const StudyConfig& s, const StudyPlan& plan, const StudySummary& sum) {
  if (sum.audit.empty()) return;
  const auto& cdefs = models::CampaignKpiDefinitions();
  os << "\n=== Audit of the experiments' statistics against the oracle's truth (95% Wilson intervals)\n"
     << "  rejections: false positives when the true effect is 0 (nominal 5%), power otherwise; type S: significant "
        "with the wrong sign; type M: |estimate| / |truth| when significant\n";
  std::vector<std::vector<std::string>> t = {{"cell", "campaign", "kpi", "arm", "method", "truth", "rejections",
                                              "coverage", "bias", "type S", "type M"}};
  for (const AuditRow& r : sum.audit) {
    const int cell = plan.Cell(r.strategy, r.scenario, r.point, static_cast<int>(s.strategies.size()),
                               static_cast<int>(s.scenarios.size()));
    const models::KpiDef& d = cdefs[r.kpi];
    t.push_back({CellLabel(s, plan, cell), r.campaign, d.name, r.arm, kAuditMethodNames[r.method],
                 r.null_effect ? "zero" : "nonzero", RateText(r.significant), RateText(r.covered),
                 FormatKpiDiff(d, r.bias), r.wrong_sign.n ? Percent(r.wrong_sign.Wilson(0.95).estimate) : "-",
                 std::isfinite(r.exaggeration) ? Fixed(r.exaggeration, 2) : "-"});
  }
  PrintTable(os, t, "  ", 6);
  if (sum.decisions.empty()) return;
  os << "\n  Regret of the arm each method would ship (the best significant improvement of the first primary KPI, "
        "else the control), against the truly best arm:\n";
  std::vector<std::vector<std::string>> dt = {{"cell", "campaign", "kpi", "method", "n", "regret [95% CI]"}};
  for (const DecisionRow& r : sum.decisions) {
    const int cell = plan.Cell(r.strategy, r.scenario, r.point, static_cast<int>(s.strategies.size()),
                               static_cast<int>(s.scenarios.size()));
    dt.push_back({CellLabel(s, plan, cell), r.campaign, cdefs[r.kpi].name, kAuditMethodNames[r.method],
                  std::to_string(r.n), FormatLift(cdefs[r.kpi], r.regret)});
  }
  PrintTable(os, dt, "  ", 4);
}

}  // namespace

void PrintPlan(std::ostream& os, const StudyConfig& s, const StudyPlan& plan, int jobs, int threads) {
  os << "lclab study --plan: " << s.name << " (" << s.path << ")\n  "
     << Count(s.strategies.size(), "strategy", "strategies") << " x " << Count(s.scenarios.size(), "scenario", "scenarios")
     << " x " << Count(plan.points.size(), "point", "points") << " x "
     << Count(s.replications, "replication", "replications") << " = " << Count(plan.runs.size(), "run", "runs") << " ("
     << Thousands(plan.distinct_runs) << " distinct" << (s.oracle ? ", each with the oracle's replays" : "")
     << ")\n";
  std::vector<std::vector<std::string>> t = {{"cell", "strategy", "scenario", "point", "customer-days per run"}};
  for (int c = 0; c < static_cast<int>(plan.cells.size()); ++c)
    t.push_back({std::to_string(c), s.strategies[plan.cells[c].strategy].name,
                 s.scenarios[plan.cells[c].scenario].name,
                 s.axes.empty() ? "-" : PointText(s, plan, plan.cells[c].point),
                 sim::FormatSi(plan.cells[c].customer_days)});
  PrintTable(os, t, "  ", 4);
  // About 25 million customer-days a second per thread on the quickstart's model (docs/studies.md).
  const double seconds = plan.customer_days / (25e6 * std::max(1, jobs) * std::max(1, threads));
  os << "  total " << sim::FormatSi(plan.customer_days) << " customer-days; about " << sim::FormatDuration(seconds)
     << " with " << Count(jobs, "job", "jobs") << " x " << Count(threads, "thread", "threads") << "; memory about " << Fixed(plan.peak_bytes * jobs / (1024.0 * 1024 * 1024), 2)
     << " GiB (" << jobs << " x the largest run)\n";
}

void WritePlanCsv(const std::string& path, const StudyConfig& s, const StudyPlan& plan) {
  WriteCsv(path, plan.runs, Col("index", &PlannedRun::index), Col("id", &PlannedRun::id),
           Col("strategy", [&](const PlannedRun& r) { return s.strategies[plan.cells[r.cell].strategy].name; }),
           Col("scenario", [&](const PlannedRun& r) { return s.scenarios[plan.cells[r.cell].scenario].name; }),
           Col("point", [&](const PlannedRun& r) { return plan.cells[r.cell].point; }),
           Col("point_values", [&](const PlannedRun& r) { return PointText(s, plan, plan.cells[r.cell].point); }),
           Col("replication", &PlannedRun::replication),
           Col("seed", [](const PlannedRun& r) { return static_cast<std::int64_t>(r.seed); }),
           Col("customer_days", [&](const PlannedRun& r) { return plan.cells[r.cell].customer_days; }));
}

void WriteStudySummary(const std::string& path, const StudyConfig& s, const StudyPlan& plan,
                       const std::vector<RunRecord>& records, const StudySummary& sum, const StudyInfo& info,
                       const sim::StopFlag* stop) {
  sim::H5Writer w(path, stop);
  H5Sink sink{w};
  StudyTables(sink, s, plan, records, sum);
  w.AttrString("/", "layout", kOutputLayout);
  w.AttrString("/", "kind", "study");
  w.AttrString("/", "study", s.name);
  w.AttrString("/", "study_file", s.text);
  w.AttrString("/", "study_path", s.path);
  w.AttrString("/", "base_config", s.base_text);
  w.AttrString("/", "command_line", info.command_line);
  w.AttrString("/", "lclab_version", kVersion);
  w.AttrString("/", "build_id", kBuildId);
  w.AttrString("/", "plan", plan.hash);
  w.AttrI64("/", "seed", static_cast<std::int64_t>(s.seed));
  w.AttrI64("/", "replications", s.replications);
  w.AttrString("/", "objective", models::ProgrammeKpiDefinitions()[s.objective].name);
  w.AttrString("/", "direction", s.higher_is_better ? "higher" : "lower");
  w.AttrString("/", "baseline", s.strategies[s.baseline].name);
  w.AttrI64("/", "runs", sum.runs);
  w.AttrI64("/", "failed", sum.failed);
  w.AttrI64("/", "oracle", s.oracle);
  w.Commit();
}

void WriteStudyCsv(const std::string& dir, const StudyConfig& s, const StudyPlan& plan,
                   const std::vector<RunRecord>& records, const StudySummary& sum) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw sim::RuntimeError("cannot create " + dir + ": " + ec.message());
  CsvSink sink{dir};
  StudyTables(sink, s, plan, records, sum);
}

void PrintStudySummary(std::ostream& os, const StudyConfig& s, const StudyPlan& plan, const StudySummary& sum,
                       const StudyInfo& info) {
  const models::KpiDef& d = models::ProgrammeKpiDefinitions()[s.objective];
  os << "lclab " << kVersion << "  study " << s.name << " (" << s.path << ")\n"
     << Count(sum.runs, "run", "runs") << " (" << Thousands(plan.distinct_runs) << " distinct; "
     << Count(s.strategies.size(), "strategy", "strategies") << " x " << Count(s.scenarios.size(), "scenario", "scenarios")
     << " x " << Count(plan.points.size(), "point", "points") << " x "
     << Count(s.replications, "replication", "replications") << "), "
     << (info.jobs > 0 ? Count(info.jobs, "job", "jobs") + " x " + Count(info.threads, "thread", "threads") + ", " +
                             sim::FormatDuration(info.seconds)
                       : "merged from its shards")
     << "; " << sum.failed << " failed\n"
     << "objective: " << d.name << " over the whole population (" << (s.higher_is_better ? "higher" : "lower")
     << " is better); differences against \"" << s.strategies[s.baseline].name
     << "\" paired by seed (every strategy sees the same customers and the same luck in a replication)\n";
  for (int sc = 0; sc < static_cast<int>(s.scenarios.size()); ++sc) {
    os << "\n=== Scenario \"" << s.scenarios[sc].name << "\"" << (s.axes.empty() ? "" : ": sweep over the axes")
       << "\n";
    PrintLeaderboard(os, s, plan, sum, sc);
  }
  PrintAudit(os, s, plan, sum);
  if (!sum.failures.empty()) {
    os << "\n" << sum.failed << " run" << (sum.failed == 1 ? "" : "s") << " failed:\n";
    for (const auto& f : sum.failures) os << "  " << f << "\n";
  }
}

}  // namespace lclab::experiments
