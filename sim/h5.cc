#include "sim/h5.h"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "sim/error.h"

namespace lclab::sim {
namespace {

// Closes an HDF5 handle with the matching close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  Closer closer_;
};

void Check(bool ok, const std::string& what) {
  if (!ok) throw RuntimeError("HDF5: " + what);
}

struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5 kSilence;

hid_t StringType() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

}  // namespace

struct H5Writer::Impl {
  hid_t file = -1;
};

H5Writer::H5Writer(std::string final_path, const StopFlag* stop)
    : impl_(std::make_unique<Impl>()),
      final_path_(std::move(final_path)),
      temp_path_(final_path_ + ".tmp." + std::to_string(getpid())),
      stop_(stop) {
  ThrowIfStopped(stop_);
  // Do not record object modification times, so identical runs give identical files.
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Pset_obj_track_times(fcpl.get(), 0);  // the root group
  impl_->file = H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT);
  if (impl_->file < 0) throw RuntimeError("cannot create output file " + temp_path_ + " (is the directory writable?)");
}

H5Writer::~H5Writer() {
  if (impl_->file >= 0) H5Fclose(impl_->file);
  if (!committed_) std::remove(temp_path_.c_str());
}

void H5Writer::CreateGroup(const std::string& path) {
  ThrowIfStopped(stop_);
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_obj_track_times(gcpl.get(), 0);
  Handle g(H5Gcreate2(impl_->file, path.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT), H5Gclose);
  Check(g.ok(), "cannot create group " + path);
}

namespace {
void WriteNumeric(hid_t file, const std::string& path, const void* data, std::size_t size,
                  std::vector<std::uint64_t> dims, hid_t mem_type, hid_t file_type) {
  if (dims.empty()) dims = {size};
  const std::uint64_t product = std::accumulate(dims.begin(), dims.end(), std::uint64_t{1}, std::multiplies<>());
  Check(product == size, "dataset " + path + " dims do not match its data");
  std::vector<hsize_t> hd(dims.begin(), dims.end());
  Handle space(H5Screate_simple(static_cast<int>(hd.size()), hd.data(), nullptr), H5Sclose);
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.get(), 0);
  Handle ds(H5Dcreate2(file, path.c_str(), file_type, space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT), H5Dclose);
  Check(ds.ok(), "cannot create dataset " + path);
  if (size > 0) Check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0, "cannot write " + path);
}
}  // namespace

