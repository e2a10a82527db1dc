// The customer model: population generation and the daily lifecycle step
// (docs/model.md).
//
// A Simulator owns no customers; it runs over a Population's columns in
// shards of kShardSize customers. Every draw comes from a sim::Stream keyed by
// (seed, customer, day, purpose), and every cross-customer quantity (Bass
// adopters, referrals, what the send-time policies learn) is a total of the
// previous days, so results are bit-identical for any thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "models/assignment.h"
#include "models/campaign.h"
#include "models/params.h"
#include "models/population.h"
#include "models/response.h"
#include "models/send_time.h"
#include "models/send_time_learner.h"
#include "models/tally.h"
#include "sim/clock.h"
#include "sim/parallel.h"

namespace lclab::sim {
class Stream;
}

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
  kPurposeSessionHour = 8,  // the local hour of the day's visit
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

// What a day's step takes from the whole population: yesterday's totals (Bass adopters, prospects,
// referrals) and what the send-time policies have learned. Recorded every day; an oracle replay feeds
// the recorded values back, so each customer's counterfactual path faces the same world as in the real run.
struct Environment {
  std::int64_t adopters = 0, prospects = 0, referrals = 0;
  SendTimeState send_time;
};

// The environment of every day stepped, and optionally a recorded one to step in instead.
class EnvironmentTape {
 public:
  void Clear() { recorded_.clear(); }
  void Record(const Environment& e) { recorded_.push_back(e); }
  const std::vector<Environment>& recorded() const { return recorded_; }
  // REQUIRES: one entry per day that will be stepped.
  void Load(std::vector<Environment> replay) { replay_ = std::move(replay); }
  // The recorded environment of `day` when replaying, else nullptr.
  const Environment* Replayed(int day) const { return replay_.empty() ? nullptr : &replay_[day]; }

 private:
  std::vector<Environment> recorded_, replay_;
};

class Simulator {
 public:
  // REQUIRES: params and programme validated (see docs/config.md).
  Simulator(ModelParams params, Programme programme, std::uint64_t seed, sim::DayClock clock);

  // Allocates a population of n customers with the columns this model needs (filled on up to
  // `threads` threads).
  void Allocate(Population& pop, std::size_t n, int threads = 1) const;
  // Allocates this process's slice of a population spread over an MPI job (sim::SliceOf).
  void AllocateSlice(Population& pop, const sim::Slice& slice, int threads = 1) const;

  // Draws every customer's traits and initial state (the kFlagGlobalControl
  // bit and the campaigns' arm columns are kept), then calibrates the channel
  // intercepts (ResponseParams::calibrate). REQUIRES: pop from Allocate.
  void Generate(Population& pop, int threads);

  // Takes over a population that a simulator with the same parameters generated and may have stepped
  // (the oracle's replays share their days before any campaign acts): calibrates the channel intercepts
  // from its traits, as Generate did. StepDay then continues from the population's next day.
  void Adopt(const Population& pop) { Calibrate(pop); }

  // Advances every customer by one day and returns that day's counts.
  // REQUIRES: days are stepped in order 0, 1, 2, ... after Generate (after Adopt: from the next day).
  DayTally StepDay(Population& pop, int day, int threads);

  // Adaptive campaigns (CampaignPlan::adaptive): the weights customers entering on the following days are
  // drawn with. REQUIRES: one weight > 0 per arm. Default: equal weights.
  void SetAllocation(int campaign, const std::vector<double>& weights);
  // The environment of every day stepped so far.
  const std::vector<Environment>& environment() const { return tape_.recorded(); }
  // Steps the following days in a recorded environment instead of the population's own (oracle replays).
  // REQUIRES: one entry per day that will be stepped.
  void Replay(std::vector<Environment> environment) { tape_.Load(std::move(environment)); }

  const ModelParams& params() const { return params_; }
  const Programme& programme() const { return programme_; }
  std::uint64_t seed() const { return seed_; }
  int num_cells() const { return num_cells_; }
  // Index of (campaign, arm) in DayTally::cells.
  int cell_offset(int campaign) const { return cell_offset_[campaign]; }
  // The response intercepts in use (open and unsubscribe after calibration).
  const ResponseIntercepts& intercepts() const { return logit_; }

 private:
  // Per-day constants, from yesterday's totals and the calendar.
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
  // What every customer's step in a shard reads: the day's constants gathered once per shard into a
  // local, which the step's stores to the population's byte columns cannot alias (members would be
  // reloaded after each such store).
  struct ShardConstants {
    float halo_boost, visit_boost;
    std::uint32_t in_window, due_today;  // due_today: only campaigns in their window
    bool any_stage_trigger;
    std::array<float, kNumStages> visit, bounce;  // P(visit), P(bounce | visit) by stage

