// lclab study end to end: a run inside a study is the run `lclab run` makes of
// the same config and seed; a study killed at any moment and resumed gives the
// summary of an uninterrupted one; pairing by seed narrows the differences;
// --plan runs nothing; bad input exits 2 before any run.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "experiments/study/study_test_util.h"
#include "sim/h5.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
using testing::StudyFiles;
using lclab::testing::Command;
using lclab::testing::RunCommand;

// Every dataset of two files, compared bit for bit; `skip` names datasets left out.
void ExpectSameDatasets(const std::string& a, const std::string& b, const std::vector<std::string>& skip = {}) {
  sim::H5Reader ra(a), rb(b);
  const auto names = ra.ListDatasets();
  ASSERT_EQ(names, rb.ListDatasets());
  for (const auto& n : names) {
    if (std::find(skip.begin(), skip.end(), n) != skip.end()) continue;
    EXPECT_EQ(ra.Read(n).raw, rb.Read(n).raw) << n;
  }
}

TEST(StudyCli, ARunInAStudyIsTheRunLclabRunMakes) {
  StudyFiles f("same");
  const std::string study = f.Study("keep_runs = true", "");
  const std::string out = (f.dir() / "out").string();
  Command r = RunCommand("study " + study + " --set study.replications=1 --out " + out + " --jobs 2 --progress never -q");
  ASSERT_EQ(r.code, 0) << r.err;
  int compared = 0;
  for (const auto& e : fs::directory_iterator(fs::path(out) / "runs")) {
    sim::H5Reader run(e.path().string());
    const std::string config = f.Write("resolved.toml", run.AttrString("/", "config"));
    const std::string again = (f.dir() / "again.h5").string();
    r = RunCommand("run " + config + " --seed " + std::to_string(run.AttrI64("/", "seed")) + " --threads 1 -q --out " +
                   again);
    ASSERT_EQ(r.code, 0) << r.err;
    ExpectSameDatasets(e.path().string(), again);
    ++compared;
  }
  EXPECT_EQ(compared, 6);  // none, and promo at two discounts, in two scenarios
}

TEST(StudyCli, ResumeAfterAKillGivesTheUninterruptedSummary) {
  StudyFiles f("resume");
  const std::string study = f.Study();
  const std::string sets = " --set study.replications=6 --set population.size=20000 --jobs 2 --progress never -q";
  const std::string whole = (f.dir() / "whole").string();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunCommand("study " + study + sets + " --out " + whole).code, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Early, midway and late, with a hard kill and two signals lclab catches.
  const std::vector<std::pair<const char*, double>> kills = {{"KILL", 0.15}, {"INT", 0.35}, {"TERM", 0.55}};
  for (const auto& [signal, share] : kills) {
    const std::string part = (f.dir() / (std::string("part_") + signal)).string();
    char delay[32];
    std::snprintf(delay, sizeof delay, "%.2f", share * seconds);
    const Command killed = RunCommand("study " + study + sets + " --out " + part,
                                      std::string("timeout --preserve-status -s ") + signal + " " + delay + " ");
    EXPECT_NE(killed.code, 0) << signal << " at " << delay << " s did not stop the study";
    EXPECT_FALSE(fs::exists(fs::path(part) / "summary.h5")) << signal;
    const Command resumed = RunCommand("study " + study + sets + " --out " + part + " --resume");
    ASSERT_EQ(resumed.code, 0) << resumed.err;
    ExpectSameDatasets((fs::path(whole) / "summary.h5").string(), (fs::path(part) / "summary.h5").string(),
                       {"/runs/seconds"});
  }
  // Without --resume the finished directory is refused; a changed study is refused even with it.
  Command again = RunCommand("study " + study + sets + " --out " + whole);
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("holds results of this study"), std::string::npos) << again.err;
  again = RunCommand("study " + study + sets + " --out " + whole + " --resume --set study.seed=9");
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("different plan"), std::string::npos) << again.err;
}

// On the example benchmark (shrunk), the differences paired by seed have smaller standard errors than
// the same runs compared without pairing; the CSV tables are written too.
TEST(StudyCli, PairingBySeedNarrowsTheExamplesDifferences) {
  StudyFiles f("paired");
  const std::string out = (f.dir() / "bench").string(), csv = (f.dir() / "csv").string();
  const Command r = RunCommand("study " + std::string(LCLAB_SOURCE_DIR) +
                               "/experiments/studies/strategy_benchmark.toml --set population.size=5000 "
                               "--set simulation.days=90 --set study.replications=5 --jobs 2 --progress never --out " +
                               out + " --csv " + csv);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("=== Scenario \"travel\""), std::string::npos) << r.out;
  sim::H5Reader h(out + "/summary.h5");
  const auto paired = h.Read("/leaderboard/se_paired").numbers, unpaired = h.Read("/leaderboard/se_unpaired").numbers;
  const auto baseline = h.Read("/leaderboard/baseline").numbers;
  int checked = 0;
  for (std::size_t i = 0; i < paired.size(); ++i) {
    if (baseline[i] != 0) continue;
    EXPECT_LT(paired[i], unpaired[i]) << "row " << i;
    ++checked;
  }
  EXPECT_EQ(checked, 4);  // two strategies against the baseline in two scenarios
  EXPECT_EQ(h.AttrString("/", "kind"), "study");
  std::ifstream lb(csv + "/leaderboard.csv");
  std::string header;
  std::getline(lb, header);
  EXPECT_EQ(header.rfind("scenario,point,strategy,baseline,objective,n,", 0), 0u) << header;
}

