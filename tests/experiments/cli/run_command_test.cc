// The lclab binary end to end: exit codes, messages, output files,
// determinism across thread counts, and no output on failure or interrupt.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

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
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // A KPI that cannot move in the window is warned about (the quickstart's window is 150 days).
  r = Run("validate " + Quickstart() + " --set 'campaigns[0].guardrail_metrics=[\"churn_rate\"]'");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: campaigns[0] \"welcome_email\": churn_rate (guardrail) needs more than "
                       "lifecycle.churn_days = 180 days"),
            std::string::npos)
      << r.err;
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

// Every terminating signal, at any moment of a short run (simulation, analysis, the HDF5 write, the
// rename): either the run finished before it (exit 0, a complete file) or it exits 128 + the signal
// with nothing left behind, temporary or final. The delays sweep the whole run, the write included.
TEST_F(Cli, SignalsAtAnyMomentLeaveNoPartialOutput) {
  const std::string out = (dir_ / "s.h5").string();
  const std::string args = "run " + Quickstart() + Small() + " -q --threads 1 --out " + out;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Run(args).code, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fs::remove(out);
  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> at(0.0, 1.2 * seconds);
  const std::vector<std::pair<const char*, int>> signals = {{"INT", 2}, {"TERM", 15}, {"HUP", 1}, {"QUIT", 3},
                                                            {"USR1", 10}, {"ALRM", 14}};
  int interrupted = 0, finished = 0;
  for (int trial = 0; trial < 24; ++trial) {
    const auto& [name, number] = signals[trial % signals.size()];
    char delay[32];
    std::snprintf(delay, sizeof delay, "%.3f", at(rng));
    const Result r = Run(args, std::string("timeout --preserve-status -s ") + name + " " + delay + " ");
    if (r.code == 0) {
      ++finished;
      EXPECT_TRUE(lclab::sim::H5Reader(out).ListDatasets().size() > 30) << name << " " << delay;
      fs::remove(out);
    } else {
      ++interrupted;
      EXPECT_EQ(r.code, 128 + number) << name << " at " << delay << " s: " << r.err;
      // Before lclab installs its handlers (the first milliseconds) the signal's default action ends it.
      if (!r.err.empty()) {
        EXPECT_NE(r.err.find("no output written"), std::string::npos) << r.err;
      }
    }
    EXPECT_TRUE(Files().empty()) << name << " at " << delay << " s left " << Files().front();
  }
  EXPECT_GT(interrupted, 0);
}

// Output paths that must not be written through: anything that is not a regular file, the config
// itself, and an empty path. Each is refused before the run (exit 2) and left as it was.
TEST_F(Cli, RefusesOutputThatIsNotARegularFile) {
  Result r = Run("run " + Quickstart() + Small() + " --out /dev/null");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--out /dev/null: is not a regular file"), std::string::npos) << r.err;
  const std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  r = Run("run " + Quickstart() + Small() + " --out " + fifo);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(fs::is_fifo(fifo));
  r = Run("run " + Quickstart() + Small() + " --out " + dir_.string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
  fs::remove(fifo);
  // The config itself, by another name for the same file too.
  std::ifstream in(Quickstart());
  std::stringstream text;
  text << in.rdbuf();
  const std::string self = Write("self.toml", text.str());
  fs::create_symlink(self, dir_ / "link.h5");
  for (const std::string& out : {self, (dir_ / "link.h5").string(), (dir_ / "." / "self.toml").string()}) {
    r = Run("run " + self + Small() + " --out " + out);
    EXPECT_EQ(r.code, 2) << out << r.err;
    EXPECT_NE(r.err.find("is the config file itself"), std::string::npos) << r.err;
    EXPECT_EQ(Slurp(self), text.str());
  }
  r = Run("run " + Quickstart() + Small() + " --out ''");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--out = '' (expected a path"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists("results/quickstart.h5.tmp.probe"));
}

// The last line says whether a file was written or replaced.
TEST_F(Cli, SaysWhenItReplacesOutput) {
  const std::string out = (dir_ / "r.h5").string();
  Result r = Run("run " + Quickstart() + Small() + " --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\nwrote " + out + "\n"), std::string::npos) << r.out;
  r = Run("run " + Quickstart() + Small() + " --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\nreplaced " + out + "\n"), std::string::npos) << r.out;
}

