#include "experiments/analysis/stats.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace lclab::experiments {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Variance of the ratio estimate sum(y)/sum(x) by the delta method.
double RatioVariance(const Moments& m) {
  const double mx = m.sx / m.n, my = m.sy / m.n, r = my / mx;
  const double vx = (m.sxx - m.n * mx * mx) / (m.n - 1);
  const double vy = (m.syy - m.n * my * my) / (m.n - 1);
  const double cxy = (m.sxy - m.n * mx * my) / (m.n - 1);
  return std::max(0.0, (vy - 2 * r * cxy + r * r * vx) / (m.n * mx * mx));
}

// Fills the relative-lift fields from means and their sampling variances.
void RelativeLift(Comparison& c, double mt, double vt, double mc, double vc, double z) {
  if (mc == 0) {
    c.rel = kUndefinedInterval;
    return;
  }
  c.rel = SymmetricInterval(mt / mc - 1.0, std::sqrt(vc * mt * mt / (mc * mc * mc * mc) + vt / (mc * mc)), z);
}
}  // namespace

double Moments::Variance() const { return n > 1 ? std::max(0.0, (syy - sy * sy / n) / (n - 1)) : 0.0; }

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double NormalQuantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

double StudentTCdf(double t, double df) {
  if (!std::isfinite(df) || df > 1e7) return NormalCdf(t);
  return boost::math::cdf(boost::math::students_t_distribution<double>(df), t);
}

double StudentTQuantile(double p, double df) {
  if (!std::isfinite(df) || df > 1e7) return NormalQuantile(p);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

Interval MeanEstimate(const Moments& m, double confidence) {
  const double se = m.n > 1 ? std::sqrt(m.Variance() / m.n) : kNaN;
  const double t = m.n > 1 ? StudentTQuantile(0.5 + confidence / 2, m.n - 1) : kNaN;
  return SymmetricInterval(m.Mean(), se, t);
}

Interval ProportionEstimate(const Moments& m, double confidence) {
  const double p = m.Mean();
  const double se = m.n > 0 ? std::sqrt(p * (1 - p) / m.n) : kNaN;
  return SymmetricInterval(p, se, NormalQuantile(0.5 + confidence / 2));
}

Interval RatioEstimate(const Moments& m, double confidence) {
  if (m.sx <= 0 || m.n < 2) return kUndefinedInterval;
  return SymmetricInterval(m.sy / m.sx, std::sqrt(RatioVariance(m)), NormalQuantile(0.5 + confidence / 2));
}

Comparison WelchFromMeans(double mt, double vt, double nt, double mc, double vc, double nc, double confidence) {
  Comparison r;
  r.abs.estimate = mt - mc;
  r.abs.se = std::sqrt(vt + vc);
  r.df = (vt + vc) * (vt + vc) / (vt * vt / (nt - 1) + vc * vc / (nc - 1));
  if (!(r.abs.se > 0)) {
    r.abs.low = r.abs.high = r.abs.estimate;
    r.statistic = kNaN;
    r.p_value = r.abs.estimate == 0 ? 1.0 : 0.0;
    RelativeLift(r, mt, vt, mc, vc, 0);
    return r;
  }
  const double q = StudentTQuantile(0.5 + confidence / 2, r.df);
  r.abs = SymmetricInterval(r.abs.estimate, r.abs.se, q);
  r.statistic = r.abs.estimate / r.abs.se;
  r.p_value = 2.0 * StudentTCdf(-std::fabs(r.statistic), r.df);  // lower tail: keeps tiny p-values
  RelativeLift(r, mt, vt, mc, vc, q);
  return r;
}

Comparison WelchCompare(const Moments& t, const Moments& c, double confidence) {
  return WelchFromMeans(t.Mean(), t.Variance() / t.n, t.n, c.Mean(), c.Variance() / c.n, c.n, confidence);
}

Comparison ProportionCompare(const Moments& t, const Moments& c, double confidence) {
  Comparison r;
  const double pt = t.Mean(), pc = c.Mean();
  const double vt = pt * (1 - pt) / t.n, vc = pc * (1 - pc) / c.n;
  const double z = NormalQuantile(0.5 + confidence / 2);
  r.abs = SymmetricInterval(pt - pc, std::sqrt(vt + vc), z);
  r.df = kInf;
  const double pooled = (t.sy + c.sy) / (t.n + c.n);
  const double se0 = std::sqrt(pooled * (1 - pooled) * (1 / t.n + 1 / c.n));
  if (se0 > 0) {
    r.statistic = r.abs.estimate / se0;
    r.p_value = 2.0 * NormalCdf(-std::fabs(r.statistic));
  } else {
    r.statistic = kNaN;
    r.p_value = 1.0;
  }
  RelativeLift(r, pt, vt, pc, vc, z);
  return r;
}

Comparison RatioCompare(const Moments& t, const Moments& c, double confidence) {
  Comparison r;
  if (t.sx <= 0 || c.sx <= 0 || t.n < 2 || c.n < 2) return {kUndefinedInterval, kUndefinedInterval, kNaN, kInf, kNaN};
  const double rt = t.sy / t.sx, rc = c.sy / c.sx;
  const double vt = RatioVariance(t), vc = RatioVariance(c);
  const double z = NormalQuantile(0.5 + confidence / 2);
  r.abs = SymmetricInterval(rt - rc, std::sqrt(vt + vc), z);
  r.df = kInf;
  r.statistic = r.abs.se > 0 ? r.abs.estimate / r.abs.se : kNaN;
  r.p_value = r.abs.se > 0 ? 2.0 * NormalCdf(-std::fabs(r.statistic)) : 1.0;
  RelativeLift(r, rt, vt, rc, vc, z);
  return r;
}

}  // namespace lclab::experiments
