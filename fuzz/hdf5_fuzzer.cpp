// libFuzzer target: arbitrary bytes as an HDF5 file, read by each of kasf's HDF5 readers (weight,
// dataset, training checkpoint and predictions files), touching every value read. Reading may fail
// only with FormatError; anything else (a crash, also one inside libhdf5, which is not
// instrumented; a sanitizer report; another exception; a hang) is a finding.
//
// libhdf5 opens files by name, so each input is written to one scratch file first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "datasets/dataset_file.h"
#include "evaluation/benchmark/predictions_file.h"
#include "framework/io/error.h"
#include "framework/io/weight_file.h"
#include "training/checkpoint.h"

namespace {

const std::string& scratch_file() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/kasf-hdf5-fuzz-" + std::to_string(::getpid()) + ".h5";
  }();
  static const bool removed_at_exit = std::atexit([] { std::remove(path.c_str()); }) == 0;
  (void)removed_at_exit;
  return path;
}

double sum(const std::vector<float>& values) {
  double s = 0;
  for (float v : values) s += v;
  return s;
}

double touch(const kasf::io::WeightFile& file) {
  double s = static_cast<double>(file.attributes.size());
  for (const auto& [key, array] : file.weights) s += sum(array.values) + static_cast<double>(key.size());
  return s;
}

template <typename Read>
void read_or_format_error(Read read) {
  try {
    read();
  } catch (const kasf::io::FormatError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = scratch_file();
  {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) std::abort();
    if (size && std::fwrite(data, 1, size, out) != size) std::abort();
    std::fclose(out);
  }
  volatile double sink = 0;
  read_or_format_error([&] { sink = sink + touch(kasf::io::read_weight_file(path)); });
  read_or_format_error([&] {
    for (const auto& [name, split] : kasf::data::read_dataset_file(path).splits) {
      for (const auto& [key, array] : split.arrays) sink = sink + sum(array.values);
      for (const auto& [key, column] : split.strings) sink = sink + column.table.size() + column.index.size();
    }
  });
  read_or_format_error([&] {
    const kasf::training::Checkpoint checkpoint = kasf::training::read_checkpoint(path);
    sink = sink + touch(checkpoint.model) + checkpoint.experiment.size();
    for (const auto& p : checkpoint.optimizer.parameters) sink = sink + sum(p.exp_avg) + sum(p.exp_avg_sq);
  });
  read_or_format_error([&] {
    const kasf::eval::PredictionsFile file = kasf::eval::read_predictions_file(path);
    sink = sink + sum(file.predictions.values) + file.stamp.fingerprint.size();
  });
  return 0;
}
