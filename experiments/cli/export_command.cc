// lclab export RESULTS.h5 --csv DIR [--quiet]: every table and array of an lclab output file as tidy
// CSV files (docs/output-format.md "CSV export").
#include <boost/program_options.hpp>
#include <iostream>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/parse.h"
#include "experiments/cli/signals.h"
#include "experiments/report/csv_export.h"

namespace po = boost::program_options;

namespace lclab::experiments {

int ExportCommand(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string csv;
  po::options_description opts(
      "lclab export RESULTS.h5 --csv DIR: every table of a run, a study's summary or a fit as tidy CSV files "
      "(docs/output-format.md \"CSV export\")");
  opts.add_options()("help,h", "show this help")(
      "csv", po::value(&csv), "the folder to write (new, or one an earlier export wrote: it is replaced)")(
      "quiet,q", "do not list the files written");
  po::variables_map vm;
  if (!ParseCommand("export", argc, argv, opts, positional, vm)) return kExitOk;
  if (positional.size() != 1)
    UsageError("export", "expected one RESULTS.h5, got " + std::to_string(positional.size()));
  if (csv.empty()) UsageError("export", "missing --csv DIR (expected the folder to write the CSV files to)");
  const std::vector<std::string> files = ExportCsv(positional[0], csv, CatchSignals());
  if (!vm.count("quiet")) {
    for (const std::string& f : files) std::cout << "  " << f << "\n";
    std::cout << "wrote " << files.size() << " CSV files to " << csv << "\n";
  }
  return kExitOk;
}

}  // namespace lclab::experiments
