// A day's counts merge field by field: every counter of a group, a cell and
// the day adds up, so shards can be summed in any grouping to the same total.
#include "models/tally.h"

#include <gtest/gtest.h>

namespace lclab::models {
namespace {

DayTally Filled(int cells, std::int64_t k) {
  DayTally t(cells);
  for (GroupDay& g : t.groups) {
    g.stage.fill(k), g.engagement.fill(k);
    g.alive = g.visits = g.bounces = g.orders = g.referrals = g.messages = k;
    g.revenue = g.discount = 0.5 * static_cast<double>(k);
  }
  for (CellDay& c : t.cells) {
    c.triggers = c.entered = c.sends = c.unreachable = c.suppressed = c.deliveries = k;
    c.opens = c.clicks = c.goals = c.unsubscribes = c.deferred = c.near_best = c.from_history = k;
    c.fatigue = c.discount = c.incentive_cost = c.message_cost = c.expected_opens = c.oracle_opens =
        0.25 * static_cast<double>(k);
  }
  for (auto& h : t.hours) h = k;
  t.event_hours.fill(k);
  t.history_dot = t.history_weight = 2.0 * static_cast<double>(k);
  t.adopters = t.prospects = k;
  return t;
}

TEST(DayTally, MergeAddsEveryField) {
  DayTally a = Filled(3, 1);
  a.Merge(Filled(3, 2));
  const DayTally expected = Filled(3, 3);
  for (int g = 0; g < kNumGroups; ++g) {
    EXPECT_EQ(a.groups[g].stage, expected.groups[g].stage);
    EXPECT_EQ(a.groups[g].engagement, expected.groups[g].engagement);
    EXPECT_EQ(a.groups[g].alive, 3);
    EXPECT_EQ(a.groups[g].messages, 3);
    EXPECT_EQ(a.groups[g].revenue, 1.5);
    EXPECT_EQ(a.groups[g].discount, 1.5);
  }
  for (const CellDay& c : a.cells) {
    for (std::int64_t v : {c.triggers, c.entered, c.sends, c.unreachable, c.suppressed, c.deliveries, c.opens,
                           c.clicks, c.goals, c.unsubscribes, c.deferred, c.near_best, c.from_history})
      EXPECT_EQ(v, 3);
    for (double v : {c.fatigue, c.discount, c.incentive_cost, c.message_cost, c.expected_opens, c.oracle_opens})
      EXPECT_EQ(v, 0.75);
  }
  EXPECT_EQ(a.hours, expected.hours);
  EXPECT_EQ(a.hours.size(), 3u * DayTally::kHourBins);
  EXPECT_EQ(a.event_hours, expected.event_hours);
  EXPECT_EQ(a.history_dot, 6.0);
  EXPECT_EQ(a.adopters, 3);
  EXPECT_EQ(a.referrals(), 6);  // both groups
}

// The bytes a process of an MPI job sends (sim::SliceReduce) load back to the same tally, bit for bit.
TEST(DayTally, BytesRoundTrip) {
  const DayTally a = Filled(3, 7);
  std::string bytes;
  sim::ByteWriter w(bytes);
  a.Save(w), a.Save(w);
  sim::ByteReader r(bytes.data(), bytes.data() + bytes.size());
  for (int twice = 0; twice < 2; ++twice) {
    DayTally b(0);
    b.Load(r);
    ASSERT_EQ(b.cells.size(), 3u);
    EXPECT_EQ(b.hours, a.hours);
    EXPECT_EQ(b.groups[1].revenue, a.groups[1].revenue);
    EXPECT_EQ(b.cells[2].oracle_opens, a.cells[2].oracle_opens);
    EXPECT_EQ(b.event_hours, a.event_hours);
    EXPECT_EQ(b.history_weight, a.history_weight);
    EXPECT_EQ(b.prospects, a.prospects);
  }
  EXPECT_TRUE(r.done());
  sim::ByteReader cut(bytes.data(), bytes.data() + 10);
  DayTally c(0);
  EXPECT_THROW(c.Load(cut), std::runtime_error);
}

TEST(DayTally, StartsEmpty) {
  const DayTally t(2);
  EXPECT_EQ(t.cells.size(), 2u);
  EXPECT_EQ(t.referrals(), 0);
  EXPECT_EQ(t.cells[1].sends, 0);
}

}  // namespace
}  // namespace lclab::models
