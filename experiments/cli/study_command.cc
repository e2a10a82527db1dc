// lclab study STUDY.toml [--plan] [--resume] [--out DIR] [--jobs N] [--threads N] [--set KEY=VALUE]...
//                       [--csv DIR] [--fail-fast] [--yes] [--progress MODE] [--quiet]
//                       [--shard I/N] [--emit-slurm [--shards N]]
// lclab study merge DIR... (study_cluster.cc)
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/signals.h"
#include "experiments/cli/study_cluster.h"
#include "experiments/config/error.h"
#include "experiments/config/study_config.h"
#include "experiments/report/format.h"
#include "experiments/report/html_report.h"
#include "experiments/study/distributed.h"
#include "experiments/study/journal.h"
#include "experiments/study/plan.h"
#include "experiments/study/study_report.h"
#include "experiments/study/study_runner.h"
#include "experiments/study/study_summary.h"
#include "sim/mpi.h"
#include "sim/system.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lclab::experiments {
namespace {

struct StudyRequest {
  std::string study, out, csv, progress = "auto", shard_text;
  std::vector<std::string> sets;
  int jobs = 0, threads = 1, shard = 1, shards = 1, emit_shards = 0;
  po::variables_map vm;
};

po::options_description Options(StudyRequest& q) {
  po::options_description opts("lclab study STUDY.toml [options]: run a study (docs/studies.md)");
  opts.add_options()("help,h", "show this help")(
      "plan", "print the expanded plan (cells, runs, estimated time and memory), write DIR/plan.csv, run nothing")(
      "resume", "continue a study in --out that was stopped: finished runs are kept, the rest run")(
      "out", po::value(&q.out), "the study directory (default: results/<study name>)")(
      "jobs", po::value(&q.jobs), "runs at once (default: the machine's cores)")(
      "threads", po::value(&q.threads), "threads of each run (default 1); results do not depend on it")(
      "set", po::value(&q.sets)->composing(),
      "override a key: study.<key> changes the study file (e.g. study.replications=3), any other key every run's "
      "config (e.g. population.size=5000); repeatable")(
      "csv", po::value(&q.csv), "also write the summary tables as CSV files into this directory")(
      "report", "also write the HTML report, DIR/report.html (docs/report.md)")(
      "fail-fast", "stop at the first failed run (default: record the failure and go on)")(
      "yes", "run a plan larger than study.max_runs")(
      "shard", po::value(&q.shard_text),
      "run only share I of N of the distinct runs (1 <= I <= N; each share in its own --out); combine the shares "
      "with 'lclab study merge DIR...' (docs/cluster.md)")(
      "emit-slurm", "write a Slurm job-array script for the study (shards, then the merge) into --out; run nothing")(
      "shards", po::value(&q.emit_shards), "with --emit-slurm: the array's size (default: the distinct runs, at most 100)")(
      "progress", po::value(&q.progress), "progress line on stderr: auto (when a terminal), always, never")(
      "quiet,q", "do not print the summary");
  return opts;
}

bool Parse(int argc, char** argv, StudyRequest& q) {
  const po::options_description opts = Options(q);
  po::options_description hidden, all;
  std::vector<std::string> positional;
  hidden.add_options()("study", po::value(&positional));
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("study", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), q.vm);
    po::notify(q.vm);
  } catch (const po::error& e) {
    UsageError("study", e.what());
  }
  if (q.vm.count("help")) {
    std::cout << opts << "\n";
    return false;
  }
  if (positional.size() != 1)
    UsageError("study", positional.empty() ? "missing STUDY (expected a path to a TOML study file)"
                                           : "expected one STUDY, got " + std::to_string(positional.size()));
  q.study = positional[0];
  if (q.vm.count("jobs") && (q.jobs < 1 || q.jobs > 1024))
    UsageError("study", "--jobs = " + std::to_string(q.jobs) + " (expected an integer in [1, 1024])");
  if (q.threads < 1 || q.threads > 1024)
    UsageError("study", "--threads = " + std::to_string(q.threads) + " (expected an integer in [1, 1024])");
  if (q.vm.count("out") && q.out.empty()) UsageError("study", "--out = '' (expected a directory for the study)");
  if (q.vm.count("csv") && q.csv.empty()) UsageError("study", "--csv = '' (expected a directory for CSV files)");
  if (q.progress != "auto" && q.progress != "always" && q.progress != "never")
    UsageError("study", "--progress = " + q.progress + " (expected auto, always or never)");
  if (q.vm.count("shard")) {
    char rest = 0;
    if (std::sscanf(q.shard_text.c_str(), "%d/%d%c", &q.shard, &q.shards, &rest) != 2 || q.shards < 1 ||
        q.shard < 1 || q.shard > q.shards)
      UsageError("study", "--shard = " + q.shard_text + " (expected I/N with 1 <= I <= N, e.g. 2/8)");
  }
  if (q.vm.count("shards") && (q.emit_shards < 1 || q.emit_shards > 100000))
    UsageError("study", "--shards = " + std::to_string(q.emit_shards) + " (expected an integer in [1, 100000])");
  if (q.vm.count("shards") && !q.vm.count("emit-slurm")) UsageError("study", "--shards applies to --emit-slurm only");
  return true;
}

