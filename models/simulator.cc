#include "models/simulator.h"

#include <algorithm>
#include <bit>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cassert>
#include <cmath>
#include <numbers>

#include "models/step_detail.h"
#include "sim/bytes.h"
#include "sim/mpi.h"
#include "sim/parallel.h"
#include "sim/random.h"

namespace lclab::models {
using detail::PoissonInverse;
using detail::SetStage;
namespace {

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
bool InMask(std::uint32_t mask, int bit) { return (mask >> bit) & 1u; }

}  // namespace

void Simulator::DueTable::Mark(int d, int c) {
  if (d < 0) return;
  if (static_cast<int>(bits.size()) <= d) bits.resize(d + 1, 0);
  bits[d] |= 1u << c;
}

void Simulator::DueTable::Finish() {
  next.assign(bits.size(), -1);
  for (int d = static_cast<int>(bits.size()) - 1, after = -1; d >= 0; --d) next[d] = after = bits[d] ? d : after;
}

// A referral made by customer i today, counted per customer in the window.
void Simulator::CountReferral(Population& p, std::size_t i, int day) const {
  if (clock_.InWindow(day) && p.win_referrals[i] < UINT8_MAX) ++p.win_referrals[i];
}

double SolveIntercept(const std::vector<double>& offsets, double target) {
  assert(!offsets.empty() && target > 0 && target < 1);
  // f(b) = mean sigmoid(b + o) - target is increasing in b: Newton steps, kept inside a shrinking
  // bracket (a step that leaves it bisects instead), to ~1e-12. Newton takes a handful of passes over
  // the offsets where bisection took forty.
  const double n = static_cast<double>(offsets.size());
  double lo = -40, hi = 40, mean_o = 0;
  for (double o : offsets) mean_o += o / n;
  double b = std::clamp(std::log(target / (1 - target)) - mean_o, lo, hi);
  for (int it = 0; it < 100; ++it) {
    double f = 0, df = 0;
    for (double o : offsets) {
      const double q = 1.0 / (1.0 + std::exp(-(b + o)));
      f += q, df += q * (1 - q);
    }
    f = f / n - target, df /= n;
    (f < 0 ? lo : hi) = b;
    double next = df > 0 ? b - f / df : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - b) < 1e-12 || hi - lo < 1e-12) return next;
    b = next;
  }
  return b;
}

Simulator::Simulator(ModelParams params, Programme programme, std::uint64_t seed, sim::DayClock clock)
    : params_(std::move(params)),
      programme_(std::move(programme)),
      seed_(seed),
      clock_(clock),
      open_delay_(params_.response.open_delay_scale_hours, params_.response.open_delay_shape) {
  const auto& r = params_.response;
  for (int c = 0; c < kNumChannels; ++c) {
    logit_.open[c] = static_cast<float>(Logit(r.channels[c].open));
    logit_.click[c] = static_cast<float>(Logit(r.channels[c].click));
    logit_.unsubscribe[c] = static_cast<float>(Logit(r.channels[c].unsubscribe));
  }
  BuildCampaignTables();
  BuildDayRates();
  tracks_history_ = programme_.TracksHistory();
  learner_ = SendTimeLearner(num_cells_);
  today_.send_time.explore_best.assign(num_cells_, -1);
  for (std::size_t c = 0; c < programme_.campaigns.size(); ++c)
    allocation_.emplace_back(std::vector<double>(programme_.campaigns[c].arms.size(), 1.0));
}

// Per campaign: its cells, goal intercept, arm logits per persona, trigger tables and delivery hours.
void Simulator::BuildCampaignTables() {
  const std::size_t np = params_.personas.size();
  const int nc = static_cast<int>(programme_.campaigns.size());
  assert(nc <= kMaxCampaigns);
  const auto& lc = params_.lifecycle;
  for (int c = 0; c < nc; ++c) {
    const CampaignPlan& plan = programme_.campaigns[c];
    assert(!plan.arms.empty() && plan.arms.size() <= 255);
    cell_offset_.push_back(num_cells_);
    num_cells_ += static_cast<int>(plan.arms.size());
    logit_.goal.push_back(static_cast<float>(Logit(plan.goal_rate)));
    for (const ArmTreatment& arm : plan.arms)
      for (std::size_t s = 0; s < np; ++s) {
        Logits l = arm.effects;
        if (s < arm.segment_effects.size()) l += arm.segment_effects[s];
        cell_logits_.push_back(l);
      }
    switch (plan.trigger) {
      case Trigger::kSignup: triggers_.signup.Mark(plan.delay_days, c); break;
      case Trigger::kFirstPurchase: triggers_.first_purchase.Mark(plan.delay_days, c); break;
      case Trigger::kPurchase: triggers_.last_purchase.Mark(plan.delay_days, c); break;
      case Trigger::kLapsed: triggers_.last_purchase.Mark(lc.lapse_days + plan.delay_days, c); break;
      case Trigger::kInactive: triggers_.last_purchase.Mark(lc.inactive_days + plan.delay_days, c); break;
      case Trigger::kEnterStage: triggers_.stage[static_cast<int>(plan.stage)].Mark(plan.delay_days, c); break;
      case Trigger::kVisit: triggers_.visit |= 1u << c; break;
      case Trigger::kBackInStock:
      case Trigger::kSchedule: break;  // by day, in SetDayConstants
    }
  }
  for (DueTable* t : {&triggers_.signup, &triggers_.first_purchase, &triggers_.last_purchase}) t->Finish();
  for (DueTable& t : triggers_.stage) t.Finish();
  delivery_.resize(nc);
  for (int c = 0; c < nc; ++c)
    for (int t = 0; t < kNumTzOffsets; ++t)
      delivery_[c][t] = DeliveryHours(programme_.campaigns[c].send_window, t + kMinTzOffset);
}

