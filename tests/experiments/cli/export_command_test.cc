// lclab export end to end: a hand-made file of this layout exported to exactly the expected CSV
// (a table with its columns; arrays sharing axes in one long file with labelled axes); an earlier
// export replaced; bad input exits 2 naming what is missing, and writes nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "experiments/report/hdf5_report.h"
#include "sim/h5.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;
using lclab::testing::Command;
using lclab::testing::RunCommand;
using lclab::testing::Slurp;

struct Dir : lclab::testing::TempDir {
  Dir() : TempDir("export") {}
};

// A table /arms (name, sends, rate) and two [day, group] arrays with the groups' names.
void WriteSample(const std::string& path, const std::string& layout) {
  sim::H5Writer w(path);
  if (!layout.empty()) w.AttrString("/", "layout", layout);
  w.CreateGroup("/arms");
  w.WriteStrings("/arms/name", {"holdout", "a, \"quoted\""});
  w.WriteI64("/arms/sends", {0, 12});
  w.WriteF64("/arms/rate", {0.25, std::nan("")});
  w.AttrStrings("/arms", "columns", {"name", "sends", "rate"});
  w.CreateGroup("/daily");
  w.WriteStrings("/daily/group_names", {"programme", "global_control"});
  w.WriteI64("/daily/visits", {1, 2, 3, 4}, {2, 2});
  w.WriteF64("/daily/revenue", {0.5, 1.5, 2.5, 3.5}, {2, 2});
  for (const char* ds : {"/daily/visits", "/daily/revenue"}) w.AttrStrings(ds, "dims", {"day", "group"});
  w.Commit();
}

TEST(ExportCli, TablesAndArraysBecomeTidyCsv) {
  Dir d;
  WriteSample(d / "x.h5", kOutputLayout);
  Command r = RunCommand("export " + (d / "x.h5") + " --csv " + (d / "csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote 2 CSV files"), std::string::npos) << r.out;
  EXPECT_EQ(Slurp(d / "csv/arms.csv"), "name,sends,rate\nholdout,0,0.25\n\"a, \"\"quoted\"\"\",12,NaN\n");
  EXPECT_EQ(Slurp(d / "csv/daily.by_day_group.csv"),
            "day,group,revenue,visits\n0,programme,0.5,1\n0,global_control,1.5,2\n1,programme,2.5,3\n"
            "1,global_control,3.5,4\n");
  // Again into the same folder: the earlier export is replaced, and nothing is left beside it.
  r = RunCommand("export " + (d / "x.h5") + " --csv " + (d / "csv") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(d.p)) entries += e.path().filename() != "x.h5";
  EXPECT_EQ(entries, 1);
}

TEST(ExportCli, BadInputExitsTwoAndWritesNothing) {
  Dir d;
  std::ofstream(d / "text.h5") << "not hdf5\n";
  WriteSample(d / "nolayout.h5", "");
  WriteSample(d / "old.h5", "lclab-output-6");
  WriteSample(d / "ok.h5", kOutputLayout);
  fs::create_directories(d / "taken");
  std::ofstream(d / "taken/mine.txt") << "keep me\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"export " + (d / "text.h5") + " --csv " + (d / "out"), "text.h5: cannot be opened as HDF5"},
      {"export " + (d / "nolayout.h5") + " --csv " + (d / "out"), "nolayout.h5: no layout attribute"},
      {"export " + (d / "old.h5") + " --csv " + (d / "out"), "old.h5: layout lclab-output-6 (expected " +
                                                                std::string(kOutputLayout)},
      {"export " + (d / "ok.h5") + " --csv " + (d / "taken"), "exists and is not a folder lclab export wrote"},
      {"export " + (d / "ok.h5"), "missing --csv DIR"},
      {"export --csv " + (d / "out"), "expected one RESULTS.h5, got 0"}};
  for (const auto& [args, message] : cases) {
    const Command r = RunCommand(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(d / "out")) << args;
  }
  EXPECT_EQ(Slurp(d / "taken/mine.txt"), "keep me\n");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(d.p)) entries += e.path().filename().string().find("partial") != std::string::npos;
  EXPECT_EQ(entries, 0);
}

}  // namespace
}  // namespace lclab::experiments
