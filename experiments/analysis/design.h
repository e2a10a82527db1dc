// Multivariate designs: which combinations of factor levels become variants.
// Pure functions; the config layer turns their errors into config errors.
#pragma once

#include <string>
#include <vector>

namespace lclab::experiments {

// Every combination of levels, the first factor varying slowest.
// REQUIRES: every count >= 1. Returns one level index per factor per run.
std::vector<std::vector<int>> FullFactorial(const std::vector<int>& level_counts);

// A regular two-level fractional factorial 2^(k-p).
struct FractionalDesign {
  std::vector<std::vector<int>> runs;          // 2^(k-p) runs, level 0 or 1 per factor
  std::vector<std::string> generators;         // e.g. "D=ABC" (factors lettered A, B, C, ... in order)
  std::vector<std::string> defining_relation;  // the words equal to I, e.g. "ABCD"
  int resolution = 0;                          // length of the shortest word
};

// Builds the 2^(k-p) design with the given generators, or with standard
// minimum-aberration generators (Box, Hunter and Hunter; Montgomery, table
// 8.14) when `generators` is empty. Throws std::invalid_argument with a
// message saying what was expected. REQUIRES: 2 <= k <= 15, 1 <= p < k.
FractionalDesign Fractional(int k, int p, const std::vector<std::string>& generators);

// The letter of factor f in generators: A, B, C, ...
char FactorLetter(int f);

}  // namespace lclab::experiments
