// The email and send_time groups: how the default world answers a weekly
// email (open, click and unsubscribe rates per delivered message, and how
// soon opens come), and what per-customer send times gain in the send-time
// example.
#include <cmath>
#include <stdexcept>
#include <string>

#include "experiments/config/config.h"
#include "experiments/facts/facts.h"
#include "experiments/runner.h"

namespace lclab::facts {
namespace {

constexpr const char* kMailchimp = "Mailchimp (2019), 12 industries from daily deals to the arts";

experiments::RunResult Run(const experiments::ExperimentConfig& cfg, const FactOptions& o) {
  experiments::RunOptions ro;
  ro.threads = o.threads, ro.progress = o.progress;
  return experiments::RunExperiment(cfg, ro);
}

// A share of messages; its se treats the messages as independent (a customer gets many, so the real
// sampling error is somewhat larger: docs/validation.md).
Fact Rate(std::string id, std::string what, const char* source, double low, double high, double hits, double n) {
  Fact f;
  f.id = std::move(id), f.what = std::move(what), f.source = source, f.low = low, f.high = high, f.unit = "%";
  const Share share{hits, n};
  f.value = share.Value(), f.se = share.Se();
  return f;
}

const experiments::ArmResult& Arm(const experiments::CampaignResult& c, const std::string& name) {
  for (const auto& a : c.arms)
    if (a.name == name) return a;
  throw std::runtime_error("the send-time example has no arm " + name);
}

// The relative lift of arm b's open rate per delivery over arm a's, with its delta-method sd (messages
// taken as independent, as in Rate).
Fact Lift(std::string id, std::string what, const char* source, double low, double high,
          const experiments::ArmResult& a, const experiments::ArmResult& b) {
  const double pa = static_cast<double>(a.opens) / static_cast<double>(a.deliveries);
  const double pb = static_cast<double>(b.opens) / static_cast<double>(b.deliveries);
  Fact f;
  f.id = std::move(id), f.what = std::move(what), f.source = source, f.low = low, f.high = high, f.unit = "%";
  f.value = pb / pa - 1.0;
  f.se = pb / pa * std::sqrt((1 - pa) / (pa * static_cast<double>(a.deliveries)) +
                             (1 - pb) / (pb * static_cast<double>(b.deliveries)));
  return f;
}

}  // namespace

// A weekly email for half a year, sent at 10:00 local, to the default world's converted customers (the
// repeat_purchase goal's audience).
std::vector<Fact> EmailFacts(const FactOptions& o) {
  const std::string text =
      "[simulation]\nseed = 2019\nwarmup_days = 60\ndays = 182\n"
      "[population]\nsize = " + std::to_string(o.customers) + "\n"
      "[[campaigns]]\nname = \"weekly_email\"\ntrigger = \"schedule\"\nevery_days = 7\nmax_sends = 26\n"
      "goal = \"repeat_purchase\"\nchannel = \"email\"\nholdout = false\n";
  const experiments::RunResult r = Run(experiments::LoadConfigText(text, "(weekly email world)", o.sets), o);
  const experiments::ArmResult& a = r.campaigns.at(0).arms.at(0);
  const double delivered = static_cast<double>(a.deliveries), opens = static_cast<double>(a.opens);
  std::vector<Fact> out;
  out.push_back(Rate("open_rate", "opens per delivered email", kMailchimp, 0.1506, 0.2627, opens, delivered));
  out.push_back(Rate("click_rate", "clicks per delivered email", kMailchimp, 0.0192, 0.0295,
                     static_cast<double>(a.clicks), delivered));
  out.push_back(Rate("unsubscribe_rate", "unsubscribes per delivered email", kMailchimp, 0.0010, 0.0039,
                     static_cast<double>(a.unsubscribes), delivered));
  double within[24] = {};
  for (int k = 0; k < 24; ++k) within[k] = (k ? within[k - 1] : 0.0) + static_cast<double>(a.open_delay[k]);
  out.push_back(Rate("opens_first_hour", "share of opens in the first hour after delivery",
                     "GetResponse (2012) 23.6% and 21.5%; Inntopia 27%; Mailchimp (2006) about a third", 0.21, 0.33,
                     within[0], opens));
  out.push_back(Rate("opens_within_6h", "share of opens within 6 hours of delivery",
                     "MailerMailer (2013) 51.8%; Mailchimp (2006) 53%; Inntopia 61%", 0.50, 0.62, within[5], opens));
  out.push_back(Rate("opens_within_24h", "share of opens within a day of delivery",
                     "MailerMailer (2013) 78.9%; Mailchimp (2006) 78%; audiences and send times differ: 75-85%", 0.75,
                     0.85, within[23], opens));
  return out;
}

// The send-time example (experiments/configs/send_time.toml) as it ships.
std::vector<Fact> SendTimeFacts(const FactOptions& o) {
  const experiments::RunResult r =
      Run(experiments::LoadConfig(o.root + "/experiments/configs/send_time.toml", o.sets), o);
  const experiments::CampaignResult& c = r.campaigns.at(0);
  std::vector<Fact> out;
  out.push_back(Lift("oracle_lift", "open rate of each reader's best hour over 08:00 local",
                     "vendors: up to 25% (Optimizely, Salesforce); controlled tests 0-12%", 0.0, 0.25,
                     Arm(c, "local_8am"), Arm(c, "oracle")));
  out.push_back(Lift("learned_lift", "open rate of learned per-reader hours over 08:00 local",
                     "Emarsys pilot 2-12%; GetResponse (2012) best fixed hours +6%", 0.02, 0.12, Arm(c, "local_8am"),
                     Arm(c, "learned")));
  return out;
}

}  // namespace lclab::facts
