// The paper's result tables from evaluation summaries, in markdown, CSV or JSON. Errors are in
// millimetres with one decimal; every table states the aggregation it uses.
//
// Layouts (one row per model or checkpoint, all rows from the same clips):
//   models:    Tables 1/3 -- name, parameters, frames, 2D source, MPJPE, P-MPJPE
//   action:    Table 2 -- MPJPE per action (sorted) and the aggregate
//   joint:     MPJPE per joint in H36M order
//   body_part: MPJPE of the lower body (joints 1..6), upper body (7..16) and all joints
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "evaluation/aggregate.h"

namespace kasf::eval {

enum class TableLayout { models, action, joint, body_part };
enum class TableFormat { markdown, csv, json };

// "models" | "action" | "joint" | "body-part" and "md" | "csv" | "json"; throw naming the value.
TableLayout parse_table_layout(const std::string& name);
TableFormat parse_table_format(const std::string& name);

struct ModelResult {
  std::string name;        // model or checkpoint
  int64_t parameters = 0;  // 0 when unknown (predictions files)
  int64_t frames = 0;      // clip length T
  std::string source_2d;   // e.g. "det", "gt", "HRNet"
  Summary summary;
};

// Throws std::invalid_argument if `results` is empty, mixes aggregations, or (action layout) the
// models were evaluated on different action sets.
std::string render_table(std::span<const ModelResult> results, TableLayout layout, TableFormat format);

}  // namespace kasf::eval
