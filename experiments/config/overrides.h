// --set overrides: "a.b[1].c=value" written into a parsed config before it is
// read. Internal to experiments/config/.
#pragma once

#include <string>
#include <toml++/toml.h>

namespace lclab::experiments {

// Applies one override (the value in TOML syntax; a bare word is a string) and
// returns its key path, e.g. "campaigns[1].channel". Throws ConfigError if the
// spec is malformed or names an array element that does not exist; messages
// start with `origin` ("--set" on the command line).
std::string ApplyOverride(toml::table& root, const std::string& spec, const std::string& origin = "--set");

}  // namespace lclab::experiments
