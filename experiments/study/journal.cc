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

std::map<std::string, std::string> ReadManifest(const fs::path& p) {
  std::map<std::string, std::string> m;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);)
    if (const auto eq = line.find('='); eq != std::string::npos) m[line.substr(0, eq)] = line.substr(eq + 1);
  return m;
}

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

Journal::Journal(const std::string& dir, const std::string& name, const std::string& hash, bool resume) : dir_(dir) {
  const fs::path d(dir), manifest = d / kManifest, journal = d / kJournal;
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
    const auto m = ReadManifest(manifest);
    if (m.count("study") == 0 || m.at("study") != name)
      throw ConfigError("--out " + dir + ": belongs to the study \"" + (m.count("study") ? m.at("study") : "?") +
                        "\" (expected a directory for \"" + name + "\"; choose another --out)");
    if (m.count("plan") == 0 || m.at("plan") != hash) {
      const std::string build = m.count("build") ? m.at("build") : "?";
      throw ConfigError("--out " + dir + ": holds runs of a different plan of \"" + name + "\" (" +
                        (build != kBuildId ? "written by lclab " + build + ", this is " + kBuildId
                                           : "the study file or its base config changed since") +
                        "); expected the same plan to resume: choose another --out, or remove the directory");
    }
    if (!resume)
      throw ConfigError("--out " + dir + ": holds results of this study (expected --resume to finish or rebuild "
                        "them, or another --out)");
    Read((journal).string());
  } else {
    fs::create_directories(d, ec);
    if (ec) throw sim::RuntimeError("cannot create the study directory " + dir + ": " + ec.message());
    std::ofstream m(manifest);
    m << "study=" << name << "\nplan=" << hash << "\nbuild=" << kBuildId << "\n";
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

void Journal::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string record, line;
  // A record runs from its "run" line to its "end" line; a record cut off by a kill is dropped.
  while (std::getline(in, line)) {
    if (line.rfind("run\t", 0) == 0) record.clear();
    record += line + "\n";
    if (line.rfind("end\t", 0) == 0) {
      RunRecord r;
      if (ParseRecord(record, r)) done_[r.id] = std::move(r);
      record.clear();
    }
  }
}

void Journal::Append(const RunRecord& r) {
  const std::string text = FormatRecord(r);
  if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0)
    throw sim::RuntimeError("cannot append to the study journal in " + dir_ + ": " + std::strerror(errno));
}

}  // namespace lclab::experiments