// Daily probabilities that do not change from day to day.
void Simulator::BuildDayRates() {
  const std::size_t np = params_.personas.size();
  dc_.reach_signup.resize(np);
  dc_.reach_leave.resize(np);
  dc_.first_purchase.resize(np);
  for (std::size_t s = 0; s < np; ++s) {
    const double hs = params_.personas[s].signup_rate, hf = params_.lifecycle.forget_rate;
    const double leave = 1.0 - std::exp(-(hs + hf));
    dc_.reach_leave[s] = static_cast<float>(leave);
    dc_.reach_signup[s] = hs + hf > 0 ? static_cast<float>(leave * hs / (hs + hf)) : 0.0f;
    dc_.first_purchase[s] = static_cast<float>(1.0 - std::exp(-params_.personas[s].first_purchase_rate));
  }
  dc_.referral = static_cast<float>(1.0 - std::exp(-params_.lifecycle.referral_rate));
}

void Simulator::Allocate(Population& pop, std::size_t n, int threads) const {
  pop.Resize(n, params_.lifecycle.k_loyal, static_cast<int>(programme_.campaigns.size()), programme_.cap_messages,
             tracks_history_, threads);
}

void Simulator::AllocateSlice(Population& pop, const sim::Slice& slice, int threads) const {
  Allocate(pop, slice.size, threads);
  pop.first = slice.first, pop.total = slice.total, pop.distributed = true;
}

struct Simulator::TraitTables {
  boost::random::discrete_distribution<int> persona, tz, initial;
  std::vector<boost::random::discrete_distribution<int>> chronotype;  // per persona
};

Simulator::TraitTables Simulator::MakeTraitTables() const {
  namespace br = boost::random;
  TraitTables t;
  std::vector<double> persona_w;
  for (const auto& per : params_.personas) persona_w.push_back(per.weight);
  t.persona = br::discrete_distribution<int>(persona_w.begin(), persona_w.end());
  t.tz = br::discrete_distribution<int>(params_.tz_weights.begin(), params_.tz_weights.end());
  const auto& im = params_.initial;
  const std::array<double, 4> mix = {im.prospect, im.reach, im.acquisition, im.customer};
  t.initial = br::discrete_distribution<int>(mix.begin(), mix.end());
  for (const auto& per : params_.personas)
    t.chronotype.emplace_back(per.chronotype_weights.begin(), per.chronotype_weights.end());
  return t;
}

void Simulator::DrawCustomer(Population& p, std::size_t i, const TraitTables& tables) const {
  namespace br = boost::random;
  sim::Stream rng(seed_, p.Id(i), kTraitDay, kPurposeTraits);
  const auto& pp = params_.purchase;
  const auto& rp = params_.response;

  const int seg = tables.persona(rng);
  const Persona& per = params_.personas[seg];
  p.segment[i] = static_cast<std::uint8_t>(seg);
  p.tz_offset[i] = static_cast<std::int8_t>(params_.tz_offsets[tables.tz(rng)]);
  const int chrono = tables.chronotype[seg](rng);
  p.chronotype[i] = static_cast<std::uint8_t>(chrono);
  double peak = kChronotypePeak[chrono] + br::normal_distribution<double>(0.0, rp.peak_sd_hours)(rng);
  peak = std::fmod(std::fmod(peak, 24.0) + 24.0, 24.0);
  p.peak_hour[i] = static_cast<float>(peak);
  p.kappa[i] = static_cast<float>(br::gamma_distribution<double>(rp.kappa_shape, rp.kappa_mean / rp.kappa_shape)(rng));
  p.SetPurchaseRate(i, static_cast<float>(br::gamma_distribution<double>(pp.r, 1.0 / pp.alpha_days)(rng) *
                                          per.purchase_rate_multiplier));
  p.dropout[i] = static_cast<float>(br::beta_distribution<double>(pp.a, pp.b)(rng));
  p.spend_rate[i] = static_cast<float>(br::gamma_distribution<double>(pp.spend_q, 1.0 / pp.spend_gamma)(rng));
  p.responsiveness[i] =
      static_cast<float>(br::normal_distribution<double>(per.responsiveness_mean, rp.responsiveness_sd)(rng));
  p.fatigue_sens[i] =
      rp.fatigue_mean > 0
          ? static_cast<float>(br::gamma_distribution<double>(rp.fatigue_shape, rp.fatigue_mean / rp.fatigue_shape)(rng))
          : 0.0f;
  p.price_sens[i] = static_cast<float>(br::gamma_distribution<double>(
      rp.price_sensitivity_shape, per.price_sensitivity_mean / rp.price_sensitivity_shape)(rng));
  std::uint8_t opt = 0;
  for (int c = 0; c < kNumChannels; ++c)
    if (br::bernoulli_distribution<double>(per.opt_in[c])(rng)) opt |= static_cast<std::uint8_t>(1u << c);
  p.opt_in[i] = opt;
  const auto& sp = params_.satisfaction;
  p.satisfaction[i] =
      static_cast<float>(std::clamp(br::normal_distribution<double>(sp.initial_mean, sp.initial_sd)(rng), 0.0, 10.0));

  const auto& im = params_.initial;
  const int start = tables.initial(rng);
  p.flags[i] &= kFlagGlobalControl;  // assigned before Generate
  p.unsubscribed[i] = 0;
  switch (start) {
    case 0: p.stage[i] = static_cast<std::uint8_t>(Stage::kProspect); break;
    case 1: p.stage[i] = static_cast<std::uint8_t>(Stage::kReach); break;
    case 2:
      p.stage[i] = static_cast<std::uint8_t>(Stage::kAcquisition);
      p.signup_day[i] = kBeforeRun;  // signed up before the run: no sign-up trigger fires
      break;
    default: {
      // A customer already: first purchase tenure days ago (BG/NBD time zero).
      const int first = -br::uniform_int_distribution<int>(0, im.tenure_days)(rng);
      SimulateHistoryBeforeRun(p, i, first);
      break;
    }
  }
}