    // The day's chance of a visit in stage s (a halo raises it; may exceed 1).
    float Visit(std::uint8_t s, bool halo) const { return visit[s] * (halo ? visit_boost : 1.0f); }
    // The day's purchase rate of a customer with rate lambda (a halo raises it).
    float PurchaseRate(float lambda, bool halo) const { return lambda * (halo ? halo_boost : 1.0f); }
  };
  // Campaign bits by days since an event (index: day - event day), and where the next bits are (event
  // stepping wakes a customer on those days).
  struct DueTable {
    std::vector<std::uint32_t> bits;
    std::vector<std::int32_t> next;  // next[d]: the least d' >= d with bits[d'] != 0, or -1 (Finish)
    bool empty() const { return bits.empty(); }
    void Mark(int d, int c);  // sets bit c at index d, growing the table
    void Finish();
    // Bits due on `day` for an event on event_day (kNever: none).
    std::uint32_t At(int day, std::int16_t event_day) const {
      const unsigned d = static_cast<unsigned>(day - event_day);
      return d < bits.size() ? bits[d] : 0u;
    }
    // The first day after `day` with bits for an event on event_day, or kNoWake.
    int NextAfter(int day, std::int16_t event_day) const {
      if (event_day == kNever) return kNoWake;
      const int d = std::max(0, day + 1 - event_day);
      return d < static_cast<int>(next.size()) && next[d] >= 0 ? event_day + next[d] : kNoWake;
    }
  };
  struct TriggerTables {
    DueTable signup, first_purchase, last_purchase;
    std::array<DueTable, kNumStages> stage;
    std::uint32_t visit = 0;
  };
  // Customers whose daily draws are made together (sim::FirstBlocks), then stepped one by one. At most
  // 256: event stepping lists a batch's customers in bytes.
  static constexpr std::size_t kStepBatch = 256;
  using BatchDraws = sim::FirstBlocks<kStepBatch>;
  // Event stepping: which customers of a batch the day's uniforms give one of StepCustomer's random events
  // outside a halo (a stage move or purchase by word 0, a visit by word 1, a referral by word 3), or who
  // have a check day due.
  struct QuietChances {
    static constexpr float kScale = 0x1p24f;  // chances scaled to compare with a word's top 24 bits
    std::vector<float> move;  // [stage * personas + persona]: moves an unconverted stage below it
    std::size_t personas = 0;
    std::array<float, kNumStages> visit, referral;
    float max_move = 0, max_visit = 0, max_referral = 0;  // over stages and personas
    // Lists in wake[] the j < n (n <= kStepBatch), in order, of the batch's customers b + j to step, from
    // the batch's draws; returns how many.
    std::size_t Wakes(const Population& p, std::size_t b, std::size_t n, int day, const BatchDraws& draws,
                      std::uint8_t* wake) const;
  };
  // The day's opened messages (not those shown on a visit): campaign bits, and each one's local hour
  // of reading; they join the engagement history after the day's campaigns.
  struct DayOpens {
    std::uint32_t campaigns = 0;
    std::array<std::int8_t, kMaxCampaigns> hour;  // read only where `campaigns` has the bit: not zeroed per customer-day
  };
  // Where a message lands and how the policy chose it (send time).
  struct Delivery {
    int hour = 0;               // local delivery hour
    bool deferred = false;      // moved by quiet hours or the delivery window
    bool near_best = false;     // the policy's hour was within 1 h of the true best hour
    bool from_history = false;  // the hour came from the customer's own history
  };

  // --- set-up ---
  void BuildCampaignTables();
  void BuildDayRates();
  struct TraitTables;
  TraitTables MakeTraitTables() const;
  void DrawCustomer(Population& pop, std::size_t i, const TraitTables& tables) const;
  void SimulateHistoryBeforeRun(Population& pop, std::size_t i, int first_purchase_day) const;
  void Calibrate(const Population& pop);

