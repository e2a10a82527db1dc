// What a simulated day produces: counts per programme group (lifecycle
// stages, visits, orders, revenue) and per campaign arm (the message funnel
// and send time), summed over customers in shard order.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/params.h"
#include "sim/bytes.h"

namespace lclab::models {

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

  void Merge(const GroupDay& o);
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

  void Merge(const CellDay& o);
};

// A day's counts for every group and cell, plus the totals the next day
// depends on.
struct DayTally {
  std::array<GroupDay, kNumGroups> groups{};
  std::vector<CellDay> cells;  // campaign-major, arm-minor (Simulator::cell_offset)
  // Per cell, kHourBins counts: deliveries and opens by local delivery hour, and opens by whole hours
  // after delivery (0..23; later opens are the rest): hours[cell * kHourBins + kOpenDelayBins + k].
  static constexpr std::size_t kHourBins = 72, kDeliveryBins = 0, kOpenBins = 24, kOpenDelayBins = 48;
  std::vector<std::int64_t> hours;
  // Engagement histories (tallied when tracked): events (visits, opens) by local hour, and the
  // moments of the empirical-Bayes estimate of how concentrated a customer's events are.
  std::array<std::int64_t, 24> event_hours{};
  double history_dot = 0.0;     // sum over events of (the event's unit vector) . (the customer's history before it)
  double history_weight = 0.0;  // sum over events of the customer's history weight before it
  std::int64_t adopters = 0;   // converted and not churned
  std::int64_t prospects = 0;

  // An empty tally for num_cells cells.
  explicit DayTally(int num_cells = 0);
  void Merge(const DayTally& o);
  // As bytes and back, for the processes of an MPI job (sim::SliceReduce).
  void Save(sim::ByteWriter& w) const;
  void Load(sim::ByteReader& r);
  std::int64_t referrals() const;  // over every group
};

// The standing part of a day's tally: stage, alive and engagement counts per group, adopters and
// prospects (the rest of a tally counts events). Event stepping keeps one per shard from day to day
// and updates it only for the customers it wakes (AddStanding in models/population.h).
struct StandingTally {
  struct Group {
    std::array<std::int64_t, kNumStages> stage{};
    std::array<std::int64_t, kNumEngagement> engagement{};
    std::int64_t alive = 0;
  };
  std::array<Group, kNumGroups> groups{};
  std::int64_t adopters = 0, prospects = 0;

  void AddTo(DayTally& t) const;
};

}  // namespace lclab::models
