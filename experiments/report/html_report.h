// `lclab report RESULTS.h5 -o report.html`: one self-contained HTML file for
// a run, read from its HDF5 output (docs/report.md): health checks first
// (sample ratios, guardrails, warnings), then per campaign the message
// funnel, the lifts with their intervals (CUPED beside them, the oracle's
// true effect as a marker), the cumulative lift with its always-valid band,
// the factorial effects against their planted truth, the send-time table and
// the allocation over time; then the population and the programme against
// its global control. Charts are inline SVG (svg.h); no script, no network.
#pragma once

#include <string>

#include "sim/error.h"

namespace lclab::experiments {

// Writes the report of the run (or study) in `h5_path` to `html_path` (a temporary file renamed into place).
// Throws ConfigError when `h5_path` is not an lclab run of this layout, naming what is missing;
// RuntimeError on I/O failure.
void WriteHtmlReport(const std::string& h5_path, const std::string& html_path, const sim::StopFlag* stop = nullptr);

// The same for a study's summary.h5 (html_study_report.cc): the leaderboard with paired differences,
// sweeps along each axis, the objective across replications, and the statistics audit.
void WriteStudyHtmlReport(const std::string& h5_path, const std::string& html_path, const sim::StopFlag* stop);

}  // namespace lclab::experiments
