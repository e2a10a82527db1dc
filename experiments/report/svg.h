// Charts as inline SVG, for the HTML report: a small SVG writer, linear
// scales with "nice" ticks, a colour-blind-safe palette, and the chart types
// the report draws (horizontal bars, forest plots of intervals, lines with
// bands). Every chart has a title, labelled axes with units, a caption
// (its <desc>) and, where it has several series, a legend; every mark carries its data in `data-*`
// attributes so that tests can check a bar's length or a marker's position
// against the value it draws.
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace lclab::experiments::svg {

// Maps the data domain [d0, d1] linearly onto the pixel range [r0, r1] (r1 < r0 for a y axis).
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

// Round tick values (1, 2 or 5 x 10^k apart) covering [lo, hi], at most `max_ticks` + 1 of them; the
// first is <= lo and the last >= hi. lo == hi gets a unit-wide span around it.
std::vector<double> NiceTicks(double lo, double hi, int max_ticks = 6);
// A tick's label: as many decimals as the step needs, "%" after it when `percent` (values are shares).
std::string TickLabel(double v, double step, bool percent);

// The Okabe-Ito palette (distinguishable with the common colour-vision deficiencies).
const std::array<const char*, 8>& Palette();

// Escapes &, <, >, " for text and attribute values.
std::string Escape(const std::string& text);

// An SVG document assembled element by element; coordinates in pixels.
class Document {
 public:
  Document(double width, double height, const std::string& title);
  void Rect(double x, double y, double w, double h, const std::string& fill, const std::string& data = "");
  void Line(double x1, double y1, double x2, double y2, const std::string& stroke, double width = 1,
            bool dashed = false);
  // anchor: start, middle or end.
  void Text(double x, double y, const std::string& text, const std::string& anchor = "start", double size = 12,
            bool bold = false, double rotate = 0);
  void Circle(double cx, double cy, double r, const std::string& fill, const std::string& data = "");
  void Diamond(double cx, double cy, double r, const std::string& fill, const std::string& data = "");
  // A polyline (fill "none") or a closed polygon (a band).
  void Path(const std::vector<std::pair<double, double>>& points, const std::string& stroke, const std::string& fill,
            double opacity = 1, const std::string& data = "");
  // The SVG's <desc>: what the chart shows and how to read it.
  void Description(const std::string& text);
  std::string Str() const;

 private:
  double width_, height_;
  std::string body_;
};

// --- chart types ---

struct Bar {
  std::string label;
  double value = 0;
};
// Horizontal bars from 0, one per row, labelled on the left, with the value at the bar's end.
std::string BarChart(const std::string& title, const std::string& x_label, const std::vector<Bar>& bars,
                     bool percent, const std::string& caption);

// One row of a forest plot: an estimate with its interval; optionally a second (e.g. CUPED) interval
// drawn beside it and a true value drawn as a diamond.
struct ForestRow {
  std::string label;
  double estimate = NAN, low = NAN, high = NAN;
  double alt_estimate = NAN, alt_low = NAN, alt_high = NAN;
  double truth = NAN;
};
// The dashed reference line is at `reference` (0: no effect; 0.05 for a false positive rate, say).
std::string ForestPlot(const std::string& title, const std::string& x_label, const std::vector<ForestRow>& rows,
                       bool percent, const std::string& alt_name, const std::string& caption, double reference = 0);

// Each row's values as dots along x (replications of a study, say), with the row's mean as a bar.
struct StripRow {
  std::string label;
  std::vector<double> values;
};
std::string Strip(const std::string& title, const std::string& x_label, const std::vector<StripRow>& rows,
                  bool percent, const std::string& caption);

// Lines over x with an optional band (low, high) per series; vertical markers at given x.
struct Series {
  std::string name;
  std::vector<double> x, y, low, high;  // low and high empty: no band
};
struct Marker {
  double x = 0;
  std::string label;
};
std::string LineChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, const std::vector<Marker>& markers, bool percent,
                      const std::string& caption);

// Series stacked on each other over a shared x (customers per stage, say): each band's top is the sum
// of the series up to it. x from 0 to `shade_until` is shaded and labelled `shade_label` (the warm-up).
// REQUIRES: every series has the same x as the first.
std::string StackedArea(const std::string& title, const std::string& x_label, const std::string& y_label,
                        const std::vector<Series>& series, double shade_until, const std::string& shade_label,
                        const std::string& caption);

}  // namespace lclab::experiments::svg
