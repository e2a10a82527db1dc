// Parameters of the customer model (docs/model.md).
// Every field carries its unit, range and default. The experiments layer fills
// these from a config; models never sees a config file or an arm name.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lclab::models {

// Lifecycle stages, in order. Converted customers are in kConversion or later.
enum class Stage : std::uint8_t {
  kProspect = 0,
  kReach,
  kAcquisition,
  kConversion,
  kRetention,
  kLoyalty,
  kChurned,
};
inline constexpr int kNumStages = 7;
inline constexpr std::array<const char*, kNumStages> kStageNames = {
    "prospect", "reach", "acquisition", "conversion", "retention", "loyalty", "churned"};

// Engagement labels of converted customers, from days since the last purchase
// (observable); kNone for customers who never bought.
enum class Engagement : std::uint8_t { kActive = 0, kLapsed, kInactive, kNone };
inline constexpr int kNumEngagement = 3;
inline constexpr std::array<const char*, kNumEngagement> kEngagementNames = {"active", "lapsed", "inactive"};

// Message channels. In-app messages and web pop-ups are seen only during a visit
// (ChannelParams::needs_visit).
enum class Channel : std::uint8_t { kEmail = 0, kPush, kWebPush, kInApp, kSms, kWebPopup };
inline constexpr int kNumChannels = 6;
inline constexpr std::array<const char*, kNumChannels> kChannelNames = {"email",  "push", "web_push",
                                                                        "in_app", "sms",  "web_popup"};

enum class Chronotype : std::uint8_t { kMorning = 0, kMidday, kEvening };
inline constexpr int kNumChronotypes = 3;
inline constexpr std::array<const char*, kNumChronotypes> kChronotypeNames = {"morning", "midday", "evening"};
// Peak local hour of each chronotype's activity profile.
inline constexpr std::array<float, kNumChronotypes> kChronotypePeak = {8.0f, 13.0f, 20.0f};

// A persona (segment): mix weight and the traits that differ by segment.
struct Persona {
  std::string name;                   // label, unique
  double weight = 1.0;                // mix weight, > 0 (normalised over personas)
  double signup_rate = 0.02;          // per day, reach -> acquisition hazard, >= 0
  double first_purchase_rate = 0.02;  // per day, acquisition -> conversion hazard, >= 0
  double purchase_rate_multiplier = 1.0;  // scales the BG/NBD purchase rate, > 0
  double responsiveness_mean = 0.0;   // mean of rho on the logit scale
  double price_sensitivity_mean = 1.0;  // mean of the Gamma price sensitivity, > 0
  double quality = 7.8;               // mean purchase experience, 0..10 scale
  std::array<double, kNumChronotypes> chronotype_weights = {0.35, 0.30, 0.35};  // >= 0, sum > 0
  std::array<double, kNumChannels> opt_in = {0.85, 0.45, 0.20, 0.60, 0.30, 1.0};  // probabilities 0..1
};

// BG/NBD purchase and drop-out model, Gamma-Gamma spend (CDNOW fits, docs/references.md).
struct PurchaseParams {
  double r = 0.243;             // Gamma shape of the purchase rate, > 0
  double alpha_days = 4.414 * 7;  // Gamma rate parameter alpha, in days (CDNOW: 4.414 weeks), > 0
  double a = 0.793;             // Beta(a, b) drop-out probability after each repeat purchase, > 0
  double b = 2.426;             // > 0
  double spend_p = 6.25;        // Gamma-Gamma p (shape of each order's value), > 0
  double spend_q = 3.74;        // Gamma-Gamma q (shape of the spend scale), > 1 for a finite mean
  double spend_gamma = 15.44;   // Gamma-Gamma gamma (rate of the spend scale), > 0
};

// Stage dynamics and word of mouth.
struct LifecycleParams {
  int lapse_days = 60;          // no purchase for this long: lapsed, >= 1
  int inactive_days = 180;      // no purchase for this long: inactive, > lapse_days
  int churn_days = 180;         // dead (or unsubscribed everywhere) and no purchase this long: churned, >= 1
  int k_loyal = 3;              // purchases in loyal_window for loyalty, 1..8
  int loyal_window = 180;       // days, >= 1
  int loyal_min_score = 9;      // minimum 0-10 likelihood-to-recommend for loyalty (promoter)
  double forget_rate = 0.005;   // per day, reach -> prospect, >= 0
  double bass_p = 0.03;         // Bass innovation coefficient, per year, >= 0
  double bass_q = 0.38;         // Bass imitation coefficient, per year, >= 0
  double referral_rate = 0.01;  // referrals per loyal promoter per day, >= 0
  double referral_signup_prob = 0.3;  // a referred prospect skips to acquisition with this probability, 0..1
};

// Satisfaction, NPS and CSAT.
struct SatisfactionParams {
  double initial_mean = 7.5;     // S at sign-up, Normal mean (0-10 scale)
  double initial_sd = 1.5;       // >= 0
  double experience_sd = 1.5;    // sd of each purchase experience around the persona's quality, >= 0
  double weight = 0.3;           // S <- (1 - w) S + w e, 0..1
  double fatigue_threshold = 3.0;  // fatigue above which each message lowers S, >= 0
  double fatigue_penalty = 0.2;  // S lost per message sent above the threshold, >= 0
  double csat_threshold = 7.0;   // S at or above this counts as satisfied (CSAT)
};

