#include "models/clv_models.h"

#include <algorithm>
#include <cmath>

#include "models/bgnbd.h"

namespace lclab::models {
namespace {

double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// log(e^u + e^v) and log(e^u - e^v) (u > v), without overflow.
double LogAdd(double u, double v) {
  const double m = std::max(u, v);
  return m + std::log(std::exp(u - m) + std::exp(v - m));
}
double LogSub(double u, double v) { return u + std::log1p(-std::exp(v - u)); }

// log A_0 of the Pareto/NBD likelihood: the difference of two hypergeometric terms at t_x and at T,
// written so that the series' argument stays in [0, 1).
double ParetoLogA0(double r, double alpha, double s, double beta, double x, double t_x, double T) {
  const double rsx = r + s + x;
  const bool alpha_larger = alpha >= beta;
  const double big = alpha_larger ? alpha : beta, diff = std::fabs(alpha - beta);
  const double b2 = alpha_larger ? s + 1 : r + x;
  auto term = [&](double t) {
    return std::log(Hyp2F1Ap1(rsx, b2, diff / (big + t))) - rsx * std::log(big + t);
  };
  const double at_tx = term(t_x), at_T = term(T);
  return at_tx > at_T ? LogSub(at_tx, at_T) : -INFINITY;  // t_x = T: no time alive after the last purchase
}

}  // namespace

double ParetoNbdLogLikelihood(double r, double alpha, double s, double beta, double x, double t_x, double T) {
  const double common = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha) + s * std::log(beta);
  const double alive = -(r + x) * std::log(alpha + T) - s * std::log(beta + T);
  const double log_a0 = ParetoLogA0(r, alpha, s, beta, x, t_x, T);
  const double died = std::log(s / (r + s + x)) + log_a0;
  return common + (std::isfinite(died) ? LogAdd(alive, died) : alive);
}

double ParetoNbdExpectedPurchases(double r, double alpha, double s, double beta, double t) {
  return r * beta / (alpha * (s - 1)) * (1 - std::pow(beta / (beta + t), s - 1));
}

double ParetoNbdProbAlive(double r, double alpha, double s, double beta, double x, double t_x, double T) {
  const double log_alive = -(r + x) * std::log(alpha + T) - s * std::log(beta + T);
  const double log_a0 = ParetoLogA0(r, alpha, s, beta, x, t_x, T);
  if (!std::isfinite(log_a0)) return 1.0;
  return 1.0 / (1.0 + s / (r + s + x) * std::exp(log_a0 - log_alive));
}

double BgnbdConditionalExpected(double r, double alpha, double a, double b, double x, double t_x, double T,
                                double t) {
  const double z = t / (alpha + T + t);
  const double head = (a + b + x - 1) / (a - 1) *
                      (1 - std::pow((alpha + T) / (alpha + T + t), r + x) * Hyp2F1(r + x, b + x, a + b + x - 1, z));
  const double denom = 1 + (x > 0 ? a / (b + x - 1) * std::pow((alpha + T) / (alpha + t_x), r + x) : 0.0);
  return head / denom;
}

double GammaGammaLogLikelihood(double p, double q, double gamma, double x, double m) {
  const double px = p * x;
  return std::lgamma(px + q) - std::lgamma(px) - std::lgamma(q) + q * std::log(gamma) + (px - 1) * std::log(m) +
         px * std::log(x) - (px + q) * std::log(gamma + m * x);
}

double GammaGammaConditionalMean(double p, double q, double gamma, double x, double m) {
  // A weighted mean of the population mean p gamma / (q - 1) and the customer's own mean m.
  const double w = (q - 1) / (p * x + q - 1);
  return w * p * gamma / (q - 1) + (1 - w) * m;
}

double SbgLogLikelihood(double alpha, double beta, const std::vector<double>& n) {
  double ll = 0;
  const double base = LogBeta(alpha, beta);
  for (std::size_t t = 1; t < n.size(); ++t) {
    const double lost = n[t - 1] - n[t];
    if (lost > 0) ll += lost * (LogBeta(alpha + 1, beta + static_cast<double>(t) - 1) - base);
  }
  return ll + n.back() * (LogBeta(alpha, beta + static_cast<double>(n.size() - 1)) - base);
}

double SbgSurvival(double alpha, double beta, int t) {
  return std::exp(LogBeta(alpha, beta + t) - LogBeta(alpha, beta));
}

}  // namespace lclab::models
