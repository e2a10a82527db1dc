// A seeded config fuzzer: mutated example configs through `lclab validate` and a tiny `lclab run`.
// A mutation drops, duplicates, retypes or replaces keys (extreme and non-finite numbers, empty and
// huge arrays, unicode and control characters, deep nesting) on the parsed tree, and sometimes breaks
// the text itself (a line duplicated or deleted, the file truncated, stray bytes). Every case must
// exit 0, 1 or 2 (never a signal or a hang), every failure must name the config file or the option
// at fault, and no case may leave a file behind. Cases are numbered from a fixed seed, so a failure
// names the case that reproduces it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <toml++/toml.h>
#include <vector>

#include "test_util.h"

namespace {

namespace fs = std::filesystem;
using Rng = std::mt19937_64;

constexpr int kCases = 2000;
constexpr std::uint64_t kSeed = 20261202;

// A place in the tree: a key of a table or an element of an array.
struct Slot {
  toml::table* table = nullptr;
  std::string key;
  toml::array* array = nullptr;
  std::size_t index = 0;
  toml::node* node = nullptr;
};

void Collect(toml::node& n, std::vector<Slot>& out) {
  if (toml::table* t = n.as_table()) {
    for (auto&& [k, v] : *t) {
      out.push_back({t, std::string(k.str()), nullptr, 0, &v});
      Collect(v, out);
    }
  } else if (toml::array* a = n.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      out.push_back({nullptr, "", a, i, a->get(i)});
      Collect(*a->get(i), out);
    }
  }
}

std::size_t Pick(Rng& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

template <class V>
void Put(const Slot& s, V&& value) {
  if (s.table) s.table->insert_or_assign(s.key, std::forward<V>(value));
  else s.array->replace(s.array->cbegin() + static_cast<std::ptrdiff_t>(s.index), std::forward<V>(value));
}

// A value of a random kind: the extremes a config reader must survive.
void PutRandomValue(const Slot& s, Rng& rng) {
  static const std::vector<std::string> strings = {
      "", "x", "none", "名前", "\xF0\x9F\x98\x80", "a\x01" "b", "\x1b[31mred\x1b[0m", "tab\there", "line\nbreak",
      "../../etc/passwd", "nan", "1e9", std::string(5000, 'a'), "e\xCC\x81"};
  static const std::vector<std::int64_t> ints = {0, -1, 1, 2, 255, 256, 65535, 65536, 4000000000,
                                                 std::numeric_limits<std::int64_t>::max(),
                                                 std::numeric_limits<std::int64_t>::min()};
  const double inf = std::numeric_limits<double>::infinity();
  static const std::vector<double> reals = {0.0, -0.0, 0.5, -1.5, 1e308, -1e308, 1e-320, 1.0000000000000002,
                                            std::numeric_limits<double>::quiet_NaN(), inf, -inf};
  switch (Pick(rng, 9)) {
    case 0: Put(s, strings[Pick(rng, strings.size())]); break;
    case 1: Put(s, ints[Pick(rng, ints.size())]); break;
    case 2: Put(s, reals[Pick(rng, reals.size())]); break;
    case 3: Put(s, Pick(rng, 2) == 1); break;
    case 4: Put(s, toml::array{}); break;
    case 5: Put(s, toml::table{}); break;
    case 6: {  // a huge array of one value
      toml::array big;
      const bool text = Pick(rng, 2) == 0;
      for (int i = 0; i < 2000; ++i) text ? big.push_back("l" + std::to_string(i)) : big.push_back(i);
      Put(s, std::move(big));
      break;
    }
    case 7: {  // deep nesting
      toml::array deep{1};
      for (int i = 0; i < 150; ++i) deep = toml::array{std::move(deep)};
      Put(s, std::move(deep));
      break;
    }
    default: Put(s, toml::date{2026, 12, 2}); break;
  }
}

// A value nudged within its type: a number to an edge (0, 1, -1) or scaled, sometimes non-finite; a
// boolean flipped; a string swapped for another of the config's strings.
void Nudge(const Slot& s, const std::vector<std::string>& strings, Rng& rng) {
  static const std::vector<double> factors = {0.0, 0.5, 2.0, 10.0, -1.0, 1e6};
  if (auto* i = s.node->as_integer()) {
    const std::int64_t v = i->get();
    const std::int64_t options[] = {0, 1, -1, v + 1, v - 1, v * 2, v * 1000};
    Put(s, options[Pick(rng, 7)]);
  } else if (auto* f = s.node->as_floating_point()) {
    const double v = f->get();
    Put(s, Pick(rng, 8) == 0 ? std::numeric_limits<double>::quiet_NaN() : v * factors[Pick(rng, factors.size())]);
  } else if (auto* b = s.node->as_boolean()) {
    Put(s, !b->get());
  } else if (s.node->is_string() && !strings.empty()) {
    Put(s, strings[Pick(rng, strings.size())]);
  }
}

// One mutation of the parsed tree; `strings` are every string value of the config, to swap in.
void MutateTree(toml::table& root, Rng& rng) {
  std::vector<Slot> slots;
  Collect(root, slots);
  if (slots.empty()) return;
  std::vector<std::string> strings;
  for (const Slot& s : slots)
    if (auto* v = s.node->as_string()) strings.push_back(v->get());
  const Slot& s = slots[Pick(rng, slots.size())];
  const std::size_t op = Pick(rng, 20);
  if (op < 4) {
    PutRandomValue(s, rng);
  } else if (op < 8) {  // drop it
    if (s.table) s.table->erase(s.key);
    else s.array->erase(s.array->cbegin() + static_cast<std::ptrdiff_t>(s.index));
  } else if (op < 10 && s.array) {  // copies of an array's element, up to a few hundred
    const std::size_t copies = 1 + Pick(rng, 300);
    for (std::size_t i = 0; i < copies; ++i) s.array->push_back(*s.array->get(s.index));
  } else if (op < 11 && s.node->is_array()) {  // an array cut down
    toml::array& a = *s.node->as_array();
    a.erase(a.cbegin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(a.size(), Pick(rng, 2))), a.cend());
  } else if (op < 12 && s.table) {  // an unknown key beside it
    s.table->insert_or_assign("fuzz_unknown", 1);
  } else {
    Nudge(s, strings, rng);
  }
}

