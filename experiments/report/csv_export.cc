#include "experiments/report/csv_export.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "experiments/config/error.h"
#include "experiments/report/csv_table.h"
#include "experiments/report/hdf5_report.h"
#include "sim/h5.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
using Dataset = sim::H5Reader::Dataset;

constexpr const char* kMarker = ".lclab-export";  // marks a folder this command wrote

std::string Parent(const std::string& path) { return path.substr(0, path.rfind('/')); }
std::string Leaf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// "/campaigns/welcome_email/kpis" -> "campaigns.welcome_email.kpis"; the root's arrays -> "root".
std::string FileStem(const std::string& group) {
  std::string s = group.empty() ? "root" : group.substr(1);
  std::replace(s.begin(), s.end(), '/', '.');
  return s;
}

std::string CellOf(const Dataset& d, std::size_t i) {
  using csv_table_detail::Cell;
  if (d.kind == sim::H5Reader::Kind::kString) return Cell(d.strings[i]);
  if (d.kind == sim::H5Reader::Kind::kInteger) return Cell(static_cast<std::int64_t>(d.numbers[i]));
  return Cell(d.numbers[i]);
}

std::size_t Size(const Dataset& d) { return d.kind == sim::H5Reader::Kind::kString ? d.strings.size() : d.numbers.size(); }

class Writer {
 public:
  explicit Writer(fs::path dir) : dir_(std::move(dir)) {}
  std::ofstream Open(const std::string& stem) {
    std::string name = stem + ".csv";
    for (int k = 2; std::find(files_.begin(), files_.end(), name) != files_.end(); ++k)
      name = stem + "." + std::to_string(k) + ".csv";
    files_.push_back(name);
    std::ofstream out(dir_ / name, std::ios::binary);
    if (!out) throw sim::RuntimeError((dir_ / name).string() + ": cannot be written");
    return out;
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> f = files_;
    std::sort(f.begin(), f.end());
    return f;
  }

 private:
  fs::path dir_;
  std::vector<std::string> files_;
};

// A group with a `columns` attribute: one row per element of its column datasets.
void WriteTableCsv(const sim::H5Reader& h5, const std::string& group, Writer& w) {
  const std::vector<std::string> columns = h5.AttrStrings(group, "columns");
  std::vector<Dataset> data;
  for (const std::string& c : columns) data.push_back(h5.Read(group + "/" + c));
  std::ofstream out = w.Open(FileStem(group));
  for (std::size_t j = 0; j < columns.size(); ++j) out << (j ? "," : "") << csv_table_detail::Cell(columns[j]);
  out << "\n";
  const std::size_t rows = data.empty() ? 0 : Size(data[0]);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < data.size(); ++j) out << (j ? "," : "") << (i < Size(data[j]) ? CellOf(data[j], i) : "");
    out << "\n";
  }
}

// An axis of an array: its name and, where the group holds them, its labels (`<axis>_names`, or the
// cells' campaign and arm).
struct Axis {
  std::vector<std::string> names;        // column names: the axis, or "campaign", "arm" for cells
  std::vector<std::vector<std::string>> labels;  // per column, one label per index (empty: the index)
};

Axis AxisOf(const sim::H5Reader& h5, const std::vector<std::string>& paths, const std::string& group,
            const std::string& dim, std::uint64_t n) {
  const auto has = [&](const std::string& leaf) {
    return std::binary_search(paths.begin(), paths.end(), group + "/" + leaf);
  };
  const auto strings = [&](const std::string& leaf) {
    Dataset d = h5.Read(group + "/" + leaf);
    return d.kind == sim::H5Reader::Kind::kString && d.strings.size() == n ? d.strings : std::vector<std::string>{};
  };
  Axis a;
  if (dim == "cell" && has("cell_campaign") && has("cell_arm")) {
    a.names = {"campaign", "arm"}, a.labels = {strings("cell_campaign"), strings("cell_arm")};
    if (!a.labels[0].empty() && !a.labels[1].empty()) return a;
  }
  const std::string label_set = dim == "group" ? "group_names" : dim + "_names";
  a.names = {dim}, a.labels = {has(label_set) ? strings(label_set) : std::vector<std::string>{}};
  return a;
}

