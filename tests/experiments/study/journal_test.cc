// The study journal: records round-trip exactly, a record cut off by a kill is
// dropped, and a directory of another study or plan is refused.
#include "experiments/study/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

namespace fs = std::filesystem;

StudyManifest M(const std::string& study, const std::string& plan) { return {study, plan, "build", "", {}, 1, 1}; }

RunRecord Sample(const std::string& id) {
  RunRecord r;
  r.id = id, r.ok = true, r.seconds = 1.25;
  r.metrics = {0.1 + 0.2, -3.5, std::nan("")};
  r.audit.push_back({"promo", 2, "b", 1, 0.0123456789012345, -0.01, 0.03, 0.049, 1, 0.02});
  r.decisions.push_back({"promo", 2, 0, "b", 0.004});
  return r;
}

TEST(Journal, RecordsRoundTripExactly) {
  RunRecord back;
  ASSERT_TRUE(ParseRecord(FormatRecord(Sample("abc")), back));
  EXPECT_EQ(back.id, "abc");
  EXPECT_EQ(back.metrics[0], 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(back.metrics[2]));
  ASSERT_EQ(back.audit.size(), 1u);
  EXPECT_EQ(back.audit[0].estimate, 0.0123456789012345);
  EXPECT_EQ(back.audit[0].decision, 1);
  EXPECT_EQ(back.decisions[0].shipped, "b");
  RunRecord failed;
  failed.id = "x", failed.error = "out\tof\nmemory";
  ASSERT_TRUE(ParseRecord(FormatRecord(failed), back));
  EXPECT_FALSE(back.ok);
  EXPECT_EQ(back.error, "out of memory");
  EXPECT_FALSE(ParseRecord("run\tabc\tok\t1\t0\n", back));  // no end line: cut off
}

TEST(Journal, ResumeKeepsWholeRecordsAndRefusesOtherStudies) {
  const fs::path dir = fs::temp_directory_path() / ("lclab_journal_" + std::to_string(getpid()));
  fs::remove_all(dir);
  {
    Journal j(dir.string(), M("s", "plan1"), false);
    j.Append(Sample("r1"));
    j.Append(Sample("r2"));
  }
  // A kill in the middle of the third record.
  {
    std::ofstream out(dir / "journal.tsv", std::ios::app);
    const std::string third = FormatRecord(Sample("r3"));
    out << third.substr(0, third.size() / 2);
  }
  EXPECT_THROW(Journal(dir.string(), M("s", "plan1"), false), ConfigError);  // results there, no --resume
  {
    Journal j(dir.string(), M("s", "plan1"), true);
    EXPECT_EQ(j.done().size(), 2u);
    EXPECT_TRUE(j.done().count("r2"));
    j.Append(Sample("r3"));
  }
  EXPECT_EQ(Journal(dir.string(), M("s", "plan1"), true).done().size(), 3u);
  const std::string other = [&] {
    try {
      Journal(dir.string(), M("t", "plan1"), true);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  }();
  EXPECT_NE(other.find("belongs to the study \"s\""), std::string::npos) << other;
  try {
    Journal(dir.string(), M("s", "plan2"), true);
    ADD_FAILURE() << "a changed plan was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("different plan"), std::string::npos) << e.what();
  }
  // A directory that is not a study's.
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "mine";
  EXPECT_THROW(Journal(dir.string(), M("s", "plan1"), false), ConfigError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lclab::experiments
