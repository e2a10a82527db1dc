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

// For z > 0.7 and a (1 - z) < 1, with c = a + 1 the connection formula (Abramowitz and Stegun 15.3.6) reduces to
// 2F1 = G(a + 1) G(1 - b) / G(a + 1 - b) z^-a + a / (b - 1) (1 - z)^(1 - b) sum_n (a + 1 - b)_n / (2 - b)_n (1 - z)^n,
// its first series being 2F1(a, b; b; 1 - z) = z^-a. It needs 1 - b not an integer: at an integer b
// the mean of b - 1e-5 and b + 1e-5 is used (off by O(1e-10), the poles' terms cancelling to 1e-11).
namespace {
double Hyp2F1Ap1Connection(double a, double b, double z) {
  const double w = 1 - z;
  int s1 = 1, s2 = 1, s3 = 1;
  const double log_g = lgamma_r(a + 1, &s1) + lgamma_r(1 - b, &s2) - lgamma_r(a + 1 - b, &s3);
  const double first = s1 * s2 * s3 * std::exp(log_g - a * std::log(z));
  double term = 1.0, sum = 1.0;
  for (int n = 0; n < 100000; ++n) {
    term *= (a + 1 - b + n) / (2 - b + n) * w;
    sum += term;
    if (std::fabs(term) < 1e-16 * std::fabs(sum)) break;
  }
  return first + a / (b - 1) * std::pow(w, 1 - b) * sum;
}
}  // namespace

double Hyp2F1Ap1(double a, double b, double z) {
  // The series needs about 37 / (1 - z) terms; the connection formula loses digits to cancellation
  // unless a (1 - z) < 1. Between them, every case is fast and accurate.
  if (z <= 0.7 || a * (1 - z) >= 1) return Hyp2F1(a, b, a + 1, z);
  if (std::fabs(b - std::round(b)) < 1e-5)
    return 0.5 * (Hyp2F1Ap1Connection(a, b - 1e-5, z) + Hyp2F1Ap1Connection(a, b + 1e-5, z));
  return Hyp2F1Ap1Connection(a, b, z);
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

// L = B(a, b + x) / B(a, b) G(r + x) alpha^r / G(r) [(alpha + T)^-(r + x) + [x > 0] a / (b + x - 1) (alpha + t_x)^-(r + x)],
// its log taken term by term (the second with a / (b + x - 1) B(a, b + x) = B(a + 1, b + x - 1)).
BgnbdFrequencyTerms BgnbdTermsOfFrequency(double r, double alpha, double a, double b, double x) {
  const double common = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha) - LogBeta(a, b);
  return {LogBeta(a, b + x) + common, x > 0 ? LogBeta(a + 1, b + x - 1) + common : 0.0};
}

double BgnbdLogLikelihood(const BgnbdFrequencyTerms& f, double r, double x, double log_alpha_t_x, double log_alpha_T) {
  const double l1 = f.first - (r + x) * log_alpha_T;
  if (x <= 0) return l1;
  const double l2 = f.second - (r + x) * log_alpha_t_x;
  const double m = std::max(l1, l2);
  return m + std::log(std::exp(l1 - m) + std::exp(l2 - m));
}

double BgnbdLogLikelihood(double r, double alpha, double a, double b, double x, double t_x, double T) {
  return BgnbdLogLikelihood(BgnbdTermsOfFrequency(r, alpha, a, b, x), r, x, std::log(alpha + t_x), std::log(alpha + T));
}
}  // namespace lclab::models
