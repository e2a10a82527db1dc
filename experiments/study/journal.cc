#include "experiments/study/journal.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>
#include <vector>

#include "experiments/config/error.h"
#include "lclab/version.h"
#include "sim/error.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
constexpr const char* kManifest = "study-manifest.txt";
constexpr const char* kJournal = "journal.tsv";

// Doubles round-trip exactly; text loses its tabs and line breaks.
std::string Num(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}
double ToNum(const std::string& s) {
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
std::string Clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
  return f;
}

}  // namespace

namespace {
bool ParseFields(const std::string& text, RunRecord& r);
}  // namespace

std::string FormatRecord(const RunRecord& r) {
  std::string t = "run\t" + r.id + "\t" + (r.ok ? "ok" : "failed") + "\t" + Num(r.seconds) + "\t" +
                  std::to_string(r.metrics.size());
  for (double v : r.metrics) t += "\t" + Num(v);
  t += "\n";
  if (!r.ok) t += "error\t" + Clean(r.error) + "\n";
  for (const AuditRecord& a : r.audit)
    t += "audit\t" + a.campaign + "\t" + std::to_string(a.kpi) + "\t" + a.arm + "\t" + std::to_string(a.method) +
         "\t" + Num(a.estimate) + "\t" + Num(a.low) + "\t" + Num(a.high) + "\t" + Num(a.p_value) + "\t" +
         std::to_string(a.decision) + "\t" + Num(a.true_effect) + "\n";
  for (const DecisionRecord& d : r.decisions)
    t += "decision\t" + d.campaign + "\t" + std::to_string(d.kpi) + "\t" + std::to_string(d.method) + "\t" +
         d.shipped + "\t" + Num(d.regret) + "\n";
  return t + "end\t" + r.id + "\n";
}

bool ParseRecord(const std::string& text, RunRecord& r) {
  try {
    return ParseFields(text, r);
  } catch (const std::exception&) {  // a number cut off by a kill
    return false;
  }
}

namespace {

bool ParseFields(const std::string& text, RunRecord& r) {
  r = RunRecord{};
  std::stringstream ss(text);
  bool ended = false;
  for (std::string line; std::getline(ss, line);) {
    const std::vector<std::string> f = Fields(line);
    if (f.empty()) return false;
    if (f[0] == "run" && f.size() >= 5) {
      r.id = f[1], r.ok = f[2] == "ok", r.seconds = ToNum(f[3]);
      const std::size_t n = std::stoul(f[4]);
      if (f.size() != 5 + n) return false;
      for (std::size_t i = 0; i < n; ++i) r.metrics.push_back(ToNum(f[5 + i]));
    } else if (f[0] == "error" && f.size() == 2) {
      r.error = f[1];
    } else if (f[0] == "audit" && f.size() == 11) {
      r.audit.push_back({f[1], std::stoi(f[2]), f[3], std::stoi(f[4]), ToNum(f[5]), ToNum(f[6]), ToNum(f[7]),
                         ToNum(f[8]), std::stoi(f[9]), ToNum(f[10])});
    } else if (f[0] == "decision" && f.size() == 6) {
      r.decisions.push_back({f[1], std::stoi(f[2]), std::stoi(f[3]), f[4], ToNum(f[5])});
    } else if (f[0] == "end" && f.size() == 2 && f[1] == r.id) {
      ended = true;
    } else {
      return false;
    }
  }
  return ended && !r.id.empty();
}

}  // namespace

StudyManifest ManifestFor(const StudyConfig& study, const StudyPlan& plan, const std::vector<std::string>& sets,
                          int shard, int shards) {
  std::error_code ec;
  const fs::path abs = fs::absolute(study.path, ec);
  return {study.name, plan.hash, kBuildId, ec ? study.path : abs.lexically_normal().string(), sets, shard, shards};
}

StudyManifest ReadStudyManifest(const std::string& dir) {
  const fs::path p = fs::path(dir) / kManifest;
  std::error_code ec;
  if (!fs::exists(p, ec)) throw ConfigError(dir + ": is not a study directory (no " + kManifest + ")");
  StudyManifest m;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "study") m.study = value;
    else if (key == "plan") m.plan = value;
    else if (key == "build") m.build = value;
    else if (key == "study_path") m.study_path = value;
    else if (key == "set") m.sets.push_back(value);
    else if (key == "shard" && std::sscanf(value.c_str(), "%d/%d", &m.shard, &m.shards) != 2)
      throw ConfigError(p.string() + ": shard = " + value + " (expected I/N)");
  }
  return m;
}

