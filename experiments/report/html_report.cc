#include "experiments/report/html_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "experiments/config/error.h"
#include "experiments/report/format.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/report/html_parts.h"
#include "models/kpi.h"
#include "experiments/report/svg.h"
#include "sim/h5.h"

namespace lclab::experiments {
namespace {

using namespace html;  // NOLINT: the reports' shared parts
using svg::Escape;

// --- sections ---

std::string Header(const Source& s, const std::string& h5_path) {
  const auto& h = s.h5();
  std::string out = "<header><h1>" + Escape(s.AttrString("/", "programme")) + "</h1>\n<p class=\"meta\">";
  out += "config <code>" + Escape(s.AttrString("/", "config_path")) + "</code> &middot; seed " +
         std::to_string(h.AttrI64("/", "seed")) + " &middot; " + Count(static_cast<double>(s.AttrI64("/", "population_size"))) +
         " customers &middot; " + std::to_string(s.AttrI64("/", "warmup_days")) + " warm-up + " +
         std::to_string(s.AttrI64("/", "window_days")) + " window days &middot; lclab " +
         Escape(s.AttrString("/", "lclab_version")) + " (" + Escape(s.AttrString("/", "build_id")) + ")" +
         (s.AttrI64("/", "oracle") ? " &middot; with the oracle's true effects" : "") + " &middot; ran in " +
         Fmt(s.AttrF64("/", "seconds"), 1) + " s</p>\n";
  out += "<p class=\"meta\">from <code>" + Escape(h5_path) + "</code> &middot; run as <code>" +
         Escape(s.AttrString("/", "command_line")) + "</code></p>\n";
  out += "<details><summary>The resolved config</summary><pre>" + Escape(s.AttrString("/", "config")) +
         "</pre></details></header>\n";
  return out;
}

std::vector<std::string> Campaigns(const Source& s) {
  return s.h5().HasAttr("/", "campaigns") ? s.h5().AttrStrings("/", "campaigns") : std::vector<std::string>{};
}

void SrmHealth(const Source& s, const std::string& group, const std::string& where, std::vector<Health>& out) {
  if (!s.HasGroup(group)) return;
  const double p = s.AttrF64(group, "p_value"), chi2 = s.AttrF64(group, "chi2");
  const bool alarm = s.AttrI64(group, "alarm") != 0;
  out.push_back({alarm ? "alarm" : "ok", "sample ratio", where,
                 "chi2 = " + Fmt(chi2, 2) + ", p = " + Escape(FormatP(p)) +
                     (alarm ? ": the split does not match the design; the comparisons are suspect" : ": as designed")});
}

// Guardrail verdicts and the decision KPIs that cannot be judged; `arm_column` is "arm" ("group" for the
// programme), `control` the row every other is compared with.
void KpiHealth(const Table& k, const std::string& where, const std::string& arm_column, const std::string& control,
               std::vector<Health>& out) {
  for (std::size_t i = 0; i < k.rows; ++i) {
    const std::string role = k.Str("role", i), note = k.Str("note", i), arm = k.Str(arm_column, i), kpi = k.Str("kpi", i);
    if (arm == control) continue;
    if (role == "guardrail" && std::isfinite(k.Num("abs_lift", i))) {
      const bool breach = k.Num("guardrail_breach", i) == 1;
      out.push_back({breach ? "alarm" : "ok", "guardrail " + kpi, where + ": " + arm,
                     "lift " + KpiLift(kpi, k.Num("abs_lift", i), k.Num("abs_lift_ci_low", i), k.Num("abs_lift_ci_high", i)) +
                         ", tolerated " + KpiDiff(kpi, k.Num("guardrail_tolerance", i)) +
                         (breach ? ": breached" : ": holds")});
    }
    if ((role == "primary" || role == "guardrail") && !note.empty())
      out.push_back({"warn", role + " " + kpi, where + ": " + arm,
                     note == "not_observable"
                         ? "not observable in this window (needs " + std::to_string(static_cast<int>(k.Num("days_to_move", i))) +
                               " days without a purchase): no verdict"
                         : note == "too_few_customers" ? "too few customers for a comparison" : "no variation"});
  }
}

std::string HealthSection(const Source& s) {
  std::vector<Health> h;
  for (const std::string& c : Campaigns(s)) {
    SrmHealth(s, "/campaigns/" + c + "/srm_entered", c, h);
    KpiHealth(s.ReadTable("/campaigns/" + c + "/kpis"), c, "arm", s.AttrString("/campaigns/" + c, "control"), h);
  }
  SrmHealth(s, "/programme/srm", "programme", h);
  if (s.AttrF64("/", "global_control") > 0 && s.HasGroup("/programme/kpis"))
    KpiHealth(s.ReadTable("/programme/kpis"), "programme", "group", "global_control", h);
  std::string out = "<section id=\"health\"><h2>Health checks</h2>\n";
  out += "<p class=\"how\">Read these first: a sample-ratio alarm or a breached guardrail means the lifts below "
         "should not be acted on; a warning says a KPI cannot be judged in this window.</p>\n";
  if (h.empty()) return out + "<p>No campaign, so nothing to check.</p></section>\n";
  return out + HealthTable(h) + "</section>\n";
}

std::string Funnel(const Table& arms) {
  std::string out = "<h3>Message funnel</h3>\n<table><tr><th>arm</th><th>role</th><th>channel</th><th>entered</th>"
                    "<th>sends</th><th>delivered</th><th>opens</th><th>clicks</th><th>goals</th><th>unsubscribes</th></tr>\n";
  for (std::size_t i = 0; i < arms.rows; ++i) {
    const bool holdout = arms.Num("holdout", i) == 1, control = arms.Num("control", i) == 1;
    out += "<tr><td>" + Escape(arms.Str("name", i)) + "</td><td>" +
           std::string(control ? "control" : "variant") + (holdout ? ", holdout" : "") + "</td><td>" +
           (holdout ? "&ndash;" : Escape(arms.Str("channel", i))) + "</td>";
    for (const char* c : {"entered", "sends", "deliveries", "opens", "clicks", "goal_conversions", "unsubscribes"})
      out += "<td class=\"num\">" + Count(arms.Num(c, i)) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// One forest plot per primary and guardrail KPI: each non-control arm's absolute lift.
std::string LiftCharts(const Table& k, const std::string& control) {
  std::string out;
  std::vector<std::string> done;
  for (std::size_t i = 0; i < k.rows; ++i) {
    const std::string kpi = k.Str("kpi", i), role = k.Str("role", i);
    if ((role != "primary" && role != "guardrail") || std::find(done.begin(), done.end(), kpi) != done.end()) continue;
    done.push_back(kpi);
    const bool share = k.Str("unit", i) == "share";
    std::vector<svg::ForestRow> rows;
    for (std::size_t j = 0; j < k.rows; ++j) {
      if (k.Str("kpi", j) != kpi || k.Str("arm", j) == control) continue;
      svg::ForestRow r;
      r.label = k.Str("arm", j);
      r.estimate = k.Num("abs_lift", j), r.low = k.Num("abs_lift_ci_low", j), r.high = k.Num("abs_lift_ci_high", j);
      r.alt_estimate = k.Num("cuped_abs_lift", j), r.alt_low = k.Num("cuped_abs_lift_ci_low", j);
      r.alt_high = k.Num("cuped_abs_lift_ci_high", j), r.truth = k.Num("true_effect", j);
      rows.push_back(r);
    }
    if (rows.empty()) continue;
    out += Figure(svg::ForestPlot(role + ": " + kpi + ", lift against " + control,
                           share ? "absolute lift (percentage points of " + kpi + ")" : "absolute lift (" + kpi + ")",
                           rows, share, "CUPED estimate, 95% CI",
                           "Each row is an arm: the dot is its lift over " + control +
                               ", the line its 95% interval; an interval clear of the dashed zero line is significant."));
  }
  return out;
}

// The always-valid series of each primary KPI and arm, with the day a decision was reached.
std::string CumulativeCharts(const Source& s, const std::string& g, const Table& kpis) {
  if (!s.HasGroup(g + "/sequential") || !s.HasGroup(g + "/sequential_daily")) return "";
  const Table seq = s.ReadTable(g + "/sequential");
  if (seq.rows == 0) return "";
  const Dataset est = s.Read(g + "/sequential_daily/estimate"), lo = s.Read(g + "/sequential_daily/cs_low"),
                hi = s.Read(g + "/sequential_daily/cs_high");
  const std::size_t days = est.dims.size() == 2 ? est.dims[1] : 0;
  std::string out = "<h3>Lift over the window</h3>\n";
  for (std::size_t r = 0; r < seq.rows; ++r) {
    svg::Series series{seq.Str("arm", r) + " minus control", {}, {}, {}, {}};
    for (std::size_t d = 0; d < days; ++d) {
      series.x.push_back(static_cast<double>(d));
      series.y.push_back(est.numbers[r * days + d]);
      series.low.push_back(lo.numbers[r * days + d]), series.high.push_back(hi.numbers[r * days + d]);
    }
    bool share = false;  // the KPI's unit, from its rows in `kpis`
    for (std::size_t i = 0; i < kpis.rows; ++i)
      if (kpis.Str("kpi", i) == seq.Str("kpi", r)) share = kpis.Str("unit", i) == "share";
    std::vector<svg::Marker> markers;
    const double day = seq.Num("decision_day", r);
    if (day >= 0)
      markers.push_back({day, seq.Num("decision", r) > 0 ? "decided: better" : "decided: worse"});
    out += Figure(svg::LineChart(seq.Str("kpi", r) + ": " + seq.Str("arm", r) + " against the control, day by day",
                          "window day", share ? "lift (percentage points)" : "lift", {series}, markers, share,
                          "The line is the lift on the customers entered so far; the band is the always-valid "
                          "confidence sequence, which may be looked at every day."));
  }
  return out;
}

std::string FactorialCharts(const Source& s, const std::string& g) {
  if (!s.HasGroup(g + "/factorial")) return "";
  const Table f = s.ReadTable(g + "/factorial");
  std::map<std::string, std::vector<svg::ForestRow>> by_outcome;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < f.rows; ++i) {
    const std::string outcome = f.Str("outcome", i) + " (" + f.Str("scale", i) + ")";
    if (!by_outcome.count(outcome)) order.push_back(outcome);
    by_outcome[outcome].push_back(
        {f.Str("term", i), f.Num("estimate", i), f.Num("ci_low", i), f.Num("ci_high", i), NAN, NAN, NAN, f.Num("truth", i)});
  }
  if (order.empty()) return "";
  std::string out = "<h3>Factorial effects against their planted truth</h3>\n";
  for (const std::string& o : order)
    out += Figure(svg::ForestPlot("Effect on " + o, "effect against each factor's first level", by_outcome[o], false, "",
                           "Each row is a factor level or interaction: the dot is the regression's estimate, the "
                           "diamond the effect the config planted."));
  return out;
}

// Open rate by local delivery hour and arm, shaded from white to blue, with each arm's regret.
std::string SendTimeTable(const Source& s, const std::string& g, const Table& arms) {
  if (!s.HasGroup(g + "/send_hours")) return "";
  const Dataset rate = s.Read(g + "/send_hours/open_rate"), deliveries = s.Read(g + "/send_hours/deliveries");
  double top = 0;
  for (double v : rate.numbers)
    if (std::isfinite(v)) top = std::max(top, v);
  std::array<bool, 24> used{};
  for (std::size_t i = 0; i < deliveries.numbers.size(); ++i) used[i % 24] = used[i % 24] || deliveries.numbers[i] > 0;
  if (top <= 0 || std::count(used.begin(), used.end(), true) < 2) return "";  // one delivery hour: no send-time question
  std::string out = "<h3>Send time: open rate by local delivery hour</h3>\n<table class=\"heat\"><tr><th>arm</th>";
  for (int h = 0; h < 24; ++h) out += "<th>" + std::to_string(h) + "</th>";
  out += "<th>regret (opens)</th></tr>\n";
  for (std::size_t a = 0; a < arms.rows; ++a) {
    if (arms.Num("holdout", a) == 1) continue;
    out += "<tr><td>" + Escape(arms.Str("name", a)) + "</td>";
    for (std::size_t h = 0; h < 24; ++h) {
      const double v = rate.numbers[a * 24 + h], n = deliveries.numbers[a * 24 + h];
      if (!std::isfinite(v) || n == 0) {
        out += "<td></td>";
        continue;
      }
      const int shade = static_cast<int>(std::lround(255 - 180 * v / top));
      char style[64];
      std::snprintf(style, sizeof style, "background:rgb(%d,%d,255)", shade, std::min(255, shade + 30));
      out += "<td style=\"" + std::string(style) + "\" title=\"" + Count(n) + " delivered\">" + Fmt(100 * v, 1) + "</td>";
    }
    out += "<td class=\"num\">" + Fmt(arms.Num("oracle_opens", a) - arms.Num("expected_opens", a), 1) + "</td></tr>\n";
  }
  return out + "</table>\n<p class=\"how\">Cells are open rates (%) of messages delivered at that local hour; " +
         "darker is higher. Regret is the opens lost against sending each message at its recipient's best hour.</p>\n";
}

std::string AllocationChart(const Source& s, const std::string& g, const Table& arms) {
  if (!s.HasGroup(g + "/allocation") || s.AttrString(g + "/allocation", "method") != "thompson") return "";
  const Dataset w = s.Read(g + "/allocation/weights");
  if (w.dims.size() != 2) return "";
  std::vector<svg::Series> series;
  for (std::size_t a = 0; a < w.dims[1]; ++a) {
    svg::Series x{arms.Str("name", a), {}, {}, {}, {}};
    for (std::size_t d = 0; d < w.dims[0]; ++d) x.x.push_back(static_cast<double>(d)), x.y.push_back(w.numbers[d * w.dims[1] + a]);
    series.push_back(x);
  }
  return Figure(svg::LineChart("Thompson allocation: each arm's share of new customers", "window day", "share of entrants",
                        series, {}, true, "Shares move toward the arms that do better on " +
                                              s.AttrString(g + "/allocation", "kpi") + "; every arm keeps its floor."));
}

std::string CampaignSection(const Source& s, const std::string& c) {
  const std::string g = "/campaigns/" + c;
  const Table arms = s.ReadTable(g + "/arms"), kpis = s.ReadTable(g + "/kpis");
  const std::string control = s.AttrString(g, "control");
  std::string out = "<section class=\"campaign\"><h2>Campaign " + Escape(c) + "</h2>\n<p class=\"meta\">trigger " +
                    Escape(s.AttrString(g, "trigger")) + " &middot; goal " + Escape(s.AttrString(g, "goal_kpi")) +
                    " &middot; control " + Escape(control) + "</p>\n";
  out += Funnel(arms);
  out += "<h3>Lifts of the decision and guardrail KPIs</h3>\n" + LiftCharts(kpis, control);
  out += CumulativeCharts(s, g, kpis) + FactorialCharts(s, g) + SendTimeTable(s, g, arms) + AllocationChart(s, g, arms);
  return out + "</section>\n";
}

// Converted customers by engagement state (active, lapsed, inactive), stacked.
std::string EngagementChart(const Source& s, std::size_t days, std::size_t groups, double warmup) {
  const Dataset engaged = s.Read("/daily/engagement_counts"), names = s.Read("/daily/engagement_names");
  if (engaged.dims.size() != 3) return "";
  const std::size_t ne = engaged.dims[2];
  std::vector<svg::Series> series;
  for (std::size_t k = 0; k < ne; ++k) {
    svg::Series x{k < names.strings.size() ? names.strings[k] : std::to_string(k), {}, {}, {}, {}};
    for (std::size_t d = 0; d < days; ++d) {
      double sum = 0;
      for (std::size_t gi = 0; gi < groups; ++gi) sum += engaged.numbers[(d * groups + gi) * ne + k];
      x.x.push_back(static_cast<double>(d)), x.y.push_back(sum);
    }
    series.push_back(x);
  }
  return Figure(svg::StackedArea("Converted customers by engagement", "simulated day", "customers", series, warmup,
                                 "warm-up",
                                 "Active customers bought within lapse_days, lapsed within inactive_days, inactive "
                                 "longer ago: what a marketer can see."));
}

std::string PopulationSection(const Source& s) {
  const Dataset stages = s.Read("/daily/stage_counts");
  const Dataset names = s.Read("/daily/stage_names");
  if (stages.dims.size() != 3) return "";
  const std::size_t days = stages.dims[0], groups = stages.dims[1], ns = stages.dims[2];
  std::vector<svg::Series> series;
  for (std::size_t k = 0; k < ns; ++k) {
    svg::Series x{k < names.strings.size() ? names.strings[k] : std::to_string(k), {}, {}, {}, {}};
    for (std::size_t d = 0; d < days; ++d) {
      double sum = 0;
      for (std::size_t gi = 0; gi < groups; ++gi) sum += stages.numbers[(d * groups + gi) * ns + k];
      x.x.push_back(static_cast<double>(d)), x.y.push_back(sum);
    }
    series.push_back(x);
  }
  const double warmup = static_cast<double>(s.AttrI64("/", "warmup_days"));
  std::string out = "<section id=\"population\"><h2>The population</h2>\n" +
                    Figure(svg::StackedArea("Customers per lifecycle stage", "simulated day", "customers", series,
                                            warmup, "warm-up",
                                            "Each band is a stage's customers at the end of each day, stacked to the "
                                            "whole population; the pale part is the warm-up, before any campaign."));
  out += EngagementChart(s, days, groups, warmup);
  const Dataset alive = s.Read("/daily/alive"), engaged = s.Read("/daily/engagement_counts");
  svg::Series truth{"alive (latent truth)", {}, {}, {}, {}}, observed{"active (bought within lapse_days)", {}, {}, {}, {}};
  const std::size_t ne = engaged.dims.size() == 3 ? engaged.dims[2] : 1;
  for (std::size_t d = 0; d < days; ++d) {
    double a = 0, e = 0;
    for (std::size_t gi = 0; gi < groups; ++gi)
      a += alive.numbers[d * groups + gi], e += engaged.numbers[(d * groups + gi) * ne];
    truth.x.push_back(static_cast<double>(d)), truth.y.push_back(a);
    observed.x.push_back(static_cast<double>(d)), observed.y.push_back(e);
  }
  out += Figure(svg::LineChart("Alive customers against those a marketer sees as active", "simulated day", "customers",
                        {truth, observed}, {{warmup, "window starts"}}, false,
                        "Only a simulator knows who is still alive; the gap is the customers who will buy again "
                        "but have not lately.")) +
         "</section>\n";
  return out;
}

std::string ProgrammeSection(const Source& s) {
  if (!(s.AttrF64("/", "global_control") > 0) || !s.HasGroup("/programme/kpis")) return "";
  const Table k = s.ReadTable("/programme/kpis");
  std::string out = "<section id=\"programme\"><h2>The programme against its global control</h2>\n<table><tr><th>kpi</th>"
                    "<th>role</th><th>programme</th><th>global control</th><th>lift [95% CI]</th><th>p</th></tr>\n";
  for (std::size_t i = 0; i < k.rows; ++i) {
    if (k.Str("arm", i) == "global_control" || k.Str("group", i) == "global_control") continue;
    const std::string kpi = k.Str("kpi", i);
    double control = NAN;
    for (std::size_t j = 0; j < k.rows; ++j)
      if (k.Str("kpi", j) == kpi && j != i) control = k.Num("value", j);
    out += "<tr><td>" + Escape(kpi) + "</td><td>" + Escape(k.Str("role", i)) + "</td><td class=\"num\">" +
           KpiValue(kpi, k.Num("value", i)) + "</td><td class=\"num\">" + KpiValue(kpi, control) +
           "</td><td class=\"num\">" +
           KpiLift(kpi, k.Num("abs_lift", i), k.Num("abs_lift_ci_low", i), k.Num("abs_lift_ci_high", i)) +
           "</td><td class=\"num\">" + Escape(FormatP(k.Num("p_value", i))) + "</td></tr>\n";
  }
  return out + "</table></section>\n";
}


}  // namespace

void WriteHtmlReport(const std::string& h5_path, const std::string& html_path, const sim::StopFlag* stop) {
  if (KindOf(h5_path) == "study") {
    WriteStudyHtmlReport(h5_path, html_path, stop);
    return;
  }
  const Source s(h5_path, "run");
  s.Require("/daily/stage_counts");
  std::string body = Header(s, h5_path) + HealthSection(s);
  for (const std::string& c : Campaigns(s)) {
    sim::ThrowIfStopped(stop);
    body += CampaignSection(s, c);
  }
  body += PopulationSection(s) + ProgrammeSection(s);
  WriteAtomically(html_path, Page("lclab report: " + s.AttrString("/", "programme"), body), stop);
}

}  // namespace lclab::experiments
