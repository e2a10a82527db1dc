#include "experiments/report/svg.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace lclab::experiments::svg {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string DataNum(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The frame every chart shares: a title at the top, the plot area, an x axis with ticks and its label,
// and a caption under it.
struct Frame {
  double width = 640, left = 170, right = 40, top = 40, plot_height = 0;
  double PlotLeft() const { return left; }
  double PlotRight() const { return width - right; }
  double PlotTop() const { return top; }
  double PlotBottom() const { return top + plot_height; }
  double Height() const { return PlotBottom() + 48; }
};

// A frame whose left margin fits the longest row label (about 6.2 px a character at 11 px), the plot
// keeping its width.
template <class Rows, class Label>
Frame FrameForLabels(const Rows& rows, Label label) {
  std::size_t longest = 0;
  for (const auto& r : rows) longest = std::max(longest, std::min<std::size_t>(label(r).size(), 52));
  Frame f;
  f.left = std::clamp(16 + 6.2 * static_cast<double>(longest), 120.0, 340.0);
  f.width = 640 + f.left - 170;
  return f;
}

// Ticks, grid lines and labels of a horizontal value axis; returns the scale.
LinearScale XAxis(Document& doc, const Frame& f, double lo, double hi, bool percent, const std::string& label) {
  const std::vector<double> ticks = NiceTicks(lo, hi);
  const LinearScale x{ticks.front(), ticks.back(), f.PlotLeft(), f.PlotRight()};
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    doc.Line(x(t), f.PlotTop(), x(t), f.PlotBottom(), "#dddddd");
    doc.Text(x(t), f.PlotBottom() + 16, TickLabel(t, step, percent), "middle", 11);
  }
  doc.Line(f.PlotLeft(), f.PlotBottom(), f.PlotRight(), f.PlotBottom(), "#444444");
  doc.Text((f.PlotLeft() + f.PlotRight()) / 2, f.PlotBottom() + 36, label, "middle", 12);
  return x;
}

// How to read the chart: the SVG's description (the HTML report shows it under the chart, where it
// can wrap).
void Caption(Document& doc, const std::string& caption) { doc.Description(caption); }

// A row label that fits the left margin: long ones lose their middle.
std::string Fit(const std::string& label, std::size_t max = 52) {
  if (label.size() <= max) return label;
  return label.substr(0, max / 2 - 1) + "..." + label.substr(label.size() - (max - max / 2 - 2));
}

std::string DataAttr(const std::string& name, double v) { return " data-" + name + "=\"" + DataNum(v) + "\""; }

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int max_ticks) {
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  const double raw = (hi - lo) / std::max(1, max_ticks);
  int e = static_cast<int>(std::floor(std::log10(raw)));
  double m = 10;  // the step is m x 10^e, m in {1, 2, 5}
  for (double c : {1.0, 2.0, 5.0, 10.0})
    if (c * std::pow(10.0, e) >= raw) {
      m = c;
      break;
    }
  if (m == 10) m = 1, ++e;
  // Tick i is i m 10^e, computed as one product or quotient of integers so that 0.15 is the double
  // nearest 0.15, not 3 x 0.05.
  const double scale = std::pow(10.0, std::abs(e));
  const auto tick = [&](long long i) { return e >= 0 ? static_cast<double>(i) * m * scale : static_cast<double>(i) * m / scale; };
  const double step = tick(1);
  std::vector<double> ticks;
  for (long long i = static_cast<long long>(std::floor(lo / step + 1e-9)); ticks.empty() || ticks.back() < hi - step * 1e-9; ++i)
    ticks.push_back(tick(i));
  if (ticks.size() < 2) ticks.push_back(tick(static_cast<long long>(std::llround(ticks.back() / step)) + 1));
  return ticks;
}

std::string TickLabel(double v, double step, bool percent) {
  const double shown = percent ? 100 * v : v, shown_step = percent ? 100 * step : step;
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(shown_step) - 1e-9)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, shown, percent ? "%" : "");
  return buf;
}

const std::array<const char*, 8>& Palette() {
  static const std::array<const char*, 8> p = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                               "#56B4E9", "#D55E00", "#F0E442", "#000000"};
  return p;
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Document::Document(double width, double height, const std::string& title) : width_(width), height_(height) {
  body_ += "<title>" + Escape(title) + "</title>\n";
  Text(10, 22, title, "start", 14, true);
}

