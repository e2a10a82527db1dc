#include "experiments/report/fit_report.h"

#include <cmath>
#include <cstdio>

#include "experiments/report/format.h"
#include "experiments/report/h5_table.h"
#include "experiments/report/hdf5_report.h"
#include "lclab/version.h"
#include "models/clv_models.h"

namespace lclab::experiments {
namespace {

struct ParameterRow {
  std::string model, parameter;
  double estimate, se;
};
struct ModelRow {
  std::string model;
  double log_likelihood, aic, bic;
  int evaluations;
  bool converged;
  std::string status;
};

std::vector<std::pair<std::string, const MleFit*>> Fits(const FitOutcome& f) {
  std::vector<std::pair<std::string, const MleFit*>> out;
  if (f.has_log) out = {{"bgnbd", &f.bgnbd}, {"pareto_nbd", &f.pareto}, {"gamma_gamma", &f.gamma_gamma}};
  if (f.has_survival) out.push_back({"sbg", &f.sbg});
  return out;
}

std::string Num(double v, const char* format = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

void WriteLogTables(sim::H5Writer& w, const FitOutcome& f) {
  const LogSummary& log = f.log;
  const Forecast& fc = f.forecast;
  struct CustomerRow {
    std::size_t i;
  };
  std::vector<CustomerRow> rows;
  for (std::size_t i = 0; i < log.customers.size(); ++i) rows.push_back({i});
  WriteTable(w, "/customers", rows, Col("id", [&](const CustomerRow& r) { return log.ids[r.i]; }),
             Col("x", [&](const CustomerRow& r) { return log.customers[r.i].x; }),
             Col("t_x", [&](const CustomerRow& r) { return log.customers[r.i].t_x; }),
             Col("T", [&](const CustomerRow& r) { return log.customers[r.i].T; }),
             Col("mean_value", [&](const CustomerRow& r) { return log.customers[r.i].mean_value; }),
             Col("holdout", [&](const CustomerRow& r) { return fc.has_holdout ? log.holdout[r.i] : std::nan(""); }),
             Col("p_alive", [&](const CustomerRow& r) { return fc.p_alive[r.i]; }),
             Col("expected", [&](const CustomerRow& r) { return fc.expected[r.i]; }));
  struct ByX {
    int x;
  };
  std::vector<ByX> by_x;
  if (fc.has_holdout)
    for (int x = 0; x < 8; ++x) by_x.push_back({x});
  WriteTable(w, "/holdout_by_frequency", by_x, Col("x", &ByX::x),
             Col("customers", [&](const ByX& r) { return fc.customers_by_x[r.x]; }),
             Col("actual", [&](const ByX& r) { return fc.actual_by_x[r.x]; }),
             Col("predicted", [&](const ByX& r) { return fc.predicted_by_x[r.x]; }));
  struct Week {
    int week;
  };
  std::vector<Week> weeks;
  for (std::size_t k = 0; k < fc.tracking_actual.size(); ++k) weeks.push_back({static_cast<int>(k) + 1});
  WriteTable(w, "/tracking", weeks, Col("week", &Week::week),
             Col("actual", [&](const Week& r) { return fc.tracking_actual[r.week - 1]; }),
             Col("expected", [&](const Week& r) { return fc.tracking_expected[r.week - 1]; }));
}

}  // namespace

void WriteFitResults(const std::string& path, const FitRequest& q, const FitOutcome& f, const FitInfo& info,
                     const sim::StopFlag* stop) {
  sim::H5Writer w(path, stop);
  std::vector<ParameterRow> params;
  std::vector<ModelRow> models;
  for (const auto& [name, fit] : Fits(f)) {
    for (std::size_t i = 0; i < fit->names.size(); ++i) params.push_back({name, fit->names[i], fit->values[i], fit->se[i]});
    models.push_back({name, fit->log_likelihood, fit->aic, fit->bic, fit->evaluations, fit->converged, fit->status});
  }
  WriteTable(w, "/parameters", params, Col("model", &ParameterRow::model), Col("parameter", &ParameterRow::parameter),
             Col("estimate", &ParameterRow::estimate), Col("se", &ParameterRow::se));
  WriteTable(w, "/models", models, Col("model", &ModelRow::model), Col("log_likelihood", &ModelRow::log_likelihood),
             Col("aic", &ModelRow::aic), Col("bic", &ModelRow::bic), Col("evaluations", &ModelRow::evaluations),
             Col("converged", &ModelRow::converged), Col("status", &ModelRow::status));
  if (f.has_log) WriteLogTables(w, f);
  if (f.has_survival) {
    struct Period {
      int t;
    };
    std::vector<Period> periods;
    for (std::size_t t = 0; t < f.survivors.size(); ++t) periods.push_back({static_cast<int>(t)});
    WriteTable(w, "/survival", periods, Col("period", &Period::t),
               Col("survivors", [&](const Period& p) { return f.survivors[p.t]; }),
               Col("predicted", [&](const Period& p) {
                 return f.survivors.front() * models::SbgSurvival(f.sbg.values[0], f.sbg.values[1], p.t);
               }));
  }
  w.AttrString("/", "layout", kOutputLayout);
  w.AttrString("/", "kind", "fit");
  w.AttrString("/", "lclab_version", kVersion);
  w.AttrString("/", "build_id", kBuildId);
  w.AttrString("/", "command_line", info.command_line);
  w.AttrString("/", "log", q.log_path);
  w.AttrString("/", "survival", q.survival_path);
  w.AttrF64("/", "unit_days", info.unit_days);
  if (f.has_log) {
    w.AttrString("/", "calibration_end", q.log.calibration_end);
    w.AttrString("/", "holdout_end", q.log.holdout_end);
    w.AttrF64("/", "horizon", f.forecast.horizon);
    w.AttrF64("/", "frequency_spend_correlation", f.frequency_spend_correlation);
    w.AttrI64("/", "rows", f.log.rows);
    w.AttrI64("/", "same_day_merged", f.log.same_day_merged);
    w.AttrI64("/", "refunds_dropped", f.log.refunds_dropped);
    w.AttrI64("/", "after_end", f.log.after_end);
    w.AttrI64("/", "late_customers", f.log.late_customers);
  }
  w.Commit();
}

void PrintFit(std::ostream& os, const FitRequest& q, const FitOutcome& f, const FitInfo& info) {
  const std::string unit = info.unit_days == 7 ? "weeks" : info.unit_days == 1 ? "days" : Num(info.unit_days) + " days";
  os << "lclab " << kVersion << "  fit\n";
  if (f.has_log) {
    const LogSummary& log = f.log;
    int repeat = 0;
    for (const auto& c : log.customers) repeat += c.x > 0;
    os << q.log_path << ": " << Thousands(log.rows) << " rows, " << Thousands(static_cast<std::int64_t>(log.customers.size()))
       << " customers (" << Thousands(repeat) << " with repeat purchases) first buying by " << q.log.calibration_end
       << "; time in " << unit << "\n  rules: " << Thousands(log.same_day_merged)
       << " rows merged into a same-day purchase, " << Thousands(log.refunds_dropped) << " refunds dropped, "
       << Thousands(log.after_end) << " rows after the last period ignored, " << Thousands(log.late_customers)
       << " customers first buying after calibration left out\n";
  }
  std::vector<std::vector<std::string>> t = {{"model", "parameter", "estimate", "se", "log-likelihood", "AIC", "BIC", "converged"}};
  for (const auto& [name, fit] : Fits(f))
    for (std::size_t i = 0; i < fit->names.size(); ++i)
      t.push_back({i == 0 ? name : "", fit->names[i], Num(fit->values[i], "%.4f"), Num(fit->se[i], "%.4f"),
                   i == 0 ? Num(fit->log_likelihood, "%.1f") : "", i == 0 ? Num(fit->aic, "%.1f") : "",
                   i == 0 ? Num(fit->bic, "%.1f") : "", i == 0 ? (fit->converged ? "yes" : "NO: " + fit->status) : ""});
  os << "\n";
  PrintTable(os, t, "  ", 2);
  if (f.has_log) {
    os << "  Gamma-Gamma assumes spend does not depend on frequency: their correlation among repeat buyers is "
       << Num(f.frequency_spend_correlation, "%.3f") << "\n";
    const Forecast& fc = f.forecast;
    if (fc.has_holdout) {
      os << "\nHoldout " << q.log.calibration_end << " to " << q.log.holdout_end << " (" << Num(fc.horizon, "%.1f") << " "
         << unit << "): repeat purchases, actual against the BG/NBD forecast E[Y | x, t_x, T]\n";
      std::vector<std::vector<std::string>> h = {{"calibration x", "customers", "actual", "predicted"}};
      for (int x = 0; x < 8; ++x)
        h.push_back({x == 7 ? "7+" : std::to_string(x), Num(fc.customers_by_x[x], "%.0f"), Num(fc.actual_by_x[x], "%.0f"),
                     Num(fc.predicted_by_x[x], "%.1f")});
      h.push_back({"all", Num(static_cast<double>(f.log.customers.size()), "%.0f"), Num(fc.actual, "%.0f"),
                   Num(fc.predicted, "%.1f")});
      PrintTable(os, h, "  ", 1);
      const std::size_t n = fc.tracking_actual.size();
      os << "  cumulative repeat purchases by week " << n << ": actual " << Num(fc.tracking_actual.back(), "%.0f")
         << ", expected " << Num(fc.tracking_expected.back(), "%.1f") << " (the week-by-week curve is in the output)\n";
    }
  }
  if (f.has_survival) {
    os << "\nsBG on " << q.survival_path << ": survivors against the fit\n";
    std::vector<std::vector<std::string>> s = {{"period", "survivors", "predicted"}};
    for (std::size_t k = 0; k < f.survivors.size(); ++k)
      s.push_back({std::to_string(k), Num(f.survivors[k], "%.0f"),
                   Num(f.survivors.front() * models::SbgSurvival(f.sbg.values[0], f.sbg.values[1], static_cast<int>(k)),
                       "%.1f")});
    PrintTable(os, s, "  ", 1);
  }
}

std::string FitConfigFragment(const FitOutcome& f, const FitInfo& info) {
  // The model's purchase rate is Gamma(r, alpha) per unit of time: alpha per week = alpha per unit x 7 / unit days.
  const double alpha_weeks = f.bgnbd.values[1] * 7.0 / info.unit_days;
  std::string t = "# The purchase model fitted by lclab " + std::string(kVersion) + ": " + info.command_line +
                  "\n# BG/NBD (r, alpha_weeks, a, b) and Gamma-Gamma spend (spend_p, spend_q, spend_gamma), LL " +
                  Num(f.bgnbd.log_likelihood, "%.1f") + " and " + Num(f.gamma_gamma.log_likelihood, "%.1f") +
                  ".\n# Include it from a config: include = [\"this file\"] (docs/config.md).\n\n[purchase]\n";
  t += "r = " + Num(f.bgnbd.values[0], "%.17g") + "\nalpha_weeks = " + Num(alpha_weeks, "%.17g") + "\na = " +
       Num(f.bgnbd.values[2], "%.17g") + "\nb = " + Num(f.bgnbd.values[3], "%.17g") + "\nspend_p = " +
       Num(f.gamma_gamma.values[0], "%.17g") + "\nspend_q = " + Num(f.gamma_gamma.values[1], "%.17g") +
       "\nspend_gamma = " + Num(f.gamma_gamma.values[2], "%.17g") + "\n";
  return t;
}

}  // namespace lclab::experiments
