// The model's sections of a config: the population and its personas, the
// purchase model, the lifecycle, satisfaction, web visits, message response
// and the channels. Each key's unit, range and default: docs/config.md and
// models/params.h.
#include <set>

#include "experiments/config/sections.h"

namespace lclab::experiments {
namespace {

// One number per name (a sub-table such as [web.visit] with a key per stage).
template <std::size_t N>
std::array<double, N> NamedReals(Section s, const std::array<const char*, N>& names, const std::array<double, N>& def,
                                 const Range& range) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = s.Real(names[i], def[i], range);
  s.Finish();
  return out;
}

void ReadInitialMix(Section& pop, models::InitialMix& m) {
  Section init = pop.Table("initial");
  m.prospect = init.Real("prospect", m.prospect, kNonNegative);
  m.reach = init.Real("reach", m.reach, kNonNegative);
  m.acquisition = init.Real("acquisition", m.acquisition, kNonNegative);
  m.customer = init.Real("customer", m.customer, kNonNegative);
  m.tenure_days = static_cast<int>(init.Int("tenure_days", m.tenure_days, Range{0, 10000}));
  if (m.prospect + m.reach + m.acquisition + m.customer <= 0)
    init.Fail("customer", "initial shares that sum to more than 0");
  init.Finish();
}

void ReadTimeZones(Section& pop, models::ModelParams& m) {
  Section tz = pop.Table("time_zones");
  const auto offsets = tz.RealArray("offsets", {-8, -5, 0, 1, 5.0, 8}, Range{-12, 14}, true);
  const auto weights = tz.RealArray("weights", {0.15, 0.25, 0.15, 0.2, 0.1, 0.15}, kPositive);
  if (offsets.size() != weights.size())
    tz.Fail("weights", "as many weights as offsets (" + std::to_string(offsets.size()) + ")");
  m.tz_offsets.clear();
  for (double o : offsets) m.tz_offsets.push_back(static_cast<int>(o));
  m.tz_weights = weights;
  tz.Finish();
}

models::Persona ReadPersona(Section& ps, std::set<std::string>& names) {
  models::Persona p;
  p.name = ps.Str("name", "default");
  if (!names.insert(p.name).second) ps.Fail("name", "a name not used by another persona");
  p.weight = ps.Real("weight", 1.0, kPositive);
  p.signup_rate = ps.Real("signup_rate", p.signup_rate, kNonNegative);
  p.first_purchase_rate = ps.Real("first_purchase_rate", p.first_purchase_rate, kNonNegative);
  p.purchase_rate_multiplier = ps.Real("purchase_rate_multiplier", 1.0, kPositive);
  p.responsiveness_mean = ps.Real("responsiveness_mean", 0.0, Range{-10, 10});
  p.price_sensitivity_mean = ps.Real("price_sensitivity_mean", 1.0, kPositive);
  p.quality = ps.Real("quality", p.quality, Range{0, 10});
  const auto chrono = NamedReals(ps.Table("chronotypes"), models::kChronotypeNames,
                                 {p.chronotype_weights[0], p.chronotype_weights[1], p.chronotype_weights[2]},
                                 kNonNegative);
  if (chrono[0] + chrono[1] + chrono[2] <= 0) ps.Fail("chronotypes", "weights that sum to more than 0");
  for (int c = 0; c < models::kNumChronotypes; ++c) p.chronotype_weights[c] = chrono[c];
  const auto opt = NamedReals(ps.Table("opt_in"), models::kChannelNames,
                              {p.opt_in[0], p.opt_in[1], p.opt_in[2], p.opt_in[3], p.opt_in[4], p.opt_in[5]},
                              kProbability);
  for (int c = 0; c < models::kNumChannels; ++c) p.opt_in[c] = opt[c];
  ps.Finish();
  return p;
}

void ReadPopulation(Section& root, ExperimentConfig& cfg) {
  models::ModelParams& m = cfg.model;
  Section pop = root.Table("population");
  cfg.population_size = static_cast<std::size_t>(pop.Int("size", 100000, Range{1, 4.0e9}));
  ReadInitialMix(pop, m.initial);
  ReadTimeZones(pop, m);
  m.personas.clear();
  std::set<std::string> persona_names;
  for (Section& ps : pop.TableArray("personas", 1)) m.personas.push_back(ReadPersona(ps, persona_names));
  if (m.personas.empty()) pop.Fail("personas", "at least one [[population.personas]] table");
  if (m.personas.size() > 255) pop.Fail("personas", "at most 255 personas");
  pop.Finish();
}

void ReadPurchase(Section& root, models::PurchaseParams& p) {
  Section pu = root.Table("purchase");
  p.r = pu.Real("r", 0.243, kPositive);
  p.alpha_days = pu.Real("alpha_weeks", 4.414, kPositive) * 7.0;
  p.a = pu.Real("a", 0.793, kPositive);
  p.b = pu.Real("b", 2.426, kPositive);
  p.spend_p = pu.Real("spend_p", 6.25, kPositive);
  p.spend_q = pu.Real("spend_q", 3.74, Range{1, kPositive.hi, true, false});
  p.spend_gamma = pu.Real("spend_gamma", 15.44, kPositive);
  pu.Finish();
}

void ReadLifecycle(Section& root, models::LifecycleParams& l) {
  Section lc = root.Table("lifecycle");
  l.lapse_days = static_cast<int>(lc.Int("lapse_days", l.lapse_days, Range{1, 10000}));
  l.inactive_days = static_cast<int>(lc.Int("inactive_days", l.inactive_days, Range{1, 10000}));
  if (l.inactive_days <= l.lapse_days)
    lc.Fail("inactive_days", "more than lifecycle.lapse_days (" + std::to_string(l.lapse_days) + ")");
  l.churn_days = static_cast<int>(lc.Int("churn_days", l.churn_days, Range{1, 10000}));
  l.k_loyal = static_cast<int>(lc.Int("k_loyal", l.k_loyal, Range{1, models::kMaxLoyalK}));
  l.loyal_window = static_cast<int>(lc.Int("loyal_window", l.loyal_window, Range{1, 10000}));
  l.loyal_min_score = static_cast<int>(lc.Int("loyal_min_score", l.loyal_min_score, Range{0, 10}));
  l.forget_rate = lc.Real("forget_rate", l.forget_rate, kNonNegative);
  l.bass_p = lc.Real("bass_p", l.bass_p, kNonNegative);
  l.bass_q = lc.Real("bass_q", l.bass_q, kNonNegative);
  l.referral_rate = lc.Real("referral_rate", l.referral_rate, kNonNegative);
  l.referral_signup_prob = lc.Real("referral_signup_prob", l.referral_signup_prob, kProbability);
  lc.Finish();
}

void ReadSatisfaction(Section& root, models::SatisfactionParams& s) {
  Section sa = root.Table("satisfaction");
  s.initial_mean = sa.Real("initial_mean", s.initial_mean, Range{0, 10});
  s.initial_sd = sa.Real("initial_sd", s.initial_sd, kNonNegative);
  s.experience_sd = sa.Real("experience_sd", s.experience_sd, kNonNegative);
  s.weight = sa.Real("weight", s.weight, kProbability);
  s.fatigue_threshold = sa.Real("fatigue_threshold", s.fatigue_threshold, kNonNegative);
  s.fatigue_penalty = sa.Real("fatigue_penalty", s.fatigue_penalty, kNonNegative);
  s.csat_threshold = sa.Real("csat_threshold", s.csat_threshold, Range{0, 10});
  sa.Finish();
}

void ReadWeb(Section& root, models::WebParams& w) {
  Section web = root.Table("web");
  std::array<double, models::kNumStages> dv{}, db{};
  for (int i = 0; i < models::kNumStages; ++i) dv[i] = w.visit_prob[i], db[i] = w.bounce_prob[i];
  const auto v = NamedReals(web.Table("visit"), models::kStageNames, dv, kProbability);
  const auto b = NamedReals(web.Table("bounce"), models::kStageNames, db, kProbability);
  for (int i = 0; i < models::kNumStages; ++i) w.visit_prob[i] = v[i], w.bounce_prob[i] = b[i];
  w.click_visit_boost = web.Real("click_visit_boost", w.click_visit_boost, Range{1, kPositive.hi});
  web.Finish();
}

void ReadResponse(Section& root, models::ResponseParams& r) {
  Section re = root.Table("response");
  r.calibrate = re.Bool("calibrate", r.calibrate);
  r.incentive_reference_value = re.Real("incentive_reference_value", r.incentive_reference_value, kPositive);
  r.points_redemption = re.Real("points_redemption", r.points_redemption, kProbability);
  r.responsiveness_sd = re.Real("responsiveness_sd", r.responsiveness_sd, kNonNegative);
  r.activity_weight = re.Real("activity_weight", r.activity_weight, kNonNegative);
  r.fatigue_mean = re.Real("fatigue_mean", r.fatigue_mean, kNonNegative);
  r.fatigue_shape = re.Real("fatigue_shape", r.fatigue_shape, kPositive);
  r.fatigue_tau_days = re.Real("fatigue_tau_days", r.fatigue_tau_days, kPositive);
  r.unsubscribe_fatigue = re.Real("unsubscribe_fatigue", r.unsubscribe_fatigue, kNonNegative);
  r.price_sensitivity_shape = re.Real("price_sensitivity_shape", r.price_sensitivity_shape, kPositive);
  r.incentive_effect = re.Real("incentive_effect", r.incentive_effect, kAnyNumber);
  r.halo_days = static_cast<double>(re.Int("halo_days", static_cast<std::int64_t>(r.halo_days), Range{0, 365}));
  r.halo_boost = re.Real("halo_boost", r.halo_boost, Range{1, kPositive.hi});
  r.kappa_mean = re.Real("kappa_mean", r.kappa_mean, Range{0, 50, true, false});
  r.kappa_shape = re.Real("kappa_shape", r.kappa_shape, kPositive);
  r.peak_sd_hours = re.Real("peak_sd_hours", r.peak_sd_hours, kNonNegative);
  r.weekend_shift_hours = re.Real("weekend_shift_hours", r.weekend_shift_hours, Range{-12, 12});
  r.open_delay_scale_hours = re.Real("open_delay_scale_hours", r.open_delay_scale_hours, Range{0, 1000, true, false});
  r.open_delay_shape = re.Real("open_delay_shape", r.open_delay_shape, Range{0, 100, true, false});
  re.Finish();
}

void ReadChannels(Section& root, models::ResponseParams& r) {
  Section ch = root.Table("channels");
  for (int c = 0; c < models::kNumChannels; ++c) {
    Section cs = ch.Table(models::kChannelNames[c]);
    auto& cp = r.channels[c];
    cp.delivery = cs.Real("delivery", cp.delivery, kProbability);
    cp.open = cs.Real("open", cp.open, kOpenProbability);
    cp.click = cs.Real("click", cp.click, kOpenProbability);
    cp.unsubscribe = cs.Real("unsubscribe", cp.unsubscribe, kOpenProbability);
    cp.cost = cs.Real("cost", cp.cost, kNonNegative);
    cp.needs_visit = cs.Bool("needs_visit", cp.needs_visit);
    cs.Finish();
  }
  ch.Finish();
}

}  // namespace

void ReadModel(Section& root, ExperimentConfig& cfg) {
  ReadPopulation(root, cfg);
  ReadPurchase(root, cfg.model.purchase);
  ReadLifecycle(root, cfg.model.lifecycle);
  ReadSatisfaction(root, cfg.model.satisfaction);
  ReadWeb(root, cfg.model.web);
  ReadResponse(root, cfg.model.response);
  ReadChannels(root, cfg.model.response);
}

}  // namespace lclab::experiments