// Web visits and bounces, per stage (daily probabilities).
struct WebParams {
  std::array<double, kNumStages> visit_prob = {0.0, 0.03, 0.05, 0.06, 0.08, 0.12, 0.005};  // 0..1
  std::array<double, kNumStages> bounce_prob = {0.0, 0.65, 0.50, 0.40, 0.35, 0.25, 0.70};  // 0..1
  double click_visit_boost = 4.0;  // visit probability multiplier while a click's halo lasts, >= 1
};

// A channel's delivery and response rates. With ResponseParams::calibrate
// (the default) `open` and `unsubscribe` are population targets: the model's
// intercepts are solved so that the average customer-hour reaches them;
// otherwise they are a typical customer's rates (rho = 0, mean activity, no
// fatigue). `click` has no customer-level term, so it is exact either way.
struct ChannelParams {
  double delivery = 0.99;       // probability a send is delivered, 0..1
  double open = 0.22;           // open (tap) probability of a delivered message, (0, 1)
  double click = 0.13;          // click probability given an open, (0, 1)
  double unsubscribe = 0.0025;  // unsubscribe probability per delivered message, (0, 1)
  double cost = 0.001;          // money per send, >= 0
  bool needs_visit = false;     // delivered only if the customer visits that day (in-app, web pop-up)
};

// Message response (the logit model of docs/model.md "Campaigns and messages").
struct ResponseParams {
  // Defaults: docs/model.md "Channel defaults" gives the sources.
  std::array<ChannelParams, kNumChannels> channels = {
      ChannelParams{0.990, 0.2271, 0.128, 0.0025, 0.001, false},  // email: Mailchimp 2019, all industries
      ChannelParams{0.950, 0.060, 0.30, 0.0040, 0.0005, false},   // push
      ChannelParams{0.900, 0.040, 0.30, 0.0050, 0.0005, false},   // web push
      ChannelParams{1.000, 0.300, 0.20, 0.0010, 0.0, true},       // in-app (seen on a visit)
      ChannelParams{0.980, 0.350, 0.10, 0.0050, 0.0075, false},   // SMS
      ChannelParams{1.000, 0.100, 0.35, 0.0001, 0.0, true},       // web pop-up (seen on a visit)
  };
  bool calibrate = true;           // solve open / unsubscribe intercepts to the channels' population rates
  double incentive_reference_value = 35.2;  // money: a money incentive of this size counts as a 100% discount
                                            // in the goal logit (CDNOW Gamma-Gamma mean order value)
  double points_redemption = 0.7;  // share of points value that is redeemed (paid for), 0..1
  double responsiveness_sd = 0.8;  // sd of rho, logit scale, >= 0
  double activity_weight = 0.12;   // eta: weight of log A(h) in the open logit, >= 0 (docs/validation.md)
  double fatigue_mean = 0.3;       // mean of the Gamma fatigue sensitivity phi, >= 0
  double fatigue_shape = 2.0;      // shape of that Gamma, > 0
  double fatigue_tau_days = 7.0;   // decay time of fatigue, > 0
  double unsubscribe_fatigue = 0.4;  // u_f: logit increase of unsubscribing per unit fatigue, >= 0
  double price_sensitivity_shape = 4.0;  // shape of the Gamma price sensitivity (mean per persona), > 0
  double incentive_effect = 4.0;   // logit increase of goal conversion per unit discount x price sensitivity
  double halo_days = 3;            // days an open without a click lifts the purchase hazard, >= 0
  double halo_boost = 1.5;         // purchase hazard multiplier during the halo, >= 1
  double kappa_mean = 1.5;         // mean concentration of the activity profile, > 0
  double kappa_shape = 4.0;        // Gamma shape of the concentration, > 0
  double peak_sd_hours = 1.5;      // sd of a customer's peak hour around the chronotype's, >= 0
  double weekend_shift_hours = 1.5;  // the activity peak is this much later on Saturdays and Sundays, -12..12
  // Open delay (docs/model.md "Open delay"): P(k hours) ~ A(h + k) (1 + k / scale)^-shape, fitted to the
  // published shares of opens by hours after delivery (docs/validation.md).
  double open_delay_scale_hours = 1.4;  // > 0
  double open_delay_shape = 1.25;       // > 0
};

// Initial stage mix at day 0 (shares, normalised).
struct InitialMix {
  double prospect = 0.55;
  double reach = 0.20;
  double acquisition = 0.10;
  double customer = 0.15;
  int tenure_days = 180;  // initial customers' first purchase is uniform on [-tenure_days, 0], with
                          // their repeat purchases until day 0 simulated; 0: all on day 0, 0..10000
};

// How the simulator advances customers through the days (docs/model.md "Event stepping"). Both draw the
// same uniforms and give the same results, bit for bit; event stepping is faster.
enum class Stepping : std::uint8_t {
  kEvent = 0,  // step a customer only on days something happens to it (the default)
  kDaily,      // step every customer every day (the reference the tests compare with)
};
inline constexpr std::array<const char*, 2> kSteppingNames = {"event", "daily"};

// Everything the model needs. Filled by the experiments layer.
struct ModelParams {
  std::vector<Persona> personas = {Persona{.name = "default"}};
  std::vector<int> tz_offsets = {0};   // hours, -12..14
  std::vector<double> tz_weights = {1.0};  // > 0, same length as tz_offsets
  InitialMix initial;
  PurchaseParams purchase;
  LifecycleParams lifecycle;
  SatisfactionParams satisfaction;
  WebParams web;
  ResponseParams response;
  Stepping stepping = Stepping::kEvent;
};

}  // namespace lclab::models
