#include "sim/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace lclab::sim {

std::string FormatSi(double value) {
  const char* suffix[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (std::fabs(value) >= 1000.0 && i < 4) {
    value /= 1000.0;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, i == 0 ? "%.0f%s" : "%.3g%s", value, suffix[i]);
  return buf;
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

Progress::Progress(std::string label, std::int64_t total, double units_per_step,
                   const char* unit_name, Mode mode)
    : label_(std::move(label)),
      total_(total),
      units_per_step_(units_per_step),
      unit_name_(unit_name),
      enabled_(mode == Mode::kAlways || (mode == Mode::kAuto && isatty(STDERR_FILENO))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done * units_per_step_ / elapsed : 0.0;
  const double eta = done > 0 ? elapsed * (total_ - done) / done : NAN;
  std::fprintf(stderr, "\r%s %lld/%lld (%3.0f%%)%s%s  %s %s/s  elapsed %s  ETA %s   ", label_.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_),
               total_ > 0 ? 100.0 * done / total_ : 100.0, note_.empty() ? "" : ", ", note_.c_str(),
               FormatSi(rate).c_str(), unit_name_,
               FormatDuration(elapsed).c_str(), FormatDuration(eta).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace lclab::sim
