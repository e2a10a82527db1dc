// The floor kernel: the least a daily pass over customers can cost in lclab
// (open a keyed stream per customer-day, draw two numbers, touch one column).
// Model throughput is reported as a ratio to it.
#pragma once

#include <cstdint>
#include <vector>

namespace lclab::bench {

// Runs `days` passes over `column.size()` customers with two draws each on
// one thread; returns the sum of the column (so the work cannot be elided).
double FloorKernel(std::vector<float>& column, int days, std::uint64_t seed);

}  // namespace lclab::bench
