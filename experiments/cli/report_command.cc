// lclab report RESULTS.h5 [-o REPORT.html]: a run's results as one self-contained HTML page
// (docs/report.md).
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/parse.h"
#include "experiments/cli/signals.h"
#include "experiments/report/html_report.h"

namespace po = boost::program_options;

namespace lclab::experiments {

int ReportCommand(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string out;
  po::options_description opts(
      "lclab report RESULTS.h5 [-o REPORT.html]: a run's results as one HTML page that opens offline "
      "(docs/report.md)");
  opts.add_options()("help,h", "show this help")(
      "out,o", po::value(&out), "the HTML file (default: RESULTS with .html); an existing file is replaced")(
      "quiet,q", "do not print the path written");
  po::variables_map vm;
  if (!ParseCommand("report", argc, argv, opts, positional, vm)) return kExitOk;
  if (positional.size() != 1) UsageError("report", "expected one RESULTS.h5, got " + std::to_string(positional.size()));
  if (vm.count("out") && out.empty()) UsageError("report", "--out = '' (expected a path for the HTML report)");
  if (out.empty()) out = std::filesystem::path(positional[0]).replace_extension(".html").string();
  if (std::filesystem::is_directory(out)) UsageError("report", "--out = " + out + " is a folder (expected a file path)");
  WriteHtmlReport(positional[0], out, CatchSignals());
  if (!vm.count("quiet")) std::cout << "wrote " << out << "\n";
  return kExitOk;
}

}  // namespace lclab::experiments
