#include "experiments/fit/fits.h"

#include <cmath>
#include <map>
#include <tuple>

#include "models/bgnbd.h"
#include "models/clv_models.h"

namespace lclab::experiments {
namespace {

// Customers with the same (x, t_x, T) share a likelihood term: each distinct one is evaluated once.
struct Group {
  double x, t_x, T, count;
};
std::vector<Group> Grouped(const std::vector<CustomerSummary>& customers) {
  std::map<std::tuple<double, double, double>, double> counts;
  for (const auto& c : customers) counts[{c.x, c.t_x, c.T}] += 1;
  std::vector<Group> groups;
  for (const auto& [k, n] : counts) groups.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), n});
  return groups;
}

// The groups again, each pointing into the distinct frequencies and the distinct times (t_x and T
// together), so that an evaluation computes the terms of each distinct value once.
struct IndexedGroups {
  struct Row {
    std::size_t x, t_x, T;
    double count;
  };
  std::vector<double> xs, times;
  std::vector<Row> rows;
};
IndexedGroups Indexed(const std::vector<Group>& groups) {
  std::map<double, std::size_t> xs, times;
  for (const Group& g : groups) xs.emplace(g.x, 0), times.emplace(g.t_x, 0), times.emplace(g.T, 0);
  IndexedGroups out;
  for (auto& [v, i] : xs) i = out.xs.size(), out.xs.push_back(v);
  for (auto& [v, i] : times) i = out.times.size(), out.times.push_back(v);
  for (const Group& g : groups) out.rows.push_back({xs[g.x], times[g.t_x], times[g.T], g.count});
  return out;
}

// Starting points around the data's time scale: the purchase rate's Gamma scale alpha near the mean
// age, with shapes spread over the range seen in published fits.
std::vector<std::vector<double>> PurchaseStarts(const std::vector<CustomerSummary>& customers) {
  double mean_t = 0;
  for (const auto& c : customers) mean_t += c.T / static_cast<double>(customers.size());
  const double t = mean_t > 0 ? mean_t : 1.0;
  return {{1.0, t, 1.0, 1.0}, {0.3, 0.1 * t, 0.8, 2.5}, {2.0, 2.0 * t, 0.5, 5.0}};
}

}  // namespace

MleFit FitBgnbd(const std::vector<CustomerSummary>& customers) {
  const IndexedGroups data = Indexed(Grouped(customers));
  std::vector<models::BgnbdFrequencyTerms> terms(data.xs.size());
  std::vector<double> logs(data.times.size());
  auto ll = [&](const std::vector<double>& p) {
    for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = models::BgnbdTermsOfFrequency(p[0], p[1], p[2], p[3], data.xs[i]);
    for (std::size_t i = 0; i < logs.size(); ++i) logs[i] = std::log(p[1] + data.times[i]);
    double sum = 0;
    for (const auto& g : data.rows)
      sum += g.count * models::BgnbdLogLikelihood(terms[g.x], p[0], data.xs[g.x], logs[g.t_x], logs[g.T]);
    return sum;
  };
  return MaximiseLikelihood({"r", "alpha", "a", "b"}, ll, PurchaseStarts(customers),
                            static_cast<double>(customers.size()));
}

MleFit FitParetoNbd(const std::vector<CustomerSummary>& customers) {
  const std::vector<Group> groups = Grouped(customers);
  auto ll = [&](const std::vector<double>& p) {
    double sum = 0;
    for (const Group& g : groups)
      sum += g.count * models::ParetoNbdLogLikelihood(p[0], p[1], p[2], p[3], g.x, g.t_x, g.T);
    return sum;
  };
  std::vector<std::vector<double>> starts;
  for (const auto& s : PurchaseStarts(customers)) starts.push_back({s[0], s[1], s[2], s[1]});
  return MaximiseLikelihood({"r", "alpha", "s", "beta"}, ll, starts, static_cast<double>(customers.size()));
}

MleFit FitGammaGamma(const std::vector<CustomerSummary>& customers) {
  std::vector<CustomerSummary> repeat;
  double mean = 0;
  for (const auto& c : customers)
    if (c.x >= 1 && c.mean_value > 0) repeat.push_back(c), mean += c.mean_value;
  mean /= static_cast<double>(repeat.size());
  auto ll = [&](const std::vector<double>& p) {
    double sum = 0;
    for (const auto& c : repeat) sum += models::GammaGammaLogLikelihood(p[0], p[1], p[2], c.x, c.mean_value);
    return sum;
  };
  // Starts with the mean order value p gamma / (q - 1) near the data's mean.
  return MaximiseLikelihood({"p", "q", "gamma"}, ll, {{1.0, 2.0, mean}, {5.0, 4.0, 0.6 * mean}, {2.0, 10.0, 4.0 * mean}},
                            static_cast<double>(repeat.size()));
}

MleFit FitSbg(const std::vector<double>& survivors) {
  auto ll = [&](const std::vector<double>& p) { return models::SbgLogLikelihood(p[0], p[1], survivors); };
  return MaximiseLikelihood({"alpha", "beta"}, ll, {{1.0, 1.0}, {0.5, 3.0}, {3.0, 0.5}}, survivors.front());
}

double FrequencySpendCorrelation(const std::vector<CustomerSummary>& customers) {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (const auto& c : customers) {
    if (c.x < 1 || c.mean_value <= 0) continue;
    n += 1, sx += c.x, sy += c.mean_value, sxx += c.x * c.x, syy += c.mean_value * c.mean_value;
    sxy += c.x * c.mean_value;
  }
  const double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : std::nan("");
}

}  // namespace lclab::experiments
