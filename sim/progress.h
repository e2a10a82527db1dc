// A progress line on stderr for long runs: shown only when stderr is a
// terminal (or when forced), redrawn in place at most a few times a second,
// with the rate and the estimated time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lclab::sim {

class Progress {
 public:
  enum class Mode { kAuto, kAlways, kNever };

  // `label` leads the line; `total` is the number of steps (e.g. days) and
  // `units_per_step` the work per step (e.g. customers), for the rate.
  Progress(std::string label, std::int64_t total, double units_per_step, const char* unit_name,
           Mode mode = Mode::kAuto);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Reports that `done` steps are complete. Cheap when nothing is drawn.
  void Update(std::int64_t done);
  // Text shown after the count from the next draw on ("3 failed"); "" for none.
  void SetNote(std::string note) { note_ = std::move(note); }
  // Clears the line. Called by the destructor.
  void Finish();

  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  std::int64_t total_;
  double units_per_step_;
  const char* unit_name_;
  std::string note_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Formats a count with SI suffixes: 12.3k, 4.56M, 7.89G.
std::string FormatSi(double value);
// Formats seconds as h:mm:ss or m:ss.
std::string FormatDuration(double seconds);

}  // namespace lclab::sim
