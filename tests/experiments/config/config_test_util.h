// The config tests' minimal config and a helper that returns a config's error message.
#pragma once

#include <string>
#include <vector>

#include "experiments/config/config.h"
#include "experiments/config/error.h"

namespace lclab::experiments::testing {

inline const char* kMinimal = R"(
[population]
size = 5000

[[campaigns]]
name = "promo"
trigger = "schedule"
goal = "repeat_purchase"
variant_weight = 2

[[campaigns.factors]]
name = "tone"
levels = ["plain", { name = "urgent", open = 0.2 }]
)";

inline std::string ErrorOf(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    LoadConfigText(text, "cfg.toml", sets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace lclab::experiments::testing