// Configs that used to crash, run out of memory or lose precision: each exits 2 naming the key.
TEST_F(Cli, RefusesConfigsThatCannotRun) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--set 'population.personas=[]'", "--set population.personas: population.personas = [] (expected at least one"},
      {"--set population.size=4000000000", "population.size = 4000000000 needs about"},
      {"--set simulation.seed=9007199254740993", "simulation.seed = 9007199254740993 (expected an integer in [0, 9007199254740992]"},
      {"--seed 9007199254740993", "--seed: simulation.seed = 9007199254740993"},
      {"--seed -1", "--seed = -1"},
      {"--set 'campaigns[0].name=\"a\\u001b[31mred\"'", "campaigns[0].name"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = Run("run " + Quickstart() + " --progress never --out " + (dir_ / "x.h5").string() + " " + args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "raw escape on the terminal: " << r.err;
    EXPECT_TRUE(Files().empty());
  }
  // The memory check has an override; validate reports the estimate.
  Result r = Run("validate " + Quickstart() + " --set population.size=4000000000");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--ignore-memory runs it anyway"), std::string::npos) << r.err;
  r = Run("validate " + Quickstart() + " --set population.size=4000000000 --ignore-memory");
  EXPECT_EQ(r.code, 0) << r.err;
  // A factor with 5,000 levels is refused before anything is simulated.
  std::string levels;
  for (int i = 0; i < 5000; ++i) levels += (i ? ", \"l" : "\"l") + std::to_string(i) + "\"";
  const std::string many = Write("many.toml", "[population]\nsize = 1000\n[[campaigns]]\nname = \"c\"\ntrigger = "
                                              "\"purchase\"\ngoal = \"repeat_purchase\"\n[[campaigns.factors]]\n"
                                              "name = \"f\"\nlevels = [" + levels + "]\n");
  r = Run("validate " + many);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("campaigns[0].factors[0].levels"), std::string::npos) << r.err.substr(0, 400);
  // A path with a control character is escaped in the message.
  r = Run("run $'" + (dir_ / "bad\\x1bname.toml").string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad\\x1bname.toml"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
}

// The world without marketing, and a strategy of one arm: both run and report what there is.
TEST_F(Cli, ZeroCampaignsAndOneArmRun) {
  const std::string world = std::string(LCLAB_SOURCE_DIR) + "/experiments/studies/world.toml";
  Result r = Run("run " + world + " --set population.size=5000 --progress never --out " + (dir_ / "w.h5").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("=== Programme: 0 campaigns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The population's KPIs over the window"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("net_revenue_per_customer"), std::string::npos) << r.out;
  lclab::sim::H5Reader w((dir_ / "w.h5").string());
  EXPECT_TRUE(w.AttrStrings("/", "campaigns").empty());
  const std::string promo = Write("promo.toml", "[population]\nsize = 3000\n[simulation]\ndays = 30\nwarmup_days = 10\n"
                                                "[[campaigns]]\nname = \"promo\"\ntrigger = \"schedule\"\n"
                                                "goal = \"repeat_purchase\"\nholdout = false\n");
  r = Run("run " + promo + " --progress never --out " + (dir_ / "p.h5").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("one arm: no control to compare with"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Decision"), std::string::npos) << r.out;
}

TEST_F(Cli, UnwritableOutputIsARuntimeError) {
  const Result r = Run("run " + Quickstart() + Small() + " --out /proc/lclab/x.h5");
  EXPECT_EQ(r.code, 1) << r.err;
}

}  // namespace
