#include "experiments/cli/study_cluster.h"

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/signals.h"
#include "experiments/config/error.h"
#include "experiments/report/format.h"
#include "experiments/study/journal.h"
#include "experiments/study/study_runner.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lclab::experiments {
namespace {

std::string Share(int shard, int shards) { return std::to_string(shard) + "/" + std::to_string(shards); }

// A word for a shell script: single-quoted, with single quotes escaped.
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string Absolute(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

// The shards' manifests, checked: one study, plan and build, every share 1..N exactly once.
std::vector<StudyManifest> CheckShards(const std::vector<std::string>& dirs) {
  std::vector<StudyManifest> m;
  for (const auto& d : dirs) m.push_back(ReadStudyManifest(d));
  const StudyManifest& first = m.front();
  std::map<int, std::string> seen;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const std::string& d = dirs[i];
    if (m[i].study != first.study)
      throw ConfigError(d + ": a shard of the study \"" + m[i].study + "\" (expected shards of \"" + first.study +
                        "\", as " + dirs[0] + " is)");
    if (m[i].build != first.build)
      throw ConfigError(d + ": written by lclab " + m[i].build + " (expected every shard from one build, " +
                        first.build + " as " + dirs[0] + ")");
    if (m[i].plan != first.plan || m[i].shards != first.shards || m[i].sets != first.sets)
      throw ConfigError(d + ": a shard of a different plan of \"" + first.study + "\" (expected the plan of " + dirs[0] +
                        ": same study file, --set overrides and number of shards)");
    if (!seen.emplace(m[i].shard, d).second)
      throw ConfigError(d + ": shard " + Share(m[i].shard, m[i].shards) + " is given twice (also " +
                        seen.at(m[i].shard) + ")");
  }
  std::string missing;
  for (int s = 1; s <= first.shards; ++s)
    if (!seen.count(s)) missing += (missing.empty() ? "" : ", ") + Share(s, first.shards);
  if (!missing.empty())
    throw ConfigError("missing shard" + std::string(missing.find(',') != std::string::npos ? "s " : " ") + missing +
                      " (expected all " + std::to_string(first.shards) + " shards of \"" + first.study + "\")");
  return m;
}

// Every run of every shard, checked complete: a shard that was killed is named, with how to finish it.
std::map<std::string, RunRecord> MergeJournals(const StudyPlan& plan, const std::vector<std::string>& dirs,
                                               const std::vector<StudyManifest>& m) {
  std::map<std::string, RunRecord> all;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    std::map<std::string, RunRecord> done = ReadJournal(dirs[i]);
    int missing = 0;
    for (const PlannedRun* r : ShardRuns(plan, m[i].shard, m[i].shards)) {
      const auto it = done.find(r->id);
      if (it == done.end()) ++missing;
      else all.emplace(r->id, std::move(it->second));
    }
    if (missing > 0)
      throw ConfigError(dirs[i] + ": shard " + Share(m[i].shard, m[i].shards) + " is incomplete: " +
                        std::to_string(missing) + " of its runs have not finished (expected a finished shard: "
                        "run it again with --shard " + Share(m[i].shard, m[i].shards) + " --resume)");
  }
  return all;
}

}  // namespace

int ReportShard(const StudyConfig& study, const StudyPlan& plan, const std::map<std::string, RunRecord>& done,
                const std::string& dir, int shard, int shards, bool quiet) {
  const auto runs = ShardRuns(plan, shard, shards);
  int failed = 0;
  for (const PlannedRun* r : runs) failed += done.count(r->id) && !done.at(r->id).ok;
  if (!quiet)
    std::cout << "lclab study " << study.name << ": shard " << Share(shard, shards) << " finished its "
              << Thousands(static_cast<std::int64_t>(runs.size())) << " of " << Thousands(plan.distinct_runs)
              << " distinct runs (" << failed << " failed) in " << dir
              << "\nmerge the shards with: lclab study merge DIR1 DIR2 ... --out DIR\n";
  return failed > 0 ? kExitRuntime : kExitOk;
}

