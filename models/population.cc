#include "models/population.h"

#include <cassert>

#include "sim/columns.h"

namespace lclab::models {

// A new column must also be listed in ForEachColumn (38 columns + recent_k).
static_assert(sizeof(Population) == 38 * sizeof(std::vector<int>) + sizeof(std::size_t),
              "Population gained or lost a column: update ForEachColumn");

void Population::Resize(std::size_t n, int k) {
  assert(k >= 1 && k <= kMaxLoyalK);
  recent_k = k;
  sim::AssignColumns(*this, n);
}

std::size_t Population::BytesPerCustomer() { return sim::BytesPerRow(*this); }

}  // namespace lclab::models