void Document::Rect(double x, double y, double w, double h, const std::string& fill, const std::string& data) {
  body_ += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) + "\" height=\"" + Num(h) +
           "\" fill=\"" + fill + "\"" + data + "/>\n";
}

void Document::Line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
                    bool dashed) {
  body_ += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) +
           "\" stroke=\"" + stroke + "\" stroke-width=\"" + Num(width) + "\"" +
           (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>\n";
}

void Document::Text(double x, double y, const std::string& text, const std::string& anchor, double size, bool bold,
                    double rotate) {
  body_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + Num(size) +
           "\"" + (bold ? " font-weight=\"bold\"" : "") +
           (rotate != 0 ? " transform=\"rotate(" + Num(rotate) + " " + Num(x) + " " + Num(y) + ")\"" : "") + ">" +
           Escape(text) + "</text>\n";
}

void Document::Circle(double cx, double cy, double r, const std::string& fill, const std::string& data) {
  body_ += "<circle cx=\"" + Num(cx) + "\" cy=\"" + Num(cy) + "\" r=\"" + Num(r) + "\" fill=\"" + fill + "\"" + data +
           "/>\n";
}

void Document::Diamond(double cx, double cy, double r, const std::string& fill, const std::string& data) {
  Path({{cx, cy - r}, {cx + r, cy}, {cx, cy + r}, {cx - r, cy}, {cx, cy - r}}, "none", fill, 1,
       " data-cx=\"" + Num(cx) + "\"" + data);
}

void Document::Path(const std::vector<std::pair<double, double>>& points, const std::string& stroke,
                    const std::string& fill, double opacity, const std::string& data) {
  if (points.empty()) return;
  std::string d;
  for (std::size_t i = 0; i < points.size(); ++i)
    d += (i ? " L" : "M") + Num(points[i].first) + " " + Num(points[i].second);
  if (fill != "none") d += " Z";
  body_ += "<path d=\"" + d + "\" stroke=\"" + stroke + "\" fill=\"" + fill + "\" fill-opacity=\"" + Num(opacity) +
           "\" stroke-width=\"2\"" + data + "/>\n";
}

void Document::Description(const std::string& text) { body_ = "<desc>" + Escape(text) + "</desc>\n" + body_; }

std::string Document::Str() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(width_) + "\" height=\"" + Num(height_) +
         "\" viewBox=\"0 0 " + Num(width_) + " " + Num(height_) + "\" font-family=\"sans-serif\" role=\"img\">\n" +
         body_ + "</svg>\n";
}

std::string BarChart(const std::string& title, const std::string& x_label, const std::vector<Bar>& bars,
                     bool percent, const std::string& caption) {
  Frame f = FrameForLabels(bars, [](const Bar& b) { return b.label; });
  f.plot_height = 24.0 * static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  Document doc(f.width, f.Height(), title);
  double lo = 0, hi = 0;
  for (const Bar& b : bars) lo = std::min(lo, b.value), hi = std::max(hi, b.value);
  const LinearScale x = XAxis(doc, f, lo, hi, percent, x_label);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = f.PlotTop() + 24.0 * static_cast<double>(i), v = bars[i].value;
    const double x0 = x(std::min(0.0, v)), x1 = x(std::max(0.0, v));
    doc.Rect(x0, y + 4, x1 - x0, 16, Palette()[0], DataAttr("value", v) + DataAttr("zero", x(0)));
    doc.Text(f.PlotLeft() - 8, y + 16, Fit(bars[i].label), "end", 11);
    doc.Text(x1 + 4, y + 16, TickLabel(v, percent ? 0.0001 : 0.01, percent), "start", 10);
  }
  Caption(doc, caption);
  return doc.Str();
}