// A customer who first bought on `first_purchase_day` < 0: the same daily purchase process as
// StepShard up to day -1.
void Simulator::SimulateHistoryBeforeRun(Population& p, std::size_t i, int first) const {
  p.stage[i] = static_cast<std::uint8_t>(Stage::kConversion);
  p.stage_day[i] = static_cast<std::int16_t>(first);
  p.signup_day[i] = kBeforeRun;
  p.first_purchase_day[i] = static_cast<std::int16_t>(first);
  p.last_purchase_day[i] = static_cast<std::int16_t>(first);
  p.orders[i] = 1;
  p.recent[i * p.recent_k] = static_cast<std::int16_t>(first);  // most recent purchase first
  p.flags[i] |= kFlagAlive;
  GroupDay before_run;  // purchases before day 0 are not reported per day
  for (int day = first + 1; day < 0 && p.alive(i); ++day) {
    sim::Stream daily(seed_, p.Id(i), static_cast<std::uint32_t>(day), kPurposeDaily);
    const int n = PoissonInverse(daily.UniformFloat(), p.lambda[i], p.no_purchase[i]);
    if (n > 0) RepeatPurchases(p, i, day, n, 0.0f, before_run, 1);
  }
}

void Simulator::Generate(Population& pop, int threads) {
  const TraitTables tables = MakeTraitTables();
  sim::ForEachShard(pop.size(), kShardSize, threads, [&](const sim::ShardRange& r) {
    for (std::size_t i = r.begin; i < r.end; ++i) DrawCustomer(pop, i, tables);
  });
  Calibrate(pop);
}

// The calibration sample: customers j * total / m for j < m = min(total, 4096), in order. A process of
// an MPI job holds some of them; every process gets all of them.
std::vector<Simulator::SampleTraits> Simulator::CalibrationSample(const Population& pop) {
  const std::size_t m = std::min<std::size_t>(pop.total, 4096);
  std::vector<SampleTraits> sample(m);
  std::string mine;
  sim::ByteWriter w(mine);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t g = j * pop.total / m;
    if (g < pop.first || g >= pop.first + pop.size()) continue;
    const std::size_t i = g - pop.first;
    sample[j] = {pop.responsiveness[i], pop.peak_hour[i], pop.kappa[i]};
    w.Put(static_cast<std::uint64_t>(j)), w.Put(sample[j]);
  }
  if (!pop.distributed) return sample;
  for (const std::string& theirs : sim::mpi::Allgather(mine)) {
    sim::ByteReader r(theirs.data(), theirs.data() + theirs.size());
    while (!r.done()) {
      std::uint64_t j = 0;
      r.Get(j), r.Get(sample[j]);
    }
  }
  return sample;
}

void Simulator::Calibrate(const Population& pop) {
  const auto& rp = params_.response;
  if (!rp.calibrate || pop.total == 0) return;
  // A fixed, evenly spaced sample of customers (thread- and process-independent), at every local hour.
  const std::vector<SampleTraits> sample = CalibrationSample(pop);
  std::vector<double> open_offsets, unsub_offsets;
  open_offsets.reserve(sample.size() * 24);
  unsub_offsets.reserve(sample.size());
  for (const SampleTraits& t : sample) {
    const double rho = t.responsiveness;
    unsub_offsets.push_back(-rho);
    const ActivityDay activity(t.peak_hour, t.kappa);
    for (int h = 0; h < 24; ++h) open_offsets.push_back(rho + rp.activity_weight * activity.LogA(h));
  }
  for (int c = 0; c < kNumChannels; ++c) {
    logit_.open[c] = static_cast<float>(SolveIntercept(open_offsets, rp.channels[c].open));
    logit_.unsubscribe[c] = static_cast<float>(SolveIntercept(unsub_offsets, rp.channels[c].unsubscribe));
  }
}