  // --- the day ---
  void BeginDay(const Population& pop, int day);
  void SetDayConstants(std::size_t n, int day);
  void EndDay(const DayTally& total);
  void StepShard(Population& pop, int day, std::size_t begin, std::size_t end, DayTally& tally) const;
  ShardConstants MakeShardConstants() const;
  // Customer i's day, given its four daily uniforms u[0..3] (stage move or purchases, visit, bounce, referral);
  // adds the customer's standing counts to the tally when count_standing.
  void StepCustomer(Population& pop, std::size_t i, int day, const float* u, const ShardConstants& k,
                    DayTally& tally, bool count_standing) const;
  // --- event stepping (models/step.cc) ---
  void StepShardEvents(Population& pop, int day, std::size_t begin, std::size_t end, DayTally& tally) const;
  QuietChances MakeQuietChances(const ShardConstants& k) const;
  // The first day after `day` on which customer i's state changes without a random event, or on which
  // its chances are not QuietChances' (a halo).
  int NextCheckDay(const Population& pop, std::size_t i, int day) const;
  void FirstPurchase(Population& pop, std::size_t i, int day, float discount, GroupDay& g) const;
  // Makes n repeat purchases (stops early if the customer drops out).
  void RepeatPurchases(Population& pop, std::size_t i, int day, int n, float discount, GroupDay& g,
                       std::uint32_t first_draw) const;
  float OrderValue(Population& pop, std::size_t i, int day, float discount, GroupDay& g, std::uint32_t draw) const;
  // Runs campaign c's trigger for customer i if the audience and caps allow; adds its message to
  // `opened` if it is opened.
  void FireTrigger(Population& pop, std::size_t i, int day, int c, bool visited, DayTally& tally,
                   DayOpens& opened) const;
  bool InAudience(const Population& pop, std::size_t i, int day, const CampaignPlan& plan) const;
  bool DueForArm(const Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm) const;
  void Message(Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm, bool visited,
               DayTally& tally, int cell_index, GroupDay& g, DayOpens& opened) const;
  // Fatigue F before today's message, which then joins it (and may cost satisfaction).
  float AddFatigue(Population& pop, std::size_t i, int day) const;
  Delivery DeliveryHour(const Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm, bool visited,
                        const ActivityDay& activity) const;
  // The local hour an arm's policy wants for customer i today (before constraints).
  int ChooseHour(const Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm,
                 const ActivityDay& activity, const std::array<std::int8_t, 24>& delivery, bool& from_history) const;
  int PosteriorHour(const Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm,
                    bool& from_history) const;
  // The local hour of customer i's visit today, a draw from today's activity profile.
  int VisitHour(const Population& pop, std::size_t i, int day) const;
  // Adds an engagement event at a local hour to customer i's history.
  void RecordEvent(Population& pop, std::size_t i, int day, int hour, DayTally& tally) const;
  // Fallback hour of the learning policies: the audience's most frequent event hour so far.
  int AudienceHour(const ArmTreatment& arm) const {
    return today_.send_time.audience_hour >= 0 ? today_.send_time.audience_hour : arm.send_hour;
  }
  void GoalConversion(Population& pop, std::size_t i, int day, int c, const ArmTreatment& arm, CellDay& cell,
                      GroupDay& g) const;
  void CountReferral(Population& pop, std::size_t i, int day) const;
  struct SampleTraits {
    float responsiveness = 0, peak_hour = 0, kappa = 0;
  };
  static std::vector<SampleTraits> CalibrationSample(const Population& pop);

  // --- constants of the run (construction) ---
  ModelParams params_;
  Programme programme_;
  std::uint64_t seed_;
  sim::DayClock clock_;
  int num_cells_ = 0;
  std::vector<int> cell_offset_;     // per campaign
  std::vector<Logits> cell_logits_;  // [cell * personas + persona]: arm effects plus segment deviations
  TriggerTables triggers_;
  bool tracks_history_ = false;
  std::vector<std::array<std::array<std::int8_t, 24>, kNumTzOffsets>> delivery_;  // [campaign][tz + 12][wanted hour]
  OpenDelay open_delay_;

  // --- calibrated once (Generate) ---
  ResponseIntercepts logit_;

  // --- per day: what today's step reads, from yesterday's totals ---
  Environment today_;                   // yesterday's totals and what the send-time policies use today
  DayConstants dc_;
  std::vector<DayTally> shard_tallies_;  // scratch, reused every day

  // --- across days ---
  SendTimeLearner learner_;              // the audience's engagement so far
  std::vector<Allocation> allocation_;   // per campaign: adaptive campaigns' weights
  EnvironmentTape tape_;                 // recorded environment, and the one to replay
};

// Solves b so that mean over `offsets` of sigmoid(b + offset) = target.
// REQUIRES: offsets non-empty, 0 < target < 1.
double SolveIntercept(const std::vector<double>& offsets, double target);

}  // namespace lclab::models
