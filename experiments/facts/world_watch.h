// A world simulated without campaigns and watched day by day, customer by
// customer, for the lifecycle rates the industry tables publish
// (docs/validation.md "lifecycle"): conversion within 30 days of signing up,
// a second purchase within a year of the first, year-on-year retention, the
// latent drop-outs per month and per year, survival a year after the first
// purchase, the days from first browsing to first purchase, and how often
// loyal customers visit.
#pragma once

#include <cstdint>

#include "experiments/config/config.h"
#include "experiments/facts/facts.h"
#include "sim/progress.h"

namespace lclab::facts {

// Over the window after the config's warm-up: cohorts enter in the window's first year and are
// followed for a year, retention and attrition compare years 1 and 2, and the rates (orders per
// visit, churn, loyal visits) run over the whole window, which must be at least three years.
struct WorldMeasures {
  double orders = 0, visits = 0;      // window totals, every customer
  Share converted_30d;                // signed up in year 1: first purchase within 30 days
  Share repeat_365d;                  // first purchase in year 1: a second within 365 days
  Share retained;                     // bought in year 1: bought again in year 2
  Share survived_365d;                // first purchase in year 1: alive (latent) 365 days later
  Share attrition;                    // alive customers at the start of year 2: dead by the end of it
  double dropouts = 0, alive_days = 0;  // latent drop-outs of converted customers, and their alive customer-days
  double reach_to_purchase_days = 0, reach_to_purchase_n = 0;  // aware in year 1 and bought in the window
  double loyal_visits = 0, loyal_days = 0;

  double OrdersPerVisit() const { return visits > 0 ? orders / visits : 0.0; }
  double MonthlyChurn() const;        // 1 - exp(-kDaysPerMonth x drop-outs per alive day)
  double MonthlyChurnSe() const;      // Poisson on the drop-outs
  double MeanDaysToPurchase() const { return reach_to_purchase_n > 0 ? reach_to_purchase_days / reach_to_purchase_n : 0; }
  double LoyalVisitsPerWeek() const { return loyal_days > 0 ? 7.0 * loyal_visits / loyal_days : 0.0; }
};

inline constexpr int kWatchDays = 3 * 365;   // the window the watch needs
inline constexpr double kDaysPerMonth = 30.44;

// Simulates cfg (a world: its campaigns would run but are not measured) and measures it. Throws
// ConfigError if cfg's window is shorter than kWatchDays.
WorldMeasures WatchWorld(const experiments::ExperimentConfig& cfg, int threads, sim::Progress::Mode progress);

}  // namespace lclab::facts
