// The decision block of the text summary: what to ship, whether the
// guardrails held, whether the split can be trusted, and what the allocation
// cost.
#include <cmath>
#include <cstdio>

#include "experiments/report/format.h"
#include "experiments/report/summary_parts.h"

namespace lclab::experiments {
namespace {

std::string FormatSrm(const SrmSummary& s, const std::vector<std::string>& names) {
  std::string obs, exp;
  for (std::size_t a = 0; a < s.observed.size(); ++a) {
    obs += (a ? " / " : "") + Thousands(static_cast<std::int64_t>(s.observed[a]));
    exp += (a ? " / " : "") + Thousands(std::llround(s.expected[a]));
  }
  std::string out = obs + " against " + exp + " expected (";
  for (std::size_t a = 0; a < names.size(); ++a) out += (a ? " / " : "") + names[a];
  char buf[96];
  std::snprintf(buf, sizeof buf, "): chi2 = %.2f, df %d, p = %.3g", s.test.chi2, s.test.df, s.test.p_value);
  return out + buf;
}

// The sequential verdict of a primary KPI and arm: the day it decided and that day's interval, or the
// last day's interval without a decision. (The intervals are per day, not intersected: a later day's
// can include 0 after an earlier one excluded it, when the effect changes as customers age.)
std::string SequentialVerdict(const models::KpiDef& d, const KpiRow& row, const std::vector<SequentialSeries>& seq) {
  std::string verdict = "-";
  for (const auto& s : seq) {
    if (s.kpi != row.kpi || s.arm != row.arm || s.cs.empty()) continue;
    verdict = s.decision > 0   ? "better from day " + std::to_string(s.decision_day + 1)
              : s.decision < 0 ? "worse from day " + std::to_string(s.decision_day + 1)
                               : "no decision";
    const bool decided = s.decision != 0 && s.decision_day >= 0 && s.decision_day < static_cast<int>(s.cs.size());
    const Interval& cs = decided ? s.cs[static_cast<std::size_t>(s.decision_day)] : s.cs.back();
    if (std::isfinite(cs.low)) verdict += " [" + FormatKpiDiff(d, cs.low) + ", " + FormatKpiDiff(d, cs.high) + "]";
  }
  return verdict;
}

// A guardrail's tolerance in the KPI's units: "+1.00 pp", "-0.12".
std::string Tolerance(const models::KpiDef& d, double tolerance) {
  return FormatKpiDiff(d, d.higher_is_better ? -tolerance : tolerance);
}

void PrintGuardrails(std::ostream& os, const std::vector<models::KpiDef>& defs, const std::vector<KpiRow>& rows,
                     const std::vector<std::string>& arm_names, int control, const std::string& ci) {
  std::vector<std::vector<std::string>> g = {{"guardrail kpi", "arm", "abs lift [" + ci + "]", "rel lift [" + ci + "]",
                                              "tolerated", "verdict"}};
  for (const KpiRow& row : rows) {
    if (row.role != KpiRole::kGuardrail || row.arm == control) continue;
    const models::KpiDef& d = defs[row.kpi];
    if (!row.has_comparison) {
      const std::string why = row.note != KpiNote::kNone ? NoteText(static_cast<int>(row.note), row.days_to_move)
                                                         : "not measurable against this control";
      g.push_back({KpiLabel(d), arm_names[row.arm], "-", "-", "-", why});
      continue;
    }
    g.push_back({KpiLabel(d), arm_names[row.arm], FormatLift(d, row.vs_control.abs), FormatRel(row.vs_control.rel),
                 Tolerance(d, row.guardrail_tolerance),
                 row.guardrail_breach ? "BREACH (worse beyond the tolerance)" : "ok"});
  }
  if (g.size() > 1) PrintTable(os, g, "  ");
}

// The allocation line (Thompson), the regret line and the oracle's coverage count.
void PrintAllocation(std::ostream& os, const RunResult& r, const CampaignResult& cr,
                     const std::vector<std::string>& names, int pct) {
  const AllocationResult& al = cr.allocation;
  const models::KpiDef& ad = models::CampaignKpiDefinitions()[al.kpi];
  if (al.adaptive) {
    const std::size_t arms = cr.arms.size(), days = al.weights.size() / arms;
    os << "  Allocation: Thompson sampling on " << ad.name << ", updated daily, min share "
       << Fixed(100 * al.min_share, 1) << "%; shares on the last day:";
    for (std::size_t a = 0; a < arms; ++a)
      os << " " << names[a] << " " << Fixed(100 * al.weights[(days - 1) * arms + a], 1) << "%";
    os << "\n";
  }
  if (al.best_arm >= 0 && std::isfinite(al.regret)) {
    const std::string unit = ad.unit == std::string("money")        ? "in money"
                             : ad.kind == models::KpiKind::kRatio     ? ad.numerator
                             : ad.kind == models::KpiKind::kProportion ? "customers"
                                                                       : ad.unit;
    os << "  Regret on " << ad.name << " against always sending \"" << names[al.best_arm] << "\" ("
       << (al.from_oracle ? "true values" : "estimated values") << "): " << Fixed(al.regret, 1) << " " << unit
       << " lost" << (al.adaptive ? "; fixed weights would have lost " + Fixed(al.fixed_regret, 1) : "") << "\n";
  }
  if (r.oracle) {
    int covered = 0, total = 0;
    for (const KpiRow& row : cr.kpis)
      if (row.covered >= 0) covered += row.covered, ++total;
    os << "  Oracle: " << covered << " of " << total << " " << pct << "% CIs of the lifts covered the true effect\n";
  }
}

}  // namespace

void PrintDecision(std::ostream& os, const std::vector<models::KpiDef>& defs, const std::vector<KpiRow>& rows,
                   const std::vector<std::string>& arm_names, int control,
                   const std::vector<SequentialSeries>& sequential, bool oracle, int pct) {
  const std::string ci = std::to_string(pct) + "% CI";
  std::vector<std::string> header = {"primary kpi", "arm", "abs lift [" + ci + "]", "CUPED [" + ci + "]", "var. cut",
                                     "p", "p Holm", "p BH"};
  if (!sequential.empty()) header.push_back("sequential (always valid)");
  if (oracle) header.push_back("true effect");
  std::vector<std::vector<std::string>> t = {header};
  int last = -1;
  std::vector<std::string> notes;
  for (const KpiRow& row : rows) {
    if (row.role != KpiRole::kPrimary || row.arm == control) continue;
    const models::KpiDef& d = defs[row.kpi];
    if (!row.has_comparison) {
      if (row.note != KpiNote::kNone)
        notes.push_back("  " + KpiLabel(d) + ", " + arm_names[row.arm] + ": " +
                        NoteText(static_cast<int>(row.note), row.days_to_move) + "\n");
      continue;
    }
    const bool cuped = row.has_cuped && std::isfinite(row.cuped.abs.estimate);
    std::vector<std::string> line = {row.kpi == last ? "" : d.name, arm_names[row.arm],
                                     FormatLift(d, row.vs_control.abs), cuped ? FormatLift(d, row.cuped.abs) : "-",
                                     cuped ? Fixed(std::round(100 * row.variance_reduction) + 0.0, 0) + "%" : "-",
                                     FormatP(row.vs_control.p_value), FormatP(row.p_holm), FormatP(row.p_bh)};
    last = row.kpi;
    if (!sequential.empty()) line.push_back(SequentialVerdict(d, row, sequential));
    if (oracle)
      line.push_back(FormatKpiDiff(d, row.true_effect) +
                     (row.covered == 1 ? " covered" : row.covered == 0 ? " MISSED" : ""));
    t.push_back(line);
  }
  if (t.size() > 1) PrintTable(os, t, "  ");
  for (const auto& n : notes) os << n;
  PrintGuardrails(os, defs, rows, arm_names, control, ci);
}

void PrintSrm(std::ostream& os, const char* what, const SrmSummary& s, const std::vector<std::string>& names) {
  if (s.observed.empty() || s.test.df <= 0) return;
  os << "  Sample ratio (" << what << "): " << FormatSrm(s, names);
  if (s.test.alarm)
    os << "\n  *** SRM ALARM: p < 0.001. The split does not match the allocation, so assignment or logging is "
          "broken and these comparisons are not trustworthy.\n";
  else
    os << ", ok\n";
}

void PrintCampaignDecision(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c, int pct) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const CampaignResult& cr = r.campaigns[c];
  std::vector<std::string> names;
  for (const auto& a : cr.arms) names.push_back(a.name);
  os << "\n  Decision (lift against \"" << cc.arms[cc.control_arm].name << "\"; Holm and Benjamini-Hochberg over "
     << "primary KPIs x arms; sequential: mixture SPRT confidence sequence, alpha " << Fixed(1 - cfg.confidence, 2)
     << ", looked at daily, Holm over the series)\n";
  PrintDecision(os, models::CampaignKpiDefinitions(), cr.kpis, names, cc.control_arm, cr.sequential, r.oracle, pct);
  PrintSrm(os, "entered", cr.srm_entered, names);
  PrintSrm(os, "assigned", cr.srm_assigned, names);
  PrintAllocation(os, r, cr, names, pct);
}

}  // namespace lclab::experiments