// One mutation of the text.
std::string MutateText(std::string text, Rng& rng) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.empty()) return text;
  switch (Pick(rng, 4)) {
    case 0: {  // a line twice (a duplicated key or table)
      const std::size_t i = Pick(rng, lines.size());
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), lines[i]);
      break;
    }
    case 1: lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(Pick(rng, lines.size()))); break;
    case 2: return text.substr(0, Pick(rng, text.size()));
    default: {
      static const std::vector<std::string> bytes = {std::string(1, '\0'), "\x01", "\x1b", "\xff", "\xC3", "[[", "]", "=", "\""};
      text.insert(Pick(rng, text.size()), bytes[Pick(rng, bytes.size())]);
      return text;
    }
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> BaseConfigs() {
  std::vector<std::string> texts;
  std::vector<fs::path> paths = {fs::path(LCLAB_SOURCE_DIR) / "experiments" / "quickstart.toml"};
  for (const auto& e : fs::directory_iterator(fs::path(LCLAB_SOURCE_DIR) / "experiments" / "configs"))
    if (e.path().extension() == ".toml") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  // The cases are written to a folder of their own: a playbook's include of its world is made absolute.
  const std::string worlds = (fs::path(LCLAB_SOURCE_DIR) / "experiments" / "worlds").string() + "/";
  for (const auto& p : paths) {
    std::string text = lclab::testing::Slurp(p.string());
    for (std::size_t at; (at = text.find("\"../worlds/")) != std::string::npos;)
      text.replace(at + 1, std::string("../worlds/").size(), worlds);
    texts.push_back(text);
  }
  return texts;
}

std::string CaseText(const std::vector<std::string>& bases, int n) {
  Rng rng(kSeed + static_cast<std::uint64_t>(n));
  const std::string& base = bases[Pick(rng, bases.size())];
  toml::table root = toml::parse(base);
  const std::size_t mutations = 1 + Pick(rng, 2);
  for (std::size_t m = 0; m < mutations; ++m) MutateTree(root, rng);
  std::ostringstream os;
  os << root << "\n";
  return Pick(rng, 8) == 0 ? MutateText(os.str(), rng) : os.str();
}

