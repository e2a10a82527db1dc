// Closed forms of the BG/NBD model (Fader, Hardie and Lee 2005) and the
// Gamma-Gamma spend model, used to validate the simulated purchase process.
#pragma once

namespace lclab::models {

// Gauss hypergeometric 2F1(a, b; c; z) by its power series. REQUIRES: 0 <= z < 1.
double Hyp2F1(double a, double b, double c, double z);
// 2F1(a, b; a + 1; z), the form the Pareto/NBD likelihood needs: the power series, and near z = 1
// the connection formula to 1 - z, so that it stays fast as z nears 1. REQUIRES: a > 0, 0 <= z < 1.
double Hyp2F1Ap1(double a, double b, double z);

// E[X(t)]: expected repeat purchases in (0, t] of a customer who made a first
// purchase at time 0. t in the same time unit as alpha. REQUIRES: a > 1.
double BgnbdExpectedPurchases(double r, double alpha, double a, double b, double t);

// P(alive | x, t_x, T).
double BgnbdProbAlive(double r, double alpha, double a, double b, double x, double t_x, double T);

// Gamma-Gamma expected order value p * gamma / (q - 1). REQUIRES: q > 1.
inline double GammaGammaMeanSpend(double p, double q, double gamma) { return p * gamma / (q - 1.0); }

}  // namespace lclab::models

namespace lclab::models {
// Log-likelihood of one customer's (x, t_x, T) under BG/NBD (docs/references.md).
double BgnbdLogLikelihood(double r, double alpha, double a, double b, double x, double t_x, double T);

// The same in two parts, for fitting many customers: the terms that depend on the frequency x only
// (shared by every customer with that x), then one customer's, given log(alpha + t_x) and log(alpha + T).
struct BgnbdFrequencyTerms {
  double first, second;  // the logs of the likelihood's two components without their (alpha + .)^-(r + x) factors
};
BgnbdFrequencyTerms BgnbdTermsOfFrequency(double r, double alpha, double a, double b, double x);
double BgnbdLogLikelihood(const BgnbdFrequencyTerms& terms, double r, double x, double log_alpha_t_x, double log_alpha_T);
}  // namespace lclab::models
