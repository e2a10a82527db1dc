// The lclab binary end to end: exit codes, messages, output files,
// determinism across thread counts, and no output on failure or interrupt.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/h5.h"

namespace {
namespace fs = std::filesystem;

struct Result {
  int code;
  std::string out, err;
};

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lclab_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result Run(const std::string& args, const std::string& prefix = "") {
    const std::string out = (dir_ / "stdout.txt").string(), err = (dir_ / "stderr.txt").string();
    const std::string cmd = prefix + std::string(LCLAB_BINARY) + " " + args + " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
    return r;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> v;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string n = e.path().filename().string();
      if (n != "stdout.txt" && n != "stderr.txt") v.push_back(n);
    }
    return v;
  }
  std::string Quickstart() const { return std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml"; }
  std::string Small() const {
    return " --set population.size=20000 --set simulation.days=40 --set simulation.warmup_days=20 --progress never";
  }

  fs::path dir_;
};

TEST_F(Cli, HelpAndVersion) {
  Result r = Run("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("lclab run CONFIG"), std::string::npos);
  r = Run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("lclab 0.", 0), 0u) << r.out;
  r = Run("run --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--threads"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(Run("").code, 2);
  EXPECT_EQ(Run("frobnicate").code, 2);
  Result r = Run("run " + Quickstart() + " --sed 3");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("sed"), std::string::npos) << r.err;
  r = Run("run " + Quickstart() + " --threads 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--threads = 0 (expected an integer in [1, 1024])"), std::string::npos) << r.err;
  EXPECT_EQ(Run("run").code, 2);
}

TEST_F(Cli, BadConfigExitsTwoNamingTheKeyAndWritesNothing) {
  const std::string cfg = Write("bad.toml", "[[campaigns]]\nname = \"a\"\ntrigger = \"signup\"\ngoal = \"first_purchase\"\n"
                                            "holdout_weight = -2\n");
  const std::string out = (dir_ / "out.h5").string();
  const Result r = Run("run " + cfg + " --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.toml:5: campaigns[0].holdout_weight = -2 (expected a number > 0)"), std::string::npos)
      << r.err;
  EXPECT_EQ(Files(), std::vector<std::string>{"bad.toml"});
}

// An unknown channel, factor level, stage, goal or trigger: exit 2, the file, line, key and value named.
TEST_F(Cli, UnknownNamesExitTwo) {
  const std::string head = "[[campaigns]]\nname = \"c\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "trigger = \"signup\"\ngoal = \"first_purchase\"\nchannel = \"fax\"\n",
       "bad.toml:5: campaigns[0].channel = \"fax\" (expected one of email, push"},
      {head + "trigger = \"signup\"\ngoal = \"first_purchase\"\n[[campaigns.factors]]\nname = \"tone\"\n"
              "levels = [\"a\", \"b\"]\n[[campaigns.interactions]]\nlevels = [\"tone.a\", \"tone.zz\"]\n",
       "bad.toml:9: campaigns[0].interactions[0].levels = [\"tone.a\", \"tone.zz\"] (expected a factor level"},
      {head + "trigger = \"enter_stage\"\nstage = \"nirvana\"\ngoal = \"repeat_purchase\"\n",
       "bad.toml:4: campaigns[0].stage = \"nirvana\" (expected one of prospect"},
      {head + "trigger = \"signup\"\ngoal = \"world_peace\"\n", "bad.toml:4: campaigns[0].goal = \"world_peace\" (expected one of"},
      {head + "trigger = \"full_moon\"\ngoal = \"sign_up\"\n", "bad.toml:3: campaigns[0].trigger = \"full_moon\" (expected one of"},
  };
  for (const auto& [text, message] : cases) {
    const std::string cfg = Write("bad.toml", text);
    const Result r = Run("run " + cfg + " --out " + (dir_ / "out.h5").string());
    EXPECT_EQ(r.code, 2) << text;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(Files(), std::vector<std::string>{"bad.toml"});
  }
}