void Simulator::SetAllocation(int campaign, const std::vector<double>& weights) {
  allocation_[campaign] = Allocation(weights);
}

DayTally Simulator::StepDay(Population& pop, int day, int threads) {
  BeginDay(pop, day);
  SetDayConstants(pop.total, day);
  const bool events = params_.stepping == Stepping::kEvent;
  if (events && day == 0) pop.standing.assign((pop.size() + kShardSize - 1) / kShardSize, StandingTally{});
  const DayTally total = sim::SliceReduce(
      pop.distributed, pop.size(), kShardSize, threads, DayTally(num_cells_),
      [&](const sim::ShardRange& r, DayTally& t) {
        if (events) {
          StepShardEvents(pop, day, r.begin, r.end, t);
        } else {
          StepShard(pop, day, r.begin, r.end, t);
        }
      },
      &shard_tallies_);
  EndDay(total);
  return total;
}

// Today's environment: yesterday's totals and what the send-time policies have learned, or the
// recorded environment when replaying; recorded either way.
void Simulator::BeginDay(const Population& pop, int day) {
  if (day == 0) {
    std::vector<std::int64_t> counts = {0, 0};  // adopters, prospects
    for (std::size_t i = 0; i < pop.size(); ++i) {
      counts[0] += IsConverted(pop.stage[i]) && pop.stage[i] != static_cast<std::uint8_t>(Stage::kChurned);
      counts[1] += pop.stage[i] == static_cast<std::uint8_t>(Stage::kProspect);
    }
    if (pop.distributed) counts = sim::mpi::SumAll(counts);
    today_.adopters = counts[0], today_.prospects = counts[1];
    today_.referrals = 0;
    learner_.Reset();
    tape_.Clear();
  }
  today_.send_time = learner_.Update();
  if (const Environment* replayed = tape_.Replayed(day)) today_ = *replayed;
  tape_.Record(today_);
}

// Day constants from yesterday's totals (integers, so thread-invariant) and the calendar.
void Simulator::SetDayConstants(std::size_t n, int day) {
  const auto& lc = params_.lifecycle;
  const double h_bass = (lc.bass_p + lc.bass_q * static_cast<double>(today_.adopters) / static_cast<double>(n)) / 365.0;
  const double p_bass = 1.0 - std::exp(-h_bass);
  const double p_ref = today_.prospects > 0
                           ? std::min(1.0, static_cast<double>(today_.referrals) / static_cast<double>(today_.prospects))
                           : 0.0;
  dc_.prospect_referred = static_cast<float>(p_ref);
  dc_.prospect_referred_signup = static_cast<float>(p_ref * lc.referral_signup_prob);
  dc_.prospect_move = static_cast<float>(p_ref + (1.0 - p_ref) * p_bass);
  // Campaigns in their window today, and the scheduled ones that fire today.
  dc_.in_window = dc_.due_today = 0;
  const int weekday = (programme_.start_weekday + day) % 7;
  dc_.weekend = weekday >= 5;
  for (std::size_t c = 0; c < programme_.campaigns.size(); ++c) {
    const CampaignPlan& plan = programme_.campaigns[c];
    if (day < plan.start_day || day >= plan.end_day) continue;
    dc_.in_window |= 1u << c;
    const int since = day - plan.start_day - plan.delay_days;
    bool fires = false;
    if (plan.trigger == Trigger::kSchedule && plan.weekday_mask) {
      fires = since >= 0 && InMask(plan.weekday_mask, weekday);
    } else if (plan.trigger == Trigger::kSchedule || plan.trigger == Trigger::kBackInStock) {
      for (const ArmTreatment& arm : plan.arms) fires = fires || (since >= 0 && since % arm.every_days == 0);
    }
    if (fires) dc_.due_today |= 1u << c;
  }
}

// What tomorrow depends on: today's totals, and what the policies learn from today.
void Simulator::EndDay(const DayTally& total) {
  learner_.Add(total);
  today_.adopters = total.adopters;
  today_.prospects = total.prospects;
  today_.referrals = total.referrals();
}

float Simulator::OrderValue(Population& p, std::size_t i, int day, float discount, GroupDay& g,
                            std::uint32_t draw) const {
  namespace br = boost::random;
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                  kPurposeOrder + (draw << 8));
  const auto& pp = params_.purchase;
  const float value = static_cast<float>(br::gamma_distribution<double>(pp.spend_p, 1.0 / p.spend_rate[i])(rng));
  const auto& sp = params_.satisfaction;
  const double e = br::normal_distribution<double>(params_.personas[p.segment[i]].quality, sp.experience_sd)(rng);
  p.satisfaction[i] = static_cast<float>(std::clamp((1.0 - sp.weight) * p.satisfaction[i] + sp.weight * e, 0.0, 10.0));
  if (p.pending_discount[i]) {  // an offer won earlier (sign-up) applies to this order
    discount = std::max(discount, static_cast<float>(p.pending_discount[i]) / 100.0f);
    p.pending_discount[i] = 0;
  }
  const float revenue = value * (1.0f - discount);
  if (clock_.InWindow(day)) {
    p.win_revenue[i] += revenue;
    if (p.win_orders[i] < UINT16_MAX) ++p.win_orders[i];
  } else if (day < clock_.window_start()) {
    p.pre_revenue[i] += revenue;
  }
  if (p.orders[i] < UINT16_MAX) ++p.orders[i];
  // Recent purchase days, most recent first (shifted on each purchase; purchases are rare).
  std::int16_t* recent = &p.recent[i * p.recent_k];
  for (int k = p.recent_k - 1; k > 0; --k) recent[k] = recent[k - 1];
  recent[0] = static_cast<std::int16_t>(day);
  p.last_purchase_day[i] = static_cast<std::int16_t>(day);
  ++g.orders;
  g.revenue += revenue;
  g.discount += value * discount;
  return revenue;
}

