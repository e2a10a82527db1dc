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
#include "models/send_time.h"
#include "sim/clock.h"

namespace lclab::models {

// Stream purposes: one per kind of draw, so that streams never overlap.
enum Purpose : std::uint32_t {
  kPurposeTraits = 1,
  kPurposeDaily = 2,
  kPurposePurchase = 3,  // + (draw << 8)
  kPurposeMessage = 4,   // + (campaign << 8)
  kPurposeOrder = 5,     // + (draw << 8): one stream per order of the day
  kPurposeRestock = 6,   // + (campaign << 8): interest in a back-in-stock item
  kPurposeSendTime = 7,  // + (campaign << 8): a send-time policy's random hour
  kPurposeSessionHour = 8,  // the local hour of the day's visit; + ((campaign + 1) << 8): of an open
  kPurposeAllocation = 9,   // Thompson allocation draws (entity: the campaign, not a customer)
};
// Order draw indices: 0 first purchase, 1.. natural repeat purchases,
// kMessageDraws + campaign: purchases caused by a campaign's message.
inline constexpr std::uint32_t kMessageDraws = 200;

// Time-zone offsets a customer may have: -12..14 hours.
inline constexpr int kMinTzOffset = -12, kNumTzOffsets = 27;

inline constexpr std::size_t kShardSize = 4096;
// The day key used for traits (drawn before day 0).
inline constexpr std::uint32_t kTraitDay = 0xFFFFFFFFu;

// Programme groups: customers in the lifecycle programme, and the global
// control group held out of every campaign.
inline constexpr int kNumGroups = 2;
inline constexpr int kGroupProgramme = 0, kGroupGlobalControl = 1;
inline constexpr std::array<const char*, kNumGroups> kGroupNames = {"programme", "global_control"};

// Population counts for one group on one day (end of day).
struct GroupDay {
  std::array<std::int64_t, kNumStages> stage{};
  std::array<std::int64_t, kNumEngagement> engagement{};  // converted, not churned
  std::int64_t alive = 0;        // latent: converted customers still alive
  std::int64_t visits = 0;
  std::int64_t bounces = 0;
  std::int64_t orders = 0;
  double revenue = 0.0;          // after discounts
  double discount = 0.0;         // money taken off orders by discounts
  std::int64_t referrals = 0;
  std::int64_t messages = 0;     // messages sent by every campaign

  void Add(const GroupDay& o);
};

// Message counts for one campaign arm (a cell) on one day.
struct CellDay {
  std::int64_t triggers = 0;     // the trigger fired (holdout arms included)
  std::int64_t entered = 0;      // first triggers: customers entering the experiment
  std::int64_t sends = 0;        // messages sent
  std::int64_t unreachable = 0;  // not sent: not opted in to, or unsubscribed from, the arm's channel
  std::int64_t suppressed = 0;   // not sent: the programme's frequency cap
  std::int64_t deliveries = 0;
  std::int64_t opens = 0;
  std::int64_t clicks = 0;
  std::int64_t goals = 0;
  std::int64_t unsubscribes = 0;
  double fatigue = 0.0;          // sum over sends of the recipient's fatigue F before the message
  double discount = 0.0;         // money off the orders the goal conversions made
  double incentive_cost = 0.0;   // free shipping and redeemed points paid
  double message_cost = 0.0;
  // Send time (models/send_time.h).
  std::int64_t deferred = 0;     // sends moved by quiet hours or the delivery window
  std::int64_t near_best = 0;    // sends whose policy hour is within 1 h of the recipient's true best hour
  std::int64_t from_history = 0; // sends whose hour came from the recipient's own history (learned, Thompson)
  double expected_opens = 0.0;   // sum over deliveries of P(open) at the delivery hour
  double oracle_opens = 0.0;     // sum over deliveries of P(open) at the best allowed hour (same customer, day, state)

