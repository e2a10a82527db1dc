// The customer model: population generation and the daily lifecycle step
// (../shared/MODEL.md, docs/model.md).
//
// A Simulator owns no customers; it runs over a Population's columns in
// shards of kShardSize customers. Every draw comes from a sim::Stream keyed by
// (seed, customer, day, purpose), and every cross-customer quantity (Bass
// adopters, referrals) is an integer total of the previous day, so results
// are bit-identical for any thread count.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/campaign.h"
#include "models/params.h"
#include "models/population.h"
#include "sim/clock.h"

namespace lclab::models {

// Stream purposes: one per kind of draw, so that streams never overlap.
enum Purpose : std::uint32_t {
  kPurposeTraits = 1,
  kPurposeDaily = 2,
  kPurposePurchase = 3,
  kPurposeMessage = 4,
  kPurposeOrder = 5,  // + (draw << 8): one stream per order of the day
};
// Order draw indices: 0 first purchase, 1.. natural repeat purchases,
// kMessageDraws.. purchases caused by a message.
inline constexpr std::uint32_t kMessageDraws = 200;

inline constexpr std::size_t kShardSize = 4096;
// The day key used for traits (drawn before day 0).
inline constexpr std::uint32_t kTraitDay = 0xFFFFFFFFu;

// Counts for one arm on one day (end of day).
struct ArmDay {
  std::array<std::int64_t, kNumStages> stage{};
  std::array<std::int64_t, kNumEngagement> engagement{};  // converted, not churned
  std::int64_t alive = 0;        // latent: converted customers still alive
  std::int64_t visits = 0;
  std::int64_t bounces = 0;
  std::int64_t orders = 0;
  double revenue = 0.0;
  std::int64_t sends = 0;        // messages sent (holdout arms: 0)
  std::int64_t deliveries = 0;
  std::int64_t opens = 0;
  std::int64_t clicks = 0;
  std::int64_t goals = 0;
  std::int64_t unsubscribes = 0;
  std::int64_t referrals = 0;

  void Add(const ArmDay& o);
};

// A day's counts for every arm, plus the totals the next day depends on
// (with the arms' referrals).
struct DayTally {
  std::vector<ArmDay> arms;
  std::int64_t adopters = 0;   // converted and not churned
  std::int64_t prospects = 0;

  void Reset(int num_arms);
  void Add(const DayTally& o);
};

class Simulator {
 public:
  // REQUIRES: params validated (see docs/config.md); plan.arms.size() == num_arms
  // when the plan is enabled; num_arms >= 1.
  Simulator(ModelParams params, CampaignPlan plan, std::uint64_t seed, sim::DayClock clock, int num_arms);

  // Draws every customer's traits and initial state. The arm column is kept.
  // REQUIRES: pop.size() == n was allocated with Resize(n, params.lifecycle.k_loyal).
  void Generate(Population& pop, int threads) const;

  // Advances every customer by one day and returns that day's counts.
  // REQUIRES: days are stepped in order 0, 1, 2, ... after Generate.
  DayTally StepDay(Population& pop, int day, int threads);


  const ModelParams& params() const { return params_; }
  const CampaignPlan& plan() const { return plan_; }
  std::uint64_t seed() const { return seed_; }

 private:
  struct DayConstants {
    float prospect_referred = 0;      // P(referred) for a prospect
    float prospect_referred_signup = 0;  // P(referred and straight to acquisition)
    float prospect_move = 0;          // P(referred or reached by Bass)
    std::vector<float> reach_signup;  // per persona: P(sign up)
    std::vector<float> reach_leave;   // per persona: P(sign up or forget)
    std::vector<float> first_purchase;  // per persona
    float referral = 0;               // P(a loyal promoter refers someone today)
  };

  struct TraitTables;
  TraitTables MakeTraitTables() const;
  void DrawCustomer(Population& pop, std::size_t i, const TraitTables& tables) const;
  void StepShard(Population& pop, int day, std::size_t begin, std::size_t end, DayTally& tally) const;
  void FirstPurchase(Population& pop, std::size_t i, int day, float discount, ArmDay& t) const;
  // Makes n repeat purchases (stops early if the customer drops out).
  void RepeatPurchases(Population& pop, std::size_t i, int day, int n, float discount, ArmDay& t,
                       std::uint32_t first_draw) const;
  float OrderValue(Population& pop, std::size_t i, int day, float discount, ArmDay& t, std::uint32_t draw) const;
  void Message(Population& pop, std::size_t i, int day, const ArmTreatment& arm, ArmDay& t) const;
  bool Due(const Population& pop, std::size_t i, int day) const;

  ModelParams params_;
  CampaignPlan plan_;
  std::uint64_t seed_;
  sim::DayClock clock_;
  int num_arms_;
  DayConstants dc_;
  std::vector<DayTally> shard_tallies_;
  std::int64_t prev_adopters_ = 0;
  std::int64_t prev_prospects_ = 0;
  std::int64_t prev_referrals_ = 0;
  // Channel logits, precomputed.
  std::array<float, kNumChannels> open_logit_{}, click_logit_{}, unsub_logit_{};
  float goal_logit_ = 0;
};

// Log of the normalised activity profile A(h) = exp(kappa cos(2 pi (h - peak) / 24)) / mean_h(...)
// at local hour h (mean 1 over the 24 hours).
double LogActivity(double peak_hour, double kappa, int local_hour);

}  // namespace lclab::models
