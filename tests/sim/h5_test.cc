#include "sim/h5.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sim/error.h"

namespace lclab::sim {
namespace {

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("lclab_h5_") + std::to_string(getpid()) + "_" + name))
      .string();
}

TEST(H5, WritesAndReadsBack) {
  const std::string path = TempPath("roundtrip.h5");
  {
    H5Writer w(path);
    EXPECT_TRUE(std::filesystem::exists(w.temp_path()));
    EXPECT_FALSE(std::filesystem::exists(path));
    w.CreateGroup("/g");
    w.WriteF64("/g/x", {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, {2, 3});
    w.WriteI64("/g/n", {1, -2, 3});
    w.WriteStrings("/g/s", {"alpha", "", "gamma"});
    w.AttrString("/", "config", "a = 1\n");
    w.AttrI64("/", "seed", 42);
    w.AttrF64("/g", "confidence", 0.95);
    w.AttrStrings("/g", "columns", {"x", "n", "s"});
    w.Commit();
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  H5Reader r(path);
  EXPECT_EQ(r.ListDatasets(), (std::vector<std::string>{"/g/n", "/g/s", "/g/x"}));
  const auto x = r.Read("/g/x");
  EXPECT_EQ(x.dims, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(x.numbers, (std::vector<double>{1.5, 2.5, 3.5, 4.5, 5.5, 6.5}));
  EXPECT_EQ(r.Read("/g/n").numbers, (std::vector<double>{1, -2, 3}));
  EXPECT_EQ(r.Read("/g/s").strings, (std::vector<std::string>{"alpha", "", "gamma"}));
  EXPECT_EQ(r.AttrString("/", "config"), "a = 1\n");
  EXPECT_EQ(r.AttrI64("/", "seed"), 42);
  EXPECT_EQ(r.AttrF64("/g", "confidence"), 0.95);
  EXPECT_EQ(r.AttrStrings("/g", "columns"), (std::vector<std::string>{"x", "n", "s"}));
  EXPECT_TRUE(r.HasAttr("/g", "columns"));
  EXPECT_FALSE(r.HasAttr("/g", "rows"));
  std::filesystem::remove(path);
}

TEST(H5, UncommittedWriterLeavesNothing) {
  const std::string path = TempPath("abandoned.h5");
  std::string temp;
  try {
    H5Writer w(path);
    temp = w.temp_path();
    w.WriteF64("/x", {1, 2, 3});
    throw std::runtime_error("failure mid-write");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(temp));
}

// A signal's flag stops the writer at its next step, before the rename too: nothing is left.
TEST(H5, StopFlagAbandonsTheFile) {
  for (int step = 0; step < 3; ++step) {
    const std::string path = TempPath("stopped.h5");
    StopFlag stop{0};
    std::string temp;
    int signal = 0;
    try {
      H5Writer w(path, &stop);
      temp = w.temp_path();
      w.WriteF64("/x", {1, 2, 3});
      if (step == 0) stop = 15;
      w.CreateGroup("/g");
      if (step == 1) stop = 1;
      w.AttrI64("/", "seed", 1);
      if (step == 2) stop = 2;
      w.Commit();
    } catch (const Interrupted& e) {
      signal = e.signal();
    }
    EXPECT_EQ(signal, step == 0 ? 15 : step == 1 ? 1 : 2);
    EXPECT_FALSE(std::filesystem::exists(path)) << step;
    EXPECT_FALSE(std::filesystem::exists(temp)) << step;
  }
}

TEST(H5, UnwritableDirectoryIsARuntimeError) {
  EXPECT_THROW(H5Writer("/nonexistent-dir-lclab/x.h5"), RuntimeError);
}

TEST(H5, DimsMustMatchData) {
  const std::string path = TempPath("dims.h5");
  H5Writer w(path);
  EXPECT_THROW(w.WriteF64("/x", {1, 2, 3}, {2, 2}), RuntimeError);
}

}  // namespace
}  // namespace lclab::sim
