// The lifecycle and bass groups: the industry worlds (experiments/worlds/)
// against the published conversion, repeat and churn rates of their industry,
// and the Bass adoption curve against its closed form.
#include <algorithm>
#include <cmath>
#include <string>

#include "experiments/config/config.h"
#include "experiments/facts/facts.h"
#include "experiments/facts/world_watch.h"
#include "experiments/runner.h"
#include "models/simulator.h"

namespace lclab::facts {
namespace {

enum class Measure {
  kOrdersPerVisit,
  kConverted30d,
  kRepeat365d,
  kRetained,
  kMonthlyChurn,
  kAttrition,
  kSurvived365d,
  kDaysToPurchase,
  kLoyalVisitsPerWeek
};

struct IndustryFact {
  const char* world;
  Measure measure;
  const char* id;
  const char* what;
  const char* source;
  double low, high;
  const char* unit;
};

// docs/validation.md "lifecycle" has the sources in full and why each range.
constexpr IndustryFact kIndustryFacts[] = {
    {"ecommerce", Measure::kOrdersPerVisit, "ecommerce.conversion", "orders per site visit",
     "Monetate via VWO (2019) 1-4%; Littledata (2021) 1.4% average", 0.01, 0.04, "%"},
    {"ecommerce", Measure::kRepeat365d, "ecommerce.repeat", "new customers buying again within 12 months",
     "Metrilo 21-36%; RJMetrics (2015) 32%; Shopify 27%", 0.21, 0.36, "%"},
    {"ecommerce", Measure::kRetained, "ecommerce.retention", "buyers of one year who buy in the next (1 - churn)",
     "Omniconvert (2022) 31% e-commerce; Statista (2018) 63% retail", 0.25, 0.63, "%"},
    {"media", Measure::kConverted30d, "media.conversion", "trials converting to paid within 30 days",
     "Recurly (2023) 38.1% all, 43.3% media; Recurly (2024) 52.6% media", 0.38, 0.53, "%"},
    {"media", Measure::kMonthlyChurn, "media.churn", "subscribers cancelling per month",
     "Recurly (2024) medians: publishing 3.9%, media 6.9%", 0.039, 0.069, "%"},
    {"media", Measure::kSurvived365d, "media.renewal", "new subscribers still subscribed 12 months on",
     "Antenna 45% of subscribers after a year; 3.9-6.9% monthly churn implies 42-62%", 0.40, 0.62, "%"},
    {"media", Measure::kLoyalVisitsPerWeek, "media.weekly_visits", "loyal readers' visits per week",
     "docs/domain.md section 5: the best readers visit weekly", 1.0, 7.0, ""},
    {"travel", Measure::kOrdersPerVisit, "travel.conversion", "bookings per site visit",
     "Littledata, Qubit 0.7-0.75% travel; hotel sites about 2.2%", 0.005, 0.022, "%"},
    {"travel", Measure::kDaysToPurchase, "travel.planning", "days from first browsing to first booking",
     "docs/domain.md section 5: browse about four months before booking", 90, 150, "days"},
    {"travel", Measure::kRetained, "travel.retention", "bookers of one year who book in the next (1 - churn)",
     "Statista (2018) hospitality and travel 55%", 0.45, 0.65, "%"},
    {"finance", Measure::kConverted30d, "finance.conversion", "applications completed (account funded) within 30 days",
     "Forrester via Temenos (2016): about 10% of loan and 30% of deposit applications; BAI 30%", 0.10, 0.30, "%"},
    {"finance", Measure::kAttrition, "finance.churn", "customers leaving within a year",
     "J.D. Power 8% (2023), 9.6% (2012) banks; card attrition 12-15%", 0.08, 0.15, "%"},
    {"finance", Measure::kRetained, "finance.retention", "customers of one year active in the next",
     "Statista (2018) financial services 78%; J.D. Power 8% attrition bounds it at 92%", 0.78, 0.92, "%"},
};

Fact Measured(const IndustryFact& x, const WorldMeasures& m) {
  Fact f;
  f.id = x.id, f.what = x.what, f.source = x.source, f.low = x.low, f.high = x.high, f.unit = x.unit;
  const auto share = [&](const Share& s) { f.value = s.Value(), f.se = s.Se(); };
  switch (x.measure) {
    case Measure::kOrdersPerVisit: f.value = m.OrdersPerVisit(); break;  // a ratio of huge counts
    case Measure::kConverted30d: share(m.converted_30d); break;
    case Measure::kRepeat365d: share(m.repeat_365d); break;
    case Measure::kRetained: share(m.retained); break;
    case Measure::kMonthlyChurn: f.value = m.MonthlyChurn(), f.se = m.MonthlyChurnSe(); break;
    case Measure::kAttrition: share(m.attrition); break;
    case Measure::kSurvived365d: share(m.survived_365d); break;
    case Measure::kDaysToPurchase: f.value = m.MeanDaysToPurchase(); break;
    case Measure::kLoyalVisitsPerWeek: f.value = m.LoyalVisitsPerWeek(); break;
  }
  return f;
}

}  // namespace

std::vector<Fact> LifecycleFacts(const FactOptions& o) {
  std::vector<Fact> out;
  for (const char* world : {"ecommerce", "media", "travel", "finance"}) {
    std::vector<std::string> sets = {"population.size=" + std::to_string(o.customers),
                                     "simulation.days=" + std::to_string(kWatchDays)};
    sets.insert(sets.end(), o.sets.begin(), o.sets.end());  // the user's overrides win
    const experiments::ExperimentConfig cfg =
        experiments::LoadConfig(o.root + "/experiments/worlds/" + world + ".toml", sets);
    const WorldMeasures m = WatchWorld(cfg, o.threads, o.progress);
    for (const IndustryFact& x : kIndustryFacts)
      if (std::string(x.world) == world) out.push_back(Measured(x, m));
  }
  return out;
}

// The Bass model with every other step instant: prospects who hear of the product sign up and buy at
// once, nobody forgets, refers, drops out or churns, so the converted share follows Bass's F(t).
// F'' = 0 at t* = ln(q / p) / (p + q), where F(t*) = 1/2 - p / (2q) and f(t*) = (p + q)^2 / (4q) per
// year. The day the converted share crosses F(t*) is within 5 sd of t*: sd = sqrt(F(1 - F) / N) / f,
// plus 2 days for the sign-up and purchase steps and the day's lag of the adopters count.
std::vector<Fact> BassFacts(const FactOptions& o) {
  const std::size_t n = std::max<std::size_t>(o.customers / 2, 1000);
  const std::string text =
      "[simulation]\nseed = 1969\nwarmup_days = 0\ndays = 4000\n"
      "[population]\nsize = " + std::to_string(n) +
      "\ninitial = { prospect = 1.0, reach = 0.0, acquisition = 0.0, customer = 0.0 }\n"
      "[[population.personas]]\nname = \"adopter\"\nsignup_rate = 50\nfirst_purchase_rate = 50\n"
      "[purchase]\na = 1e-9\n"
      "[lifecycle]\nforget_rate = 0\nreferral_rate = 0\n";
  const experiments::ExperimentConfig cfg = experiments::LoadConfigText(text, "(bass world)", o.sets);
  const double p = cfg.model.lifecycle.bass_p, q = cfg.model.lifecycle.bass_q;
  const double t_star = std::log(q / p) / (p + q) * 365.0, f_star = 0.5 - p / (2 * q);
  const double density = (p + q) * (p + q) / (4 * q) / 365.0;  // per day
  const double sd = std::sqrt(f_star * (1 - f_star) / static_cast<double>(n)) / density;

  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  experiments::RunOptions options;
  options.threads = o.threads, options.progress = o.progress;
  experiments::PreparePopulation(cfg, sim, pop, options);
  int crossed = cfg.clock.total_days();
  double before = 0, after = 0;  // converted 30 days either side of t*
  const int lo = std::max(0, static_cast<int>(std::lround(t_star)) - 30), hi = lo + 60;
  for (int day = 0; day < cfg.clock.total_days() && (crossed == cfg.clock.total_days() || day <= hi); ++day) {
    const double c = static_cast<double>(sim.StepDay(pop, day, o.threads).adopters);  // converted, not churned
    if (crossed == cfg.clock.total_days() && c >= f_star * static_cast<double>(n)) crossed = day;
    if (day == lo) before = c;
    if (day == hi) after = c;
  }
  std::vector<Fact> out;
  Fact peak;
  peak.id = "peak_day", peak.what = "day the adoption rate peaks (converted share crosses 1/2 - p/2q)";
  peak.source = "Bass (1969) closed form, p and q from the config (defaults: Sultan, Farley and Lehmann 1990)";
  peak.low = t_star - 5 * sd - 2, peak.high = t_star + 5 * sd + 2, peak.value = crossed, peak.se = sd, peak.unit = "days";
  out.push_back(peak);
  // Adoptions per day over the 60 days after t* - 30: f(t*) N to second order (f' = 0 there); Poisson sd.
  Fact rate;
  rate.id = "peak_rate", rate.what = "adoptions per 1,000 customers per day around the peak";
  rate.source = peak.source;
  const double expected = density * 1000.0, count = after - before;
  const double rate_sd = std::sqrt(std::max(count, 1.0)) / 60.0 / static_cast<double>(n) * 1000.0;
  rate.value = count / 60.0 / static_cast<double>(n) * 1000.0, rate.se = rate_sd;
  rate.low = expected - 5 * rate_sd, rate.high = expected + 5 * rate_sd;
  out.push_back(rate);
  return out;
}

}  // namespace lclab::facts
