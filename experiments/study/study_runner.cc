#include "experiments/study/study_runner.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <new>
#include <thread>
#include <unordered_set>

#include "experiments/config/error.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/runner.h"

namespace lclab::experiments {
namespace {

// One run, start to finish: its config, the simulation, its record and (keep_runs) its file.
RunRecord Execute(const StudyConfig& study, const StudyPlan& plan, const PlannedRun& run, const std::string& dir,
                  const StudyOptions& options) {
  const ExperimentConfig cfg = RunConfig(study, plan, run);
  RunOptions ro;
  ro.threads = options.threads;
  ro.progress = sim::Progress::Mode::kNever;
  ro.stop = options.stop;
  ro.oracle = study.oracle;
  const RunResult result = RunExperiment(cfg, ro);
  RunRecord rec = RecordOf(study, cfg, result);
  rec.id = run.id;
  if (study.keep_runs)
    WriteResults(RunFilePath(dir, run.id), cfg, result,
                 RunInfo{options.command_line + " (run " + run.id + ")", options.threads, false}, options.stop);
  return rec;
}

RunRecord Failed(const PlannedRun& run, const std::string& error) {
  RunRecord r;
  r.id = run.id;
  r.ok = false;
  r.error = error;
  return r;
}

}  // namespace

RunRecord ExecuteRun(const StudyConfig& study, const StudyPlan& plan, const PlannedRun& run, const std::string& dir,
                     const StudyOptions& options) {
  try {
    return Execute(study, plan, run, dir, options);
  } catch (const sim::Interrupted&) {
    throw;
  } catch (const std::bad_alloc&) {
    return Failed(run, "out of memory");
  } catch (const std::exception& e) {
    return Failed(run, e.what());
  }
}

std::string RunFilePath(const std::string& dir, const std::string& id) {
  return (std::filesystem::path(dir) / "runs" / (id + ".h5")).string();
}

namespace {

// What the workers share, behind one lock: the journal, the records, the progress line, the failures.
struct Shared {
  Shared(Journal& j, sim::Progress& p) : journal(j), records(j.done()), progress(p) {}
  std::mutex mu;
  Journal& journal;
  std::map<std::string, RunRecord> records;
  sim::Progress& progress;
  int done = 0, failures = 0;
  std::atomic<bool> stop_fast{false};
  std::string first_failure;
  std::exception_ptr interrupted;

  // Records a finished (or failed) run.
  void Finish(const StudyConfig& study, const StudyPlan& plan, const PlannedRun& run, RunRecord rec, bool fail_fast) {
    std::lock_guard<std::mutex> lock(mu);
    journal.Append(rec);
    ++done;
    if (!rec.ok) {
      ++failures;
      if (fail_fast && first_failure.empty()) {
        first_failure = CellLabel(study, plan, run.cell) + ", replication " + std::to_string(run.replication) + ": " +
                        rec.error;
        stop_fast = true;
      }
      progress.SetNote(std::to_string(failures) + " failed");
    }
    records[rec.id] = std::move(rec);
    progress.Update(done);
  }
};

}  // namespace

std::vector<const PlannedRun*> ShardRuns(const StudyPlan& plan, int shard, int shards) {
  std::vector<const PlannedRun*> runs;
  std::unordered_set<std::string> seen;
  for (const PlannedRun& r : plan.runs)
    if (seen.insert(r.id).second && static_cast<int>((seen.size() - 1) % static_cast<std::size_t>(shards)) == shard - 1)
      runs.push_back(&r);
  return runs;
}

std::vector<const PlannedRun*> Pending(const StudyPlan& plan, const Journal& journal, int shard, int shards) {
  std::vector<const PlannedRun*> todo;
  for (const PlannedRun* r : ShardRuns(plan, shard, shards))
    if (!journal.done().count(r->id)) todo.push_back(r);
  return todo;
}

std::vector<RunRecord> InPlanOrder(const StudyPlan& plan, const std::map<std::string, RunRecord>& records) {
  std::vector<RunRecord> out;
  out.reserve(plan.runs.size());
  int missing = 0;
  for (const PlannedRun& r : plan.runs) {
    const auto it = records.find(r.id);
    if (it == records.end()) ++missing;
    else out.push_back(it->second);
  }
  if (missing > 0)
    throw ConfigError(std::to_string(missing) + " of the plan's " + std::to_string(plan.runs.size()) +
                      " runs have no record (expected every run finished: resume the study or its shards)");
  return out;
}

std::map<std::string, RunRecord> RunStudy(const StudyConfig& study, const StudyPlan& plan, Journal& journal,
                                          const StudyOptions& options) {
  const std::vector<const PlannedRun*> todo = Pending(plan, journal, options.shard, options.shards);
  if (study.keep_runs) std::filesystem::create_directories(std::filesystem::path(journal.dir()) / "runs");
  sim::Progress progress("study run", static_cast<std::int64_t>(todo.size()),
                         todo.empty() ? 0.0 : plan.customer_days / plan.distinct_runs, "customer-days",
                         options.progress);
  Shared shared(journal, progress);
  for (const auto& [id, r] : shared.records) shared.failures += !r.ok;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < todo.size();) {
      if (shared.stop_fast || (options.stop && *options.stop)) return;
      const PlannedRun& run = *todo[i];
      RunRecord rec;
      try {
        rec = ExecuteRun(study, plan, run, journal.dir(), options);
      } catch (const sim::Interrupted&) {
        std::lock_guard<std::mutex> lock(shared.mu);
        if (!shared.interrupted) shared.interrupted = std::current_exception();
        return;
      }
      shared.Finish(study, plan, run, std::move(rec), options.fail_fast);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::min<int>(options.jobs, static_cast<int>(todo.size())); ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  progress.Finish();
  if (shared.interrupted) std::rethrow_exception(shared.interrupted);
  sim::ThrowIfStopped(options.stop);
  if (shared.stop_fast)
    throw sim::RuntimeError("study stopped at the first failure (--fail-fast): " + shared.first_failure);
  return std::move(shared.records);
}

}  // namespace lclab::experiments