  void Add(const CellDay& o);
};

// A day's counts for every group and cell, plus the totals the next day
// depends on.
struct DayTally {
  std::array<GroupDay, kNumGroups> groups{};
  std::vector<CellDay> cells;  // campaign-major, arm-minor (Simulator::cell_offset)
  // Per cell, deliveries then opens by local delivery hour: [cell * 48 + h], [cell * 48 + 24 + h].
  std::vector<std::int64_t> hours;
  // Engagement histories (tallied when tracked): events (visits, opens) by local hour, and the
  // moments of the empirical-Bayes estimate of how concentrated a customer's events are.
  std::array<std::int64_t, 24> event_hours{};
  double history_dot = 0.0;     // sum over events of (the event's unit vector) . (the customer's history before it)
  double history_weight = 0.0;  // sum over events of the customer's history weight before it
  std::int64_t adopters = 0;   // converted and not churned
  std::int64_t prospects = 0;

  void Reset(int num_cells);
  void Add(const DayTally& o);
};

// What a day's step takes from the whole population: yesterday's totals (Bass adopters, prospects,
// referrals) and the send-time learners' state. Recorded every day; an oracle replay feeds the recorded
// values back, so each customer's counterfactual path faces the same world as in the real run.
struct Environment {
  std::int64_t adopters = 0, prospects = 0, referrals = 0;
  int audience_hour = -1;
  double audience_angle = 0, kappa_within = 1, kappa_between = 1;
  std::vector<int> explore_best;  // per cell
};

class Simulator {
 public:
  // REQUIRES: params and programme validated (see docs/config.md).
  Simulator(ModelParams params, Programme programme, std::uint64_t seed, sim::DayClock clock);

  // Allocates a population of n customers with the columns this model needs.
  void Allocate(Population& pop, std::size_t n) const;

  // Draws every customer's traits and initial state (the kFlagGlobalControl
  // bit and the campaigns' arm columns are kept), then calibrates the channel
  // intercepts (ResponseParams::calibrate). REQUIRES: pop from Allocate.
  void Generate(Population& pop, int threads);

  // Advances every customer by one day and returns that day's counts.
  // REQUIRES: days are stepped in order 0, 1, 2, ... after Generate.
  DayTally StepDay(Population& pop, int day, int threads);

  // Adaptive campaigns (CampaignPlan::adaptive): the weights customers entering on the following days are
  // drawn with. REQUIRES: one weight > 0 per arm. Default: equal weights.
  void SetAllocation(int campaign, const std::vector<double>& weights);
  // The environment of every day stepped so far.
  const std::vector<Environment>& environment() const { return environment_; }
  // Steps the following days in a recorded environment instead of the population's own (oracle replays).
  // REQUIRES: one entry per day that will be stepped.
  void Replay(std::vector<Environment> environment) { replay_ = std::move(environment); }

  const ModelParams& params() const { return params_; }
  const Programme& programme() const { return programme_; }
  std::uint64_t seed() const { return seed_; }
  int num_cells() const { return num_cells_; }
  // Index of (campaign, arm) in DayTally::cells.
  int cell_offset(int campaign) const { return cell_offset_[campaign]; }
  // The intercepts in use (after calibration), per channel.
  float open_intercept(Channel c) const { return open_logit_[static_cast<int>(c)]; }
  float unsubscribe_intercept(Channel c) const { return unsub_logit_[static_cast<int>(c)]; }

 private:
  struct DayConstants {
    float prospect_referred = 0;      // P(referred) for a prospect
    float prospect_referred_signup = 0;  // P(referred and straight to acquisition)
    float prospect_move = 0;          // P(referred or reached by Bass)
    std::vector<float> reach_signup;  // per persona: P(sign up)
    std::vector<float> reach_leave;   // per persona: P(sign up or forget)
    std::vector<float> first_purchase;  // per persona
    float referral = 0;               // P(a loyal promoter refers someone today)
    std::uint32_t due_today = 0;      // bit c: schedule / back-in-stock campaign c fires today
    std::uint32_t in_window = 0;      // bit c: campaign c may trigger today
    bool weekend = false;             // today is a Saturday or Sunday
  };
  // Campaign bits by days since an event (index: day - event day).
  struct TriggerTables {
    std::vector<std::uint32_t> signup, first_purchase, last_purchase;
    std::array<std::vector<std::uint32_t>, kNumStages> stage;
    std::uint32_t visit = 0;
  };