sim::Progress::Mode Mode(const std::string& p) {
  return p == "always" ? sim::Progress::Mode::kAlways : p == "never" ? sim::Progress::Mode::kNever
                                                                     : sim::Progress::Mode::kAuto;
}

// Refuses, before anything runs, a plan over the cap or one that does not fit in memory.
void CheckSize(const StudyConfig& study, const StudyPlan& plan, const StudyRequest& q, int jobs) {
  if (static_cast<std::int64_t>(plan.runs.size()) > study.max_runs && !q.vm.count("yes"))
    throw ConfigError(study.path + ": the plan has " + Thousands(static_cast<std::int64_t>(plan.runs.size())) +
                      " runs, above study.max_runs = " + std::to_string(study.max_runs) +
                      " (expected a smaller study, a larger max_runs, or --yes to run it anyway; --plan lists it)");
  const double need = plan.peak_bytes * jobs, available = sim::AvailableBytes();
  if (available > 0 && need > available)
    throw ConfigError(study.path + ": " + std::to_string(jobs) + " jobs need about " +
                      Fixed(need / (1024.0 * 1024 * 1024), 1) + " GiB at once, but " +
                      Fixed(available / (1024.0 * 1024 * 1024), 1) + " GiB is available (expected fewer --jobs)");
}

}  // namespace

int FinishStudy(const StudyConfig& study, const StudyPlan& plan, const std::map<std::string, RunRecord>& done,
                const std::string& dir, const FinishOptions& o, const StudyInfo& info, const sim::StopFlag* stop) {
  const std::vector<RunRecord> records = InPlanOrder(plan, done);
  const StudySummary summary = Summarise(study, plan, records);
  const std::string out = (fs::path(dir) / "summary.h5").string();
  WriteStudySummary(out, study, plan, records, summary, info, stop);
  if (!o.csv.empty()) WriteStudyCsv(o.csv, study, plan, records, summary);
  const std::string report = (fs::path(dir) / "report.html").string();
  if (o.report) WriteHtmlReport(out, report, stop);
  if (!o.quiet) {
    PrintStudySummary(std::cout, study, plan, summary, info);
    std::cout << "\nwrote " << out << (o.csv.empty() ? "" : " and the CSV tables in " + o.csv) << "\n";
    if (o.report) std::cout << "report " << report << "\n";
  }
  return summary.failed > 0 ? kExitRuntime : kExitOk;
}

int StudyCommand(int argc, char** argv, const std::string& command_line) {
  if (argc >= 2 && std::string(argv[1]) == "merge") return StudyMergeCommand(argc - 1, argv + 1, command_line);
  const sim::StopFlag* stop = CatchSignals();
  StudyRequest q;
  if (!Parse(argc, argv, q)) return kExitOk;
  const auto start = std::chrono::steady_clock::now();
  const StudyConfig study = LoadStudy(q.study, q.sets);
  const StudyPlan plan = PlanStudy(study);
  const std::string dir = q.out.empty() ? (fs::path("results") / study.name).string() : q.out;
  const int jobs = q.vm.count("jobs") ? q.jobs : sim::HardwareThreads();
  const bool worker = sim::mpi::Rank() > 0;  // under mpirun: rank 0 runs the study, the others its runs
  if (worker && (q.vm.count("plan") || q.vm.count("emit-slurm"))) return kExitOk;
  if (q.vm.count("plan")) {
    PrintPlan(std::cout, study, plan, jobs, q.threads);
    fs::create_directories(dir);
    WritePlanCsv((fs::path(dir) / "plan.csv").string(), study, plan);
    std::cout << "wrote " << (fs::path(dir) / "plan.csv").string() << "\n";
    return kExitOk;
  }
  if (q.vm.count("emit-slurm")) {
    EmitSlurm(study, plan, q.sets, dir, q.emit_shards > 0 ? q.emit_shards : std::min(plan.distinct_runs, 100),
              q.vm.count("jobs") ? q.jobs : 1, std::cout);
    return kExitOk;
  }
  StudyOptions so;
  so.shard = q.shard, so.shards = q.shards;
  so.jobs = jobs, so.threads = q.threads, so.fail_fast = q.vm.count("fail-fast") > 0;
  so.progress = Mode(q.progress), so.stop = stop, so.command_line = command_line;
  if (worker) {
    ServeStudy(study, plan, dir, so);
    return kExitOk;
  }
  CheckSize(study, plan, q, sim::mpi::Size() > 1 ? 1 : jobs);
  Journal journal(dir, ManifestFor(study, plan, q.sets, q.shard, q.shards), q.vm.count("resume") > 0);
  WritePlanCsv((fs::path(dir) / "plan.csv").string(), study, plan);
  const std::map<std::string, RunRecord> done =
      sim::mpi::Size() > 1 ? DispatchStudy(study, plan, journal, so) : RunStudy(study, plan, journal, so);
  if (q.shards > 1) return ReportShard(study, plan, done, dir, q.shard, q.shards, q.vm.count("quiet") > 0);
  const StudyInfo info{command_line, jobs, q.threads,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  return FinishStudy(study, plan, done, dir, {q.csv, q.vm.count("report") > 0, q.vm.count("quiet") > 0}, info, stop);
}

}  // namespace lclab::experiments