void Simulator::FirstPurchase(Population& p, std::size_t i, int day, float discount, GroupDay& g) const {
  p.first_purchase_day[i] = static_cast<std::int16_t>(day);
  SetStage(p, i, Stage::kConversion, day);
  p.flags[i] |= kFlagAlive;  // BG/NBD time zero: alive after the first purchase
  OrderValue(p, i, day, discount, g, 0);
}

void Simulator::RepeatPurchases(Population& p, std::size_t i, int day, int n, float discount, GroupDay& g,
                                std::uint32_t first_draw) const {
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                  kPurposePurchase + (first_draw << 8));
  for (int k = 0; k < n; ++k) {
    OrderValue(p, i, day, k == 0 ? discount : 0.0f, g, first_draw + static_cast<std::uint32_t>(k));
    const std::uint8_t s = p.stage[i];
    if (s == static_cast<std::uint8_t>(Stage::kConversion) || s == static_cast<std::uint8_t>(Stage::kChurned))
      SetStage(p, i, Stage::kRetention, day);
    if (rng.UniformFloat() < p.dropout[i]) {  // BG/NBD: drop out after each repeat purchase
      p.flags[i] &= static_cast<std::uint8_t>(~kFlagAlive);
      break;
    }
  }
}

void Simulator::FireTrigger(Population& p, std::size_t i, int day, int c, bool visited, DayTally& tally,
                            DayOpens& opened) const {
  const CampaignPlan& plan = programme_.campaigns[c];
  CampaignColumns& col = p.campaigns[c];
  const std::uint8_t stage = p.stage[i];
  if (!InAudience(p, i, day, plan)) return;
  int a = col.arm[i];
  if (plan.adaptive && col.entered_day[i] == kNever)  // drawn from today's allocation on entry
    a = allocation_[c].Pick(plan.salt_hash, p.Id(i));
  const ArmTreatment& arm = plan.arms[a];
  if (!DueForArm(p, i, day, c, arm)) return;

  CellDay& cell = tally.cells[cell_offset_[c] + a];
  GroupDay& g = tally.groups[kGroupProgramme];
  if (col.entered_day[i] == kNever) {
    col.entered_day[i] = static_cast<std::int16_t>(day);
    col.arm[i] = static_cast<std::uint8_t>(a);
    col.entry_stage[i] = stage;
    col.orders_at_entry[i] = p.win_orders[i];
    col.visits_at_entry[i] = p.win_visits[i];
    col.revenue_at_entry[i] = p.win_revenue[i];
    col.state_at_entry[i] = static_cast<std::uint8_t>((p.unsubscribed[i] & kEntryChannels) |
                                                      ((p.flags[i] & kFlagRewards) ? kEntryRewards : 0) |
                                                      ((p.flags[i] & kFlagAdopted) ? kEntryAdopted : 0));
    col.referrals_at_entry[i] = p.win_referrals[i];
    ++cell.entered;
  }
  ++col.triggers[i];
  col.last_trigger[i] = static_cast<std::int16_t>(day);
  ++cell.triggers;
  if (arm.holdout) return;
  const std::uint8_t bit = static_cast<std::uint8_t>(1u << static_cast<int>(arm.channel));
  if (!(p.opt_in[i] & bit) || (p.unsubscribed[i] & bit)) {
    ++cell.unreachable;
    return;
  }
  if (p.cap_k > 0) {  // at most cap_k messages in any cap_days days
    const std::int16_t oldest = p.message_days[i * p.cap_k + p.cap_k - 1];
    if (oldest != kNever && day - oldest < programme_.cap_days) {
      ++cell.suppressed;
      return;
    }
  }
  Message(p, i, day, c, arm, visited, tally, cell_offset_[c] + a, g, opened);
  if (col.sends[i] < UINT8_MAX) ++col.sends[i];
}

// The campaign's audience today: stage, engagement, segment and opt-ins.
bool Simulator::InAudience(const Population& p, std::size_t i, int day, const CampaignPlan& plan) const {
  if (!InMask(plan.audience_stages, p.stage[i])) return false;
  if (plan.audience_engagement != 0x0F &&
      !InMask(plan.audience_engagement, static_cast<int>(EngagementOf(p, i, day, params_.lifecycle))))
    return false;
  if (!plan.audience_segments.empty() && !plan.audience_segments[p.segment[i]]) return false;
  return !plan.audience_opt_in || (p.opt_in[i] & ~p.unsubscribed[i] & plan.audience_opt_in) == plan.audience_opt_in;
}

