// lclab facts [--group G]... [--set KEY=VALUE]... [--customers N] [--threads N] [--markdown] [--root DIR]
// The default world against published facts (docs/validation.md): one line per fact, exit 1 if any
// fact is out of its range.
#include <boost/program_options.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/config/error.h"
#include "experiments/facts/facts.h"
#include "experiments/report/format.h"

namespace po = boost::program_options;

namespace lclab::experiments {
namespace {

struct FactsArgs {
  facts::FactOptions options;
  std::vector<std::string> groups;
  bool markdown = false, quiet = false;
};

// Parses; returns false after --help.
bool Parse(int argc, char** argv, FactsArgs& a) {
  facts::FactOptions& o = a.options;
  o.root = LCLAB_SOURCE_DIR;
  std::size_t customers = o.customers;
  int threads = 0;
  po::options_description opts(
      "lclab facts [options]: the default world against published facts (docs/validation.md); exit 1 if any "
      "fact is out of its published range");
  opts.add_options()("help,h", "show this help")(
      "group", po::value(&a.groups)->composing(), ("run this group only (repeatable): " + facts::FactGroupList()).c_str())("set", po::value(&o.sets)->composing(),
                         "KEY=VALUE applied to every world and config the facts load (repeatable)")(
      "customers", po::value(&customers), "customers in the email and industry worlds (default 100000; the Bass "
      "world half; the send-time example runs as it ships)")(
      "threads", po::value(&threads), "worker threads, >= 1 (default: all cores); results do not depend on it")(
      "markdown", "print the table as Markdown (docs/validation.md's table)")(
      "root", po::value(&o.root), "the lclab source tree (tests/data, experiments/worlds; default: where lclab "
      "was built from)")("quiet,q", "print only the facts out of range");
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << opts << "\n";
      return false;
    }
    a.markdown = vm.count("markdown") != 0, a.quiet = vm.count("quiet") != 0;
    if (vm.count("threads") && (threads < 1 || threads > 1024))
      UsageError("facts", "--threads = " + std::to_string(threads) + " (expected an integer in [1, 1024])");
  } catch (const po::error& e) {
    UsageError("facts", e.what());
  }
  if (customers < 1000 || customers > 100000000)
    UsageError("facts", "--customers = " + std::to_string(customers) + " (expected an integer in [1000, 1e8])");
  o.customers = customers;
  o.threads = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!std::filesystem::is_directory(o.root + "/experiments/worlds"))
    UsageError("facts", "--root = " + o.root + ": no experiments/worlds there (expected the lclab source tree)");
  if (a.groups.empty()) a.groups = facts::FactGroups();
  for (const std::string& g : a.groups)
    if (std::find(facts::FactGroups().begin(), facts::FactGroups().end(), g) == facts::FactGroups().end())
      UsageError("facts", "--group = " + g + " (expected one of " + facts::FactGroupList() + ")");
  return true;
}

std::string Shown(const facts::Fact& f, double v) {
  if (f.unit == "%") return Fixed(100 * v, 100 * std::abs(v) < 1 ? 3 : 2) + "%";
  if (f.unit == "days") return Fixed(v, 1);
  return Fixed(v, std::abs(v) >= 1000 ? 1 : 4);
}

std::vector<std::string> Row(const facts::Fact& f) {
  std::string value = Shown(f, f.value);
  if (f.se > 0) value += " ± " + Shown(f, f.se);
  return {f.group + "." + f.id, f.what, value, "[" + Shown(f, f.low) + ", " + Shown(f, f.high) + "]",
          f.pass ? "ok" : "OUT", f.source};
}

void PrintMarkdown(const std::vector<facts::Fact>& all) {
  std::cout << "| fact | what | lclab | published range | | source |\n|---|---|---|---|---|---|\n";
  for (const facts::Fact& f : all) {
    const std::vector<std::string> r = Row(f);
    std::cout << "| `" << r[0] << "` | " << r[1] << " | " << r[2] << " | " << r[3] << " | " << r[4] << " | " << r[5]
              << " |\n";
  }
}

}  // namespace

int FactsCommand(int argc, char** argv) {
  FactsArgs a;
  if (!Parse(argc, argv, a)) return kExitOk;
  std::vector<facts::Fact> all;
  for (const std::string& g : a.groups) {
    if (!a.markdown && !a.quiet) std::cerr << "lclab facts: " << g << "\n";
    const std::vector<facts::Fact> got = facts::RunFactGroup(g, a.options);
    all.insert(all.end(), got.begin(), got.end());
  }
  const auto out = std::count_if(all.begin(), all.end(), [](const facts::Fact& f) { return !f.pass; });
  if (a.markdown) {
    PrintMarkdown(all);
  } else {
    std::vector<std::vector<std::string>> rows = {{"fact", "what", "lclab", "published range", ""}};
    for (const facts::Fact& f : all)
      if (!a.quiet || !f.pass) rows.push_back(Row(f)), rows.back().pop_back();
    PrintTable(std::cout, rows, "", 2);
    std::cout << "\n" << all.size() - static_cast<std::size_t>(out) << " of " << all.size()
              << " facts within their published range (sources: docs/validation.md)\n";
    for (const facts::Fact& f : all)
      if (!f.pass) std::cout << "OUT: " << f.group << "." << f.id << ": " << f.source << "\n";
  }
  return out ? kExitRuntime : kExitOk;
}

}  // namespace lclab::experiments
