#include "experiments/analysis/factorial.h"

#include <cmath>
#include <limits>

namespace lclab::experiments {
namespace {

using Matrix = std::vector<double>;  // row-major, n x n

// Inverts a symmetric positive definite matrix in place (Gauss-Jordan with
// partial pivoting). Returns false if it is singular.
bool Invert(Matrix& a, int n) {
  Matrix inv(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) inv[i * n + i] = 1.0;
  double scale = 0;
  for (double v : a) scale = std::max(scale, std::fabs(v));
  for (int c = 0; c < n; ++c) {
    int pivot = c;
    for (int r = c + 1; r < n; ++r)
      if (std::fabs(a[r * n + c]) > std::fabs(a[pivot * n + c])) pivot = r;
    if (std::fabs(a[pivot * n + c]) <= 1e-12 * scale) return false;
    if (pivot != c)
      for (int k = 0; k < n; ++k) std::swap(a[c * n + k], a[pivot * n + k]), std::swap(inv[c * n + k], inv[pivot * n + k]);
    const double d = a[c * n + c];
    for (int k = 0; k < n; ++k) a[c * n + k] /= d, inv[c * n + k] /= d;
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r * n + c];
      if (f == 0) continue;
      for (int k = 0; k < n; ++k) a[r * n + k] -= f * a[c * n + k], inv[r * n + k] -= f * inv[c * n + k];
    }
  }
  a = std::move(inv);
  return true;
}

// B M B for symmetric B and M.
Matrix Sandwich(const Matrix& b, const Matrix& m, int n) {
  Matrix bm(static_cast<std::size_t>(n) * n, 0.0), out(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j) bm[i * n + j] += b[i * n + k] * m[k * n + j];
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j) out[i * n + j] += bm[i * n + k] * b[k * n + j];
  return out;
}

FactorialFit Finish(const FactorialModel& model, const std::vector<double>& beta, const Matrix& cov, double confidence) {
  FactorialFit fit;
  const int p = static_cast<int>(beta.size());
  const double z = NormalQuantile(0.5 + confidence / 2);
  fit.ok = true;
  fit.intercept = beta[0];
  for (int j = 1; j < p; ++j) {
    TermEstimate t;
    const Interval& e = t.effect = SymmetricInterval(beta[j], std::sqrt(std::max(0.0, cov[j * p + j])), z);
    t.p_value = e.se > 0 ? 2 * NormalCdf(-std::fabs(e.estimate / e.se)) : std::numeric_limits<double>::quiet_NaN();
    t.truth = std::numeric_limits<double>::quiet_NaN();
    fit.terms.push_back(t);
  }
  (void)model;
  return fit;
}

}  // namespace

FactorialModel BuildFactorialModel(const std::vector<std::vector<int>>& variants,
                                   const std::vector<std::string>& factor_names,
                                   const std::vector<std::vector<std::string>>& level_names) {
  FactorialModel m;
  const std::size_t nv = variants.size(), nf = factor_names.size();
  std::vector<FactorialTerm> candidates;
  for (std::size_t f = 0; f < nf; ++f)
    for (std::size_t l = 1; l < level_names[f].size(); ++l)
      candidates.push_back({factor_names[f] + "=" + level_names[f][l], static_cast<int>(f), static_cast<int>(l)});
  const std::size_t mains = candidates.size();
  for (std::size_t a = 0; a < mains; ++a)
    for (std::size_t b = a + 1; b < mains; ++b)
      if (candidates[a].factor_a != candidates[b].factor_a)
        candidates.push_back({candidates[a].name + " x " + candidates[b].name, candidates[a].factor_a,
                              candidates[a].level_a, candidates[b].factor_a, candidates[b].level_a});
  auto value = [&](const FactorialTerm& t, std::size_t v) {
    double x = variants[v][t.factor_a] == t.level_a ? 1.0 : 0.0;
    if (t.factor_b >= 0) x *= variants[v][t.factor_b] == t.level_b ? 1.0 : 0.0;
    return x;
  };
  // Gram-Schmidt over the variant rows: keep a term only if it adds a new direction.
  std::vector<std::vector<double>> basis = {std::vector<double>(nv, 1.0)};
  auto norm2 = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return s;
  };
  basis[0] = std::vector<double>(nv, 1.0 / std::sqrt(static_cast<double>(nv)));
  for (const auto& t : candidates) {
    std::vector<double> col(nv);
    for (std::size_t v = 0; v < nv; ++v) col[v] = value(t, v);
    const double n0 = norm2(col);
    for (const auto& b : basis) {
      double dot = 0;
      for (std::size_t v = 0; v < nv; ++v) dot += col[v] * b[v];
      for (std::size_t v = 0; v < nv; ++v) col[v] -= dot * b[v];
    }
    const double n1 = norm2(col);
    if (n0 == 0 || n1 < 1e-9 * n0) {
      m.aliased.push_back(t.name);
      continue;
    }
    for (double& x : col) x /= std::sqrt(n1);
    basis.push_back(col);
    m.terms.push_back(t);
  }
  for (std::size_t v = 0; v < nv; ++v) {
    std::vector<double> row = {1.0};
    for (const auto& t : m.terms) row.push_back(value(t, v));
    m.x.push_back(row);
  }
  return m;
}