// The arm's own limits: sends per customer, the gap between them, its cadence, and for a
// back-in-stock campaign a recent buyer who wants the restocked item.
bool Simulator::DueForArm(const Population& p, std::size_t i, int day, int c, const ArmTreatment& arm) const {
  const CampaignPlan& plan = programme_.campaigns[c];
  const CampaignColumns& col = p.campaigns[c];
  if (col.triggers[i] >= arm.max_sends) return false;
  if (col.last_trigger[i] != kNever && day - col.last_trigger[i] < std::max(1, arm.min_gap_days)) return false;
  if (plan.trigger == Trigger::kSchedule && !plan.weekday_mask &&
      (day - plan.start_day - plan.delay_days) % arm.every_days != 0)
    return false;
  if (plan.trigger == Trigger::kBackInStock) {
    if ((day - plan.start_day - plan.delay_days) % arm.every_days != 0) return false;
    if (!IsConverted(p.stage[i]) || p.last_purchase_day[i] == kNever ||
        day - p.last_purchase_day[i] > plan.recency_days)
      return false;
    sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                    kPurposeRestock + (static_cast<std::uint32_t>(c) << 8));
    if (rng.UniformFloat() >= plan.interest_share) return false;
  }
  return true;
}

int Simulator::VisitHour(const Population& p, std::size_t i, int day) const {
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day), kPurposeSessionHour);
  const double peak = PeakOnDay(p.peak_hour[i], dc_.weekend, params_.response.weekend_shift_hours);
  return AngleToHour(SampleVonMises(rng, HourToAngle(peak), p.kappa[i]));
}

void Simulator::RecordEvent(Population& p, std::size_t i, int day, int hour, DayTally& tally) const {
  const float decay =
      p.hist_day[i] == kNever
          ? 0.0f
          : std::exp2(-static_cast<float>(day - p.hist_day[i]) / static_cast<float>(programme_.history_half_life_days));
  const float ux = static_cast<float>(HourCos(hour)), uy = static_cast<float>(HourSin(hour));
  tally.history_dot += decay * (ux * p.hist_x[i] + uy * p.hist_y[i]);
  tally.history_weight += decay * p.hist_w[i];
  ++tally.event_hours[hour];
  p.hist_x[i] = p.hist_x[i] * decay + ux;
  p.hist_y[i] = p.hist_y[i] * decay + uy;
  p.hist_w[i] = p.hist_w[i] * decay + 1.0f;
  p.hist_day[i] = static_cast<std::int16_t>(day);
  if (p.hist_n[i] < UINT8_MAX) ++p.hist_n[i];
}

int Simulator::ChooseHour(const Population& p, std::size_t i, int day, int c, const ArmTreatment& arm,
                          const ActivityDay& activity, const std::array<std::int8_t, 24>& delivery,
                          bool& from_history) const {
  const CampaignPlan& plan = programme_.campaigns[c];
  auto stream = [&] {
    return sim::Stream(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                       kPurposeSendTime + (static_cast<std::uint32_t>(c) << 8));
  };
  auto uniform_hour = [](sim::Stream& rng, int n) { return std::min(n - 1, static_cast<int>(rng.UniformOpen() * n)); };
  switch (arm.send_policy) {
    case SendPolicy::kLocalHour: return arm.send_hour;
    case SendPolicy::kZoneHour: return WrapHour(arm.send_hour - plan.send_window.zone + p.tz_offset[i]);
    case SendPolicy::kRandom: {
      sim::Stream rng = stream();
      return uniform_hour(rng, 24);
    }
    case SendPolicy::kAudienceExplore: {
      sim::Stream rng = stream();
      const int best = today_.send_time.explore_best[cell_offset_[c] + p.campaigns[c].arm[i]];
      if (best < 0 || day < plan.start_day + plan.explore_days) return uniform_hour(rng, 24);
      const int band = plan.exploit_band_hours;
      return WrapHour(best - band + uniform_hour(rng, 2 * band + 1));
    }
    case SendPolicy::kLearned:
    case SendPolicy::kThompson: return PosteriorHour(p, i, day, c, arm, from_history);
    case SendPolicy::kOracle: return activity.BestAllowedHour(delivery);
  }
  return arm.send_hour;
}

// The posterior of the customer's best hour is von Mises with natural parameter
// kappa_between u(audience's mean event direction) + kappa_within S (S: the recency-weighted history).
// Learned sends at its mode (the audience's hour below history_min_events events); Thompson at a
// draw from it.
int Simulator::PosteriorHour(const Population& p, std::size_t i, int day, int c, const ArmTreatment& arm,
                             bool& from_history) const {
  const CampaignPlan& plan = programme_.campaigns[c];
  const SendTimeState& st = today_.send_time;
  from_history = p.hist_n[i] >= plan.history_min_events;
  if (arm.send_policy == SendPolicy::kLearned && !from_history) return AudienceHour(arm);
  const double prior = st.audience_hour >= 0 ? st.audience_angle : HourToAngle(arm.send_hour);
  double x = st.kappa_between * std::cos(prior), y = st.kappa_between * std::sin(prior);
  if (p.hist_day[i] != kNever) {
    const double w =
        st.kappa_within * std::exp2(-static_cast<double>(day - p.hist_day[i]) / programme_.history_half_life_days);
    x += w * p.hist_x[i], y += w * p.hist_y[i];
  }
  if (arm.send_policy == SendPolicy::kLearned) return AngleToHour(std::atan2(y, x));
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                  kPurposeSendTime + (static_cast<std::uint32_t>(c) << 8));
  return AngleToHour(SampleVonMises(rng, std::atan2(y, x), std::sqrt(x * x + y * y)));
}

