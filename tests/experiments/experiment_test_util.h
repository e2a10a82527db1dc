// A small world the experiment-layer tests share: existing customers, a
// 10% global control, and one post-purchase email campaign with a holdout and
// two variants, one of which lifts opens and goals. Quick to run (about
// 20,000 customers x 50 days).
#pragma once

#include <string>

namespace lclab::experiments::testing {

inline const char* kSmallWorld = R"(
[simulation]
seed = 3
warmup_days = 20
days = 30

[population]
size = 20000
initial = { prospect = 0.2, reach = 0.1, acquisition = 0.1, customer = 0.6 }

[programme]
global_control = 0.1

[[campaigns]]
name = "post_purchase"
trigger = "purchase"
goal = "repeat_purchase"
goal_rate = 0.5
primary_metrics = ["repeat_purchase_rate", "revenue_per_customer"]

[[campaigns.factors]]
name = "copy"
levels = ["plain", { name = "bold", open = 0.8, goal = 1.0 }]
)";

}  // namespace lclab::experiments::testing
