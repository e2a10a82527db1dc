// lclab facts end to end: a moved default takes its fact out of range and the command fails; the
// table does not depend on the thread count; bad usage exits 2 naming the option.
#include <gtest/gtest.h>

#include "test_util.h"

namespace lclab::experiments {
namespace {

using lclab::testing::Command;
using lclab::testing::RunCommand;

// The send-time example with the activity weight as it was before it was recalibrated (eta = 1):
// per-customer send times gain +80%, far above the published 0-25%.
TEST(FactsCli, TheOldActivityWeightFailsTheSendTimeFacts) {
  const Command r = RunCommand("facts --group send_time --set response.activity_weight=1 --set population.size=50000");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("OUT: send_time.oracle_lift"), std::string::npos) << r.out;
}

// A purchase default moved 10% away from the published CDNOW fit fails cdnow; the fits still pass.
TEST(FactsCli, AMovedPurchaseDefaultFailsTheCdnowFacts) {
  const Command r = RunCommand("facts --group cdnow --set purchase.r=0.27");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("OUT: cdnow.default.r"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("OUT: cdnow.bgnbd"), std::string::npos) << r.out;
  const Command ok = RunCommand("facts --group cdnow --group sbg");
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("facts within their published range"), std::string::npos) << ok.out;
}

// Email rates far from Mailchimp's, and opens that come at once, fail the email facts.
TEST(FactsCli, MovedEmailDefaultsFailTheEmailFacts) {
  const Command r = RunCommand("facts --group email --customers 20000 --set channels.email.open=0.4 "
                               "--set response.open_delay_scale_hours=0.1");
  EXPECT_EQ(r.code, 1) << r.err;
  for (const char* fact : {"OUT: email.open_rate", "OUT: email.opens_first_hour"})
    EXPECT_NE(r.out.find(fact), std::string::npos) << fact << "\n" << r.out;
}

TEST(FactsCli, TheTableDoesNotDependOnThreads) {
  const Command one = RunCommand("facts --group email --group bass --customers 20000 --threads 1 --markdown");
  const Command two = RunCommand("facts --group email --group bass --customers 20000 --threads 2 --markdown");
  ASSERT_EQ(one.code, 0) << one.out << one.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_NE(one.out.find("| `email.open_rate` |"), std::string::npos) << one.out;
}

TEST(FactsCli, BadUsageNamesTheOption) {
  Command r = RunCommand("facts --group nope");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--group = nope (expected one of cdnow"), std::string::npos) << r.err;
  r = RunCommand("facts --group email --set response.no_such_key=1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("response.no_such_key"), std::string::npos) << r.err;
  r = RunCommand("facts --group sbg --set response.no_such_key=1");  // sbg reads no config, but checks the --set
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("response.no_such_key"), std::string::npos) << r.err;
  r = RunCommand("facts --group lifecycle --set simulation.days=100");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("simulation.days = 100 (expected at least 1095"), std::string::npos) << r.err;
  r = RunCommand("facts --customers 5");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--customers = 5"), std::string::npos) << r.err;
  r = RunCommand("facts --root /nonexistent");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--root = /nonexistent"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lclab::experiments