std::string ForestPlot(const std::string& title, const std::string& x_label, const std::vector<ForestRow>& rows,
                       bool percent, const std::string& alt_name, const std::string& caption, double reference) {
  Frame f = FrameForLabels(rows, [](const ForestRow& r) { return r.label; });
  f.top = 76;  // the legend's three lines sit between the title and the plot
  f.plot_height = 30.0 * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 20;
  Document doc(f.width, f.Height(), title);
  double lo = reference, hi = reference;  // the reference line always shows
  for (const ForestRow& r : rows)
    for (double v : {r.low, r.high, r.alt_low, r.alt_high, r.truth, r.estimate})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  const LinearScale x = XAxis(doc, f, lo, hi, percent, x_label);
  doc.Line(x(reference), f.PlotTop(), x(reference), f.PlotBottom(), "#444444", 1, true);
  bool any_alt = false, any_truth = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ForestRow& r = rows[i];
    const double y = f.PlotTop() + 30.0 * static_cast<double>(i) + 14;
    doc.Text(f.PlotLeft() - 8, y + 4, Fit(r.label), "end", 11);
    if (std::isfinite(r.low) && std::isfinite(r.high)) doc.Line(x(r.low), y, x(r.high), y, Palette()[0], 2);
    if (std::isfinite(r.estimate)) doc.Circle(x(r.estimate), y, 4, Palette()[0], DataAttr("estimate", r.estimate));
    if (std::isfinite(r.alt_low) && std::isfinite(r.alt_high)) {
      any_alt = true;
      doc.Line(x(r.alt_low), y + 8, x(r.alt_high), y + 8, Palette()[1], 2);
      if (std::isfinite(r.alt_estimate))
        doc.Circle(x(r.alt_estimate), y + 8, 3, Palette()[1], DataAttr("alt-estimate", r.alt_estimate));
    }
    if (std::isfinite(r.truth)) {
      any_truth = true;
      doc.Diamond(x(r.truth), y, 5, Palette()[5], DataAttr("truth", r.truth));
    }
  }
  // Legend, top right.
  double lx = f.PlotRight() - 150;
  doc.Circle(lx, 30, 4, Palette()[0]);
  doc.Text(lx + 8, 34, "estimate, 95% CI", "start", 10);
  if (any_alt) doc.Circle(lx, 44, 3, Palette()[1]), doc.Text(lx + 8, 48, alt_name, "start", 10);
  if (any_truth) doc.Diamond(lx, any_alt ? 58 : 44, 5, Palette()[5]), doc.Text(lx + 8, any_alt ? 62 : 48, "true effect", "start", 10);
  Caption(doc, caption);
  return doc.Str();
}

std::string Strip(const std::string& title, const std::string& x_label, const std::vector<StripRow>& rows,
                  bool percent, const std::string& caption) {
  Frame f = FrameForLabels(rows, [](const StripRow& r) { return r.label; });
  f.plot_height = 24.0 * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 10;
  Document doc(f.width, f.Height(), title);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const StripRow& r : rows)
    for (double v : r.values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const LinearScale x = XAxis(doc, f, lo, hi, percent, x_label);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = f.PlotTop() + 24.0 * static_cast<double>(i) + 14;
    doc.Text(f.PlotLeft() - 8, y + 4, Fit(rows[i].label), "end", 11);
    double sum = 0, n = 0;
    for (double v : rows[i].values) {
      if (!std::isfinite(v)) continue;
      doc.Circle(x(v), y, 3, Palette()[0], DataAttr("value", v) + " fill-opacity=\"0.45\"");
      sum += v, n += 1;
    }
    if (n > 0) doc.Line(x(sum / n), y - 8, x(sum / n), y + 8, Palette()[5], 2);
  }
  Caption(doc, caption);
  return doc.Str();
}