// The delivery hour: the policy's hour moved out of quiet hours and into the delivery window; a
// message shown on a visit (in-app, pop-up) lands at the visit's hour.
Simulator::Delivery Simulator::DeliveryHour(const Population& p, std::size_t i, int day, int c,
                                            const ArmTreatment& arm, bool visited, const ActivityDay& activity) const {
  Delivery d;
  d.hour = arm.send_hour;
  if (params_.response.channels[static_cast<int>(arm.channel)].needs_visit) {
    if (visited) d.hour = VisitHour(p, i, day);
    return d;
  }
  const auto& delivery = delivery_[c][p.tz_offset[i] - kMinTzOffset];
  const int wanted = ChooseHour(p, i, day, c, arm, activity, delivery, d.from_history);
  d.hour = delivery[wanted];
  assert(d.hour >= 0);  // validated: every configured zone has an allowed hour
  d.deferred = d.hour != wanted;
  d.near_best = HourDistance(wanted, activity.BestHour()) <= 1;
  return d;
}

float Simulator::AddFatigue(Population& p, std::size_t i, int day) const {
  const auto& rp = params_.response;
  const float fatigue =
      p.last_message_day[i] == kNever
          ? 0.0f
          : p.fatigue[i] * std::exp(-static_cast<float>(day - p.last_message_day[i]) / static_cast<float>(rp.fatigue_tau_days));
  p.fatigue[i] = fatigue + 1.0f;
  p.last_message_day[i] = static_cast<std::int16_t>(day);
  const auto& sp = params_.satisfaction;
  if (p.fatigue[i] > sp.fatigue_threshold)
    p.satisfaction[i] = std::max(0.0f, p.satisfaction[i] - static_cast<float>(sp.fatigue_penalty));
  return fatigue;
}

void Simulator::Message(Population& p, std::size_t i, int day, int c, const ArmTreatment& arm, bool visited,
                        DayTally& tally, int cell_index, GroupDay& g, DayOpens& opened) const {
  CellDay& cell = tally.cells[cell_index];
  std::int64_t* hours = &tally.hours[static_cast<std::size_t>(cell_index) * DayTally::kHourBins];
  const auto& rp = params_.response;
  const int ch = static_cast<int>(arm.channel);
  CampaignColumns& col = p.campaigns[c];
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day),
                  kPurposeMessage + (static_cast<std::uint32_t>(c) << 8));
  const float u_deliver = rng.UniformFloat(), u_open = rng.UniformFloat(), u_click = rng.UniformFloat(),
              u_goal = rng.UniformFloat(), u_unsub = rng.UniformFloat();
  ++cell.sends;
  ++g.messages;
  cell.message_cost += CostPerSend(arm, rp);
  if (p.cap_k > 0) {
    std::int16_t* md = &p.message_days[i * p.cap_k];
    for (int k = p.cap_k - 1; k > 0; --k) md[k] = md[k - 1];
    md[0] = static_cast<std::int16_t>(day);
  }
  const float fatigue = AddFatigue(p, i, day);
  cell.fatigue += fatigue;

  const bool on_visit = rp.channels[ch].needs_visit;
  const ActivityDay activity(PeakOnDay(p.peak_hour[i], dc_.weekend, rp.weekend_shift_hours), p.kappa[i]);
  const Delivery d = DeliveryHour(p, i, day, c, arm, visited, activity);
  cell.deferred += d.deferred, cell.near_best += d.near_best, cell.from_history += d.from_history;
  const int hour = d.hour;
  const bool delivered = on_visit ? visited : u_deliver < rp.channels[ch].delivery;
  if (!delivered) return;
  ++cell.deliveries;
  ++hours[DayTally::kDeliveryBins + hour];
  if (col.delivered[i] < UINT8_MAX) ++col.delivered[i];

  const Logits& eff = cell_logits_[(static_cast<std::size_t>(cell_offset_[c]) + col.arm[i]) * params_.personas.size() +
                                   p.segment[i]];
  const float rho = p.responsiveness[i];
  const float eta = static_cast<float>(rp.activity_weight);
  const float open_base = OpenLogitBase<float>(logit_.open[ch], rho, eff.open, p.fatigue_sens[i], fatigue);
  const float p_open = Sigmoid(OpenLogit<float>(open_base, eta, static_cast<float>(activity.LogA(hour))));
  cell.expected_opens += p_open;
  // The oracle's chance for the same customer, day and state at the best hour it could have used.
  const int best = on_visit ? hour : activity.BestAllowedHour(delivery_[c][p.tz_offset[i] - kMinTzOffset]);
  cell.oracle_opens +=
      best == hour ? p_open : Sigmoid(OpenLogit<float>(open_base, eta, static_cast<float>(activity.LogA(best))));
  if (u_open < p_open) {
    ++cell.opens;
    ++hours[DayTally::kOpenBins + hour];
    // An in-app message or pop-up is opened during the visit (already one event); other messages are
    // read some hours after delivery (docs/model.md "Open delay"), and logged after the day's campaigns.
    const int delay = on_visit ? 0 : open_delay_.Sample(activity, hour, rng.UniformOpen());
    if (delay < 24) ++hours[DayTally::kOpenDelayBins + delay];
    if (!on_visit) opened.campaigns |= 1u << c, opened.hour[c] = static_cast<std::int8_t>(WrapHour(hour + delay));
    if (col.opens[i] < UINT8_MAX) ++col.opens[i];
    // An open starts a halo (raised purchase hazard and visits), with or without a click.
    p.halo_until[i] = static_cast<std::int16_t>(day + static_cast<int>(rp.halo_days));
    if (u_click < Sigmoid(ClickLogit<float>(logit_.click[ch], eff.click))) {
      ++cell.clicks;
      if (col.clicks[i] < UINT8_MAX) ++col.clicks[i];
      const auto strength = static_cast<float>(IncentiveStrength(arm, rp));
      const float goal_logit = GoalLogit<float>(logit_.goal[c], eff.goal, static_cast<float>(rp.incentive_effect),
                                                strength, p.price_sens[i]);
      if (u_goal < Sigmoid(goal_logit)) GoalConversion(p, i, day, c, arm, cell, g);
    }
  }
  const float unsub_logit = UnsubscribeLogit<float>(logit_.unsubscribe[ch], static_cast<float>(rp.unsubscribe_fatigue),
                                                    fatigue, eff.unsubscribe, rho);
  if (u_unsub < Sigmoid(unsub_logit)) {
    p.unsubscribed[i] |= static_cast<std::uint8_t>(1u << ch);
    col.unsubscribed[i] = 1;
    ++cell.unsubscribes;
  }
}

