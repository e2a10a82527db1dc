#include "experiments/analysis/stats.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
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

// The relative lift mt / mc - 1 with its interval on the log scale (q: the quantile of the lift's
// test); undefined unless both means are > 0. se: the delta-method standard error on the natural scale.
Interval LogRatio(double mt, double vt, double mc, double vc, double q) {
  if (!(mt > 0 && mc > 0)) return kUndefinedInterval;
  const double r = mt / mc, se_log = std::sqrt(vt / (mt * mt) + vc / (mc * mc));
  return {r - 1.0, r * se_log, r * std::exp(-q * se_log) - 1.0, r * std::exp(q * se_log) - 1.0};
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

Interval Clamp(Interval e, double lo, double hi) {
  e.low = std::clamp(e.low, lo, hi);
  e.high = std::clamp(e.high, lo, hi);
  return e;
}

Interval MeanEstimate(const Moments& m, double confidence, double lo, double hi) {
  const double se = m.n > 1 ? std::sqrt(m.Variance() / m.n) : kNaN;
  const double t = m.n > 1 ? StudentTQuantile(0.5 + confidence / 2, m.n - 1) : kNaN;
  return Clamp(SymmetricInterval(m.Mean(), se, t), lo, hi);
}

Interval WilsonInterval(double s, double n, double z) {
  const double p = s / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::sqrt(p * (1 - p) / n), std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval ProportionEstimate(const Moments& m, double confidence) {
  if (!(m.n > 0)) return {m.Mean(), kNaN, kNaN, kNaN};
  return WilsonInterval(m.sy, m.n, NormalQuantile(0.5 + confidence / 2));
}

double EffectiveSize(const Moments& m) {
  const double r = m.sy / m.sx, v = RatioVariance(m);
  return r > 0 && r < 1 && v > 0 ? r * (1 - r) / v : m.sx;
}

Interval RatioEstimate(const Moments& m, double confidence, bool share, double lo, double hi) {
  if (m.sx <= 0 || m.n < 2) return kUndefinedInterval;
  const double z = NormalQuantile(0.5 + confidence / 2);
  if (share) {
    const double n = EffectiveSize(m), r = m.sy / m.sx;
    Interval e = WilsonInterval(r * n, n, z);
    e.se = std::sqrt(RatioVariance(m));
    return e;
  }
  const double q = StudentTQuantile(0.5 + confidence / 2, m.n - 1);  // a mean of n linearised values
  return Clamp(SymmetricInterval(m.sy / m.sx, std::sqrt(RatioVariance(m)), q), lo, hi);
}

Interval NewcombeDifference(double pt, const Interval& wt, double pc, const Interval& wc) {
  const double d = pt - pc;
  return {d, kNaN, d - std::sqrt((pt - wt.low) * (pt - wt.low) + (wc.high - pc) * (wc.high - pc)),
          d + std::sqrt((wt.high - pt) * (wt.high - pt) + (pc - wc.low) * (pc - wc.low))};
}

// The ratio's limits are the roots r of MOVER's limits for pt - r pc set to zero:
//   lower: r^2 uc (2 pc - uc) - 2 r pt pc + lt (2 pt - lt) = 0 (the smaller root),
//   upper: r^2 lc (2 pc - lc) - 2 r pt pc + ut (2 pt - ut) = 0 (the larger root),
// the lower written as C / (B + sqrt(B^2 - A C)), which holds for either sign of A.
Interval MoverRelative(double pt, const Interval& wt, double pc, const Interval& wc) {
  if (!(pc > 0)) return kUndefinedInterval;
  const double b = pt * pc;
  const double a_lo = wc.high * (2 * pc - wc.high), c_lo = wt.low * (2 * pt - wt.low);
  const double a_hi = wc.low * (2 * pc - wc.low), c_hi = wt.high * (2 * pt - wt.high);
  const double lower = c_lo > 0 ? c_lo / (b + std::sqrt(std::max(0.0, b * b - a_lo * c_lo))) : 0.0;
  const double upper = a_hi > 0 ? (b + std::sqrt(std::max(0.0, b * b - a_hi * c_hi))) / a_hi : kInf;
  return {pt / pc - 1.0, kNaN, lower - 1.0, upper - 1.0};
}

Comparison WelchFromMeans(double mt, double vt, double nt, double mc, double vc, double nc, double confidence,
                          bool relative) {
  Comparison r;
  r.abs.estimate = mt - mc;
  r.abs.se = std::sqrt(vt + vc);
  r.df = (vt + vc) * (vt + vc) / (vt * vt / (nt - 1) + vc * vc / (nc - 1));
  r.rel = kUndefinedInterval;
  if (!(r.abs.se > 0)) {  // both arms constant: no test
    r.abs.low = r.abs.high = r.abs.estimate;
    r.statistic = r.p_value = kNaN;
    return r;
  }
  const double q = StudentTQuantile(0.5 + confidence / 2, r.df);
  r.abs = SymmetricInterval(r.abs.estimate, r.abs.se, q);
  r.statistic = r.abs.estimate / r.abs.se;
  r.p_value = 2.0 * StudentTCdf(-std::fabs(r.statistic), r.df);  // lower tail: keeps tiny p-values
  if (relative) r.rel = LogRatio(mt, vt, mc, vc, q);
  return r;
}

Comparison WelchCompare(const Moments& t, const Moments& c, double confidence, bool relative) {
  return WelchFromMeans(t.Mean(), t.Variance() / t.n, t.n, c.Mean(), c.Variance() / c.n, c.n, confidence, relative);
}

Comparison ProportionCompareCounts(double st, double nt, double sc, double nc, double confidence) {
  Comparison r;
  const double z = NormalQuantile(0.5 + confidence / 2);
  const double pt = st / nt, pc = sc / nc;
  const Interval wt = WilsonInterval(st, nt, z), wc = WilsonInterval(sc, nc, z);
  r.abs = NewcombeDifference(pt, wt, pc, wc);
  r.abs.se = std::sqrt(pt * (1 - pt) / nt + pc * (1 - pc) / nc);
  r.rel = MoverRelative(pt, wt, pc, wc);
  r.df = kInf;
  const double pooled = (st + sc) / (nt + nc);
  const double se0 = std::sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nc));
  r.statistic = se0 > 0 ? r.abs.estimate / se0 : kNaN;
  r.p_value = se0 > 0 ? 2.0 * NormalCdf(-std::fabs(r.statistic)) : kNaN;
  return r;
}

Comparison ProportionCompare(const Moments& t, const Moments& c, double confidence) {
  return ProportionCompareCounts(t.sy, t.n, c.sy, c.n, confidence);
}

Comparison RatioCompare(const Moments& t, const Moments& c, double confidence, bool share, bool relative) {
  if (t.sx <= 0 || c.sx <= 0 || t.n < 2 || c.n < 2) return {kUndefinedInterval, kUndefinedInterval, kNaN, kInf, kNaN};
  const double rt = t.sy / t.sx, rc = c.sy / c.sx;
  if (share) {
    const double nt = EffectiveSize(t), nc = EffectiveSize(c);
    return ProportionCompareCounts(rt * nt, nt, rc * nc, nc, confidence);
  }
  // Welch's test on the linearised values (y - R x) / mean(x), whose mean's variance is the delta method's.
  return WelchFromMeans(rt, RatioVariance(t), t.n, rc, RatioVariance(c), c.n, confidence, relative);
}

}  // namespace lclab::experiments
