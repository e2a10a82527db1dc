// lclab report end to end: a run's report holds the health checks, every campaign's charts (the
// oracle's true effects among them) as inline SVG, with no script and nothing fetched from the
// network; bad input exits 2 naming what is missing, and leaves no file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

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
  Dir() : TempDir("report") {}
};

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportCli, ARunsReportIsSelfContainedWithEveryChart) {
  Dir d;
  const std::string config = std::string(LCLAB_SOURCE_DIR) + "/experiments/quickstart.toml";
  Command r = RunCommand("run " + config + " --set population.size=20000 --set simulation.days=60 --progress never "
                         "--oracle --report --out " + (d / "q.h5"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("report " + (d / "q.html")), std::string::npos) << r.out;
  const std::string html = Slurp(d / "q.html");
  for (const char* part : {"<h2>Health checks</h2>", "sample ratio", "<h2>Campaign welcome_email</h2>",
                           "<h3>Message funnel</h3>", "Factorial effects against their planted truth",
                           "Customers per lifecycle stage", "data-truth=", "</html>"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_GE(Count(html, "<svg "), 5);
  EXPECT_EQ(Count(html, "<svg "), Count(html, "</svg>"));
  EXPECT_EQ(Count(html, "<figure>"), Count(html, "</figure>"));
  // Offline: no script, no fetched resource; the only URL is SVG's namespace.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_EQ(Count(html, "http"), Count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_LT(html.size(), 2u << 20);
  // The report command writes the same page from the file.
  r = RunCommand("report " + (d / "q.h5") + " -o " + (d / "again.html"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Slurp(d / "again.html"), html);
}

// The largest run a config allows, 32 campaigns of three arms each with a factor, still gives a page
// of a few MB.
TEST(ReportCli, ThirtyTwoCampaignsStayUnderAFewMegabytes) {
  Dir d;
  std::string config = "[simulation]\nseed = 3\nwarmup_days = 20\ndays = 60\n[population]\nsize = 20000\n";
  for (int c = 0; c < 32; ++c)
    config += "[[campaigns]]\nname = \"c" + std::to_string(c) +
              "\"\ntrigger = \"schedule\"\nevery_days = 7\ngoal = \"repeat_purchase\"\nchannel = \"email\"\n"
              "[[campaigns.factors]]\nname = \"tone\"\nlevels = [\"plain\", { name = \"warm\", open = 0.1 }]\n";
  std::ofstream(d / "many.toml") << config;
  const Command r = RunCommand("run " + (d / "many.toml") + " --progress never -q --report --out " + (d / "many.h5"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto bytes = fs::file_size(d / "many.html");
  EXPECT_LT(bytes, 5u << 20) << bytes;
  const std::string html = Slurp(d / "many.html");
  EXPECT_EQ(Count(html, "<h2>Campaign c"), 32);
  RecordProperty("report_bytes", static_cast<int>(bytes));
}

TEST(ReportCli, BadInputExitsTwoAndWritesNothing) {
  Dir d;
  std::ofstream(d / "text.h5") << "not hdf5\n";
  {
    sim::H5Writer w(d / "old.h5");
    w.AttrString("/", "layout", "lclab-output-6");
    w.Commit();
  }
  {
    sim::H5Writer w(d / "fit.h5");
    w.AttrString("/", "layout", kOutputLayout), w.AttrString("/", "kind", "fit");
    w.Commit();
  }
  {
    sim::H5Writer w(d / "empty.h5");
    w.AttrString("/", "layout", kOutputLayout), w.AttrString("/", "kind", "run");
    w.Commit();
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"text.h5", "text.h5: cannot be opened as HDF5"},
      {"old.h5", "old.h5: layout lclab-output-6 (expected " + std::string(kOutputLayout)},
      {"fit.h5", "fit.h5: kind fit (expected a run"},
      {"empty.h5", "empty.h5: no /daily/stage_counts"},
      {"missing.h5", "missing.h5: cannot be opened as HDF5"}};
  for (const auto& [file, message] : cases) {
    const Command r = RunCommand("report " + (d / file) + " -o " + (d / "out.html"));
    EXPECT_EQ(r.code, 2) << file;
    EXPECT_NE(r.err.find(message), std::string::npos) << file << "\n" << r.err;
    EXPECT_FALSE(fs::exists(d / "out.html")) << file;
    EXPECT_FALSE(fs::exists(d / "out.html.tmp")) << file;
  }
  const Command r = RunCommand("report");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("expected one RESULTS.h5, got 0"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lclab::experiments