std::string LineChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, const std::vector<Marker>& markers, bool percent,
                      const std::string& caption) {
  Frame f;
  f.left = 70, f.plot_height = 220;
  Document doc(f.width, f.Height(), title);
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const Series& s : series)
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xlo = std::min(xlo, s.x[i]), xhi = std::max(xhi, s.x[i]);
      for (double v : {s.y[i], s.low.empty() ? s.y[i] : s.low[i], s.high.empty() ? s.y[i] : s.high[i]})
        if (std::isfinite(v)) ylo = std::min(ylo, v), yhi = std::max(yhi, v);
    }
  if (!std::isfinite(xlo)) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  const LinearScale x = XAxis(doc, f, xlo, xhi, false, x_label);
  // From 0 when the data are positive and 0 is not far below them; otherwise the data's own range.
  const std::vector<double> yt = NiceTicks(ylo >= 0 && ylo < 0.5 * yhi ? 0.0 : ylo, yhi);
  const LinearScale y{yt.front(), yt.back(), f.PlotBottom(), f.PlotTop()};
  for (double t : yt) {
    doc.Line(f.PlotLeft(), y(t), f.PlotRight(), y(t), "#eeeeee");
    doc.Text(f.PlotLeft() - 6, y(t) + 4, TickLabel(t, yt[1] - yt[0], percent), "end", 11);
  }
  doc.Text(16, (f.PlotTop() + f.PlotBottom()) / 2, y_label, "middle", 12, false, -90);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = series[k];
    const char* colour = Palette()[k % Palette().size()];
    if (!s.low.empty()) {
      std::vector<std::pair<double, double>> band;
      for (std::size_t i = 0; i < s.x.size(); ++i)
        if (std::isfinite(s.low[i])) band.push_back({x(s.x[i]), y(s.low[i])});
      for (std::size_t i = s.x.size(); i-- > 0;)
        if (std::isfinite(s.high[i])) band.push_back({x(s.x[i]), y(s.high[i])});
      doc.Path(band, "none", colour, 0.2);
    }
    std::vector<std::pair<double, double>> line;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.y[i])) line.push_back({x(s.x[i]), y(s.y[i])});
    doc.Path(line, colour, "none", 1, " data-series=\"" + Escape(s.name) + "\"");
    doc.Line(f.PlotRight() - 150, 30 + 14.0 * static_cast<double>(k), f.PlotRight() - 134,
             30 + 14.0 * static_cast<double>(k), colour, 3);
    doc.Text(f.PlotRight() - 130, 34 + 14.0 * static_cast<double>(k), s.name, "start", 10);
  }
  for (const Marker& m : markers) {
    doc.Line(x(m.x), f.PlotTop(), x(m.x), f.PlotBottom(), "#444444", 1, true);
    doc.Text(x(m.x) + 3, f.PlotTop() + 12, m.label, "start", 10);
  }
  Caption(doc, caption);
  return doc.Str();
}

std::string StackedArea(const std::string& title, const std::string& x_label, const std::string& y_label,
                        const std::vector<Series>& series, double shade_until, const std::string& shade_label,
                        const std::string& caption) {
  Frame f;
  f.left = 70, f.plot_height = 220;
  Document doc(f.width, f.Height(), title);
  const std::vector<double> xs = series.empty() ? std::vector<double>{0, 1} : series[0].x;
  std::vector<double> top(xs.size(), 0.0);
  for (const Series& s : series)
    for (std::size_t i = 0; i < xs.size(); ++i) top[i] += std::isfinite(s.y[i]) ? s.y[i] : 0.0;
  const LinearScale x = XAxis(doc, f, xs.front(), xs.back(), false, x_label);
  const std::vector<double> yt = NiceTicks(0, *std::max_element(top.begin(), top.end()));
  const LinearScale y{yt.front(), yt.back(), f.PlotBottom(), f.PlotTop()};
  for (double t : yt) doc.Text(f.PlotLeft() - 6, y(t) + 4, TickLabel(t, yt[1] - yt[0], false), "end", 11);
  doc.Text(16, (f.PlotTop() + f.PlotBottom()) / 2, y_label, "middle", 12, false, -90);
  std::vector<double> below(xs.size(), 0.0);
  for (std::size_t k = 0; k < series.size(); ++k) {
    std::vector<std::pair<double, double>> band;
    std::vector<double> above = below;
    for (std::size_t i = 0; i < xs.size(); ++i) above[i] += std::isfinite(series[k].y[i]) ? series[k].y[i] : 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i) band.push_back({x(xs[i]), y(above[i])});
    for (std::size_t i = xs.size(); i-- > 0;) band.push_back({x(xs[i]), y(below[i])});
    const char* colour = Palette()[k % Palette().size()];
    doc.Path(band, "none", colour, 0.85, " data-series=\"" + Escape(series[k].name) + "\"" +
                                             DataAttr("last-top", above.back()));
    doc.Rect(f.PlotRight() - 150, 26 + 13.0 * static_cast<double>(k), 10, 10, colour);
    doc.Text(f.PlotRight() - 136, 35 + 13.0 * static_cast<double>(k), series[k].name, "start", 10);
    below = above;
  }
  if (shade_until > xs.front()) {
    doc.Rect(x(xs.front()), f.PlotTop(), x(shade_until) - x(xs.front()), f.PlotBottom() - f.PlotTop(), "#ffffff",
             " fill-opacity=\"0.45\"");
    doc.Line(x(shade_until), f.PlotTop(), x(shade_until), f.PlotBottom(), "#444444", 1, true);
    doc.Text(x(xs.front()) + 4, f.PlotTop() + 12, shade_label, "start", 10);
  }
  Caption(doc, caption);
  return doc.Str();
}

}  // namespace lclab::experiments::svg
