// Structure-of-arrays tables. A table type lists its columns once, in
//   template <class F> void ForEachColumn(F&& f)
// calling f(column, fill, width) for each std::vector column, where `fill` is
// the value of a new row and `width` the number of elements per row. These
// helpers then size the whole table and account its memory, so a new column
// cannot be forgotten in either.
#pragma once

#include <cstddef>
#include <functional>
#include <type_traits>
#include <vector>

#include "sim/parallel.h"

namespace lclab::sim {

// Resizes every column to `rows` rows, all set to their fill value, a column at a time on up to
// `threads` threads: the first write to each page of a large table costs a page fault, and the
// columns' faults then go in parallel.
template <class Table>
void AssignColumns(Table& table, std::size_t rows, int threads = 1) {
  std::vector<std::function<void()>> fills;
  table.ForEachColumn([&fills, rows](auto& column, auto fill, std::size_t width) {
    fills.push_back([&column, fill, rows, width] {
      using T = typename std::decay_t<decltype(column)>::value_type;
      column.assign(rows * width, static_cast<T>(fill));
    });
  });
  ForEachShard(fills.size(), 1, threads, [&fills](const ShardRange& r) { fills[r.index](); });
}

// Bytes one row occupies over all columns.
template <class Table>
std::size_t BytesPerRow(Table& table) {
  std::size_t bytes = 0;
  table.ForEachColumn([&bytes](auto& column, auto, std::size_t width) {
    bytes += sizeof(typename std::decay_t<decltype(column)>::value_type) * width;
  });
  return bytes;
}

}  // namespace lclab::sim
