// Number formats and the plain-text table every summary and command prints
// with, so that a figure reads the same wherever it appears.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "experiments/analysis/stats.h"
#include "models/kpi.h"

namespace lclab::experiments {

// "12.35" with `digits` decimals; "-" for NaN or infinity.
std::string Fixed(double v, int digits);
// "+12.35" / "-0.40"; "-" for NaN or infinity.
std::string Signed(double v, int digits);
// "1,234,567".
std::string Thousands(std::int64_t v);
// "0.0123", "<0.0001"; "-" for NaN.
std::string FormatP(double p);

// A KPI value in its unit: shares as "12.34%", money "12.34", scores "12.3", counts "1.234".
std::string FormatKpiValue(const models::KpiDef& d, double v);
// A difference in the KPI's unit: "+1.23 pp" for shares.
std::string FormatKpiDiff(const models::KpiDef& d, double x);
// An absolute lift with its interval: "+1.23 pp [+0.50, +1.96]".
std::string FormatLift(const models::KpiDef& d, const Interval& lift);
// A relative lift: "+8.3% [+4.7%, +11.9%]"; "-" when undefined.
std::string FormatRel(const Interval& rel);
// An estimate and its interval's half-width, scaled: "+0.53±0.17".
std::string PlusMinus(const Interval& e, int digits, double scale);

// A KPI's name as a report shows it: "(latent)" for the simulator's truth, "(attributed)" for the
// message funnel.
std::string KpiLabel(const models::KpiDef& d);
// Why a row has no comparison: "not observable in this window (needs > 180 days without a purchase)",
// "too few customers to compare (fewer than 10 in an arm)", "no variation in either arm"; "" for none.
std::string NoteText(int note, int days_to_move);

// A text table: rows of cells padded to each column's widest, the first
// `left_columns` columns left-aligned (names) and the rest right-aligned
// (numbers), two spaces between columns, trailing spaces trimmed.
void PrintTable(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                std::size_t left_columns = 2);

}  // namespace lclab::experiments
