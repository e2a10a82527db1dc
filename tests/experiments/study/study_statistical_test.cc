// The study's audit of the statistics, checked against theory: an A/A study
// (two identical emails, the oracle on) over 400 replications. The fixed-
// horizon test's false positive rate is within the binomial bound of 5%, and
// its 95% intervals cover the true effect (exactly 0) within the bound of 95%.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "experiments/study/study_runner.h"
#include "experiments/study/study_summary.h"
#include "study_test_util.h"

namespace lclab::experiments {
namespace {

using testing::StudyFiles;

double Bound(double p, int n) { return 3.29 * std::sqrt(p * (1 - p) / n); }

TEST(StudyAudit, AATestRejectsAndCoversAtTheNominalRates) {
  StudyFiles f("audit");
  const std::string study = f.Write("aa.toml", R"([study]
name = "aa"
base = "world.toml"
seed = 31
replications = 400
oracle = true
objective = "revenue_per_customer"
set = { "population.size" = 4000, "simulation.warmup_days" = 30, "simulation.days" = 60 }

[[study.strategies]]
name = "aa_test"
campaigns_from = ")" + std::string(LCLAB_SOURCE_DIR) + R"(/experiments/studies/strategies/aa_test.toml"
)");
  const StudyConfig s = LoadStudy(study, {});
  const StudyPlan plan = PlanStudy(s);
  Journal journal((f.dir() / "out").string(), ManifestFor(s, plan, {}), false);
  StudyOptions o;
  o.jobs = 2, o.progress = sim::Progress::Mode::kNever;
  const StudySummary sum = Summarise(s, plan, InPlanOrder(plan, RunStudy(s, plan, journal, o)));
  EXPECT_EQ(sum.failed, 0);
  int checked = 0;
  for (const AuditRow& a : sum.audit) {
    if (a.method != static_cast<int>(AuditMethod::kFixed)) continue;
    const std::string kpi = models::CampaignKpiDefinitions()[a.kpi].name;
    EXPECT_TRUE(a.null_effect) << kpi;
    EXPECT_EQ(a.n, 400) << kpi;
    const double fpr = a.significant.hits / double(a.n), coverage = a.covered.hits / double(a.n);
    EXPECT_NEAR(fpr, 0.05, Bound(0.05, a.n)) << kpi << ": " << a.significant.hits << " of " << a.n;
    EXPECT_NEAR(coverage, 0.95, Bound(0.95, a.n)) << kpi << ": " << a.covered.hits << " of " << a.n;
    std::cout << "A/A study, " << kpi << ": " << a.significant.hits << " false positives and " << a.covered.hits
              << " covered of " << a.n << "\n";
    ++checked;
  }
  EXPECT_EQ(checked, 2);  // repeat_purchase_rate and revenue_per_customer
}

}  // namespace
}  // namespace lclab::experiments
