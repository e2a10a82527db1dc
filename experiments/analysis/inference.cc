#include "experiments/analysis/inference.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace lclab::experiments {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Cov {
  double vy, vx, cxy;
};
Cov Covariances(const Moments& m) {
  const double d = m.n - 1;
  return {(m.syy - m.sy * m.sy / m.n) / d, (m.sxx - m.sx * m.sx / m.n) / d, (m.sxy - m.sx * m.sy / m.n) / d};
}
// The adjusted mean of an arm and the variance of that mean.
std::pair<double, double> Adjusted(const Moments& m, double theta, double x_mean) {
  const Cov c = Covariances(m);
  const double v = std::max(0.0, c.vy - 2 * theta * c.cxy + theta * theta * c.vx);
  return {m.sy / m.n - theta * (m.sx / m.n - x_mean), v / m.n};
}
// Indices of the finite p-values, sorted by p.
std::vector<std::size_t> FiniteOrder(const std::vector<double>& p) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (std::isfinite(p[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return idx;
}
}  // namespace

double CupedTheta(const Moments& pooled) {
  if (pooled.n < 2) return 0.0;
  const Cov c = Covariances(pooled);
  return c.vx > 0 ? c.cxy / c.vx : 0.0;
}

Interval CupedEstimate(const Moments& m, double theta, double x_mean, double confidence) {
  const auto [mean, v] = Adjusted(m, theta, x_mean);
  return SymmetricInterval(mean, std::sqrt(v), StudentTQuantile(0.5 + confidence / 2, m.n - 1));
}

Comparison CupedCompare(const Moments& t, const Moments& c, double theta, double x_mean, double confidence,
                        bool relative) {
  const auto [mt, vt] = Adjusted(t, theta, x_mean);
  const auto [mc, vc] = Adjusted(c, theta, x_mean);
  return WelchFromMeans(mt, vt, t.n, mc, vc, c.n, confidence, relative);
}

double ChiSquareSf(double x, double df) {
  if (x <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(df), x));
}

SrmResult SampleRatioMismatch(const std::vector<double>& observed, const std::vector<double>& expected,
                              double alarm_p) {
  SrmResult r;
  int cells = 0;
  for (std::size_t k = 0; k < observed.size(); ++k) {
    if (!(expected[k] > 0)) continue;
    const double d = observed[k] - expected[k];
    r.chi2 += d * d / expected[k];
    ++cells;
  }
  r.df = cells - 1;
  r.p_value = r.df > 0 ? ChiSquareSf(r.chi2, r.df) : 1.0;
  r.alarm = r.p_value < alarm_p;
  return r;
}

std::vector<double> HolmAdjust(const std::vector<double>& p) {
  std::vector<double> out(p.size(), kNaN);
  const std::vector<std::size_t> idx = FiniteOrder(p);
  const double m = static_cast<double>(idx.size());
  double running = 0;
  for (std::size_t r = 0; r < idx.size(); ++r) {  // step down: running maximum of (m - r) p_(r)
    running = std::max(running, std::min(1.0, (m - static_cast<double>(r)) * p[idx[r]]));
    out[idx[r]] = running;
  }
  return out;
}

std::vector<double> BenjaminiHochbergAdjust(const std::vector<double>& p) {
  std::vector<double> out(p.size(), kNaN);
  const std::vector<std::size_t> idx = FiniteOrder(p);
  const double m = static_cast<double>(idx.size());
  double running = 1.0;
  for (std::size_t r = idx.size(); r-- > 0;) {  // step up: running minimum of m p_(r) / r
    running = std::min(running, m * p[idx[r]] / static_cast<double>(r + 1));
    out[idx[r]] = running;
  }
  return out;
}

double MixtureTau2(double var, double n, double n_star, double alpha) {
  const double l = -2.0 * std::log(alpha);
  return var * n * (l + std::log(l + 1.0)) / n_star;
}

SequentialLook MixtureSequentialLook(double diff, double var, double tau2, double alpha) {
  SequentialLook s;
  const double vt = var + tau2;
  // log Lambda = 1/2 log(V / (V + tau^2)) + tau^2 diff^2 / (2 V (V + tau^2)).
  const double log_lambda = 0.5 * std::log(var / vt) + tau2 * diff * diff / (2.0 * var * vt);
  s.p_value = std::min(1.0, std::exp(-log_lambda));
  const double radius = std::sqrt(2.0 * var * vt / tau2 * (std::log(1.0 / alpha) + 0.5 * std::log(vt / var)));
  s.cs = {diff, std::sqrt(var), diff - radius, diff + radius};
  return s;
}

std::vector<double> ProbabilityBest(const std::vector<double>& mean, const std::vector<double>& se,
                                    sim::Stream& rng, int draws) {
  const std::size_t k = mean.size();
  std::vector<double> wins(k, 0.0);
  for (int d = 0; d < draws; ++d) {
    std::size_t best = 0;
    double best_v = -std::numeric_limits<double>::infinity();
    for (std::size_t a = 0; a < k; ++a) {
      // Box-Muller from two open uniforms.
      const double z = std::sqrt(-2.0 * std::log(rng.UniformOpen())) * std::cos(2.0 * M_PI * rng.UniformOpen());
      const double v = mean[a] + se[a] * z;
      if (v > best_v) best_v = v, best = a;
    }
    wins[best] += 1.0;
  }
  for (double& w : wins) w /= draws;
  return wins;
}

std::vector<double> FloorShares(const std::vector<double>& p, double min_share) {
  const double free = 1.0 - min_share * static_cast<double>(p.size());
  std::vector<double> w(p.size());
  for (std::size_t k = 0; k < p.size(); ++k) w[k] = min_share + free * p[k];
  return w;
}

}  // namespace lclab::experiments