void H5Writer::WriteF64(const std::string& path, const std::vector<double>& data, std::vector<std::uint64_t> dims) {
  ThrowIfStopped(stop_);
  WriteNumeric(impl_->file, path, data.data(), data.size(), std::move(dims), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}
void H5Writer::WriteI64(const std::string& path, const std::vector<std::int64_t>& data, std::vector<std::uint64_t> dims) {
  ThrowIfStopped(stop_);
  WriteNumeric(impl_->file, path, data.data(), data.size(), std::move(dims), H5T_NATIVE_INT64, H5T_STD_I64LE);
}
void H5Writer::WriteI32(const std::string& path, const std::vector<std::int32_t>& data, std::vector<std::uint64_t> dims) {
  ThrowIfStopped(stop_);
  WriteNumeric(impl_->file, path, data.data(), data.size(), std::move(dims), H5T_NATIVE_INT32, H5T_STD_I32LE);
}
void H5Writer::WriteU8(const std::string& path, const std::vector<std::uint8_t>& data, std::vector<std::uint64_t> dims) {
  ThrowIfStopped(stop_);
  WriteNumeric(impl_->file, path, data.data(), data.size(), std::move(dims), H5T_NATIVE_UINT8, H5T_STD_U8LE);
}

void H5Writer::WriteStrings(const std::string& path, const std::vector<std::string>& data) {
  ThrowIfStopped(stop_);
  std::vector<const char*> ptrs;
  ptrs.reserve(data.size());
  for (const auto& s : data) ptrs.push_back(s.c_str());
  Handle type(StringType(), H5Tclose);
  WriteNumeric(impl_->file, path, ptrs.data(), ptrs.size(), {}, type.get(), type.get());
}

namespace {
void WriteAttr(hid_t file, const std::string& object, const std::string& name, hid_t type, hsize_t n,
               const void* data, bool scalar) {
  Handle obj(H5Oopen(file, object.c_str(), H5P_DEFAULT), H5Oclose);
  Check(obj.ok(), "cannot open " + object + " for attribute " + name);
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle attr(H5Acreate2(obj.get(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Check(attr.ok(), "cannot create attribute " + name + " on " + object);
  if (scalar || n > 0) Check(H5Awrite(attr.get(), type, data) >= 0, "cannot write attribute " + name);
}
}  // namespace

void H5Writer::AttrString(const std::string& object, const std::string& name, const std::string& value) {
  Handle type(StringType(), H5Tclose);
  const char* p = value.c_str();
  WriteAttr(impl_->file, object, name, type.get(), 1, &p, true);
}
void H5Writer::AttrStrings(const std::string& object, const std::string& name, const std::vector<std::string>& values) {
  Handle type(StringType(), H5Tclose);
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  WriteAttr(impl_->file, object, name, type.get(), ptrs.size(), ptrs.data(), false);
}
void H5Writer::AttrI64(const std::string& object, const std::string& name, std::int64_t value) {
  WriteAttr(impl_->file, object, name, H5T_NATIVE_INT64, 1, &value, true);
}
void H5Writer::AttrF64(const std::string& object, const std::string& name, double value) {
  WriteAttr(impl_->file, object, name, H5T_NATIVE_DOUBLE, 1, &value, true);
}

void H5Writer::Commit() {
  ThrowIfStopped(stop_);
  Check(H5Fflush(impl_->file, H5F_SCOPE_GLOBAL) >= 0, "cannot flush " + temp_path_);
  const herr_t rc = H5Fclose(impl_->file);
  impl_->file = -1;
  Check(rc >= 0, "cannot close " + temp_path_);
  ThrowIfStopped(stop_);  // the last moment a signal stops the run: after the rename it is complete
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    throw RuntimeError("cannot rename " + temp_path_ + " to " + final_path_);
  committed_ = true;
}

// ---------------------------------------------------------------------------

H5Reader::H5Reader(const std::string& path) {
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) throw RuntimeError("cannot open HDF5 file " + path);
}

H5Reader::~H5Reader() {
  if (file_ >= 0) H5Fclose(file_);
}

namespace {
herr_t CollectDataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(std::string("/") + name);
  return 0;
}
}  // namespace

std::vector<std::string> H5Reader::ListDatasets() const {
  std::vector<std::string> names;
  H5Ovisit(file_, H5_INDEX_NAME, H5_ITER_INC, CollectDataset, &names);
  std::sort(names.begin(), names.end());
  return names;
}

H5Reader::Dataset H5Reader::Read(const std::string& path) const {
  Dataset out;
  Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
  Check(ds.ok(), "no dataset " + path);
  Handle space(H5Dget_space(ds.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  out.dims.assign(dims.begin(), dims.end());
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  Handle type(H5Dget_type(ds.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) {
    out.kind = Kind::kString;
    Handle st(StringType(), H5Tclose);
    std::vector<char*> ptrs(n);
    if (n > 0) Check(H5Dread(ds.get(), st.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) >= 0, "cannot read " + path);
    for (char* p : ptrs) {
      out.strings.emplace_back(p ? p : "");
      out.raw.insert(out.raw.end(), out.strings.back().begin(), out.strings.back().end());
      out.raw.push_back(0);
    }
    if (n > 0) H5Dvlen_reclaim(st.get(), space.get(), H5P_DEFAULT, ptrs.data());
    return out;
  }
  out.kind = cls == H5T_FLOAT ? Kind::kFloat : cls == H5T_INTEGER ? Kind::kInteger : Kind::kOther;
  const std::size_t tsize = H5Tget_size(type.get());
  out.raw.resize(tsize * n);
  if (n > 0) Check(H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.raw.data()) >= 0, "cannot read " + path);
  if (out.kind != Kind::kOther) {
    out.numbers.resize(n);
    if (n > 0)
      Check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.numbers.data()) >= 0,
            "cannot read " + path);
  }
  return out;
}

bool H5Reader::HasAttr(const std::string& object, const std::string& name) const {
  return H5Aexists_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::string H5Reader::AttrString(const std::string& object, const std::string& name) const {
  Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Check(attr.ok(), "no attribute " + name + " on " + object);
  Handle st(StringType(), H5Tclose);
  char* p = nullptr;
  Check(H5Aread(attr.get(), st.get(), &p) >= 0, "cannot read attribute " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

std::vector<std::string> H5Reader::AttrStrings(const std::string& object, const std::string& name) const {
  Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Check(attr.ok(), "no attribute " + name + " on " + object);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  Handle st(StringType(), H5Tclose);
  std::vector<char*> ptrs(n > 0 ? n : 0);
  std::vector<std::string> out;
  if (n <= 0) return out;
  Check(H5Aread(attr.get(), st.get(), ptrs.data()) >= 0, "cannot read attribute " + name);
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(st.get(), space.get(), H5P_DEFAULT, ptrs.data());
  return out;
}

double H5Reader::AttrF64(const std::string& object, const std::string& name) const {
  Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Check(attr.ok(), "no attribute " + name + " on " + object);
  double v = 0;
  Check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) >= 0, "cannot read attribute " + name);
  return v;
}

std::int64_t H5Reader::AttrI64(const std::string& object, const std::string& name) const {
  Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Check(attr.ok(), "no attribute " + name + " on " + object);
  std::int64_t v = 0;
  Check(H5Aread(attr.get(), H5T_NATIVE_INT64, &v) >= 0, "cannot read attribute " + name);
  return v;
}

}  // namespace lclab::sim
