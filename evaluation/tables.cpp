#include "evaluation/tables.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace kasf::eval {
namespace {

// A table as cells; numbers are kept for JSON and formatted for text.
struct Cell {
  std::string text;
  nlohmann::json value;
};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

Cell text_cell(const std::string& s) { return {s, s}; }

Cell millimetres(double mm) {
  if (std::isnan(mm)) return {"n/a", nullptr};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", mm);
  return {buffer, std::round(mm * 10) / 10};
}

Cell count(int64_t n) { return {std::to_string(n), n}; }

Cell parameter_count(int64_t n, TableFormat format) {
  if (n <= 0) return {"n/a", nullptr};
  if (format != TableFormat::markdown) return count(n);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2fM", static_cast<double>(n) / 1e6);
  return {buffer, n};
}

Table build(std::span<const ModelResult> results, TableLayout layout, TableFormat format) {
  Table table;
  switch (layout) {
    case TableLayout::models:
      table.header = {"model", "parameters", "frames", "2d_source", "mpjpe_mm", "p_mpjpe_mm"};
      for (const ModelResult& r : results)
        table.rows.push_back({text_cell(r.name), parameter_count(r.parameters, format), count(r.frames),
                              text_cell(r.source_2d), millimetres(r.summary.overall.mpjpe),
                              millimetres(r.summary.overall.p_mpjpe)});
      break;
    case TableLayout::action: {
      table.header = {"model"};
      for (const ActionResult& a : results.front().summary.actions) table.header.push_back(a.action);
      table.header.push_back("average");
      for (const ModelResult& r : results) {
        if (r.summary.actions.size() + 2 != table.header.size())
          throw std::invalid_argument("model '" + r.name + "' was evaluated on different actions than '" +
                                      results.front().name + "'");
        std::vector<Cell> row = {text_cell(r.name)};
        for (size_t i = 0; i < r.summary.actions.size(); ++i) {
          if (r.summary.actions[i].action != table.header[i + 1])
            throw std::invalid_argument("model '" + r.name + "' has action '" + r.summary.actions[i].action +
                                        "' where '" + results.front().name + "' has '" + table.header[i + 1] + "'");
          row.push_back(millimetres(r.summary.actions[i].values.mpjpe));
        }
        row.push_back(millimetres(r.summary.overall.mpjpe));
        table.rows.push_back(std::move(row));
      }
      break;
    }
    case TableLayout::joint:
      table.header = {"model"};
      for (int64_t j = 0; j < kJoints; ++j) table.header.push_back(joint_name(j));
      for (const ModelResult& r : results) {
        std::vector<Cell> row = {text_cell(r.name)};
        for (double e : r.summary.overall.joints) row.push_back(millimetres(e));
        table.rows.push_back(std::move(row));
      }
      break;
    case TableLayout::body_part:
      table.header = {"model", "lower_body_mm", "upper_body_mm", "all_mm"};
      for (const ModelResult& r : results)
        table.rows.push_back({text_cell(r.name), millimetres(r.summary.overall.lower_body),
                              millimetres(r.summary.overall.upper_body), millimetres(r.summary.overall.mpjpe)});
      break;
  }
  return table;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string render_markdown(const Table& t, Aggregation aggregation) {
  std::ostringstream out;
  out << "Errors in mm; aggregation: " << aggregation_description(aggregation) << "\n\n|";
  for (const std::string& h : t.header) out << ' ' << h << " |";
  out << "\n|";
  for (size_t i = 0; i < t.header.size(); ++i) out << (i == 0 ? " --- |" : " ---: |");
  for (const auto& row : t.rows) {
    out << "\n|";
    for (const Cell& c : row) out << ' ' << c.text << " |";
  }
  out << '\n';
  return out.str();
}

std::string render_csv(const Table& t, Aggregation aggregation) {
  std::ostringstream out;
  out << "aggregation";
  for (const std::string& h : t.header) out << ',' << csv_field(h);
  for (const auto& row : t.rows) {
    out << '\n' << aggregation_name(aggregation);
    for (const Cell& c : row) out << ',' << csv_field(c.text);
  }
  out << '\n';
  return out.str();
}

std::string render_json(const Table& t, Aggregation aggregation) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json object;
    for (size_t i = 0; i < row.size(); ++i) object[t.header[i]] = row[i].value;
    rows.push_back(std::move(object));
  }
  nlohmann::ordered_json doc;
  doc["units"] = "mm";
  doc["aggregation"] = aggregation_name(aggregation);
  doc["aggregation_description"] = aggregation_description(aggregation);
  doc["rows"] = std::move(rows);
  return doc.dump(2) + "\n";
}

}  // namespace

TableLayout parse_table_layout(const std::string& name) {
  if (name == "models") return TableLayout::models;
  if (name == "action") return TableLayout::action;
  if (name == "joint") return TableLayout::joint;
  if (name == "body-part") return TableLayout::body_part;
  throw std::invalid_argument("unknown table layout '" + name + "' (expected models, action, joint or body-part)");
}

TableFormat parse_table_format(const std::string& name) {
  if (name == "md" || name == "markdown") return TableFormat::markdown;
  if (name == "csv") return TableFormat::csv;
  if (name == "json") return TableFormat::json;
  throw std::invalid_argument("unknown table format '" + name + "' (expected md, csv or json)");
}

std::string render_table(std::span<const ModelResult> results, TableLayout layout, TableFormat format) {
  if (results.empty()) throw std::invalid_argument("render_table: no results");
  const Aggregation aggregation = results.front().summary.aggregation;
  for (const ModelResult& r : results)
    if (r.summary.aggregation != aggregation)
      throw std::invalid_argument("render_table: model '" + r.name + "' uses a different aggregation");
  const Table table = build(results, layout, format);
  switch (format) {
    case TableFormat::markdown: return render_markdown(table, aggregation);
    case TableFormat::csv: return render_csv(table, aggregation);
    case TableFormat::json: return render_json(table, aggregation);
  }
  throw std::invalid_argument("render_table: unknown format");
}

}  // namespace kasf::eval
