// lclab fit PURCHASES.csv --calibration-end DATE [--holdout-end DATE] [log options] [--out FIT.h5]
//           [--config-out POPULATION.toml] [--survival SURVIVORS.csv] [--best-effort] [--quiet]
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/cli/signals.h"
#include "experiments/config/error.h"
#include "experiments/report/fit_report.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace lclab::experiments {
namespace {

struct FitArgs {
  FitRequest request;
  std::string out, config_out, time_unit = "weeks";
  po::variables_map vm;
};

po::options_description Options(FitArgs& a) {
  LogOptions& o = a.request.log;
  po::options_description opts(
      "lclab fit PURCHASES.csv --calibration-end DATE [options]: BG/NBD, Pareto/NBD and Gamma-Gamma fitted to a "
      "transaction log (one row per purchase: customer, date, amount); --survival fits the sBG to a contract cohort "
      "(docs/fit.md)");
  opts.add_options()("help,h", "show this help")(
      "calibration-end", po::value(&o.calibration_end), "the last day of the calibration period (required with a log)")(
      "holdout-end", po::value(&o.holdout_end), "the last day of a holdout period: forecast against actual")(
      "delimiter", po::value(&o.delimiter), "the column separator: one character (default ,) or whitespace")(
      "no-header", "the log has no header line (give columns by number)")(
      "id-column", po::value(&o.id_column), "the customer column: a name or a number from 1 (default customer)")(
      "date-column", po::value(&o.date_column), "the date column (default date)")(
      "amount-column", po::value(&o.amount_column), "the amount column (default amount)")(
      "date-format", po::value(&o.date_format), "the dates' format with %Y, %m, %d (default %Y-%m-%d; CDNOW: %Y%m%d)")(
      "time-unit", po::value(&a.time_unit), "weeks (default) or days: the unit of t_x, T and alpha")(
      "horizon", po::value(&a.request.horizon), "without a holdout: the forecast's horizon in the time unit (default 52)")(
      "survival", po::value(&a.request.survival_path), "a contract cohort's survivors per period: fit the sBG")(
      "out", po::value(&a.out), "the HDF5 output (default results/<log name>-fit.h5)")(
      "config-out", po::value(&a.config_out), "write the fitted purchase model as a TOML fragment a config includes")(
      "best-effort", "write the best point found even if a fit did not converge (exit 0)")(
      "quiet,q", "do not print the summary");
  return opts;
}

// Parses; returns false after --help.
bool Parse(int argc, char** argv, FitArgs& a) {
  const po::options_description opts = Options(a);
  po::options_description hidden, all;
  std::vector<std::string> positional;
  hidden.add_options()("log", po::value(&positional));
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("log", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), a.vm);
    po::notify(a.vm);
  } catch (const po::error& e) {
    UsageError("fit", e.what());
  }
  if (a.vm.count("help")) {
    std::cout << opts << "\n";
    return false;
  }
  if (positional.size() > 1) UsageError("fit", "expected one PURCHASES log, got " + std::to_string(positional.size()));
  if (positional.empty() && a.request.survival_path.empty())
    UsageError("fit", "missing PURCHASES (expected a transaction log, or --survival with a survival table)");
  if (!positional.empty()) {
    a.request.log_path = positional[0];
    if (a.request.log.calibration_end.empty())
      UsageError("fit", "missing --calibration-end (expected the last day of the calibration period)");
  }
  a.request.log.header = a.vm.count("no-header") == 0;
  if (a.time_unit != "weeks" && a.time_unit != "days")
    UsageError("fit", "--time-unit = " + a.time_unit + " (expected weeks or days)");
  a.request.log.unit_days = a.time_unit == "weeks" ? 7 : 1;
  if (!(a.request.horizon > 0)) UsageError("fit", "--horizon (expected a number > 0)");
  if (a.vm.count("out") && a.out.empty()) UsageError("fit", "--out = '' (expected a path for the HDF5 output)");
  if (a.vm.count("config-out") && a.request.log_path.empty()) UsageError("fit", "--config-out needs a transaction log");
  return true;
}

}  // namespace

int FitCommand(int argc, char** argv, const std::string& command_line) {
  const sim::StopFlag* stop = CatchSignals();
  FitArgs a;
  if (!Parse(argc, argv, a)) return kExitOk;
  const FitOutcome fit = RunFit(a.request);
  const FitInfo info{command_line, a.request.log.unit_days};
  const bool converged = fit.Converged();
  const std::string stem = fs::path(a.request.log_path.empty() ? a.request.survival_path : a.request.log_path).stem();
  const std::string out = a.out.empty() ? (fs::path("results") / (stem + "-fit.h5")).string() : a.out;
  if (!a.vm.count("quiet")) PrintFit(std::cout, a.request, fit, info);
  if (!converged && !a.vm.count("best-effort")) {
    std::cerr << "lclab fit: a fit did not converge (see above); nothing written (--best-effort writes the best "
                 "point found)\n";
    return kExitRuntime;
  }
  if (fs::path(out).has_parent_path()) fs::create_directories(fs::path(out).parent_path());
  WriteFitResults(out, a.request, fit, info, stop);
  if (!a.config_out.empty()) {
    const std::string temp = a.config_out + ".tmp";
    std::ofstream(temp) << FitConfigFragment(fit, info);
    fs::rename(temp, a.config_out);
  }
  if (!a.vm.count("quiet"))
    std::cout << "\nwrote " << out << (a.config_out.empty() ? "" : " and " + a.config_out) << "\n";
  return kExitOk;
}

}  // namespace lclab::experiments
