// Tables in HDF5 by column projection: a table is a list of rows and a list
// of columns, each a name and how to get its cell from a row (a member
// pointer or a function), listed once, the way sim/columns.h lists a
// population's columns. A table is written as a group of equal-length 1-D
// datasets, one per column, with a "columns" attribute giving their order
// (pandas: one column per dataset; docs/output-format.md).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/h5.h"

namespace lclab::experiments {

// A column: its name and a projection from a row to its cell.
template <class Get>
struct Column {
  std::string name;
  Get get;
};

// A column from a function of the row.
template <class Get>
Column<Get> Col(std::string name, Get get) {
  return {std::move(name), std::move(get)};
}
// A column from a data member.
template <class Row, class T>
auto Col(std::string name, T Row::*member) {
  auto get = [member](const Row& r) -> const T& { return r.*member; };
  return Column<decltype(get)>{std::move(name), get};
}

namespace h5_table_detail {

// How a cell type is stored: integers narrower than 64 bits as int32, bool and uint8 as uint8,
// 64-bit integers as int64, floating point as float64, text as UTF-8 strings.
template <class T>
using Stored = std::conditional_t<
    std::is_same_v<T, bool> || std::is_same_v<T, std::uint8_t>, std::uint8_t,
    std::conditional_t<std::is_floating_point_v<T>, double,
                       std::conditional_t<std::is_same_v<T, std::int64_t>, std::int64_t,
                                          std::conditional_t<std::is_integral_v<T>, std::int32_t, std::string>>>>;

inline void Write(sim::H5Writer& w, const std::string& path, const std::vector<double>& v) { w.WriteF64(path, v); }
inline void Write(sim::H5Writer& w, const std::string& path, const std::vector<std::int64_t>& v) { w.WriteI64(path, v); }
inline void Write(sim::H5Writer& w, const std::string& path, const std::vector<std::int32_t>& v) { w.WriteI32(path, v); }
inline void Write(sim::H5Writer& w, const std::string& path, const std::vector<std::uint8_t>& v) { w.WriteU8(path, v); }
inline void Write(sim::H5Writer& w, const std::string& path, const std::vector<std::string>& v) {
  w.WriteStrings(path, v);
}

template <class Row, class Get>
void WriteColumn(sim::H5Writer& w, const std::string& group, const std::vector<Row>& rows, const Column<Get>& col) {
  using Cell = std::decay_t<decltype(col.get(rows.front()))>;
  std::vector<Stored<Cell>> cells;
  cells.reserve(rows.size());
  for (const Row& r : rows) cells.push_back(static_cast<Stored<Cell>>(col.get(r)));
  Write(w, group + "/" + col.name, cells);
}

}  // namespace h5_table_detail

// Writes `rows` as the table `group` (created here) with the given columns, in order.
template <class Row, class... Gets>
void WriteTable(sim::H5Writer& w, const std::string& group, const std::vector<Row>& rows, const Column<Gets>&... cols) {
  w.CreateGroup(group);
  (h5_table_detail::WriteColumn(w, group, rows, cols), ...);
  w.AttrStrings(group, "columns", {cols.name...});
}

}  // namespace lclab::experiments
