// Simulated time: days, each with 24 hourly delivery slots in UTC.
#pragma once

#include <cstdint>

namespace lclab::sim {

inline constexpr int kHoursPerDay = 24;

// The local hour for a UTC hour and a time-zone offset in whole hours.
// REQUIRES: -12 <= tz_offset <= 14, 0 <= utc_hour < 24. Returns 0..23.
constexpr int LocalHour(int utc_hour, int tz_offset) {
  return ((utc_hour + tz_offset) % kHoursPerDay + kHoursPerDay) % kHoursPerDay;
}
// The UTC hour at which a local hour occurs in a time zone. Returns 0..23.
constexpr int UtcHour(int local_hour, int tz_offset) { return LocalHour(local_hour, -tz_offset); }

// The day clock of a run: warm-up days [0, warmup) and then the experiment
// window [warmup, warmup + days).
struct DayClock {
  int warmup_days = 0;  // days before the experiment window, >= 0
  int window_days = 0;  // days in the experiment window, >= 1

  int total_days() const { return warmup_days + window_days; }
  int window_start() const { return warmup_days; }
  int window_end() const { return warmup_days + window_days; }  // one past the last day
  bool InWindow(int day) const { return day >= window_start() && day < window_end(); }
};

}  // namespace lclab::sim
