// Published facts the default world must reproduce (docs/validation.md): each
// fact is a number lclab measures (a fit, a simulated rate, a default) beside
// the range the published sources give, and it passes only inside that range.
// Groups: cdnow and sbg (the fits reproduce the published estimates, and the
// purchase defaults are them), email (response rates and when opens come),
// send_time (the gain of per-customer send times), lifecycle (the four
// industry worlds' conversion, repeat and churn) and bass (the adoption
// curve's peak against its closed form).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/progress.h"

namespace lclab::facts {

struct Fact {
  std::string group, id;  // id unique within the group
  std::string what;       // what is measured, in a marketer's words
  std::string source;     // the published source of the range (docs/validation.md has the full reference)
  double low = 0, high = 0;  // the range the value must lie in, inclusive
  double value = 0;          // what lclab measured
  double se = 0;             // its sampling standard error (0: exact, a fit or a default)
  std::string unit;          // "%": value, se and range are shares shown as percentages
  bool pass = false;
};

// hits of n: a share, with its binomial standard error (independent trials).
struct Share {
  double hits = 0, n = 0;
  double Value() const { return n > 0 ? hits / n : 0.0; }
  double Se() const;
};

struct FactOptions {
  std::string root;                 // the source tree: tests/data, experiments/worlds, experiments/configs
  std::vector<std::string> sets;    // --set overrides applied to every world and config the facts load
  std::size_t customers = 100000;   // the email and industry worlds' population (the Bass world's: half)
  int threads = 1;
  sim::Progress::Mode progress = sim::Progress::Mode::kNever;
};

// The groups, in the order `lclab facts` runs them; and as "cdnow, sbg, ..." for messages.
const std::vector<std::string>& FactGroups();
std::string FactGroupList();

// Measures one group's facts. Throws ConfigError for an unknown group or a bad --set, and
// std::runtime_error when a file under `root` cannot be read.
std::vector<Fact> RunFactGroup(const std::string& group, const FactOptions& options);

// Sets `pass`: low <= value <= high.
void Judge(Fact& f);

// The groups' implementations (fit_facts.cc, message_facts.cc, lifecycle_facts.cc).
std::vector<Fact> CdnowFacts(const FactOptions& options);
std::vector<Fact> SbgFacts(const FactOptions& options);
std::vector<Fact> EmailFacts(const FactOptions& options);
std::vector<Fact> SendTimeFacts(const FactOptions& options);
std::vector<Fact> LifecycleFacts(const FactOptions& options);
std::vector<Fact> BassFacts(const FactOptions& options);

}  // namespace lclab::facts
