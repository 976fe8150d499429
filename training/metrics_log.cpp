#include "training/metrics_log.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "framework/io/atomic_file.h"

namespace kasf::training {
namespace {

using nlohmann::json;

// JSON has no NaN or infinity; they are written as null and read back as NaN.
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
double number(const json& value) { return value.is_null() ? std::nan("") : value.get<double>(); }

}  // namespace

std::vector<EpochRecord> read_metrics_log(const std::string& path) {
  std::vector<EpochRecord> records;
  if (!std::filesystem::exists(path)) return records;
  std::ifstream in(path);
  std::string line;
  for (int64_t number_of_line = 1; std::getline(in, line); ++number_of_line) {
    try {
      const json j = json::parse(line);
      EpochRecord r;
      r.epoch = j.at("epoch").get<int64_t>();
      r.step = j.at("step").get<int64_t>();
      r.learning_rate = number(j.at("learning_rate"));
      r.loss_mpjpe = number(j.at("loss_mpjpe"));
      r.loss_n_mpjpe = number(j.at("loss_n_mpjpe"));
      r.loss_velocity = number(j.at("loss_velocity"));
      r.loss_total = number(j.at("loss_total"));
      r.validation_mpjpe = number(j.at("validation_mpjpe"));
      r.validation_p_mpjpe = number(j.at("validation_p_mpjpe"));
      r.validation_n_mpjpe = number(j.at("validation_n_mpjpe"));
      r.best = j.at("best").get<bool>();
      r.seconds = number(j.at("seconds"));
      r.samples_per_second = number(j.at("samples_per_second"));
      records.push_back(r);
    } catch (const json::exception& error) {
      throw std::runtime_error("metrics log '" + path + "', line " + std::to_string(number_of_line) + ": " + error.what());
    }
  }
  return records;
}

void write_metrics_log(const std::string& path, const std::vector<EpochRecord>& records) {
  io::AtomicFile output(path);
  {
    std::ofstream out(output.temp_path());
    for (const EpochRecord& r : records) {
      const json j = {{"epoch", r.epoch},
                      {"step", r.step},
                      {"learning_rate", number(r.learning_rate)},
                      {"loss_mpjpe", number(r.loss_mpjpe)},
                      {"loss_n_mpjpe", number(r.loss_n_mpjpe)},
                      {"loss_velocity", number(r.loss_velocity)},
                      {"loss_total", number(r.loss_total)},
                      {"validation_mpjpe", number(r.validation_mpjpe)},
                      {"validation_p_mpjpe", number(r.validation_p_mpjpe)},
                      {"validation_n_mpjpe", number(r.validation_n_mpjpe)},
                      {"best", r.best},
                      {"seconds", number(r.seconds)},
                      {"samples_per_second", number(r.samples_per_second)}};
      out << j.dump() << '\n';
    }
    if (!out.flush()) throw std::runtime_error("cannot write the metrics log '" + output.temp_path() + "'");
  }
  output.commit();
}

}  // namespace kasf::training
