#include "models/bgnbd.h"

#include <cmath>

namespace lclab::models {

double Hyp2F1(double a, double b, double c, double z) {
  double term = 1.0, sum = 1.0;
  for (int n = 0; n < 100000; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (std::fabs(term) < 1e-15 * std::fabs(sum)) break;
  }
  return sum;
}

double BgnbdExpectedPurchases(double r, double alpha, double a, double b, double t) {
  const double z = t / (alpha + t);
  return (a + b - 1.0) / (a - 1.0) * (1.0 - std::pow(alpha / (alpha + t), r) * Hyp2F1(r, b, a + b - 1.0, z));
}

double BgnbdProbAlive(double r, double alpha, double a, double b, double x, double t_x, double T) {
  if (x <= 0) return 1.0;
  return 1.0 / (1.0 + a / (b + x - 1.0) * std::pow((alpha + T) / (alpha + t_x), r + x));
}

}  // namespace lclab::models

namespace lclab::models {
namespace {
double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }
}  // namespace

double BgnbdLogLikelihood(double r, double alpha, double a, double b, double x, double t_x, double T) {
  const double common = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha);
  const double l1 = LogBeta(a, b + x) - LogBeta(a, b) + common - (r + x) * std::log(alpha + T);
  if (x <= 0) return l1;
  const double l2 = LogBeta(a + 1, b + x - 1) - LogBeta(a, b) + common - (r + x) * std::log(alpha + t_x);
  const double m = std::max(l1, l2);
  return m + std::log(std::exp(l1 - m) + std::exp(l2 - m));
}
}  // namespace lclab::models
