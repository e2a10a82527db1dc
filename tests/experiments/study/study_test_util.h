// A small study the study tests share, written to a temporary folder with its
// base config and a strategy's campaigns: two strategies (no marketing, a
// weekly promotion), two scenarios, an axis over the promotion's discount.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "experiments/config/error.h"
#include "experiments/config/study_config.h"

namespace lclab::experiments::testing {

class StudyFiles {
 public:
  explicit StudyFiles(const std::string& tag) {
    dir_ = std::filesystem::temp_directory_path() / ("lclab_study_" + std::to_string(getpid()) + "_" + tag);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Write("world.toml", R"(
[simulation]
warmup_days = 10
days = 30
[population]
size = 2000
initial = { prospect = 0.1, reach = 0.1, acquisition = 0.1, customer = 0.7 }
)");
    Write("promo.toml", R"(
[[campaigns]]
name = "promo"
trigger = "schedule"
every_days = 7
goal = "repeat_purchase"
incentive = "percent_discount"
incentive_value = 0.1
holdout = false
)");
  }
  ~StudyFiles() { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const { return dir_; }

  // The study file with `extra` appended to its [study] table and `tail` after it.
  std::string Study(const std::string& extra = "", const std::string& tail = "") const {
    return Write("study.toml", R"([study]
name = "small"
base = "world.toml"
seed = 5
replications = 3
baseline = "none"
)" + extra + R"(
[[study.strategies]]
name = "none"
set = { campaigns = [] }

[[study.strategies]]
name = "promo"
campaigns_from = "promo.toml"

[[study.scenarios]]
name = "small"

[[study.scenarios]]
name = "larger"
set = { "population.size" = 3000 }

[[study.axes]]
name = "discount"
key = "campaigns[0].incentive_value"
values = [0.1, 0.3]
strategies = ["promo"]
)" + tail);
  }

  // The error message of loading and planning `path` ("" if none).
  static std::string ErrorOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace lclab::experiments::testing