void Simulator::GoalConversion(Population& p, std::size_t i, int day, int c, const ArmTreatment& arm,
                               CellDay& cell, GroupDay& g) const {
  const CampaignPlan& plan = programme_.campaigns[c];
  const std::uint8_t s = p.stage[i];
  const float discount = arm.incentive == Incentive::kPercentDiscount ? arm.incentive_value : 0.0f;
  bool converted = false;
  auto engage_once = [&](std::uint8_t flag) {
    if (p.flags[i] & flag) return;
    p.flags[i] |= flag;
    p.SetPurchaseRate(i, static_cast<float>(p.lambda[i] * plan.purchase_multiplier));
    p.dropout[i] = static_cast<float>(p.dropout[i] * plan.dropout_multiplier);
  };
  switch (plan.goal) {
    case Goal::kSignUp:
      if (s == static_cast<std::uint8_t>(Stage::kProspect) || s == static_cast<std::uint8_t>(Stage::kReach)) {
        SetStage(p, i, Stage::kAcquisition, day);
        p.signup_day[i] = static_cast<std::int16_t>(day);
        // A sign-up offer's discount applies to the next order.
        if (discount > 0) p.pending_discount[i] = static_cast<std::uint8_t>(std::lround(discount * 100.0f));
        converted = true;
      }
      break;
    case Goal::kFirstPurchase:
      if (s == static_cast<std::uint8_t>(Stage::kAcquisition)) {
        const double before = g.discount;
        FirstPurchase(p, i, day, discount, g);
        cell.discount += g.discount - before;
        converted = true;
      }
      break;
    case Goal::kRepeatPurchase:
    case Goal::kReactivation:
      if (IsConverted(s)) {
        p.flags[i] |= kFlagAlive;  // a converting win-back revives a dead customer
        const double before = g.discount;
        RepeatPurchases(p, i, day, 1, discount, g, kMessageDraws + static_cast<std::uint32_t>(c));
        cell.discount += g.discount - before;
        converted = true;
      }
      break;
    case Goal::kReferral:
      ++g.referrals;  // a prospect moves to reach (or acquisition) tomorrow
      CountReferral(p, i, day);
      converted = true;
      break;
    case Goal::kRewardsJoin:
      if (!(p.flags[i] & kFlagRewards)) {
        engage_once(kFlagRewards);
        converted = true;
      }
      break;
    case Goal::kReturnVisit:
      ++g.visits;  // a visit that is not a bounce
      if (clock_.InWindow(day) && p.win_visits[i] < UINT16_MAX) ++p.win_visits[i];
      converted = true;
      break;
    case Goal::kFeatureAdoption:
      engage_once(kFlagAdopted);
      converted = true;
      break;
  }
  if (!converted) return;
  ++cell.goals;
  if (p.campaigns[c].goals[i] < UINT8_MAX) ++p.campaigns[c].goals[i];
  cell.incentive_cost += IncentiveCostPerGoal(arm, params_.response);
}

}  // namespace lclab::models
