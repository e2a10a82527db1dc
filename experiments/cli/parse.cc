#include "experiments/cli/parse.h"

#include <iostream>

#include "experiments/cli/commands.h"

namespace po = boost::program_options;

namespace lclab::experiments {

bool ParseCommand(const std::string& cmd, int argc, char** argv, const po::options_description& opts,
                  std::vector<std::string>& positional, po::variables_map& vm) {
  po::options_description all;
  all.add(opts).add_options()("positional", po::value(&positional));
  po::positional_options_description pos;
  pos.add("positional", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    UsageError(cmd, e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return false;
  }
  return true;
}

}  // namespace lclab::experiments