TEST(StudyCli, PlanRunsNothingAndBadInputExitsTwo) {
  StudyFiles f("plan");
  const std::string study = f.Study();
  const std::string out = (f.dir() / "p").string();
  Command r = RunCommand("study " + study + " --plan --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("= 24 runs (18 distinct)"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(fs::path(out) / "plan.csv"));
  EXPECT_FALSE(fs::exists(fs::path(out) / "journal.tsv"));
  // Over study.max_runs: refused unless --yes.
  r = RunCommand("study " + study + " --set study.max_runs=10 --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("above study.max_runs = 10"), std::string::npos) << r.err;
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--set study.replications=0", "study.replications = 0 (expected an integer in [1, 100000])"},
           {"--set 'study.baseline=\"x\"'", "study.baseline = \"x\" (expected a strategy name: none, promo)"},
           {"--set population.sise=3", "--set population.sise: unknown key population.sise = 3"},
           {"--jobs 0", "--jobs = 0"},
           {"--out ''", "--out = ''"}}) {
    r = RunCommand("study " + study + " " + args + " --progress never");
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(fs::path("results") / "small"));
}

// A study run as 3 shards and merged is the one-process study, dataset for dataset; so is the same
// through the Slurm scripts' local equivalent. A killed shard fails the merge loudly and resumes.
TEST(StudyCli, ShardsMergeToTheOneProcessSummary) {
  StudyFiles f("shards");
  const std::string study = f.Study(), dir = f.dir().string();
  const std::string sets = " --set population.size=3000 --progress never -q --jobs 2";
  ASSERT_EQ(RunCommand("study " + study + sets + " --out " + dir + "/one").code, 0);
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(RunCommand("study " + study + sets + " --shard " + std::to_string(i) + "/3 --out " + dir + "/s" +
                         std::to_string(i))
                  .code,
              0);
  EXPECT_FALSE(fs::exists(dir + "/s1/summary.h5"));  // a shard writes no summary
  Command r = RunCommand("study merge " + dir + "/s3 " + dir + "/s1 " + dir + "/s2 -q --out " + dir + "/merged");
  ASSERT_EQ(r.code, 0) << r.err;
  ExpectSameDatasets(dir + "/one/summary.h5", dir + "/merged/summary.h5", {"/runs/seconds"});
  // The Slurm scripts, run by hand: the array's tasks in turn, then the merge.
  r = RunCommand("study " + study + " --set population.size=3000 --emit-slurm --shards 2 --out " + dir + "/slurm");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(lclab::testing::Slurp(dir + "/slurm/slurm/array.sbatch").find("#SBATCH --array=1-2"), std::string::npos);
  ASSERT_EQ(std::system(("LCLAB=" + std::string(LCLAB_BINARY) + " bash " + dir + "/slurm/slurm/run_local.sh >/dev/null 2>&1")
                            .c_str()),
            0);
  ExpectSameDatasets(dir + "/one/summary.h5", dir + "/slurm/summary.h5", {"/runs/seconds"});
  // Bad shards and merges: exit 2, nothing written.
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"study " + study + " --shard 3/2", "--shard = 3/2 (expected I/N with 1 <= I <= N"},
           {"study " + study + " --shard 0/0", "--shard = 0/0"},
           {"study merge " + dir + "/s1 " + dir + "/s2", "missing shard 3/3"},
           {"study merge " + dir + "/s1 " + dir + "/s2 " + dir + "/s2 " + dir + "/s3", "shard 2/3 is given twice"},
           {"study merge " + dir + "/s1 " + dir + "/one", "a shard of a different plan"}}) {
    r = RunCommand(args + " --out " + dir + "/bad");
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir + "/bad/summary.h5"));
  }
  // Another build's shard (its manifest says so).
  fs::copy(dir + "/s3", dir + "/s3x", fs::copy_options::recursive);
  {
    std::string m = lclab::testing::Slurp(dir + "/s3x/study-manifest.txt");
    m.replace(m.find("build="), 6, "build=0.0.0 other ");
    std::ofstream(dir + "/s3x/study-manifest.txt") << m;
  }
  r = RunCommand("study merge " + dir + "/s1 " + dir + "/s2 " + dir + "/s3x --out " + dir + "/bad");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("written by lclab 0.0.0 other"), std::string::npos) << r.err;
  // A shard killed midway (its journal cut in the middle of a record) fails the merge loudly, writing
  // nothing; resumed, it finishes and the merge is the one-process summary again.
  {
    const std::string journal = lclab::testing::Slurp(dir + "/s2/journal.tsv");
    std::ofstream(dir + "/s2/journal.tsv", std::ios::trunc) << journal.substr(0, journal.size() / 2);
  }
  r = RunCommand("study merge " + dir + "/s1 " + dir + "/s2 " + dir + "/s3 --out " + dir + "/bad");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("shard 2/3 is incomplete"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/bad/summary.h5"));
  ASSERT_EQ(RunCommand("study " + study + sets + " --shard 2/3 --resume --out " + dir + "/s2").code, 0);
  ASSERT_EQ(RunCommand("study merge " + dir + "/s1 " + dir + "/s2 " + dir + "/s3 -q --out " + dir + "/again").code, 0);
  ExpectSameDatasets(dir + "/one/summary.h5", dir + "/again/summary.h5", {"/runs/seconds"});
}

}  // namespace
}  // namespace lclab::experiments
