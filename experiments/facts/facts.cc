#include "experiments/facts/facts.h"

#include <cmath>
#include <utility>

#include "experiments/config/config.h"
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

std::string FactGroupList() {
  std::string list;
  for (const std::string& g : FactGroups()) list += (list.empty() ? "" : ", ") + g;
  return list;
}

std::vector<Fact> RunFactGroup(const std::string& group, const FactOptions& options) {
  (void)experiments::LoadConfigText("", "(defaults)", options.sets);  // a bad --set fails every group alike
  for (const auto& [name, fn] : Registry())
    if (name == group) {
      std::vector<Fact> facts = fn(options);
      for (Fact& f : facts) f.group = group, Judge(f);
      return facts;
    }
  throw experiments::ConfigError("--group = " + group + " (expected one of " + FactGroupList() + ")");
}

void Judge(Fact& f) { f.pass = f.value >= f.low && f.value <= f.high; }

double Share::Se() const { return n > 0 ? std::sqrt(Value() * (1 - Value()) / n) : 0.0; }

}  // namespace lclab::facts
