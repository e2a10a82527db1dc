// Closed forms of the other customer-base models lclab fits (docs/fit.md):
// the Pareto/NBD purchase model (Schmittlein, Morrison and Colombo 1987), the
// Gamma-Gamma spend model (Fader, Hardie and Lee 2005) and the shifted-beta-
// geometric retention model for contracts (Fader and Hardie 2007), with the
// conditional expectations a holdout is forecast with. The BG/NBD's are in
// bgnbd.h.
#pragma once

#include <vector>

namespace lclab::models {

// Log-likelihood of one customer's (x, t_x, T) under Pareto/NBD (Fader, Hardie and Lee 2005, "A note
// on deriving the Pareto/NBD model and related expressions"). REQUIRES: all parameters > 0.
double ParetoNbdLogLikelihood(double r, double alpha, double s, double beta, double x, double t_x, double T);
// Pareto/NBD E[X(t)] for a new customer.
double ParetoNbdExpectedPurchases(double r, double alpha, double s, double beta, double t);
// Pareto/NBD P(alive | x, t_x, T).
double ParetoNbdProbAlive(double r, double alpha, double s, double beta, double x, double t_x, double T);

// BG/NBD E[Y(t) | x, t_x, T]: expected repeat purchases in the t after the calibration period
// (Fader, Hardie and Lee 2005, equation 10).
double BgnbdConditionalExpected(double r, double alpha, double a, double b, double x, double t_x, double T, double t);

// Log-likelihood of a repeat buyer's x repeat purchases with mean value m under Gamma-Gamma
// (p, q, gamma). REQUIRES: x >= 1, m > 0.
double GammaGammaLogLikelihood(double p, double q, double gamma, double x, double m);
// E[M | x, m]: the expected mean value of the customer's future purchases.
double GammaGammaConditionalMean(double p, double q, double gamma, double x, double m);

// Log-likelihood of a contract cohort's survivors n_0 > ... >= n_T (n_t alive after t periods) under
// the shifted-beta-geometric model: sum_t (n_{t-1} - n_t) log P(T = t) + n_T log S(T).
double SbgLogLikelihood(double alpha, double beta, const std::vector<double>& survivors);
// sBG S(t): the share of a cohort still active after t periods.
double SbgSurvival(double alpha, double beta, int t);

}  // namespace lclab::models
