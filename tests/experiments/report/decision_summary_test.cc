// The decision block on hand-made rows: primary lifts with corrected
// p-values and the sequential verdict, guardrail verdicts (breach, ok, not
// measurable), and the sample-ratio line with its alarm.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "experiments/report/summary_parts.h"

namespace lclab::experiments {
namespace {

KpiRow Row(int kpi, int arm, KpiRole role, double lift, double lo, double hi, double p) {
  KpiRow r;
  r.kpi = kpi, r.arm = arm, r.role = role;
  r.has_comparison = arm != 0 && std::isfinite(lift);
  r.vs_control.abs = {lift, 0, lo, hi};
  r.vs_control.rel = {lift * 10, 0, lo * 10, hi * 10};
  r.vs_control.p_value = p;
  r.p_holm = p * 2, r.p_bh = p * 1.5;
  return r;
}

TEST(DecisionSummary, PrimaryAndGuardrails) {
  const auto& defs = models::CampaignKpiDefinitions();
  std::vector<KpiRow> rows = {Row(models::kRepeatPurchaseRate, 1, KpiRole::kPrimary, 0.02, 0.01, 0.03, 0.0004),
                              Row(models::kChurnRate, 1, KpiRole::kGuardrail, 0.03, 0.01, 0.05, 0.001),
                              Row(models::kUnsubscribeRate, 1, KpiRole::kGuardrail, NAN, NAN, NAN, NAN),
                              Row(models::kChurnRate, 2, KpiRole::kGuardrail, 0.0, -0.01, 0.01, 0.9)};
  rows[1].guardrail_breach = true;
  rows[1].guardrail_tolerance = rows[3].guardrail_tolerance = 0.01;
  SequentialSeries s;
  s.kpi = models::kRepeatPurchaseRate, s.arm = 1, s.decision = 1, s.decision_day = 6;
  // The decision day's interval is printed, not the last day's (the intervals are per day).
  s.cs.assign(8, {0.01, 0, -0.005, 0.025});
  s.cs[6] = {0.02, 0, 0.004, 0.036};
  std::ostringstream os;
  PrintDecision(os, defs, rows, {"holdout", "a", "b"}, 0, {s}, false, 95);
  const std::string out = os.str();
  EXPECT_NE(out.find("repeat_purchase_rate  a    +2.00 pp [+1.00, +3.00]"), std::string::npos) << out;
  EXPECT_NE(out.find("0.0004  0.0008  0.0006"), std::string::npos) << out;  // p, Holm, BH
  EXPECT_NE(out.find("better from day 7 [+0.40 pp, +3.60 pp]"), std::string::npos) << out;
  EXPECT_NE(out.find("+1.00 pp  BREACH (worse beyond the tolerance)"), std::string::npos) << out;
  EXPECT_NE(out.find("not measurable against this control"), std::string::npos) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

TEST(DecisionSummary, SampleRatioAlarm) {
  SrmSummary s;
  s.observed = {900, 1100}, s.expected = {1000, 1000};
  s.test = SampleRatioMismatch(s.observed, s.expected);
  std::ostringstream os;
  PrintSrm(os, "entered", s, {"a", "b"});
  EXPECT_NE(os.str().find("Sample ratio (entered): 900 / 1,100 against 1,000 / 1,000 expected (a / b): chi2 = 20.00"),
            std::string::npos)
      << os.str();
  EXPECT_NE(os.str().find("*** SRM ALARM"), std::string::npos);
  std::ostringstream quiet;
  s.observed = {990, 1010}, s.test = SampleRatioMismatch(s.observed, s.expected);
  PrintSrm(quiet, "entered", s, {"a", "b"});
  EXPECT_NE(quiet.str().find(", ok"), std::string::npos);
}

}  // namespace
}  // namespace lclab::experiments
