// The report's charts draw what they are given: ticks are round and cover the data, and a bar's length
// and a marker's position, read back from the SVG's coordinates, are where the axis's own tick labels
// say the value lies (to the 0.01 px the SVG is written with).
#include "experiments/report/svg.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

namespace lclab::experiments::svg {
namespace {

// The x axis as the SVG draws it: tick label text -> x position (labels are centred on their ticks).
std::map<std::string, double> TickPositions(const std::string& s) {
  std::map<std::string, double> ticks;
  const std::regex text("<text x=\"([0-9.]+)\" y=\"[0-9.]+\" text-anchor=\"middle\" font-size=\"11.00\">([^<]+)</text>");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), text); it != std::sregex_iterator(); ++it)
    ticks[(*it)[2]] = std::stod((*it)[1]);
  return ticks;
}

// The pixel of value v on an axis whose ticks at a and b are at pixels pa and pb.
double Pixel(double v, double a, double pa, double b, double pb) { return pa + (v - a) / (b - a) * (pb - pa); }

TEST(Svg, TicksAreRoundAndCoverTheData) {
  EXPECT_EQ(NiceTicks(0, 0.237, 5), (std::vector<double>{0, 0.05, 0.1, 0.15, 0.2, 0.25}));
  const std::vector<double> t = NiceTicks(-3.2, 17.9, 6);
  EXPECT_LE(t.front(), -3.2);
  EXPECT_GE(t.back(), 17.9);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 5.0);
  EXPECT_EQ(NiceTicks(2, 2, 2), (std::vector<double>{1.5, 2, 2.5}));  // a unit span around a single value
  EXPECT_EQ(TickLabel(0.05, 0.05, true), "5%");
  EXPECT_EQ(TickLabel(0.125, 0.005, true), "12.5%");
  EXPECT_EQ(TickLabel(2000, 500, false), "2000");
  EXPECT_EQ(TickLabel(0.3, 0.1, false), "0.3");
  const LinearScale y{0, 10, 300, 100};
  EXPECT_DOUBLE_EQ(y(5), 200);
}

TEST(Svg, BarLengthsAreTheirValuesOnTheAxis) {
  const std::string s = BarChart("Open rate by arm", "open rate", {{"a", 0.20}, {"b", 0.05}, {"c", 0.12}}, true,
                                 "Each bar is an arm's open rate.");
  const auto ticks = TickPositions(s);
  ASSERT_TRUE(ticks.count("0%") && ticks.count("20%")) << s;
  const std::regex rect("<rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\" height=\"[0-9.]+\" fill=\"[^\"]+\" "
                        "data-value=\"([^\"]+)\"");
  int bars = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), rect); it != std::sregex_iterator(); ++it, ++bars) {
    const double x = std::stod((*it)[1]), w = std::stod((*it)[2]), v = std::stod((*it)[3]);
    EXPECT_NEAR(x, ticks.at("0%"), 0.011);
    EXPECT_NEAR(x + w, Pixel(v, 0, ticks.at("0%"), 0.2, ticks.at("20%")), 0.011) << v;
  }
  EXPECT_EQ(bars, 3);
  EXPECT_NE(s.find("<title>Open rate by arm</title>"), std::string::npos);
  EXPECT_NE(s.find(">open rate</text>"), std::string::npos);  // the axis label
}

TEST(Svg, ForestMarkersSitAtTheirValues) {
  ForestRow r{"variant", 0.02, -0.01, 0.05};
  r.alt_estimate = 0.021, r.alt_low = 0.0, r.alt_high = 0.04, r.truth = 0.03;
  ForestRow q{"other & <more>", -0.02, -0.04, 0.0};
  const std::string s = ForestPlot("Lift", "absolute lift", {r, q}, true, "CUPED", "Dots are estimates.");
  const auto ticks = TickPositions(s);
  ASSERT_TRUE(ticks.count("0%") && ticks.count("2%")) << s;
  const auto px = [&](double v) { return Pixel(v, 0, ticks.at("0%"), 0.02, ticks.at("2%")); };
  const std::regex circle("<circle cx=\"([0-9.]+)\" cy=\"[0-9.]+\" r=\"[0-9.]+\" fill=\"[^\"]+\" data-([a-z-]+)=\"([^\"]+)\"");
  int marks = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), circle); it != std::sregex_iterator(); ++it, ++marks)
    EXPECT_NEAR(std::stod((*it)[1]), px(std::stod((*it)[3])), 0.011) << (*it)[2];
  EXPECT_EQ(marks, 3);  // two estimates and one CUPED estimate
  const std::regex diamond("data-cx=\"([0-9.]+)\" data-truth=\"([^\"]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, diamond));
  EXPECT_NEAR(std::stod(m[1]), px(0.03), 0.011);
  EXPECT_NE(s.find("other &amp; &lt;more&gt;"), std::string::npos);  // labels are escaped
  EXPECT_NE(s.find(">true effect</text>"), std::string::npos);       // the legend names the diamond
}

// Stacked bands: the second band's top is the sum of both series, at the height the y axis's own tick
// labels put that sum (labels sit 4 px below their tick's line).
TEST(Svg, StackedBandsTopAtTheirSums) {
  const std::vector<Series> series = {{"a", {0, 1, 2}, {1, 2, 3}, {}, {}}, {"b", {0, 1, 2}, {2, 2, 2}, {}, {}}};
  const std::string s = StackedArea("Stages", "day", "customers", series, 1, "warm-up", "Bands stack.");
  std::map<std::string, double> yticks;
  const std::regex label("<text x=\"[0-9.]+\" y=\"([0-9.]+)\" text-anchor=\"end\" font-size=\"11.00\">([^<]+)</text>");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), label); it != std::sregex_iterator(); ++it)
    yticks[(*it)[2]] = std::stod((*it)[1]) - 4;
  ASSERT_TRUE(yticks.count("0") && yticks.count("5")) << s;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, std::regex("d=\"M[0-9.]+ ([0-9.]+) L[^\"]*\"[^>]*data-series=\"b\" data-last-top=\"([^\"]+)\"")));
  EXPECT_NEAR(std::stod(m[1]), Pixel(3, 0, yticks.at("0"), 5, yticks.at("5")), 0.011);  // 1 + 2 on day 0
  EXPECT_DOUBLE_EQ(std::stod(m[2]), 5.0);
  EXPECT_NE(s.find(">warm-up</text>"), std::string::npos);
  EXPECT_NE(s.find("<desc>Bands stack.</desc>"), std::string::npos);
}

}  // namespace
}  // namespace lclab::experiments::svg
