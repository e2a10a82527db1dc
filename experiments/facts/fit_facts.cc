// The cdnow and sbg groups: lclab's fits reproduce the published estimates on
// the published data, and the purchase model's defaults are those estimates.
#include <cmath>

#include "experiments/config/config.h"
#include "experiments/facts/facts.h"
#include "experiments/fit/fit_run.h"

namespace lclab::facts {
namespace {

constexpr const char* kBgnbdPaper = "Fader, Hardie and Lee (2005a), CDNOW 1/10th sample";
constexpr const char* kParetoPaper = "Fader, Hardie and Lee (2005a), Pareto/NBD on the same sample";
constexpr const char* kGammaGammaPaper = "Fader, Hardie and Lee (2005b), Gamma-Gamma on the same sample";
constexpr const char* kSbgPaper = "Fader and Hardie (2007), survivors of the regular and high-end cohorts";

// A fitted or default value against a published one: within `tolerance` (relative) of it.
Fact Published(std::string id, std::string what, const char* source, double published, double value,
               double tolerance = 0.01) {
  Fact f;
  f.id = std::move(id), f.what = std::move(what), f.source = source;
  f.low = published - std::abs(published) * tolerance, f.high = published + std::abs(published) * tolerance;
  f.value = value;
  return f;
}

void AddFit(std::vector<Fact>& out, const std::string& model, const char* source, const experiments::MleFit& fit,
            const std::vector<double>& published, double published_ll) {
  for (std::size_t j = 0; j < published.size(); ++j)
    out.push_back(Published(model + "." + fit.names[j], model + " " + fit.names[j] + " fitted", source, published[j],
                            fit.values[j]));
  if (!std::isnan(published_ll)) {
    // The papers print the log-likelihood to 0.1: within 0.1 of it.
    Fact f = Published(model + ".log_likelihood", model + " log-likelihood at the optimum", source, published_ll,
                       fit.log_likelihood, 0.0);
    f.low -= 0.1, f.high += 0.1;
    out.push_back(f);
  }
}

}  // namespace

std::vector<Fact> CdnowFacts(const FactOptions& o) {
  experiments::FitRequest q;
  q.log_path = o.root + "/tests/data/cdnow/CDNOW_sample.txt";
  experiments::LogOptions& log = q.log;
  log.delimiter = "whitespace", log.header = false;
  log.id_column = "1", log.date_column = "3", log.amount_column = "5", log.date_format = "%Y%m%d";
  log.calibration_end = "19970930", log.holdout_end = "19980630";
  const experiments::FitOutcome fit = experiments::RunFit(q);
  std::vector<Fact> out;
  AddFit(out, "bgnbd", kBgnbdPaper, fit.bgnbd, {0.243, 4.414, 0.793, 2.426}, -9582.4);
  AddFit(out, "pareto_nbd", kParetoPaper, fit.pareto, {0.553, 10.578, 0.606, 11.669}, -9595.0);
  AddFit(out, "gamma_gamma", kGammaGammaPaper, fit.gamma_gamma, {6.25, 3.74, 15.44}, NAN);
  // The world's purchase defaults are the published fits (a moved default fails here).
  const experiments::ExperimentConfig cfg = experiments::LoadConfigText("", "(defaults)", o.sets);
  const auto& p = cfg.model.purchase;
  const double defaults[] = {p.r, p.alpha_days / 7.0, p.a, p.b, p.spend_p, p.spend_q, p.spend_gamma};
  const double published[] = {0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44};
  const char* names[] = {"r", "alpha_weeks", "a", "b", "spend_p", "spend_q", "spend_gamma"};
  for (int j = 0; j < 7; ++j)
    out.push_back(Published(std::string("default.") + names[j], std::string("default purchase.") + names[j],
                            j < 4 ? kBgnbdPaper : kGammaGammaPaper, published[j], defaults[j]));
  return out;
}

std::vector<Fact> SbgFacts(const FactOptions&) {
  // The survivors of two cohorts of 1,000 over seven years, as the paper prints them.
  const experiments::MleFit regular = experiments::FitSbg({1000, 631, 468, 382, 326, 289, 262, 241});
  const experiments::MleFit high_end = experiments::FitSbg({1000, 869, 743, 653, 593, 551, 517, 491});
  std::vector<Fact> out;
  AddFit(out, "regular", kSbgPaper, regular, {0.704, 1.182}, NAN);
  AddFit(out, "high_end", kSbgPaper, high_end, {0.668, 3.806}, NAN);
  return out;
}

}  // namespace lclab::facts
