#include "experiments/report/text_summary.h"

#include <algorithm>
#include <cmath>

#include "experiments/report/format.h"
#include "experiments/report/summary_parts.h"
#include "lclab/version.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

using Table = std::vector<std::vector<std::string>>;

std::string TriggerText(const CampaignConfig& cc) {
  const auto& p = cc.plan;
  std::string s = models::kTriggerNames[static_cast<int>(p.trigger)];
  if (p.trigger == models::Trigger::kEnterStage) s += " " + std::string(models::kStageNames[static_cast<int>(p.stage)]);
  if (p.delay_days) s += " +" + std::to_string(p.delay_days) + "d";
  return s;
}

// Headline KPIs of a campaign in the summary (all of them with --summary full): the goal's incremental
// KPI, orders and money, then the message funnel (attribution).
std::vector<std::string> HeadlineKpis(const CampaignConfig& cc) {
  const auto& defs = models::CampaignKpiDefinitions();
  std::vector<std::string> k = {defs[models::IncrementalKpiOf(cc.plan.goal)].name};
  for (const char* n : {"orders_per_customer", "revenue_per_customer", "net_revenue_per_customer",
                        "unsubscribed_rate", "open_rate", "click_rate", "goal_conversion_rate", "unsubscribe_rate"})
    if (std::find(k.begin(), k.end(), n) == k.end()) k.push_back(n);
  for (const auto* list : {&cc.primary_kpis, &cc.guardrail_kpis})  // the experiment's own KPIs always show
    for (int i : *list)
      if (std::find(k.begin(), k.end(), models::CampaignKpiDefinitions()[i].name) == k.end())
        k.push_back(models::CampaignKpiDefinitions()[i].name);
  return k;
}

void PrintKpiRows(std::ostream& os, const std::vector<models::KpiDef>& defs, const std::vector<KpiRow>& rows,
                  const std::vector<std::string>& arm_names, const std::vector<std::string>* only, int pct,
                  const char* arm_header) {
  const std::string ci = std::to_string(pct) + "% CI";
  Table table = {{"kpi", arm_header, "n", "value", "abs lift [" + ci + "]", "rel lift [" + ci + "]", "p"}};
  int last_kpi = -1;
  for (const auto& row : rows) {
    const auto& d = defs[row.kpi];
    if (row.moments.n == 0) continue;
    if (only && std::find(only->begin(), only->end(), d.name) == only->end()) continue;
    std::string name = row.kpi == last_kpi ? "" : KpiLabel(d);
    last_kpi = row.kpi;
    const bool h = row.has_comparison;
    std::vector<std::string> line = {name, arm_names[row.arm], Thousands(static_cast<std::int64_t>(row.moments.n)),
                                     FormatKpiValue(d, row.estimate.estimate)};
    if (h) {
      line.insert(line.end(), {FormatLift(d, row.vs_control.abs), FormatRel(row.vs_control.rel),
                               FormatP(row.vs_control.p_value)});
    } else if (row.note != KpiNote::kNone) {
      line.push_back(NoteText(static_cast<int>(row.note), row.days_to_move));  // runs past the lift columns
    }
    table.push_back(line);
  }
  PrintTable(os, table, "  ");
}

void PrintHeader(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  const double customer_days = static_cast<double>(r.customers) * r.days;
  os << "lclab " << kVersion << "  " << cfg.path << "  programme \"" << cfg.experiment_name << "\"  seed " << cfg.seed
     << "\n";
  os << Thousands(static_cast<std::int64_t>(r.customers)) << " customers x " << r.days << " days ("
     << cfg.clock.warmup_days << " warm-up + " << cfg.clock.window_days << " in the window), " << info.threads
     << (info.threads == 1 ? " thread, " : " threads, ") << Fixed(r.seconds, 2) << " s, "
     << sim::FormatSi(customer_days / r.seconds) << " customer-days/s\n";
}

void PrintArms(std::ostream& os, const CampaignConfig& cc, const CampaignResult& cr, const std::string& ci) {
  Table rows = {{"arm", "role", "channel", "entered", "sends", "delivered", "opens", "clicks", "goals", "unsubs",
                 "fatigue", "cost", "incr. net revenue [" + ci + "]"}};
  for (std::size_t a = 0; a < cr.arms.size(); ++a) {
    const auto& x = cr.arms[a];
    std::string role = x.control ? "control" : "variant";
    if (x.holdout) role += ",holdout";
    const auto& t = cc.arms[a].treatment;
    const Interval& inr = x.incremental_net_revenue;
    const std::string incr = std::isfinite(inr.estimate)
                                 ? Signed(inr.estimate, 0) + " [" + Signed(inr.low, 0) + ", " + Signed(inr.high, 0) + "]"
                                 : "";
    rows.push_back({x.name, role, x.holdout ? "-" : models::kChannelNames[static_cast<int>(t.channel)],
                    Thousands(x.entered), Thousands(x.sends), Thousands(x.deliveries), Thousands(x.opens),
                    Thousands(x.clicks), Thousands(x.goals), Thousands(x.unsubscribes), Fixed(x.mean_fatigue, 2),
                    Fixed(x.message_cost + x.incentive_cost, 0), incr});
  }
  PrintTable(os, rows, "  ");
}

