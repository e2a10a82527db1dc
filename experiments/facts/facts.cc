#include "experiments/facts/facts.h"

#include <functional>
#include <utility>

#include "experiments/config/error.h"

namespace lclab::facts {
namespace {

using GroupFn = std::vector<Fact> (*)(const FactOptions&);

const std::vector<std::pair<std::string, GroupFn>>& Registry() {
  static const std::vector<std::pair<std::string, GroupFn>> groups = {
      {"cdnow", CdnowFacts},         {"sbg", SbgFacts},   {"email", EmailFacts}, {"send_time", SendTimeFacts},
      {"lifecycle", LifecycleFacts}, {"bass", BassFacts}};
  return groups;
}

}  // namespace

const std::vector<std::string>& FactGroups() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [name, fn] : Registry()) v.push_back(name);
    return v;
  }();
  return names;
}

std::vector<Fact> RunFactGroup(const std::string& group, const FactOptions& options) {
  for (const auto& [name, fn] : Registry())
    if (name == group) {
      std::vector<Fact> facts = fn(options);
      for (Fact& f : facts) f.group = group, Judge(f);
      return facts;
    }
  std::string known;
  for (const std::string& g : FactGroups()) known += (known.empty() ? "" : ", ") + g;
  throw experiments::ConfigError("--group " + group + ": unknown group (expected one of " + known + ")");
}

void Judge(Fact& f) { f.pass = f.value >= f.low && f.value <= f.high; }

}  // namespace lclab::facts
