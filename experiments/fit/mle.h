// Maximum likelihood over positive parameters with NLopt (docs/fit.md): the
// log-likelihood is maximised over log-parameters from several starting
// points (BOBYQA, and Nelder-Mead where BOBYQA stops short), standard errors come from the
// inverse of the observed information (the numerical Hessian of the
// log-likelihood at the optimum), and the fit says whether it converged.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace lclab::experiments {

struct MleFit {
  std::vector<std::string> names;
  std::vector<double> values, se;  // se NaN where the information matrix is not positive definite
  double log_likelihood = 0;
  double aic = 0, bic = 0;         // -2 LL + 2 k, -2 LL + k log(n)
  int evaluations = 0;
  bool converged = false;          // NLopt stopped on a tolerance, and the starts that did agree on the optimum
  std::string status;              // what NLopt said
};

// Maximises `ll` (the total log-likelihood of `observations` units) over parameters > 0, from each
// start (every start > 0). REQUIRES: starts non-empty, every start of names.size().
MleFit MaximiseLikelihood(const std::vector<std::string>& names,
                          const std::function<double(const std::vector<double>&)>& ll,
                          const std::vector<std::vector<double>>& starts, double observations);

}  // namespace lclab::experiments