void PrintFactorial(std::ostream& os, const CampaignResult& cr, const std::string& ci) {
  if (cr.factorial.empty()) return;
  os << "\n  Factorial effects against each factor's first level (estimate ± " << ci
     << " half-width; planted truth in parentheses)\n";
  const bool any_fit = std::any_of(cr.factorial.begin(), cr.factorial.end(), [](const auto& fo) { return fo.fit.ok; });
  if (!any_fit) {
    os << "  (not estimable: too few opens, clicks or conversions in some variant)\n";
    return;
  }
  Table ft = {{"term", "open (logit)", "click|open (logit)", "goal|click (logit)", "unsubscribe (logit)",
               "goal conv. (pp)", "net rev/cust"}};
  for (std::size_t j = 0; j < cr.model.terms.size(); ++j) {
    std::vector<std::string> row = {cr.model.terms[j].name};
    for (const auto& fo : cr.factorial) {
      if (!fo.fit.ok) {
        row.push_back("-");
        continue;
      }
      const TermEstimate& te = fo.fit.terms[j];
      if (fo.scale == "logit")
        row.push_back(PlusMinus(te.effect, 2, 1.0) + (std::isfinite(te.truth) ? " (" + Signed(te.truth, 2) + ")" : ""));
      else
        row.push_back(PlusMinus(te.effect, 2, fo.name == "goal_conversion_rate" ? 100.0 : 1.0));
    }
    ft.push_back(row);
  }
  PrintTable(os, ft, "  ");
  if (!cr.model.aliased.empty()) {
    os << "  aliased (not estimable in this design):";
    for (const auto& a : cr.model.aliased) os << " " << a << ";";
    os << "\n";
  }
}

void PrintBest(std::ostream& os, const CampaignConfig& cc, const CampaignResult& cr, const std::string& ci) {
  if (cr.best.empty()) return;
  const models::KpiDef& d = models::CampaignKpiDefinitions()[cc.best_by];
  os << "\n  Best variant by " << KpiLabel(d) << " (lift against \"" << cc.arms[cc.control_arm].name << "\")\n";
  Table bt = {{"segment", "best variant", "n", "value [" + ci + "]", "abs lift [" + ci + "]", "p"}};
  auto v = [&](double x) { return FormatKpiValue(d, x); };
  for (const auto& b : cr.best) {
    if (b.arm < 0) {
      bt.push_back({b.segment, "-", "0", "", "", ""});
      continue;
    }
    bt.push_back({b.segment, cr.arms[b.arm].name, Thousands(static_cast<std::int64_t>(b.moments.n)),
                  v(b.estimate.estimate) + " [" + v(b.estimate.low) + ", " + v(b.estimate.high) + "]",
                  b.has_comparison ? FormatLift(d, b.vs_control.abs) : "",
                  b.has_comparison ? FormatP(b.vs_control.p_value) : ""});
  }
  PrintTable(os, bt, "  ");
}

// Warnings instead of tables of nothing: a campaign nobody entered, arms too small to compare.
bool PrintWarnings(std::ostream& os, const CampaignResult& cr) {
  std::int64_t entered = 0;
  for (const auto& a : cr.arms) entered += a.entered;
  if (entered == 0) {
    os << "  warning: nobody entered this campaign in the window (check its trigger, audience and opt-ins); "
          "there is nothing to compare\n";
    return false;
  }
  for (const auto& a : cr.arms)
    if (a.entered < kMinArmUnits)
      os << "  warning: arm \"" << a.name << "\" has " << a.entered << " entered customer"
         << (a.entered == 1 ? "" : "s") << " (fewer than " << kMinArmUnits << "): its lifts are not shown\n";
  return true;
}