struct Outcome {
  int code;
  std::string err;
};

Outcome Lclab(const std::string& args, const fs::path& dir) {
  const std::string err = (dir / "stderr.txt").string();
  // timeout: a hang is a failure (exit 124), not a stuck suite.
  const int status = std::system(("timeout -s KILL 60 " + std::string(LCLAB_BINARY) + " " + args + " >/dev/null 2>" + err).c_str());
  Outcome o{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), lclab::testing::Slurp(err)};
  fs::remove(dir / "stderr.txt");
  return o;
}

// Exit codes seen, to print: [validate, run][0, 1, 2].
struct Tally {
  int codes[2][3] = {};
  void Add(int command, int code) {
    if (code >= 0 && code <= 2) ++codes[command][code];
  }
};

// The failures of case n, "" if none.
std::string RunCase(const std::vector<std::string>& bases, int n, const fs::path& dir, Tally& tally) {
  const std::string text = CaseText(bases, n);
  const fs::path config = dir / "case.toml", out = dir / "case.h5";
  std::ofstream(config, std::ios::binary) << text;
  std::string failures;
  auto check = [&](const char* what, const Outcome& o) {
    if (o.code != 0 && o.code != 1 && o.code != 2) failures += std::string(what) + " exited " + std::to_string(o.code) + "; ";
    const bool names = o.err.find("case.toml") != std::string::npos || o.err.find("--set") != std::string::npos;
    if (o.code != 0 && !names) failures += std::string(what) + " failed without naming the file or option: " + o.err.substr(0, 300) + "; ";
  };
  const Outcome validate = Lclab("validate " + config.string(), dir);
  check("validate", validate);
  tally.Add(0, validate.code);
  const Outcome run = Lclab("run " + config.string() +
                                " --set population.size=300 --set simulation.warmup_days=2 --set simulation.days=5"
                                " --threads 1 --progress never -q --out " + out.string(),
                            dir);
  check("run", run);
  tally.Add(1, run.code);
  if (run.code == 0 && !fs::exists(out)) failures += "run exited 0 without its output; ";
  fs::remove(out);
  fs::remove(config);
  for (const auto& e : fs::directory_iterator(dir)) failures += "left " + e.path().filename().string() + "; ";
  for (const auto& e : fs::directory_iterator(dir)) fs::remove_all(e.path());
  if (failures.empty()) return "";
  return "case " + std::to_string(n) + ": " + failures + "\n--- config (first 1500 bytes) ---\n" + text.substr(0, 1500);
}

TEST(ConfigFuzz, MutatedConfigsFailCleanly) {
  const std::vector<std::string> bases = BaseConfigs();
  ASSERT_GE(bases.size(), 10u);
  std::mutex mu;
  std::vector<std::string> failures;
  int exercised = 0;
  Tally tally;
  auto worker = [&](int first) {
    const fs::path dir = fs::temp_directory_path() / ("lclab_fuzz_" + std::to_string(getpid()) + "_" + std::to_string(first));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (int n = first; n < kCases; n += 2) {
      Tally one;
      std::string f = RunCase(bases, n, dir, one);
      std::lock_guard<std::mutex> lock(mu);
      ++exercised;
      for (int c = 0; c < 2; ++c)
        for (int k = 0; k < 3; ++k) tally.codes[c][k] += one.codes[c][k];
      if (!f.empty()) failures.push_back(std::move(f));
    }
    fs::remove_all(dir);
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join(), b.join();
  EXPECT_EQ(exercised, kCases);
  std::cout << kCases << " cases: validate exited 0/1/2 " << tally.codes[0][0] << "/" << tally.codes[0][1] << "/"
            << tally.codes[0][2] << ", run " << tally.codes[1][0] << "/" << tally.codes[1][1] << "/" << tally.codes[1][2]
            << "\n";
  // The mutations must leave some configs valid and break others, or the fuzzer tests little.
  EXPECT_GT(tally.codes[1][0], kCases / 5);
  EXPECT_GT(tally.codes[0][2], kCases / 4);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failing cases; the first:\n"
                                << (failures.empty() ? "" : failures.front());
  for (std::size_t i = 1; i < std::min<std::size_t>(failures.size(), 8); ++i) ADD_FAILURE() << failures[i];
}

}  // namespace
