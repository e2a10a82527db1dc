// The send-time part of the text summary: per arm, regret against the oracle
// and how often the policy's hour was near each recipient's best hour, over
// the window; then the open rate by local delivery hour.
#include <cmath>

#include "experiments/report/format.h"
#include "experiments/report/summary_parts.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

// Share of a cell's sends on days [from, to] whose policy hour was within 1 h of the best hour.
std::string NearBestShare(const RunResult& r, int cell, int from, int to) {
  std::int64_t near = 0, sends = 0;
  for (int d = std::max(0, from); d <= to && d < static_cast<int>(r.daily.size()); ++d)
    near += r.daily[d].cells[cell].near_best, sends += r.daily[d].cells[cell].sends;
  return sends ? Fixed(100.0 * static_cast<double>(near) / static_cast<double>(sends), 1) + "%" : "-";
}

std::string Share(std::int64_t part, std::int64_t whole) {
  return Fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "%";
}

void PrintConstraints(std::ostream& os, const models::SendWindow& w) {
  os << "\n  Send time: regret = expected opens lost against each recipient's best allowed hour that day; "
        "'within 1 h' = sends whose policy hour was within 1 h of the recipient's true best hour";
  if (w.quiet_start != w.quiet_end) os << "; quiet hours " << w.quiet_start << ":00-" << w.quiet_end << ":00 local";
  if (w.window_start != w.window_end)
    os << "; delivery window " << w.window_start << ":00-" << w.window_end << ":00 UTC" << (w.zone < 0 ? "" : "+")
       << w.zone;
  os << "\n";
}

void PrintPolicyTable(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const CampaignResult& cr = r.campaigns[c];
  int offset = 0;
  for (int k = 0; k < c; ++k) offset += static_cast<int>(cfg.campaigns[k].arms.size());
  auto kpi = [&](int k, int arm) -> double {
    for (const auto& row : cr.kpis)
      if (row.arm == arm && row.kpi == k) return row.estimate.estimate;
    return std::nan("");
  };
  const int start = cc.plan.start_day, end = cc.plan.end_day;
  std::vector<std::pair<std::string, int>> marks;  // label, last day of a 7-day span
  for (int d : {7, 30, 90})
    if (start + d <= end) marks.push_back({"days " + std::to_string(d - 6) + "-" + std::to_string(d), start + d - 1});
  marks.push_back({"last 7 days", end - 1});
  std::vector<std::string> header = {"arm", "policy", "delivered", "open rate", "click rate", "goal conv.",
                                     "regret /1k", "regret %", "within 1 h"};
  for (const auto& m : marks) header.push_back(m.first);
  header.push_back("own history"), header.push_back("deferred");
  std::vector<std::vector<std::string>> t = {header};
  for (std::size_t a = 0; a < cr.arms.size(); ++a) {
    const auto& x = cr.arms[a];
    if (x.holdout) continue;
    const auto& tr = cc.arms[a].treatment;
    std::string policy = models::kSendPolicyNames[static_cast<int>(tr.send_policy)];
    if (tr.send_policy == models::SendPolicy::kLocalHour || tr.send_policy == models::SendPolicy::kZoneHour)
      policy += " " + std::to_string(tr.send_hour) + ":00";
    const double regret = x.oracle_opens - x.expected_opens;
    // In-app messages and pop-ups land at the visit's hour: no policy hour to judge.
    const bool on_visit = cfg.model.response.channels[static_cast<int>(tr.channel)].needs_visit;
    const int cell = offset + static_cast<int>(a), ai = static_cast<int>(a);
    std::vector<std::string> row = {x.name, policy, Thousands(x.deliveries),
                                    Fixed(100 * kpi(models::kOpenRate, ai), 2) + "%",
                                    Fixed(100 * kpi(models::kClickRate, ai), 2) + "%",
                                    Fixed(100 * kpi(models::kGoalConversionRate, ai), 2) + "%",
                                    x.deliveries ? Fixed(1000 * regret / static_cast<double>(x.deliveries), 1) : "-",
                                    x.oracle_opens > 0 ? Fixed(100 * regret / x.oracle_opens, 1) + "%" : "-",
                                    x.sends && !on_visit ? Share(x.near_best, x.sends) : "-"};
    for (const auto& m : marks) row.push_back(on_visit ? "-" : NearBestShare(r, cell, m.second - 6, m.second));
    row.push_back(x.sends && models::UsesHistory(tr.send_policy) ? Share(x.from_history, x.sends) : "-");
    row.push_back(Thousands(x.deferred));
    t.push_back(row);
  }
  PrintTable(os, t, "  ");
}

void PrintOpenRateByHour(std::ostream& os, const CampaignResult& cr) {
  os << "\n  Open rate by local delivery hour (opens / deliveries)\n";
  std::vector<std::vector<std::string>> ht = {{"hour"}};
  for (const auto& x : cr.arms)
    if (!x.holdout) ht[0].push_back(x.name);
  for (int h = 0; h < 24; ++h) {
    std::vector<std::string> row = {(h < 10 ? "0" : "") + std::to_string(h) + ":00"};
    bool any = false;
    for (const auto& x : cr.arms) {
      if (x.holdout) continue;
      const auto d = x.hour_deliveries[h];
      any = any || d > 0;
      row.push_back(d ? Share(x.hour_opens[h], d) + " of " + sim::FormatSi(static_cast<double>(d)) : "");
    }
    if (any) ht.push_back(row);
  }
  PrintTable(os, ht, "  ");
}

}  // namespace

bool HasSendTimeStudy(const CampaignConfig& cc) {
  const auto& w = cc.plan.send_window;
  if (w.quiet_start != w.quiet_end || w.window_start != w.window_end) return true;
  int hour = -1;
  for (const auto& a : cc.arms) {
    if (a.holdout) continue;
    const auto& t = a.treatment;
    if (t.send_policy != models::SendPolicy::kLocalHour || (hour >= 0 && hour != t.send_hour)) return true;
    hour = t.send_hour;
  }
  return false;
}

void PrintSendTime(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c) {
  PrintConstraints(os, cfg.campaigns[c].plan.send_window);
  PrintPolicyTable(os, cfg, r, c);
  PrintOpenRateByHour(os, r.campaigns[c]);
}

}  // namespace lclab::experiments