// The group's arrays (datasets outside a table), one file per set of axes: the axes' columns, then one
// column per array. Label datasets are folded into the axes they name.
void WriteArraysCsv(const sim::H5Reader& h5, const std::vector<std::string>& paths, const std::string& group,
                    const std::vector<std::string>& arrays, Writer& w) {
  struct Bucket {
    std::vector<std::string> dims;
    std::vector<std::uint64_t> shape;
    std::vector<std::string> names;
    std::vector<Dataset> data;
  };
  std::map<std::string, Bucket> buckets;
  for (const std::string& path : arrays) {
    const std::string leaf = Leaf(path);
    Dataset d = h5.Read(path);
    std::vector<std::string> dims = h5.HasAttr(path, "dims") ? h5.AttrStrings(path, "dims") : std::vector<std::string>{};
    const bool label = dims.empty() && (leaf.ends_with("_names") || leaf == "cell_campaign" || leaf == "cell_arm");
    if (label || d.kind == sim::H5Reader::Kind::kOther) continue;
    if (dims.size() != d.dims.size()) {  // no axis names: "index" for a list, axis_0, axis_1, ... beyond
      dims.clear();
      for (std::size_t k = 0; k < d.dims.size(); ++k) dims.push_back(d.dims.size() == 1 ? "index" : "axis_" + std::to_string(k));
    }
    std::string key;
    for (std::size_t k = 0; k < dims.size(); ++k) key += dims[k] + ":" + std::to_string(d.dims[k]) + ",";
    Bucket& b = buckets[key];
    b.dims = dims, b.shape = d.dims;
    b.names.push_back(leaf), b.data.push_back(std::move(d));
  }
  for (const auto& [key, b] : buckets) {
    std::string stem = FileStem(group);
    for (const std::string& dim : b.dims) stem += (&dim == &b.dims.front() ? ".by_" : "_") + dim;
    std::vector<Axis> axes;
    for (std::size_t k = 0; k < b.dims.size(); ++k) axes.push_back(AxisOf(h5, paths, group, b.dims[k], b.shape[k]));
    std::ofstream out = w.Open(stem);
    std::string header;
    for (const Axis& a : axes)
      for (const std::string& n : a.names) header += (header.empty() ? "" : ",") + csv_table_detail::Cell(n);
    for (const std::string& n : b.names) header += "," + csv_table_detail::Cell(n);
    out << header << "\n";
    std::uint64_t cells = 1;
    for (std::uint64_t s : b.shape) cells *= s;
    std::vector<std::uint64_t> index(b.shape.size(), 0);
    for (std::uint64_t i = 0; i < cells; ++i) {
      std::string line;
      for (std::size_t k = 0; k < axes.size(); ++k)
        for (const auto& labels : axes[k].labels)
          line += (line.empty() ? "" : ",") +
                  (labels.empty() ? std::to_string(index[k]) : csv_table_detail::Cell(labels[index[k]]));
      for (const Dataset& d : b.data) line += "," + CellOf(d, i);
      out << line << "\n";
      for (std::size_t k = index.size(); k-- > 0;)  // row-major: the last axis moves fastest
        if (++index[k] < b.shape[k]) break;
        else index[k] = 0;
    }
  }
}

// The file must be lclab output of the layout this build writes.
void CheckLayout(const sim::H5Reader& h5, const std::string& path) {
  if (!h5.HasAttr("/", "layout"))
    throw ConfigError(path + ": no layout attribute (expected an lclab output file: a run, a study summary or a fit)");
  const std::string layout = h5.AttrString("/", "layout");
  if (layout != kOutputLayout)
    throw ConfigError(path + ": layout " + layout + " (expected " + kOutputLayout +
                      ": export it with the lclab that wrote it, or run again with this one)");
}

// `dir` is new, or a folder an earlier export wrote.
void CheckTarget(const fs::path& dir) {
  if (fs::exists(dir) && (!fs::is_directory(dir) || !fs::exists(dir / kMarker)))
    throw ConfigError("--csv " + dir.string() + ": exists and is not a folder lclab export wrote (expected a new "
                      "folder, or an earlier export's to replace)");
}

}  // namespace

std::vector<std::string> ExportCsv(const std::string& h5_path, const std::string& dir, const sim::StopFlag* stop) {
  std::unique_ptr<sim::H5Reader> h5;
  try {
    h5 = std::make_unique<sim::H5Reader>(h5_path);
  } catch (const sim::RuntimeError&) {
    throw ConfigError(h5_path + ": cannot be opened as HDF5 (expected an lclab output file)");
  }
  CheckLayout(*h5, h5_path);
  const fs::path final_dir = fs::path(dir).lexically_normal();
  CheckTarget(final_dir);
  const fs::path temp = fs::path(final_dir.string() + ".partial-" + std::to_string(getpid()));
  fs::remove_all(temp);
  fs::create_directories(temp);
  try {
    std::vector<std::string> paths = h5->ListDatasets();
    std::sort(paths.begin(), paths.end());
    std::map<std::string, std::vector<std::string>> by_group;
    for (const std::string& p : paths) by_group[Parent(p)].push_back(p);
    Writer w(temp);
    for (const auto& [group, members] : by_group) {
      sim::ThrowIfStopped(stop);
      if (!group.empty() && h5->HasAttr(group, "columns")) {
        WriteTableCsv(*h5, group, w);
        continue;
      }
      WriteArraysCsv(*h5, paths, group, members, w);
    }
    std::ofstream(temp / kMarker) << "written by lclab export from " << h5_path << "\n";
    CheckTarget(final_dir);
    fs::remove_all(final_dir);
    if (final_dir.has_parent_path()) fs::create_directories(final_dir.parent_path());
    fs::rename(temp, final_dir);
    return w.Files();
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    throw;
  }
}

}  // namespace lclab::experiments