void PrintCampaign(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info, int c) {
  const int pct = static_cast<int>(std::lround(100 * cfg.confidence));
  const std::string ci = std::to_string(pct) + "% CI";
  const CampaignConfig& cc = cfg.campaigns[c];
  const CampaignResult& cr = r.campaigns[c];
  std::vector<std::string> arm_names;
  for (const auto& a : cr.arms) arm_names.push_back(a.name);
  os << "\n=== Campaign " << c + 1 << "/" << r.campaigns.size() << " \"" << cc.name << "\": trigger " << TriggerText(cc)
     << ", goal " << models::kGoalNames[static_cast<int>(cc.plan.goal)] << " (" << cc.goal_kpi << "), " << cc.design;
  if (cc.resolution > 0) os << " 2^-" << cc.generators.size() << " resolution " << cc.resolution;
  os << ", " << cr.variant_arms.size() << " variant" << (cr.variant_arms.size() == 1 ? "" : "s") << "\n";
  PrintArms(os, cc, cr, ci);
  if (!PrintWarnings(os, cr)) return;
  const auto headline = HeadlineKpis(cc);
  if (cr.arms.size() == 1) {  // a strategy: everyone in the audience gets it, nothing to compare here
    os << "\n  KPIs over entered customers (one arm: no control to compare with; `lclab study` compares strategies)\n";
    PrintKpiRows(os, models::CampaignKpiDefinitions(), cr.kpis, arm_names, info.full_summary ? nullptr : &headline,
                 pct, "arm");
    return;
  }
  os << "\n  KPIs over entered customers; lift against \"" << cc.arms[cc.control_arm].name
     << "\" ((attributed): counts only what followed the campaign's own messages, so a holdout has none)\n";
  PrintKpiRows(os, models::CampaignKpiDefinitions(), cr.kpis, arm_names, info.full_summary ? nullptr : &headline, pct,
               "arm");
  PrintFactorial(os, cr, ci);
  PrintCampaignDecision(os, cfg, r, c, pct);
  if (HasSendTimeStudy(cc)) PrintSendTime(os, cfg, r, c);
  PrintBest(os, cc, cr, ci);
}

void PrintProgramme(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  const int pct = static_cast<int>(std::lround(100 * cfg.confidence));
  os << "\n=== Programme: " << r.campaigns.size() << " campaign" << (r.campaigns.size() == 1 ? "" : "s");
  const std::vector<std::string> group_names(models::kGroupNames.begin(), models::kGroupNames.end());
  static const std::vector<std::string> kProgrammeHeadline = {
      "revenue_per_customer", "net_revenue_per_customer", "orders_per_customer", "first_purchase_rate",
      "repeat_purchase_rate", "churn_rate", "unsubscribed_rate", "messages_per_customer"};
  if (cfg.global_control <= 0) {
    os << "; no global control group (set programme.global_control to measure the programme's total effect)\n"
       << "  The population's KPIs over the window:\n";
    std::vector<KpiRow> everyone;
    for (const KpiRow& row : r.programme_kpis)
      if (row.arm == models::kGroupProgramme) everyone.push_back(row);
    PrintKpiRows(os, models::ProgrammeKpiDefinitions(), everyone, group_names,
                 info.full_summary ? nullptr : &kProgrammeHeadline, pct, "group");
    return;
  }
  os << "; global control " << Fixed(100 * cfg.global_control, 1)
     << "% of customers get no campaign message (lift of the whole programme against it)\n";
  Table gt = {{"group", "customers", "messages", "message cost", "incentive cost", "revenue", "net revenue"}};
  for (const auto& g : r.groups)
    gt.push_back({g.name, Thousands(g.customers), Thousands(g.messages), Fixed(g.message_cost, 0),
                  Fixed(g.incentive_cost, 0), Fixed(g.revenue, 0), Fixed(g.net_revenue, 0)});
  PrintTable(os, gt, "  ");
  os << "\n";
  PrintKpiRows(os, models::ProgrammeKpiDefinitions(), r.programme_kpis, group_names,
               info.full_summary ? nullptr : &kProgrammeHeadline, pct, "group");
  os << "\n  Decision (programme against global control)\n";
  PrintDecision(os, models::ProgrammeKpiDefinitions(), r.programme_kpis, group_names, models::kGroupGlobalControl, {},
                false, pct);
  PrintSrm(os, "global control", r.programme_srm, group_names);
}

}  // namespace

void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  PrintHeader(os, cfg, r, info);
  for (std::size_t c = 0; c < r.campaigns.size(); ++c) PrintCampaign(os, cfg, r, info, static_cast<int>(c));
  PrintProgramme(os, cfg, r, info);
  os << "\n(latent) = the simulator's truth, which a marketer cannot observe. Proportions: Wilson intervals, "
        "Newcombe's interval for the lift, MOVER-R for the relative lift, the two-proportion z-test; means: Welch's t "
        "with a log-ratio relative lift; ratio KPIs: the delta method (shares at their effective sample size); "
        "factorial effects: regressions on the variants with customer-clustered standard errors "
        "(docs/statistics.md).\n";
}

}  // namespace lclab::experiments
