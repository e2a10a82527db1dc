#include "models/population.h"

#include <cassert>

namespace lclab::models {

void Population::Resize(std::size_t n, int k) {
  assert(k >= 1 && k <= kMaxLoyalK);
  recent_k = k;
  auto z = [n](auto& v) { v.assign(n, {}); };
  auto never = [n](std::vector<std::int16_t>& v) { v.assign(n, kNever); };
  z(segment), z(tz_offset), z(chronotype), z(peak_hour), z(kappa), z(lambda), z(no_purchase), z(dropout), z(spend_rate);
  z(responsiveness), z(fatigue_sens), z(price_sens), z(opt_in);
  z(stage), z(flags), z(unsubscribed), z(satisfaction), z(fatigue), z(orders);
  never(signup_day), never(first_purchase_day), never(last_purchase_day), never(halo_until);
  never(last_message_day), never(entered_day);
  recent.assign(n * k, kNever);
  z(arm), z(entry_stage), z(sends), z(delivered), z(opens), z(clicks), z(goals), z(exp_unsub);
  z(exp_orders), z(exp_revenue), z(exp_discount), z(pre_revenue);
}

std::size_t Population::BytesPerCustomer() const {
  // u8 columns: segment tz chronotype opt_in stage flags unsubscribed arm entry_stage
  //             sends delivered opens clicks goals exp_unsub
  // f32: peak kappa lambda no_purchase dropout spend_rate responsiveness fatigue_sens price_sens
  //      satisfaction fatigue exp_revenue exp_discount pre_revenue
  // i16: signup first last halo last_message entered, recent x k; u16: orders exp_orders
  return 15 * 1 + 14 * 4 + 6 * 2 + 2 * static_cast<std::size_t>(recent_k) + 2 * 2;
}

}  // namespace lclab::models
