// The command-line parsing the commands share.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace lclab::experiments {

// Parses `opts` and the positional arguments (into `positional`) of `lclab cmd`; a parse error is a
// usage error of `cmd`. Returns false after printing --help.
bool ParseCommand(const std::string& cmd, int argc, char** argv, const boost::program_options::options_description& opts,
                  std::vector<std::string>& positional, boost::program_options::variables_map& vm);

}  // namespace lclab::experiments
