#include "models/population.h"

#include <cassert>

#include "models/campaign.h"
#include "sim/columns.h"

namespace lclab::models {

// A new column must also be listed in ForEachColumn (the 6 words besides the columns: the sizes of the
// rings and histories, and the slice: first, total, distributed).
static_assert(sizeof(Population) == 41 * sizeof(std::vector<int>) + 6 * alignof(std::vector<int>) +
                                        sizeof(std::vector<CampaignColumns>) + sizeof(std::vector<StandingTally>) +
                                        sizeof(std::vector<std::uint64_t>),
              "Population gained or lost a column: update ForEachColumn");
static_assert(sizeof(CampaignColumns) == 16 * sizeof(std::vector<int>),
              "CampaignColumns gained or lost a column: update ForEachColumn");

void Population::Resize(std::size_t n, int k, int num_campaigns, int cap, bool history, int threads) {
  assert(k >= 1 && k <= kMaxLoyalK);
  assert(cap >= 0 && cap <= kMaxCap);
  recent_k = k;
  cap_k = cap;
  hist_width = history ? 1 : 0;
  campaigns.assign(static_cast<std::size_t>(num_campaigns), CampaignColumns{});
  sim::AssignColumns(*this, n, threads);
  standing.clear();
  stepped.assign((n + 63) / 64, 0);
  first = 0, total = n, distributed = false;
}

std::size_t Population::BytesPerCustomer() { return sim::BytesPerRow(*this); }

}  // namespace lclab::models