  struct TraitTables;
  TraitTables MakeTraitTables() const;
  void DrawCustomer(Population& pop, std::size_t i, const TraitTables& tables) const;
  void Calibrate(const Population& pop);
  void StepShard(Population& pop, int day, std::size_t begin, std::size_t end, DayTally& tally) const;
  void FirstPurchase(Population& pop, std::size_t i, int day, float discount, GroupDay& g) const;
  // Makes n repeat purchases (stops early if the customer drops out).
  void RepeatPurchases(Population& pop, std::size_t i, int day, int n, float discount, GroupDay& g,
                       std::uint32_t first_draw) const;
  float OrderValue(Population& pop, std::size_t i, int day, float discount, GroupDay& g, std::uint32_t draw) const;
  // Runs campaign c's trigger for customer i if the audience and caps allow.
  // Runs campaign c's trigger for customer i if the audience and caps allow; sets bit c of
  // `opened` if its message is opened (the open joins the history after the day's campaigns).
  void FireTrigger(Population& pop, std::size_t i, int day, int c, bool visited, DayTally& tally,
                   std::uint32_t& opened) const;
  void Message(Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm, bool visited,
               DayTally& tally, int cell_index, GroupDay& g, std::uint32_t& opened) const;
  // The local hour an arm's policy wants for customer i today (before constraints).
  int ChooseHour(const Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm,
                 const ActivityDay& activity, const std::array<std::int8_t, 24>& delivery, bool& from_history) const;
  // The local hour of a session of customer i today, a draw from today's activity profile:
  // `session` 0 is the day's visit, c + 1 the session in which campaign c's message is opened.
  int SessionHour(const Population& pop, std::size_t i, int day, std::uint32_t session) const;
  // Adds an engagement event at a local hour to customer i's history.
  void RecordEvent(Population& pop, std::size_t i, int day, int hour, DayTally& tally) const;
  // Fallback hour of the learning policies: the audience's most frequent event hour so far.
  int AudienceHour(const ArmTreatment& arm) const { return audience_hour_ >= 0 ? audience_hour_ : arm.send_hour; }
  void GoalConversion(Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm, CellDay& cell,
                      GroupDay& g) const;

  ModelParams params_;
  Programme programme_;
  std::uint64_t seed_;
  sim::DayClock clock_;
  int num_cells_ = 0;
  std::vector<int> cell_offset_;     // per campaign
  std::vector<Logits> cell_logits_;  // [cell * personas + persona]: arm effects plus segment deviations
  TriggerTables triggers_;
  DayConstants dc_;
  std::vector<DayTally> shard_tallies_;
  std::int64_t prev_adopters_ = 0;
  std::int64_t prev_prospects_ = 0;
  std::int64_t prev_referrals_ = 0;
  // Channel logits (calibrated by Generate when ResponseParams::calibrate).
  std::array<float, kNumChannels> open_logit_{}, click_logit_{}, unsub_logit_{};
  std::vector<float> goal_logit_;  // per campaign
  // Send time.
  bool tracks_history_ = false;
  std::vector<std::array<std::array<std::int8_t, 24>, kNumTzOffsets>> delivery_;  // [campaign][tz + 12][wanted hour]
  std::vector<std::int64_t> hour_totals_;     // DayTally::hours summed over the days so far
  std::array<std::int64_t, 24> event_hour_totals_{};
  double history_dot_total_ = 0, history_weight_total_ = 0;
  // Empirical Bayes (docs/model.md "Send time"): a customer's events scatter around the
  // customer's best hour with concentration kappa_within, and customers' best hours around
  // the audience's hour with kappa_between.
  double kappa_within_ = 1.0, kappa_between_ = 1.0;
  std::vector<int> explore_best_;             // per cell: best local hour by open rate so far, -1 if none
  int audience_hour_ = -1;                    // most frequent event hour so far, -1 if none
  double audience_angle_ = 0;                 // mean direction of the events so far (the prior's centre)
  std::vector<Environment> environment_, replay_;
  std::vector<std::vector<double>> alloc_cum_;  // per campaign: cumulative allocation weights
};


// Solves b so that mean over `offsets` of sigmoid(b + offset) = target.
// REQUIRES: offsets non-empty, 0 < target < 1.
double SolveIntercept(const std::vector<double>& offsets, double target);

}  // namespace lclab::models
