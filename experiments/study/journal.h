// A study directory's journal: every finished run appended as one record, so
// a study killed at any moment loses only the runs in flight, and --resume
// skips what is done. The directory's manifest names the study and its plan
// (a hash of every run id, which changes with the study file, the base config
// or lclab's build): a directory of another study, or of a changed one, is
// refused rather than mixed.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include "experiments/study/records.h"

namespace lclab::experiments {

class Journal {
 public:
  // Opens `dir` for the study `name` with plan hash `hash`: creates it (and its manifest) if it is
  // missing or empty; with `resume`, reopens one of the same plan and reads its finished runs.
  // Throws ConfigError when the directory belongs to another study or plan, or holds this study's
  // results without `resume`.
  Journal(const std::string& dir, const std::string& name, const std::string& hash, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The finished runs read back (resume), by run id.
  const std::map<std::string, RunRecord>& done() const { return done_; }
  // Appends one run's record in a single write, flushed. Not thread-safe: callers serialise.
  void Append(const RunRecord& r);

  const std::string& dir() const { return dir_; }

 private:
  void Read(const std::string& path);
  std::string dir_;
  std::FILE* out_ = nullptr;
  std::map<std::string, RunRecord> done_;
};

// One record as journal text, and back (for tests); Parse returns false on a malformed record.
std::string FormatRecord(const RunRecord& r);
bool ParseRecord(const std::string& text, RunRecord& r);

}  // namespace lclab::experiments
