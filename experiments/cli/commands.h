// The lclab commands, one file each. Each takes the arguments after the
// command's name (argv[0] is the command) and returns an exit code
// (exit_codes.h); bad usage throws ConfigError, which main() reports.
#pragma once

#include <string>

namespace lclab::experiments {

// lclab run CONFIG [options]: simulate, write HDF5, print the summary (run_command.cc).
int RunCommand(int argc, char** argv, const std::string& command_line);
// lclab validate CONFIG [options]: check a config, optionally print it resolved (run_command.cc).
int ValidateCommand(int argc, char** argv);
// lclab power [options]: sample size per arm, or the minimum detectable effect (power_command.cc).
int PowerCommand(int argc, char** argv);
// lclab fit PURCHASES.csv [options]: customer-base models fitted to a transaction log (fit_command.cc).
int FitCommand(int argc, char** argv, const std::string& command_line);
// lclab report RESULTS.h5 [-o REPORT.html]: a run's results as HTML (report_command.cc).
int ReportCommand(int argc, char** argv);
// lclab export RESULTS.h5 --csv DIR: an output file's tables as CSV (export_command.cc).
int ExportCommand(int argc, char** argv);
// lclab facts [options]: the default world against published facts (facts_command.cc).
int FactsCommand(int argc, char** argv);
// lclab study STUDY.toml [options]: strategies, scenarios and axes over replications (study_command.cc).
int StudyCommand(int argc, char** argv, const std::string& command_line);

// A usage error of `lclab cmd`, pointing to its --help.
[[noreturn]] void UsageError(const std::string& cmd, const std::string& message);

}  // namespace lclab::experiments