std::map<std::string, RunRecord> ReadJournal(const std::string& dir) {
  std::map<std::string, RunRecord> done;
  std::ifstream in(fs::path(dir) / kJournal, std::ios::binary);
  std::string record, line;
  // A record runs from its "run" line to its "end" line; a record cut off by a kill is dropped.
  while (std::getline(in, line)) {
    if (line.rfind("run\t", 0) == 0) record.clear();
    record += line + "\n";
    if (line.rfind("end\t", 0) == 0) {
      RunRecord r;
      if (ParseRecord(record, r)) done[r.id] = std::move(r);
      record.clear();
    }
  }
  return done;
}

Journal::Journal(const std::string& dir, const StudyManifest& want, bool resume) : dir_(dir) {
  const fs::path d(dir), manifest = d / kManifest, journal = d / kJournal;
  const std::string name = want.study;
  std::error_code ec;
  const bool exists = fs::exists(d, ec);
  if (exists && !fs::is_directory(d, ec)) throw ConfigError("--out " + dir + ": is not a directory (expected a study directory)");
  // Empty, or holding only the plan that `lclab study --plan` wrote.
  bool empty = true;
  if (exists)
    for (const auto& e : fs::directory_iterator(d, ec)) empty &= e.path().filename() == "plan.csv";
  if (!empty) {
    if (!fs::exists(manifest, ec))
      throw ConfigError("--out " + dir + ": is not empty and is not a study directory (expected a new or empty "
                        "directory, or one this study wrote)");
    const StudyManifest m = ReadStudyManifest(dir);
    if (m.study != name)
      throw ConfigError("--out " + dir + ": belongs to the study \"" + m.study + "\" (expected a directory for \"" +
                        name + "\"; choose another --out)");
    if (m.plan != want.plan)
      throw ConfigError("--out " + dir + ": holds runs of a different plan of \"" + name + "\" (" +
                        (m.build != want.build ? "written by lclab " + m.build + ", this is " + want.build
                                               : "the study file or its base config changed since") +
                        "); expected the same plan to resume: choose another --out, or remove the directory");
    if (m.shard != want.shard || m.shards != want.shards)
      throw ConfigError("--out " + dir + ": holds shard " + std::to_string(m.shard) + "/" + std::to_string(m.shards) +
                        " of \"" + name + "\" (expected shard " + std::to_string(want.shard) + "/" +
                        std::to_string(want.shards) + ": each shard needs its own directory)");
    if (!resume)
      throw ConfigError("--out " + dir + ": holds results of this study (expected --resume to finish or rebuild "
                        "them, or another --out)");
    done_ = ReadJournal(dir);
  } else {
    fs::create_directories(d, ec);
    if (ec) throw sim::RuntimeError("cannot create the study directory " + dir + ": " + ec.message());
    std::ofstream m(manifest);
    m << "study=" << name << "\nplan=" << want.plan << "\nbuild=" << want.build << "\nstudy_path="
      << want.study_path << "\nshard=" << want.shard << "/" << want.shards << "\n";
    for (const auto& s : want.sets) m << "set=" << s << "\n";
    if (!m) throw sim::RuntimeError("cannot write " + manifest.string());
  }
  // A record cut off by a kill may have left the last line unfinished: start on a fresh line.
  bool fresh_line = true;
  if (std::ifstream tail(journal, std::ios::binary | std::ios::ate); tail && tail.tellg() > 0) {
    tail.seekg(-1, std::ios::end);
    fresh_line = tail.get() == '\n';
  }
  out_ = std::fopen(journal.string().c_str(), "ab");
  if (!out_) throw sim::RuntimeError("cannot write " + journal.string() + ": " + std::strerror(errno));
  if (!fresh_line) std::fputc('\n', out_);
}

Journal::~Journal() {
  if (out_) std::fclose(out_);
}

void Journal::Append(const RunRecord& r) {
  const std::string text = FormatRecord(r);
  if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0)
    throw sim::RuntimeError("cannot append to the study journal in " + dir_ + ": " + std::strerror(errno));
}

}  // namespace lclab::experiments
