// One [[campaigns]] table: what triggers it and what it aims for, the message
// settings, the audience, the factors and their planted effects, the design
// that makes the variants, the arms and their resolved treatments, and how
// the experiment is analysed (docs/config.md "Campaigns").
#include <algorithm>
#include <map>
#include <set>

#include "experiments/analysis/design.h"
#include "experiments/config/sections.h"
#include "models/assignment.h"
#include "models/kpi.h"

namespace lclab::experiments {
namespace {

using models::Goal;
using models::Stage;
using models::Trigger;

// Engagement states an audience can name ("none": has never bought).
constexpr std::array<const char*, 4> kAudienceEngagement = {"active", "lapsed", "inactive", "none"};
constexpr std::array<const char*, 3> kDesignNames = {"full_factorial", "fractional", "explicit"};
enum Design { kFullFactorial = 0, kFractional = 1, kExplicit = 2 };
constexpr std::array<const char*, 2> kAllocationNames = {"fixed", "thompson"};
const Range kEffect{-10, 10};

std::uint8_t StageBits(std::initializer_list<Stage> stages) {
  std::uint8_t m = 0;
  for (auto s : stages) m |= static_cast<std::uint8_t>(1u << static_cast<int>(s));
  return m;
}

Names StageNamesOf(std::uint8_t mask) {
  Names out;
  for (int s = 0; s < models::kNumStages; ++s)
    if (mask >> s & 1u) out.push_back(models::kStageNames[s]);
  return out;
}

Names PersonaNames(const models::ModelParams& m) {
  Names names;
  for (const auto& p : m.personas) names.push_back(p.name);
  return names;
}

bool ValidName(const std::string& n) { return !n.empty() && n.find_first_of(".+=") == std::string::npos; }

models::Logits ReadEffects(Section& s) {
  models::Logits l;
  l.open = static_cast<float>(s.Real("open", 0.0, kEffect));
  l.click = static_cast<float>(s.Real("click", 0.0, kEffect));
  l.goal = static_cast<float>(s.Real("goal", 0.0, kEffect));
  l.unsubscribe = static_cast<float>(s.Real("unsubscribe", 0.0, kEffect));
  return l;
}

// "factor.level" -> indices, or fails naming the key.
std::pair<int, int> LevelRef(Section& s, std::string_view key, const std::string& ref,
                             const std::vector<FactorConfig>& factors) {
  if (factors.empty()) s.Fail(key, "a factor level \"factor.level\", one of: (the campaign has no factors)");
  Names known;
  std::vector<std::pair<int, int>> refs;
  for (std::size_t f = 0; f < factors.size(); ++f)
    for (std::size_t l = 0; l < factors[f].levels.size(); ++l) {
      known.push_back(factors[f].name + "." + factors[f].levels[l].name);
      refs.emplace_back(static_cast<int>(f), static_cast<int>(l));
    }
  return refs[s.Lookup(key, ref, known, "a factor level \"factor.level\", one of: ")];
}

// The settings a factor level, or the campaign itself, gives a message.
struct Settings {
  models::Channel channel = models::Channel::kEmail;
  models::SendPolicy send_policy = models::SendPolicy::kLocalHour;
  int send_hour = 10, every_days = 7, max_sends = 1, min_gap_days = 0;
  models::Incentive incentive = models::Incentive::kNone;
  double incentive_value = 0;
};

// --- what the campaign is: name, trigger, goal ---

void ReadIdentity(Section& cs, CampaignConfig& cc, std::set<std::string>& campaign_names) {
  auto& plan = cc.plan;
  if (!cs.Has("name")) cs.Fail("name", "a name for every campaign");
  cc.name = cs.Str("name", "");
  if (cc.name == "." || cc.name == ".." ||
      cc.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != std::string::npos)
    cs.Fail("name", "a campaign name of letters, digits, '_', '-' and '.' (it names an HDF5 group)");
  if (!campaign_names.insert(cc.name).second) cs.Fail("name", "a name not used by another campaign");
  if (!cs.Has("trigger")) cs.Fail("trigger", "a trigger, one of " + JoinNames(NamesOf(models::kTriggerNames)));
  plan.trigger = static_cast<Trigger>(cs.Enum("trigger", "signup", models::kTriggerNames));
  if (!cs.Has("goal")) cs.Fail("goal", "a goal, one of " + JoinNames(NamesOf(models::kGoalNames)));
  plan.goal = static_cast<Goal>(cs.Enum("goal", "first_purchase", models::kGoalNames));
  cc.salt = cs.Str("salt", "", /*non_empty=*/false);
  cc.goal_kpi = cs.Str("goal_kpi", std::string(models::kGoalNames[static_cast<int>(plan.goal)]) + " conversions");
}

// When the trigger fires: delay, the stage entered, weekdays, restock events.
void ReadTrigger(Section& cs, models::CampaignPlan& plan) {
  plan.delay_days = static_cast<int>(cs.Int("delay_days", 0, Range{0, 365}));
  if (plan.trigger == Trigger::kEnterStage) {
    if (!cs.Has("stage")) cs.Fail("stage", "the stage whose entry triggers the campaign (trigger = \"enter_stage\")");
    plan.stage = static_cast<Stage>(cs.Enum("stage", "acquisition", models::kStageNames));
  }
  if (plan.trigger == Trigger::kVisit && plan.delay_days != 0)
    cs.Fail("delay_days", "0 for trigger \"visit\" (the message is shown during the visit)");
  if (plan.trigger == Trigger::kSchedule && cs.Has("weekdays"))
    plan.weekday_mask = static_cast<std::uint8_t>(cs.NameSet("weekdays", {}, NamesOf(kWeekdayNames)));
  if (plan.trigger == Trigger::kBackInStock) {
    plan.recency_days = static_cast<int>(cs.Int("recency_days", 90, Range{1, 10000}));
    plan.interest_share = static_cast<float>(cs.Real("interest_share", 0.2, kProbability));
  }
}

// How likely the goal is after a click, and what a rewards or feature goal changes once reached.
void ReadGoal(Section& cs, models::CampaignPlan& plan) {
  plan.goal_rate = cs.Real("goal_rate", 0.15, kOpenProbability);
  if (plan.goal == Goal::kRewardsJoin || plan.goal == Goal::kFeatureAdoption) {
    plan.purchase_multiplier = cs.Real("purchase_multiplier", plan.goal == Goal::kRewardsJoin ? 1.2 : 1.1, kPositive);
    plan.dropout_multiplier = cs.Real("dropout_multiplier", 0.85, Range{0, 1, true, false});
  }
}

// Send-time constraints and the learning policies' settings of a campaign.
void ReadSendTime(Section& cs, const ExperimentConfig& cfg, models::CampaignPlan& plan) {
  auto& w = plan.send_window;
  w.zone = static_cast<int>(cs.Int("send_zone", 0, Range{-12, 14}));
  std::tie(w.quiet_start, w.quiet_end) = cs.HourRange("quiet_hours");
  std::tie(w.window_start, w.window_end) = cs.HourRange("delivery_window");
  for (int tz : cfg.model.tz_offsets)
    if (models::DeliveryHours(w, tz)[0] < 0)
      cs.Fail("delivery_window", "a delivery window (hours in UTC" + std::string(w.zone < 0 ? "" : "+") +
                                     std::to_string(w.zone) + ") that leaves some hour outside quiet_hours for "
                                     "customers in UTC" + (tz < 0 ? "" : "+") + std::to_string(tz));
  plan.explore_days = static_cast<int>(cs.Int("explore_days", 7, Range{1, 365}));
  plan.exploit_band_hours = static_cast<int>(cs.Int("exploit_band_hours", 2, Range{0, 11}));
  plan.history_min_events = static_cast<int>(cs.Int("history_min_events", 3, Range{1, 255}));
}

// Message settings of the campaign (factor levels may override them per variant).
Settings ReadMessageSettings(Section& cs, const ExperimentConfig& cfg, models::CampaignPlan& plan) {
  Settings base;
  base.channel = static_cast<models::Channel>(cs.Enum("channel", "email", models::kChannelNames));
  base.send_policy = static_cast<models::SendPolicy>(cs.Enum("send_policy", "local_hour", models::kSendPolicyNames));
  base.send_hour = static_cast<int>(cs.Int("send_hour", 10, Range{0, 23}));
  ReadSendTime(cs, cfg, plan);
  base.every_days = static_cast<int>(cs.Int("every_days", 7, Range{1, 365}));
  const int def_max = plan.trigger == Trigger::kSchedule ? 12 : plan.trigger == Trigger::kBackInStock ? 6 : 1;
  base.max_sends = static_cast<int>(cs.Int("max_sends", def_max, Range{1, 255}));
  base.min_gap_days = static_cast<int>(cs.Int("min_gap_days", 0, Range{0, 365}));
  base.incentive = static_cast<models::Incentive>(cs.Enum("incentive", "none", models::kIncentiveNames));
  base.incentive_value = cs.Real("incentive_value", 0.0, kNonNegative);
  return base;
}

// --- who it is for ---

// The stages a goal can convert from, unless the audience says otherwise.
std::uint8_t DefaultAudienceStages(const models::CampaignPlan& plan) {
  if (plan.trigger == Trigger::kEnterStage) return StageBits({plan.stage});
  switch (plan.goal) {
    case Goal::kSignUp: return StageBits({Stage::kProspect, Stage::kReach});
    case Goal::kFirstPurchase: return StageBits({Stage::kAcquisition});
    case Goal::kReactivation: return StageBits({Stage::kConversion, Stage::kRetention, Stage::kLoyalty, Stage::kChurned});
    case Goal::kReferral: return StageBits({Stage::kRetention, Stage::kLoyalty});
    case Goal::kReturnVisit:
      return StageBits({Stage::kAcquisition, Stage::kConversion, Stage::kRetention, Stage::kLoyalty});
    default: return StageBits({Stage::kConversion, Stage::kRetention, Stage::kLoyalty});
  }
}

// A goal that the audience can reach: checked against the trigger and the audience's stages.
void CheckGoalReachable(Section& cs, Section& au, const models::CampaignPlan& plan) {
  const std::uint8_t stages = plan.audience_stages;
  auto has = [&](Stage s) { return (stages >> static_cast<int>(s)) & 1u; };
  const std::string goal_name = models::kGoalNames[static_cast<int>(plan.goal)];
  const std::string trigger_name = models::kTriggerNames[static_cast<int>(plan.trigger)];
  const bool bought_trigger = plan.trigger == Trigger::kFirstPurchase || plan.trigger == Trigger::kPurchase ||
                              plan.trigger == Trigger::kLapsed || plan.trigger == Trigger::kInactive ||
                              plan.trigger == Trigger::kBackInStock;
  if ((plan.goal == Goal::kFirstPurchase || plan.goal == Goal::kSignUp) && bought_trigger)
    cs.Fail("goal", "a goal that customers reached by trigger \"" + trigger_name +
                        "\" can convert to (they have bought already), e.g. repeat_purchase or reactivation");
  if (plan.goal == Goal::kSignUp && !has(Stage::kProspect) && !has(Stage::kReach))
    au.Fail("stages", "\"prospect\" or \"reach\" for goal \"sign_up\"");
  if (plan.goal == Goal::kFirstPurchase && !has(Stage::kAcquisition))
    au.Fail("stages", "\"acquisition\" for goal \"first_purchase\"");
  if ((plan.goal == Goal::kRepeatPurchase || plan.goal == Goal::kReactivation) && (stages & 0xF8) == 0)
    au.Fail("stages", "a converted stage (conversion, retention, loyalty, churned) for goal \"" + goal_name + "\"");
}

// [campaigns.audience] stages, engagement and segments (opted_in is read once the arms are known).
void ReadAudience(Section& cs, Section& au, const ExperimentConfig& cfg, models::CampaignPlan& plan) {
  plan.audience_stages = static_cast<std::uint8_t>(
      au.NameSet("stages", StageNamesOf(DefaultAudienceStages(plan)), NamesOf(models::kStageNames)));
  plan.audience_engagement =
      static_cast<std::uint8_t>(au.NameSet("engagement", NamesOf(kAudienceEngagement), NamesOf(kAudienceEngagement)));
  if (au.Has("segments")) {
    const toml::node* n = au.Raw("segments");
    if (!n->is_array() || n->as_array()->empty()) au.Fail("segments", "a non-empty array of persona names");
    plan.audience_segments.assign(cfg.model.personas.size(), 0);
    const Names personas = PersonaNames(cfg.model);
    for (std::size_t i = 0; i < n->as_array()->size(); ++i)
      plan.audience_segments[au.LookupItem("segments", i, personas, "a persona name: ")] = 1;
  }
  CheckGoalReachable(cs, au, plan);
}

// By default the audience must be opted in to the variants' channel when they share one that is sent
// (not shown on a visit); with no such channel, opted_in defaults to [].
void ReadOptIn(Section& au, const CampaignConfig& cc, const ExperimentConfig& cfg, models::CampaignPlan& plan) {
  Names def_opt;
  int shared = -1;
  bool one = true;
  for (const auto& a : cc.arms) {
    if (a.holdout) continue;
    const int ch = static_cast<int>(a.treatment.channel);
    if (shared >= 0 && shared != ch) one = false;
    shared = ch;
  }
  if (one && shared >= 0 && !cfg.model.response.channels[shared].needs_visit)
    def_opt.push_back(models::kChannelNames[shared]);
  if (!au.Has("opted_in") && def_opt.empty()) {
    au.Set("opted_in", toml::array{});
    return;
  }
  plan.audience_opt_in = static_cast<std::uint8_t>(au.NameSet("opted_in", def_opt, NamesOf(models::kChannelNames)));
}

// --- factors and their planted effects ---

void ReadLevels(Section& fs, FactorConfig& f) {
  // Levels are strings or inline tables; strings become { name = "..." } in the resolved config.
  toml::node* ln = fs.Raw("levels");
  if (!ln || !ln->is_array() || ln->as_array()->size() < 2)
    fs.Fail("levels", "an array of at least two levels (names, or tables with a name and effects)");
  toml::array& arr = *ln->as_array();
  for (std::size_t k = 0; k < arr.size(); ++k)
    if (arr[k].is_string()) {
      toml::table t;
      t.insert("name", arr[k].as_string()->get());
      arr.replace(arr.cbegin() + static_cast<std::ptrdiff_t>(k), std::move(t));
    }
  std::set<std::string> level_names;
  for (Section& ls : fs.TableArray("levels", 0)) {
    LevelConfig level;
    if (!ls.Has("name")) ls.Fail("name", "a name for every level");
    level.name = ls.Str("name", "");
    if (!ValidName(level.name)) ls.Fail("name", "a name without '.', '+' or '='");
    if (!level_names.insert(level.name).second) ls.Fail("name", "a name not used by another level of " + f.name);
    level.effects = ReadEffects(ls);
    if (auto v = ls.OptEnum("channel", models::kChannelNames)) level.channel = static_cast<models::Channel>(*v);
    if (auto v = ls.OptEnum("send_policy", models::kSendPolicyNames))
      level.send_policy = static_cast<models::SendPolicy>(*v);
    if (auto v = ls.OptInt("send_hour", Range{0, 23})) level.send_hour = static_cast<int>(*v);
    if (auto v = ls.OptInt("every_days", Range{1, 365})) level.every_days = static_cast<int>(*v);
    if (auto v = ls.OptInt("max_sends", Range{1, 255})) level.max_sends = static_cast<int>(*v);
    if (auto v = ls.OptInt("min_gap_days", Range{0, 365})) level.min_gap_days = static_cast<int>(*v);
    if (auto v = ls.OptEnum("incentive", models::kIncentiveNames)) level.incentive = static_cast<models::Incentive>(*v);
    if (auto v = ls.OptReal("incentive_value", kNonNegative)) level.incentive_value = *v;
    ls.Finish();
    f.levels.push_back(level);
  }
  if (f.levels.size() > 255) fs.Fail("levels", "at most 255 levels (a campaign has at most 255 arms)");
}

void ReadFactors(Section& cs, CampaignConfig& cc) {
  std::set<std::string> factor_names;
  for (Section& fs : cs.TableArray("factors", 0)) {
    FactorConfig f;
    if (!fs.Has("name")) fs.Fail("name", "a name for every factor");
    f.name = fs.Str("name", "");
    if (!ValidName(f.name)) fs.Fail("name", "a name without '.', '+' or '='");
    if (!factor_names.insert(f.name).second) fs.Fail("name", "a name not used by another factor");
    ReadLevels(fs, f);
    fs.Finish();
    cc.factors.push_back(f);
  }
  if (cc.factors.size() > 15) cs.Fail("factors", "at most 15 factors");
}

void ReadInteractions(Section& cs, CampaignConfig& cc) {
  for (Section& is : cs.TableArray("interactions", 0)) {
    InteractionConfig in;
    const toml::node* n = is.Raw("levels");
    if (!n || !n->is_array() || n->as_array()->size() != 2 || !(*n->as_array())[0].is_string() ||
        !(*n->as_array())[1].is_string())
      is.Fail("levels", "two factor levels, e.g. [\"tone.urgent\", \"length.short\"]");
    std::tie(in.factor_a, in.level_a) = LevelRef(is, "levels", (*n->as_array())[0].as_string()->get(), cc.factors);
    std::tie(in.factor_b, in.level_b) = LevelRef(is, "levels", (*n->as_array())[1].as_string()->get(), cc.factors);
    if (in.factor_a == in.factor_b) is.Fail("levels", "levels of two different factors");
    in.effects = ReadEffects(is);
    is.Finish();
    cc.interactions.push_back(in);
  }
}

void ReadSegmentEffects(Section& cs, const ExperimentConfig& cfg, CampaignConfig& cc) {
  for (Section& ss : cs.TableArray("segment_effects", 0)) {
    SegmentEffectConfig se;
    se.persona = ss.Lookup("segment", ss.Str("segment", ""), PersonaNames(cfg.model), "a persona name: ");
    if (ss.Has("level")) std::tie(se.factor, se.level) = LevelRef(ss, "level", ss.Str("level", ""), cc.factors);
    se.effects = ReadEffects(ss);
    ss.Finish();
    cc.segment_effects.push_back(se);
  }
}

// --- the design: which level combinations become variants ---

// A variant's name: its levels joined by '+', or "message" without factors.
std::string VariantName(const CampaignConfig& cc, const std::vector<int>& levels) {
  std::string n;
  for (std::size_t f = 0; f < levels.size(); ++f) n += (f ? "+" : "") + cc.factors[f].levels[levels[f]].name;
  return n.empty() ? std::string("message") : n;
}

std::vector<std::vector<int>> FullFactorialRuns(Section& cs, const CampaignConfig& cc) {
  std::vector<int> counts;
  double total = 1;
  for (const auto& f : cc.factors) counts.push_back(static_cast<int>(f.levels.size())), total *= f.levels.size();
  if (total > 254)
    cs.Fail("factors", "a full factorial of at most 254 variants (this one has " +
                           std::to_string(static_cast<long long>(total)) + "; use design = \"fractional\" or \"explicit\")");
  return FullFactorial(counts);
}

std::vector<std::vector<int>> FractionalRuns(Section& cs, CampaignConfig& cc) {
  for (std::size_t f = 0; f < cc.factors.size(); ++f)
    if (cc.factors[f].levels.size() != 2)
      cs.Fail("design", "two levels per factor for a fractional design (factor " + cc.factors[f].name + " has " +
                            std::to_string(cc.factors[f].levels.size()) + ")");
  const int k = static_cast<int>(cc.factors.size());
  const int p = static_cast<int>(cs.Int("fraction", 1, Range{1, 14}));
  const bool given = cs.Has("generators");
  const Names gens = cs.OptStrArray("generators", "an array of strings such as \"D=ABC\"").value_or(Names{});
  try {
    const FractionalDesign fd = Fractional(k, p, gens);
    cc.generators = fd.generators;
    cc.resolution = fd.resolution;
    if (!given) {
      toml::array a;
      for (const auto& g : fd.generators) a.push_back(g);
      cs.Set("generators", std::move(a));
    }
    return fd.runs;
  } catch (const std::invalid_argument& e) {
    cs.Fail(given ? "generators" : "fraction", e.what());
  }
}

std::vector<ArmConfig> ExplicitVariants(Section& cs, const CampaignConfig& cc, double variant_weight) {
  std::vector<ArmConfig> variants;
  for (Section& vs : cs.TableArray("variants", 0)) {
    ArmConfig a;
    if (!vs.Has("name")) vs.Fail("name", "a name for every variant");
    a.name = vs.Str("name", "");
    a.weight = vs.Real("weight", variant_weight, kPositive);
    Section lv = vs.Table("levels");
    for (const auto& f : cc.factors) {
      if (!lv.Has(f.name)) lv.Fail(f.name, "a level of factor " + f.name + " for every variant");
      Names levels;
      for (const auto& l : f.levels) levels.push_back(l.name);
      a.levels.push_back(lv.Lookup(f.name, lv.Str(f.name, ""), levels, "a level of factor " + f.name + ": "));
    }
    lv.Finish();
    vs.Finish();
    variants.push_back(a);
  }
  if (variants.empty()) cs.Fail("variants", "at least one [[campaigns.variants]] for design = \"explicit\"");
  return variants;
}

std::vector<ArmConfig> ReadVariants(Section& cs, CampaignConfig& cc, int design, double variant_weight) {
  if (design == kExplicit) return ExplicitVariants(cs, cc, variant_weight);
  if (cs.Has("variants")) cs.Fail("variants", "no [[campaigns.variants]] unless design = \"explicit\"");
  const auto runs = design == kFullFactorial ? FullFactorialRuns(cs, cc) : FractionalRuns(cs, cc);
  std::vector<ArmConfig> variants;
  for (const auto& run : runs) {
    ArmConfig a;
    a.levels = run;
    a.name = VariantName(cc, run);
    a.weight = variant_weight;
    variants.push_back(a);
  }
  return variants;
}

// The arms: a holdout first (if any), then the variants; unique names; the control.
void ReadArms(Section& cs, CampaignConfig& cc) {
  const bool holdout = cs.Bool("holdout", true);
  const double holdout_weight = cs.Real("holdout_weight", 1.0, kPositive);
  const double variant_weight = cs.Real("variant_weight", 1.0, kPositive);
  const int design = cs.Enum("design", "full_factorial", kDesignNames);
  cc.design = kDesignNames[design];
  std::vector<ArmConfig> variants = ReadVariants(cs, cc, design, variant_weight);
  if (holdout) {
    ArmConfig h;
    h.name = "holdout";
    h.weight = holdout_weight;
    h.holdout = true;
    cc.arms.push_back(h);
  }
  for (auto& v : variants) cc.arms.push_back(v);
  if (cc.arms.empty()) cs.Fail("holdout", "at least one arm");
  if (cc.arms.size() > 255) cs.Fail("factors", "at most 255 arms");
  std::set<std::string> unique;
  Names arm_names;
  for (const auto& a : cc.arms) {
    if (!unique.insert(a.name).second)
      cs.Fail(design == kExplicit ? "variants" : "factors", "unique arm names (\"" + a.name + "\" appears twice)");
    arm_names.push_back(a.name);
  }
  cc.control_arm = cs.Lookup("control", cs.Str("control", cc.arms[0].name), arm_names, "the name of an arm: ");
}

// --- each arm's treatment ---

// Applies the levels' settings over the campaign's; two levels may not set one setting differently.
void ResolveArm(Section& cs, const CampaignConfig& cc, const Settings& base, ArmConfig& arm,
                const std::array<models::ChannelParams, models::kNumChannels>& channels) {
  const std::string where = "arm " + arm.name;
  Settings s = base;
  std::map<std::string, std::string> set_by;
  auto apply = [&](const char* key, const std::string& level_name, auto& target, const auto& value) {
    if (!value) return;
    auto it = set_by.find(key);
    if (it != set_by.end() && !(target == *value))
      cs.Fail("factors", "levels that do not both set " + std::string(key) + ": " + it->second + " and " +
                             level_name + " do in " + where);
    set_by[key] = level_name;
    target = *value;
  };
  for (std::size_t f = 0; f < arm.levels.size(); ++f) {
    const LevelConfig& l = cc.factors[f].levels[arm.levels[f]];
    const std::string ln = cc.factors[f].name + "." + l.name;
    apply("channel", ln, s.channel, l.channel);
    apply("send_policy", ln, s.send_policy, l.send_policy);
    apply("send_hour", ln, s.send_hour, l.send_hour);
    apply("every_days", ln, s.every_days, l.every_days);
    apply("max_sends", ln, s.max_sends, l.max_sends);
    apply("min_gap_days", ln, s.min_gap_days, l.min_gap_days);
    apply("incentive", ln, s.incentive, l.incentive);
    apply("incentive_value", ln, s.incentive_value, l.incentive_value);
    arm.treatment.effects += l.effects;
  }
  if (s.incentive == models::Incentive::kPercentDiscount && s.incentive_value >= 1.0)
    cs.Fail(set_by.count("incentive_value") ? "factors" : "incentive_value",
            "incentive_value < 1 for a percent_discount (a fraction off the order), not " +
                std::to_string(s.incentive_value) + " in " + where);
  auto& t = arm.treatment;
  t.holdout = arm.holdout;
  if (!t.holdout && s.send_policy != models::SendPolicy::kLocalHour && channels[static_cast<int>(s.channel)].needs_visit)
    cs.Fail(set_by.count("send_policy") ? "factors" : "send_policy",
            "send_policy \"local_hour\" for channel " + std::string(models::kChannelNames[static_cast<int>(s.channel)]) +
                " (its messages are shown during a visit, at the visit's hour) in " + where);
  t.channel = s.channel, t.send_policy = s.send_policy, t.send_hour = s.send_hour, t.every_days = s.every_days;
  t.max_sends = s.max_sends;
  t.min_gap_days = s.min_gap_days, t.incentive = s.incentive, t.incentive_value = static_cast<float>(s.incentive_value);
  for (const auto& in : cc.interactions)
    if (!arm.levels.empty() && arm.levels[in.factor_a] == in.level_a && arm.levels[in.factor_b] == in.level_b)
      t.effects += in.effects;
}

// Every arm's treatment, with segment deviations per persona.
void ResolveArms(Section& cs, const ExperimentConfig& cfg, const Settings& base, CampaignConfig& cc) {
  const std::size_t np = cfg.model.personas.size();
  for (ArmConfig& arm : cc.arms) {
    ResolveArm(cs, cc, base, arm, cfg.model.response.channels);
    if (cc.segment_effects.empty() || arm.holdout) continue;
    arm.treatment.segment_effects.assign(np, models::Logits{});
    for (const auto& se : cc.segment_effects)
      if (se.factor < 0 || arm.levels[se.factor] == se.level) arm.treatment.segment_effects[se.persona] += se.effects;
  }
}

// --- how it is analysed ---

// Attribution KPIs (the message funnel) count the campaign's own messages, which a holdout does not
// get: against a holdout control they cannot be a decision or a guardrail.
void CheckAttribution(Section& cs, const CampaignConfig& cc, const char* key, const std::vector<int>& kpis) {
  const auto& defs = models::CampaignKpiDefinitions();
  if (!cc.arms[cc.control_arm].holdout) return;
  for (std::size_t j = 0; j < kpis.size(); ++j)
    if (defs[kpis[j]].attribution)
      cs.FailItem(key, j,
                  std::string("a KPI the holdout control has too (") + defs[kpis[j]].name +
                      " counts the campaign's own messages, which the holdout does not get; to compare messages "
                      "among the variants, name one as the control)");
}

// KPI roles, the sequential horizon and the allocation of a campaign (docs/statistics.md).
void ReadAnalysis(Section& cs, CampaignConfig& cc) {
  const auto& defs = models::CampaignKpiDefinitions();
  const Names names = KpiNames(defs);
  ReadKpiRoles(cs, defs, defs[models::IncrementalKpiOf(cc.plan.goal)].name, {"unsubscribed_rate"},
               cc.primary_kpis, cc.guardrail_kpis);
  if (cc.primary_kpis.empty()) cs.Fail("primary_metrics", "at least one KPI name");
  CheckAttribution(cs, cc, "primary_metrics", cc.primary_kpis);
  CheckAttribution(cs, cc, "guardrail_metrics", cc.guardrail_kpis);
  cc.guardrail_margins = ReadGuardrailMargins(cs, defs, cc.guardrail_kpis);
  cc.best_by = cs.Lookup("best_by", cs.Str("best_by", defs[cc.primary_kpis[0]].name), names, "one of ");
  cc.sequential_customers = cs.Real("sequential_customers", 0.0, Range{0, 1e12});
  cc.thompson = cs.Enum("allocation", "fixed", kAllocationNames) == 1;
  const double arms = static_cast<double>(cc.arms.size());
  // Read under a fixed allocation too (and ignored), so switching with --set needs no other change.
  if (cc.thompson && cc.arms.size() < 2) cs.Fail("allocation", "\"fixed\" for a campaign with one arm");
  cc.min_share = cs.Real("min_share", std::min(0.05, 0.5 / arms), Range{0, 1 / arms, false, true});
  const std::string metric = cs.Str("allocation_metric", defs[cc.primary_kpis[0]].name);
  cc.allocation_kpi = cs.Lookup("allocation_metric", metric, names, "one of ");
  // A holdout sends no messages, so a message-funnel KPI has no value there and Thompson could never start.
  const bool holdout = std::any_of(cc.arms.begin(), cc.arms.end(), [](const ArmConfig& a) { return a.holdout; });
  if (cc.thompson && defs[cc.allocation_kpi].attribution && holdout)
    cs.Fail("allocation_metric", "a KPI that a holdout arm has too (not " + metric + ", which counts messages)");
}

// The assignment key: the explicit salt, or one derived from the seed and the campaign's name.
std::uint64_t CampaignSaltHash(const ExperimentConfig& cfg, const CampaignConfig& cc) {
  return models::SaltHash(cc.salt.empty() ? "seed:" + std::to_string(cfg.seed) + ":campaign:" + cc.name : cc.salt);
}

}  // namespace

std::vector<models::GuardrailMargin> ReadGuardrailMargins(Section& s, const std::vector<models::KpiDef>& defs,
                                                          const std::vector<int>& guardrails) {
  std::vector<models::GuardrailMargin> margins;
  for (const auto& d : defs) margins.push_back(d.margin);
  Section table = s.Table("guardrail_margins");
  for (int k : guardrails) {
    Section m = table.Table(defs[k].name);
    models::GuardrailMargin& g = margins[k];
    // One of absolute, relative or per_send; the registry's kind when none is written.
    int given = -1;
    for (int kind = 0; kind < 3; ++kind)
      if (m.Has(models::kMarginKindNames[kind])) {
        if (given >= 0)
          m.Fail(models::kMarginKindNames[kind], "one of absolute, relative or per_send, not both " +
                                                     std::string(models::kMarginKindNames[given]) + " and " +
                                                     models::kMarginKindNames[kind]);
        given = kind;
      }
    const auto kind = given >= 0 ? static_cast<models::MarginKind>(given) : g.kind;
    g = {kind, m.Real(models::kMarginKindNames[static_cast<int>(kind)], kind == g.kind ? g.value : 0.0, kNonNegative)};
    m.Finish();
  }
  table.Finish();
  return margins;
}

Names KpiNames(const std::vector<models::KpiDef>& defs) {
  Names names;
  for (const auto& d : defs) names.push_back(d.name);
  return names;
}

void ReadKpiRoles(Section& s, const std::vector<models::KpiDef>& defs, const std::string& def_primary,
                  const Names& def_guardrails, std::vector<int>& primary, std::vector<int>& guardrail) {
  const Names names = KpiNames(defs);
  auto is_primary = [&](int k) { return std::find(primary.begin(), primary.end(), k) != primary.end(); };
  primary = s.NameList("primary_metrics", {def_primary}, names, "KPI");
  Names def_guard;
  for (const auto& g : def_guardrails)
    if (!is_primary(IndexOf(names, g))) def_guard.push_back(g);
  guardrail = s.NameList("guardrail_metrics", def_guard, names, "KPI");
  for (int k : guardrail)
    if (is_primary(k))
      s.Fail("guardrail_metrics", std::string("KPIs that are not also primary_metrics (") + defs[k].name +
                                      " is in both)");
}

void ReadCampaign(Section& cs, ExperimentConfig& cfg, std::set<std::string>& campaign_names) {
  CampaignConfig cc;
  auto& plan = cc.plan;
  ReadIdentity(cs, cc, campaign_names);
  ReadTrigger(cs, plan);
  ReadGoal(cs, plan);
  const Settings base = ReadMessageSettings(cs, cfg, plan);
  Section au = cs.Table("audience");
  ReadAudience(cs, au, cfg, plan);
  ReadFactors(cs, cc);
  ReadInteractions(cs, cc);
  ReadSegmentEffects(cs, cfg, cc);
  ReadArms(cs, cc);
  ResolveArms(cs, cfg, base, cc);
  ReadOptIn(au, cc, cfg, plan);
  au.Finish();
  ReadAnalysis(cs, cc);
  plan.start_day = cfg.clock.window_start();
  plan.end_day = cfg.clock.window_end();
  for (const auto& a : cc.arms) plan.arms.push_back(a.treatment);
  plan.adaptive = cc.thompson;
  plan.salt_hash = CampaignSaltHash(cfg, cc);
  cs.Finish();
  cfg.campaigns.push_back(std::move(cc));
}

}  // namespace lclab::experiments
