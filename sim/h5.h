// RAII HDF5 output and input. HDF5's headers stay private to h5.cc.
//
// H5Writer writes to "<path>.tmp.<pid>" and renames it to <path> only in
// Commit(); if the writer is destroyed without Commit() (an error, an
// interrupt), the temporary file is removed, so a failed run leaves nothing
// that looks like a complete result. With a stop flag, every write and the
// commit first check it and throw Interrupted when a signal has arrived.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/error.h"

namespace lclab::sim {

class H5Writer {
 public:
  // Creates the temporary file. Throws RuntimeError if it cannot.
  explicit H5Writer(std::string final_path, const StopFlag* stop = nullptr);
  ~H5Writer();
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;

  // Creates a group (and its parents). `path` like "/daily".
  void CreateGroup(const std::string& path);

  // Datasets: row-major data with the given dimensions (product == size).
  void WriteF64(const std::string& path, const std::vector<double>& data, std::vector<std::uint64_t> dims = {});
  void WriteI64(const std::string& path, const std::vector<std::int64_t>& data, std::vector<std::uint64_t> dims = {});
  void WriteI32(const std::string& path, const std::vector<std::int32_t>& data, std::vector<std::uint64_t> dims = {});
  void WriteU8(const std::string& path, const std::vector<std::uint8_t>& data, std::vector<std::uint64_t> dims = {});
  // A 1-D dataset of variable-length UTF-8 strings.
  void WriteStrings(const std::string& path, const std::vector<std::string>& data);

  // Attributes on an existing object ("/" for the file).
  void AttrString(const std::string& object, const std::string& name, const std::string& value);
  void AttrStrings(const std::string& object, const std::string& name, const std::vector<std::string>& values);
  void AttrI64(const std::string& object, const std::string& name, std::int64_t value);
  void AttrF64(const std::string& object, const std::string& name, double value);

  // Flushes, closes and renames the file into place. Throws RuntimeError on failure.
  void Commit();

  const std::string& final_path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string final_path_;
  std::string temp_path_;
  const StopFlag* stop_;
  bool committed_ = false;
};

// Reads datasets and attributes back; used by tests and tools.
class H5Reader {
 public:
  enum class Kind { kFloat, kInteger, kString, kOther };
  struct Dataset {
    Kind kind = Kind::kOther;
    std::vector<std::uint64_t> dims;
    std::vector<double> numbers;       // numeric datasets, converted to double
    std::vector<std::string> strings;  // string datasets
    std::vector<unsigned char> raw;    // the stored bytes as read in the file's type
  };

  // Opens read-only. Throws RuntimeError if the file cannot be opened.
  explicit H5Reader(const std::string& path);
  ~H5Reader();
  H5Reader(const H5Reader&) = delete;
  H5Reader& operator=(const H5Reader&) = delete;

  // Every dataset path in the file, sorted.
  std::vector<std::string> ListDatasets() const;
  Dataset Read(const std::string& path) const;
  bool HasAttr(const std::string& object, const std::string& name) const;
  std::string AttrString(const std::string& object, const std::string& name) const;
  // A 1-D array of strings (e.g. a table's "columns").
  std::vector<std::string> AttrStrings(const std::string& object, const std::string& name) const;
  std::int64_t AttrI64(const std::string& object, const std::string& name) const;
  double AttrF64(const std::string& object, const std::string& name) const;

 private:
  std::int64_t file_ = -1;
};

}  // namespace lclab::sim
