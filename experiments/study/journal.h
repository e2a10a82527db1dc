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
#include <vector>

#include "experiments/study/plan.h"
#include "experiments/study/records.h"

namespace lclab::experiments {

// What a study directory holds: which study, plan and build wrote it, how to load the study again
// (for `lclab study merge`), and which share of the runs it holds (--shard I/N; 1/1 for all).
struct StudyManifest {
  std::string study, plan, build;
  std::string study_path;          // absolute
  std::vector<std::string> sets;   // the --set overrides
  int shard = 1, shards = 1;
};

// The manifest a directory of `study` gets: its plan's hash, this build, the study file's absolute
// path and the --set overrides, and the share.
StudyManifest ManifestFor(const StudyConfig& study, const StudyPlan& plan, const std::vector<std::string>& sets,
                          int shard = 1, int shards = 1);

// The manifest of `dir`. Throws ConfigError if it has none.
StudyManifest ReadStudyManifest(const std::string& dir);
// The finished runs in `dir`'s journal, by id (records cut off by a kill are dropped).
std::map<std::string, RunRecord> ReadJournal(const std::string& dir);

class Journal {
 public:
  // Opens `dir` for the study of `manifest`: creates it (and its manifest) if it is missing or
  // empty; with `resume`, reopens one of the same study, plan and shard and reads its finished runs.
  // Throws ConfigError when the directory belongs to another study, plan or shard, or holds this
  // study's results without `resume`.
  Journal(const std::string& dir, const StudyManifest& manifest, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The finished runs read back (resume), by run id.
  const std::map<std::string, RunRecord>& done() const { return done_; }
  // Appends one run's record in a single write, flushed. Not thread-safe: callers serialise.
  void Append(const RunRecord& r);

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::FILE* out_ = nullptr;
  std::map<std::string, RunRecord> done_;
};

// One record as journal text, and back (for tests); Parse returns false on a malformed record.
std::string FormatRecord(const RunRecord& r);
bool ParseRecord(const std::string& text, RunRecord& r);

}  // namespace lclab::experiments