TEST_F(Cli, MissingConfigExitsTwo) {
  const Result r = Run("run " + (dir_ / "nope.toml").string() + " --out " + (dir_ / "o.h5").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nope.toml: no such file"), std::string::npos);
  EXPECT_TRUE(Files().empty());
}

TEST_F(Cli, UnknownSetKeyExitsTwo) {
  const Result r = Run("run " + Quickstart() + " --set population.sise=5 --out " + (dir_ / "o.h5").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--set population.sise: unknown key population.sise = 5"), std::string::npos) << r.err;
  EXPECT_TRUE(Files().empty());
}

// validate: the status on stderr, so that --print's stdout is the resolved config alone, which runs
// as it is; and a warning for a KPI the window is too short to move.
TEST_F(Cli, ValidateChecksWithoutRunning) {
  Result r = Run("validate " + Quickstart());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("ok: "), std::string::npos);
  EXPECT_NE(r.err.find("memory about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: campaigns[0] \"welcome_email\": churn_rate (guardrail) needs more than "
                       "lifecycle.churn_days = 180 days"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = Run("validate " + Quickstart() + " --print");
  EXPECT_EQ(r.out.rfind("# lclab resolved config", 0), 0u) << r.out.substr(0, 200);
  EXPECT_EQ(r.out.find("ok: "), std::string::npos);
  const std::string resolved = Write("resolved.toml", r.out);
  r = Run("validate " + resolved);
  EXPECT_EQ(r.code, 0) << r.err;
  r = Run("run " + resolved + Small() + " -q --out " + (dir_ / "r.h5").string());
  EXPECT_EQ(r.code, 0) << r.err;
}

// Every dataset is identical for 1 and 2 threads; another seed changes results.
TEST_F(Cli, ResultsDoNotDependOnThreadsButOnSeed) {
  const std::string a = (dir_ / "t1.h5").string(), b = (dir_ / "t2.h5").string(), c = (dir_ / "s2.h5").string();
  Result r = Run("run " + Quickstart() + Small() + " --seed 7 --threads 1 --out " + a);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("first_purchase_rate"), std::string::npos);
  ASSERT_EQ(Run("run " + Quickstart() + Small() + " --seed 7 --threads 2 --out " + b).code, 0);
  ASSERT_EQ(Run("run " + Quickstart() + Small() + " --seed 8 --threads 2 --out " + c).code, 0);
  lclab::sim::H5Reader ra(a), rb(b), rc(c);
  const auto names = ra.ListDatasets();
  ASSERT_EQ(names, rb.ListDatasets());
  EXPECT_GT(names.size(), 30u);
  bool any_differs = false;
  for (const auto& n : names) {
    EXPECT_EQ(ra.Read(n).raw, rb.Read(n).raw) << n;
    if (ra.Read(n).raw != rc.Read(n).raw) any_differs = true;
  }
  EXPECT_TRUE(any_differs);
  EXPECT_EQ(ra.AttrI64("/", "seed"), 7);
  EXPECT_EQ(rc.AttrI64("/", "seed"), 8);
  EXPECT_NE(ra.AttrString("/", "config").find("size = 20000"), std::string::npos);
  EXPECT_EQ(ra.AttrString("/", "config"), rb.AttrString("/", "config"));
  EXPECT_FALSE(ra.AttrString("/", "lclab_version").empty());
  // Layout: daily stage counts are days x groups x stages and sum to the population.
  const auto stages = ra.Read("/daily/stage_counts");
  ASSERT_EQ(stages.dims.size(), 3u);
  EXPECT_EQ(stages.dims[0], 60u);
  EXPECT_EQ(stages.dims[2], 7u);
  double day0 = 0;
  for (std::size_t k = 0; k < stages.dims[1] * stages.dims[2]; ++k) day0 += stages.numbers[k];
  EXPECT_EQ(day0, 20000);
}

// SIGINT mid-run: exit 130 and no output file, temporary or final.
TEST_F(Cli, InterruptLeavesNoOutput) {
  const std::string out = (dir_ / "big.h5").string();
  const Result r = Run("run " + Quickstart() +
                           " --set population.size=3000000 --set simulation.days=2000 --progress never --threads 1 "
                           "--out " + out,
                       "timeout --preserve-status -s INT 2 ");
  EXPECT_EQ(r.code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted"), std::string::npos);
  EXPECT_TRUE(Files().empty());
}

TEST_F(Cli, UnwritableOutputIsARuntimeError) {
  const Result r = Run("run " + Quickstart() + Small() + " --out /proc/lclab/x.h5");
  EXPECT_EQ(r.code, 1) << r.err;
}

}  // namespace
