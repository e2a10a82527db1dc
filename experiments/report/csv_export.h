// `lclab export RESULTS.h5 --csv DIR`: every table and array of an lclab
// output file (a run, a study's summary, a fit) as tidy CSV files for pandas,
// R and spreadsheets (docs/output-format.md "CSV export"). A table (a group
// with a `columns` attribute) becomes one file with the same columns; the
// arrays of a group that share their axes (`dims`) become one long file, one
// row per cell, the axes first (labelled where the file has their names).
#pragma once

#include <string>
#include <vector>

#include "sim/error.h"

namespace lclab::experiments {

// Writes the CSV files into `dir`, which must not exist or be a folder an earlier export wrote (it is
// then replaced); the files are written to a temporary folder renamed into place, so an interrupted
// export leaves nothing. Returns the files' names, sorted. Throws ConfigError when `h5_path` is not an
// lclab output of this layout (naming what is missing) or `dir` is taken, RuntimeError on I/O failure.
std::vector<std::string> ExportCsv(const std::string& h5_path, const std::string& dir,
                                   const sim::StopFlag* stop = nullptr);

}  // namespace lclab::experiments
