// Plain values to bytes and back, for exchanging accumulators between the
// processes of an MPI job (sim/parallel.h SliceReduce): trivially copyable
// values as their bytes, vectors as their length and then their elements.
// Both ends are the same build on the same kind of machine.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace lclab::sim {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  template <class T>
  void Put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <class T>
  void PutVector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  ByteReader(const char* begin, const char* end) : p_(begin), end_(end) {}
  template <class T>
  void Get(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Need(sizeof v);
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
  }
  template <class T>
  void GetVector(std::vector<T>& v) {
    std::uint64_t n = 0;
    Get(n);
    Need(n * sizeof(T));
    v.resize(n);
    std::memcpy(v.data(), p_, n * sizeof(T));
    p_ += n * sizeof(T);
  }
  bool done() const { return p_ == end_; }

 private:
  void Need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("truncated accumulator bytes");
  }
  const char* p_;
  const char* end_;
};

}  // namespace lclab::sim
