#include "experiments/facts/world_watch.h"

#include <cmath>
#include <vector>

#include "experiments/config/error.h"
#include "experiments/runner.h"
#include "models/population.h"
#include "models/simulator.h"

namespace lclab::facts {
namespace {

using models::kNever;
constexpr int kYear = 365;

// Per-customer marks of the watch.
enum : std::uint8_t {
  kBoughtYear1 = 1,
  kBoughtYear2 = 2,
  kAliveAtYear2 = 4,  // alive at the start of year 2
  kWasAlive = 8,      // alive at the end of the day before
};

class Watch {
 public:
  // Customers alive as the watch starts (a world without warm-up) count as alive the day before.
  Watch(const models::Population& p, int window_start)
      : start_(window_start), second_(p.size(), kNever), reach_(p.size(), kNever), marks_(p.size(), 0),
        visits_(p.size(), 0) {
    for (std::size_t i = 0; i < p.size(); ++i)
      if (p.flags[i] & models::kFlagAlive) marks_[i] |= kWasAlive;
  }

  // After day `day` was simulated: from the day before the window (who is alive entering it).
  void Observe(const models::Population& p, int day, WorldMeasures& m) {
    const int w = day - start_;  // window day
    for (std::size_t i = 0; i < marks_.size(); ++i) {
      if (w >= 0) {
        ObserveCohorts(p, i, day, w, m);
        if (p.stage[i] == static_cast<std::uint8_t>(models::Stage::kLoyalty))
          m.loyal_days += 1, m.loyal_visits += p.win_visits[i] - visits_[i];
      }
      ObserveAlive(p, i, w, m);
      visits_[i] = p.win_visits[i];
    }
  }

  // After the last day: who first browsed in year 1 and bought by the end.
  void Finish(const models::Population& p, WorldMeasures& m) const {
    for (std::size_t i = 0; i < marks_.size(); ++i) {
      const int fp = p.first_purchase_day[i];
      if (reach_[i] != kNever && fp != kNever && fp >= reach_[i])
        m.reach_to_purchase_days += fp - reach_[i], m.reach_to_purchase_n += 1;
      m.retained.n += (marks_[i] & kBoughtYear1) != 0;
      m.retained.hits += (marks_[i] & kBoughtYear1) && (marks_[i] & kBoughtYear2);
    }
  }

 private:
  // Sign-ups, first purchases and first browsing in year 1, each followed up a fixed time later.
  void ObserveCohorts(const models::Population& p, std::size_t i, int day, int w, WorldMeasures& m) {
    const int fp = p.first_purchase_day[i], su = p.signup_day[i];
    const bool first_in_year1 = fp != kNever && fp >= start_ && fp < start_ + kYear;
    if (first_in_year1 && second_[i] == kNever && p.orders[i] >= 2) second_[i] = static_cast<std::int16_t>(day);
    if (first_in_year1 && day == fp + kYear) {
      m.repeat_365d.n += 1, m.repeat_365d.hits += second_[i] != kNever;
      m.survived_365d.n += 1, m.survived_365d.hits += (p.flags[i] & models::kFlagAlive) != 0;
    }
    if (su >= start_ && su < start_ + kYear && day == su + 30)
      m.converted_30d.n += 1, m.converted_30d.hits += fp != kNever && fp >= su && fp <= su + 30;
    if (w < kYear && reach_[i] == kNever && p.stage[i] == static_cast<std::uint8_t>(models::Stage::kReach) &&
        p.stage_day[i] >= start_)
      reach_[i] = p.stage_day[i];
    if (p.last_purchase_day[i] == day) marks_[i] |= w < kYear ? kBoughtYear1 : w < 2 * kYear ? kBoughtYear2 : 0;
  }

  // Latent drop-outs of converted customers, and attrition over year 2.
  void ObserveAlive(const models::Population& p, std::size_t i, int w, WorldMeasures& m) {
    const bool alive = (p.flags[i] & models::kFlagAlive) != 0;
    if (w >= 0) m.dropouts += (marks_[i] & kWasAlive) && !alive, m.alive_days += alive;
    marks_[i] = static_cast<std::uint8_t>(alive ? marks_[i] | kWasAlive : marks_[i] & ~kWasAlive);
    if (w == kYear - 1 && alive) marks_[i] |= kAliveAtYear2, m.attrition.n += 1;
    if (w == 2 * kYear - 1 && (marks_[i] & kAliveAtYear2)) m.attrition.hits += !alive;
  }

  int start_;
  std::vector<std::int16_t> second_, reach_;  // day of the second purchase; first day in reach (year 1)
  std::vector<std::uint8_t> marks_;
  std::vector<std::uint16_t> visits_;  // win_visits at the end of the day before
};

}  // namespace

double WorldMeasures::MonthlyChurn() const {
  return alive_days > 0 ? 1.0 - std::exp(-kDaysPerMonth * dropouts / alive_days) : 0.0;
}

double WorldMeasures::MonthlyChurnSe() const {
  return alive_days > 0 ? kDaysPerMonth * std::sqrt(dropouts) / alive_days * (1.0 - MonthlyChurn()) : 0.0;
}

WorldMeasures WatchWorld(const experiments::ExperimentConfig& cfg, int threads, sim::Progress::Mode progress) {
  if (cfg.clock.window_days < kWatchDays)
    throw experiments::ConfigError((cfg.path.empty() ? std::string("(world)") : cfg.path) + ": simulation.days = " + std::to_string(cfg.clock.window_days) +
                                   " (expected at least " + std::to_string(kWatchDays) +
                                   " to watch a world: a year of cohorts followed for a year, and a third)");
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  experiments::RunOptions options;
  options.threads = threads, options.progress = progress;
  experiments::PreparePopulation(cfg, sim, pop, options);
  const int start = cfg.clock.window_start();
  Watch watch(pop, start);
  WorldMeasures m;
  sim::Progress bar("world day", cfg.clock.total_days(), static_cast<double>(pop.size()), "customer-days", progress);
  for (int day = 0; day < cfg.clock.total_days(); ++day) {
    const models::DayTally t = sim.StepDay(pop, day, threads);
    if (day >= start)
      for (const auto& g : t.groups) m.orders += static_cast<double>(g.orders), m.visits += static_cast<double>(g.visits);
    if (day + 1 >= start) watch.Observe(pop, day, m);
    bar.Update(day + 1);
  }
  watch.Finish(pop, m);
  return m;
}

}  // namespace lclab::facts
