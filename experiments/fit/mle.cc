#include "experiments/fit/mle.h"

#include <cmath>
#include <limits>
#include <nlopt.hpp>

namespace lclab::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Objective {
  const std::function<double(const std::vector<double>&)>* ll;
  int evaluations = 0;
};

// NLopt's view: maximise LL over theta = log(parameters); a non-finite LL is a wall, not an optimum.
double Evaluate(const std::vector<double>& theta, std::vector<double>& /*grad*/, void* data) {
  auto* o = static_cast<Objective*>(data);
  ++o->evaluations;
  std::vector<double> params(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) params[i] = std::exp(theta[i]);
  const double v = (*o->ll)(params);
  return std::isfinite(v) ? v : -1e300;
}

// Inverts a small symmetric positive-definite matrix by Cholesky; false if it is not positive definite.
bool InvertSpd(std::vector<std::vector<double>> m, std::vector<std::vector<double>>& inv) {
  const std::size_t n = m.size();
  std::vector<std::vector<double>> l(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = m[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      if (i == j) {
        if (!(s > 0)) return false;
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  // inv = (L L')^-1, column by column.
  inv.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<double> y(n, 0.0), x(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = 0; k < i; ++k) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = y[i];
      for (std::size_t k = i + 1; k < n; ++k) s -= l[k][i] * x[k];
      x[i] = s / l[i][i];
    }
    for (std::size_t i = 0; i < n; ++i) inv[i][c] = x[i];
  }
  return true;
}

// Standard errors from the observed information: the negative Hessian of LL in the parameters,
// by central differences with steps proportional to each parameter.
std::vector<double> StandardErrors(const std::function<double(const std::vector<double>&)>& ll,
                                   const std::vector<double>& p) {
  const std::size_t n = p.size();
  std::vector<double> h(n);
  for (std::size_t i = 0; i < n; ++i) h[i] = 1e-4 * p[i];
  auto at = [&](std::size_t i, double di, std::size_t j, double dj) {
    std::vector<double> q = p;
    q[i] += di, q[j] += dj;
    return ll(q);
  };
  std::vector<std::vector<double>> info(n, std::vector<double>(n, 0.0)), inv;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      const double d2 = (at(i, h[i], j, h[j]) - at(i, h[i], j, -h[j]) - at(i, -h[i], j, h[j]) + at(i, -h[i], j, -h[j])) /
                        (4 * h[i] * h[j]);
      info[i][j] = info[j][i] = -d2;
    }
  std::vector<double> se(n, kNaN);
  if (InvertSpd(info, inv))
    for (std::size_t i = 0; i < n; ++i) se[i] = std::sqrt(inv[i][i]);
  return se;
}

const char* ResultName(nlopt::result r) {
  switch (r) {
    case nlopt::SUCCESS: return "success";
    case nlopt::STOPVAL_REACHED: return "stopping value reached";
    case nlopt::FTOL_REACHED: return "converged (log-likelihood tolerance)";
    case nlopt::XTOL_REACHED: return "converged (parameter tolerance)";
    case nlopt::MAXEVAL_REACHED: return "stopped at the evaluation limit";
    case nlopt::MAXTIME_REACHED: return "stopped at the time limit";
    default: return "failed";
  }
}

bool Converged(nlopt::result r) { return r == nlopt::SUCCESS || r == nlopt::FTOL_REACHED || r == nlopt::XTOL_REACHED; }

}  // namespace

MleFit MaximiseLikelihood(const std::vector<std::string>& names,
                          const std::function<double(const std::vector<double>&)>& ll,
                          const std::vector<std::vector<double>>& starts, double observations) {
  MleFit best;
  best.names = names;
  best.log_likelihood = -std::numeric_limits<double>::infinity();
  const std::size_t k = names.size();
  std::vector<double> optima;  // each start's optimum, to see that they agree
  for (const auto& start : starts) {
    Objective obj{&ll};
    std::vector<double> theta(k);
    for (std::size_t i = 0; i < k; ++i) theta[i] = std::log(start[i]);
    double value = 0;
    nlopt::result result = nlopt::FAILURE;
    for (nlopt::algorithm algorithm : {nlopt::LN_BOBYQA, nlopt::LN_NELDERMEAD}) {
      if (Converged(result)) break;  // Nelder-Mead only where BOBYQA did not converge
      nlopt::opt opt(algorithm, static_cast<unsigned>(k));
      opt.set_max_objective(Evaluate, &obj);
      opt.set_lower_bounds(std::vector<double>(k, -30.0));
      opt.set_upper_bounds(std::vector<double>(k, 30.0));
      opt.set_xtol_rel(1e-10);
      opt.set_ftol_abs(1e-9);
      opt.set_maxeval(20000);
      opt.set_initial_step(0.5);  // a factor e^0.5 in each parameter: NLopt would scale the first steps to the bounds
      try {
        result = opt.optimize(theta, value);
      } catch (const std::exception&) {
        result = nlopt::FAILURE;
      }
    }
    optima.push_back(value);
    if (value > best.log_likelihood) {
      best.log_likelihood = value;
      best.values.resize(k);
      for (std::size_t i = 0; i < k; ++i) best.values[i] = std::exp(theta[i]);
      best.status = ResultName(result);
      best.converged = Converged(result);
    }
    best.evaluations += obj.evaluations;
  }
  // The starts that reached the best optimum: at least two agree (to 1e-6 in LL) when there are two.
  int agree = 0;
  for (double v : optima) agree += std::fabs(v - best.log_likelihood) < 1e-6 * (1 + std::fabs(best.log_likelihood));
  if (starts.size() > 1 && agree < 2) best.converged = false, best.status += "; the starting points disagree";
  best.se = StandardErrors(ll, best.values);
  best.aic = -2 * best.log_likelihood + 2.0 * static_cast<double>(k);
  best.bic = -2 * best.log_likelihood + static_cast<double>(k) * std::log(observations);
  return best;
}

}  // namespace lclab::experiments