FactorialFit FitLogistic(const FactorialModel& model, const std::vector<Moments>& data, double confidence) {
  const int p = 1 + static_cast<int>(model.terms.size());
  const std::size_t nv = model.x.size();
  double total_y = 0, total_n = 0;
  for (std::size_t v = 0; v < nv; ++v) {
    if (data[v].sx <= 0) return FactorialFit{};  // a variant without trials: nothing to fit
    total_y += data[v].sy, total_n += data[v].sx;
  }
  if (total_y <= 0 || total_y >= total_n) return FactorialFit{};
  std::vector<double> beta(p, 0.0);
  beta[0] = std::log(total_y / (total_n - total_y));
  Matrix info;
  bool converged = false;
  for (int it = 0; it < 100 && !converged; ++it) {
    info.assign(static_cast<std::size_t>(p) * p, 0.0);
    std::vector<double> score(p, 0.0);
    for (std::size_t v = 0; v < nv; ++v) {
      double eta = 0;
      for (int j = 0; j < p; ++j) eta += model.x[v][j] * beta[j];
      const double pr = 1.0 / (1.0 + std::exp(-eta));
      const double w = data[v].sx * pr * (1 - pr);
      for (int j = 0; j < p; ++j) {
        score[j] += model.x[v][j] * (data[v].sy - data[v].sx * pr);
        for (int k = 0; k < p; ++k) info[j * p + k] += w * model.x[v][j] * model.x[v][k];
      }
    }
    Matrix inv = info;
    if (!Invert(inv, p)) return FactorialFit{};
    double change = 0;
    for (int j = 0; j < p; ++j) {
      double step = 0;
      for (int k = 0; k < p; ++k) step += inv[j * p + k] * score[k];
      beta[j] += step;
      change = std::max(change, std::fabs(step));
    }
    if (!std::isfinite(change) || std::fabs(beta[0]) > 50) return FactorialFit{};
    converged = change < 1e-10;
  }
  if (!converged) return FactorialFit{};
  // Sandwich at the estimate.
  Matrix bread(static_cast<std::size_t>(p) * p, 0.0), meat(static_cast<std::size_t>(p) * p, 0.0);
  for (std::size_t v = 0; v < nv; ++v) {
    double eta = 0;
    for (int j = 0; j < p; ++j) eta += model.x[v][j] * beta[j];
    const double pr = 1.0 / (1.0 + std::exp(-eta));
    const double w = data[v].sx * pr * (1 - pr);
    const Moments& m = data[v];
    const double r2 = m.syy - 2 * pr * m.sxy + pr * pr * m.sxx;  // sum over customers of (y - n p)^2
    for (int j = 0; j < p; ++j)
      for (int k = 0; k < p; ++k) {
        bread[j * p + k] += w * model.x[v][j] * model.x[v][k];
        meat[j * p + k] += r2 * model.x[v][j] * model.x[v][k];
      }
  }
  if (!Invert(bread, p)) return FactorialFit{};
  return Finish(model, beta, Sandwich(bread, meat, p), confidence);
}

FactorialFit FitLinear(const FactorialModel& model, const std::vector<Moments>& data, double confidence) {
  const int p = 1 + static_cast<int>(model.terms.size());
  const std::size_t nv = model.x.size();
  Matrix xtx(static_cast<std::size_t>(p) * p, 0.0);
  std::vector<double> xty(p, 0.0);
  for (std::size_t v = 0; v < nv; ++v) {
    if (data[v].n < 2) return FactorialFit{};
    for (int j = 0; j < p; ++j) {
      xty[j] += model.x[v][j] * data[v].sy;
      for (int k = 0; k < p; ++k) xtx[j * p + k] += data[v].n * model.x[v][j] * model.x[v][k];
    }
  }
  if (!Invert(xtx, p)) return FactorialFit{};
  std::vector<double> beta(p, 0.0);
  for (int j = 0; j < p; ++j)
    for (int k = 0; k < p; ++k) beta[j] += xtx[j * p + k] * xty[k];
  Matrix meat(static_cast<std::size_t>(p) * p, 0.0);
  for (std::size_t v = 0; v < nv; ++v) {
    double mu = 0;
    for (int j = 0; j < p; ++j) mu += model.x[v][j] * beta[j];
    const Moments& m = data[v];
    const double rss = m.syy - 2 * mu * m.sy + mu * mu * m.n;
    for (int j = 0; j < p; ++j)
      for (int k = 0; k < p; ++k) meat[j * p + k] += rss * model.x[v][j] * model.x[v][k];
  }
  return Finish(model, beta, Sandwich(xtx, meat, p), confidence);
}

std::vector<double> ProjectOnModel(const FactorialModel& model, const std::vector<double>& values) {
  const int p = 1 + static_cast<int>(model.terms.size());
  Matrix xtx(static_cast<std::size_t>(p) * p, 0.0);
  std::vector<double> xty(p, 0.0);
  for (std::size_t v = 0; v < model.x.size(); ++v)
    for (int j = 0; j < p; ++j) {
      xty[j] += model.x[v][j] * values[v];
      for (int k = 0; k < p; ++k) xtx[j * p + k] += model.x[v][j] * model.x[v][k];
    }
  std::vector<double> beta(p, std::numeric_limits<double>::quiet_NaN());
  if (!Invert(xtx, p)) return beta;
  for (int j = 0; j < p; ++j) {
    beta[j] = 0;
    for (int k = 0; k < p; ++k) beta[j] += xtx[j * p + k] * xty[k];
  }
  return beta;
}

}  // namespace lclab::experiments
