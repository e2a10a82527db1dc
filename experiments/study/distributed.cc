#include "experiments/study/distributed.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "sim/mpi.h"

namespace lclab::experiments {
namespace {

constexpr int kTagAsk = 11;     // worker -> 0: "give me a run", with the record of the one it finished ("" first)
constexpr int kTagAssign = 12;  // 0 -> worker: the run's index in the plan, or "stop"

}  // namespace

std::map<std::string, RunRecord> DispatchStudy(const StudyConfig& study, const StudyPlan& plan, Journal& journal,
                                               const StudyOptions& options) {
  const std::vector<const PlannedRun*> todo = Pending(plan, journal, options.shard, options.shards);
  if (study.keep_runs) std::filesystem::create_directories(std::filesystem::path(journal.dir()) / "runs");
  std::map<std::string, RunRecord> records = journal.done();
  sim::Progress progress("study run", static_cast<std::int64_t>(todo.size()),
                         todo.empty() ? 0.0 : plan.customer_days / plan.distinct_runs, "customer-days",
                         options.progress);
  std::size_t next = 0;
  int done = 0, failures = 0, working = sim::mpi::Size() - 1;
  while (working > 0) {
    if (options.stop && *options.stop) sim::mpi::Abort(128 + *options.stop);  // the journal keeps what finished
    int from = 0;
    if (!sim::mpi::Waiting(kTagAsk, &from)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    const std::string text = sim::mpi::Receive(from, kTagAsk);
    if (!text.empty()) {
      RunRecord rec;
      if (!ParseRecord(text, rec)) sim::mpi::Abort(1);
      journal.Append(rec);
      failures += !rec.ok;
      if (!rec.ok) progress.SetNote(std::to_string(failures) + " failed");
      records[rec.id] = std::move(rec);
      progress.Update(++done);
    }
    if (next < todo.size() && !(options.fail_fast && failures > 0)) {
      sim::mpi::Send(from, kTagAssign, std::to_string(todo[next++]->index));
    } else {
      sim::mpi::Send(from, kTagAssign, "stop");
      --working;
    }
  }
  progress.Finish();
  if (options.fail_fast && failures > 0)
    throw sim::RuntimeError("study stopped at the first failure (--fail-fast); see the journal");
  return records;
}

void ServeStudy(const StudyConfig& study, const StudyPlan& plan, const std::string& dir, const StudyOptions& options) {
  std::string finished;
  for (;;) {
    sim::mpi::Send(0, kTagAsk, finished);
    const std::string assigned = sim::mpi::Receive(0, kTagAssign);
    if (assigned == "stop") return;
    const PlannedRun& run = plan.runs.at(static_cast<std::size_t>(std::stoul(assigned)));
    try {
      finished = FormatRecord(ExecuteRun(study, plan, run, dir, options));
    } catch (const sim::Interrupted& e) {
      sim::mpi::Abort(128 + e.signal());
    }
  }
}

}  // namespace lclab::experiments