int StudyMergeCommand(int argc, char** argv, const std::string& command_line) {
  const sim::StopFlag* stop = CatchSignals();
  std::string out, csv;
  std::vector<std::string> dirs;
  po::options_description opts("lclab study merge DIR... [options]: the summary of a study run as shards");
  opts.add_options()("help,h", "show this help")("out", po::value(&out),
                                                 "the directory of the merged summary (default: results/<study name>)")(
      "csv", po::value(&csv), "also write the summary tables as CSV files into this directory")(
      "report", "also write the HTML report, DIR/report.html (docs/report.md)")(
      "quiet,q", "do not print the summary");
  po::options_description hidden, all;
  hidden.add_options()("dirs", po::value(&dirs));
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("dirs", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    UsageError("study merge", e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return kExitOk;
  }
  if (dirs.empty()) UsageError("study merge", "missing DIR (expected the shards' study directories)");
  const auto start = std::chrono::steady_clock::now();
  const std::vector<StudyManifest> m = CheckShards(dirs);
  // The study as the shards ran it; a study file changed since gives another plan.
  const StudyConfig study = LoadStudy(m.front().study_path, m.front().sets);
  const StudyPlan plan = PlanStudy(study);
  if (plan.hash != m.front().plan)
    throw ConfigError(m.front().study_path + ": its plan is no longer the shards' (expected the study file, its "
                      "base config and lclab as they were when the shards ran)");
  const std::map<std::string, RunRecord> done = MergeJournals(plan, dirs, m);
  const std::string dir = out.empty() ? (fs::path("results") / study.name).string() : out;
  fs::create_directories(dir);
  const StudyInfo info{command_line, 0, 0,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  return FinishStudy(study, plan, done, dir, {csv, vm.count("report") > 0, vm.count("quiet") > 0}, info, stop);
}

void EmitSlurm(const StudyConfig& study, const StudyPlan& plan, const std::vector<std::string>& sets,
               const std::string& dir_in, int shards, int jobs, std::ostream& os) {
  const std::string dir = Absolute(dir_in), slurm = (fs::path(dir) / "slurm").string();
  fs::create_directories(slurm);
  std::error_code ec;
  const std::string self = fs::read_symlink("/proc/self/exe", ec).string();
  std::string set_args;
  for (const auto& s : sets) set_args += " --set " + Quote(s);
  const double gib = plan.peak_bytes * jobs / (1024.0 * 1024 * 1024);
  const std::string n = std::to_string(shards);
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string p = (fs::path(slurm) / name).string();
    std::ofstream f(p);
    f << text;
    if (!f) throw sim::RuntimeError("cannot write " + p);
    fs::permissions(p, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  };
  write("array.sbatch", "#!/bin/bash\n# lclab study " + study.name + ": shard $SLURM_ARRAY_TASK_ID of " + n +
                            " (written by lclab study --emit-slurm; docs/cluster.md)\n#SBATCH --job-name=lclab-" +
                            study.name + "\n#SBATCH --array=1-" + n + "\n#SBATCH --cpus-per-task=" +
                            std::to_string(jobs) + "\n#SBATCH --mem=" +
                            std::to_string(static_cast<int>(std::ceil(gib * 1024 + 512))) + "M\n#SBATCH --output=" +
                            dir + "/shard-%a.log\nset -euo pipefail\nLCLAB=${LCLAB:-" + Quote(self) +
                            "}\nOUT=" + Quote(dir) + "/shard-$SLURM_ARRAY_TASK_ID\n"
                            "# A requeued task continues what it had finished.\nRESUME=\"\"\n"
                            "if [ -e \"$OUT/study-manifest.txt\" ]; then RESUME=--resume; fi\n"
                            "\"$LCLAB\" study " + Quote(Absolute(study.path)) + set_args +
                            " --shard \"$SLURM_ARRAY_TASK_ID/" + n +
                            "\" --out \"$OUT\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --progress never --quiet $RESUME\n");
  write("merge.sbatch", "#!/bin/bash\n# lclab study " + study.name + ": merge the " + n +
                            " shards into one summary\n#SBATCH --job-name=lclab-" + study.name +
                            "-merge\n#SBATCH --output=" + dir + "/merge.log\nset -euo pipefail\nLCLAB=${LCLAB:-" +
                            Quote(self) + "}\nDIRS=()\nfor i in $(seq 1 " + n + "); do DIRS+=(" + Quote(dir) +
                            "/shard-$i); done\n\"$LCLAB\" study merge \"${DIRS[@]}\" --out " + Quote(dir) + "\n");
  write("submit.sh", "#!/bin/bash\n# Submits the shards as a job array, and the merge to start when all of them "
                     "succeeded.\nset -euo pipefail\ncd \"$(dirname \"$0\")\"\njid=$(sbatch --parsable array.sbatch)\n"
                     "sbatch --dependency=afterok:${jid%%;*} merge.sbatch\n");
  write("run_local.sh", "#!/bin/bash\n# The same commands without Slurm: each array task in turn, then the merge.\n"
                        "set -euo pipefail\ncd \"$(dirname \"$0\")\"\nfor i in $(seq 1 " + n +
                        "); do SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=${SLURM_CPUS_PER_TASK:-" +
                        std::to_string(jobs) + "} bash array.sbatch; done\nbash merge.sbatch\n");
  os << "lclab study " << study.name << ": " << Thousands(plan.distinct_runs) << " distinct runs in " << n
     << " array tasks of " << jobs << " job" << (jobs == 1 ? "" : "s") << " each (about " << Fixed(gib, 2)
     << " GiB per task)\nwrote " << slurm << "/array.sbatch, merge.sbatch, submit.sh (sbatch both, the merge after "
     << "the array) and run_local.sh (the same commands without Slurm)\n";
}

}  // namespace lclab::experiments
