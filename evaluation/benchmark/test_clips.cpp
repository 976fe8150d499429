#include "evaluation/benchmark/test_clips.h"

#include <cstdio>
#include <span>
#include <stdexcept>
#include <variant>

#include "evaluation/postprocess.h"
#include "framework/io/hdf5.h"

namespace kasf::eval {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull, kFnvPrime = 0x100000001b3ull;

void hash_value(uint64_t& hash, int64_t value) {
  for (int byte = 0; byte < 8; ++byte) {
    hash ^= static_cast<uint64_t>(value >> (8 * byte)) & 0xffu;
    hash *= kFnvPrime;
  }
}

std::string clip_fingerprint(const data::ClipDataset& dataset) {
  uint64_t hash = kFnvOffset;
  hash_value(hash, dataset.clip_length());
  for (int64_t clip = 0; clip < dataset.size(); ++clip)
    for (int64_t frame : dataset.frames(clip)) hash_value(hash, frame);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

ClipTruth clip_truth(data::ClipEvaluation&& evaluation, int64_t frames) {
  Poses label{frames, std::move(evaluation.label_scaled)};
  return {root_relative(label), std::move(evaluation.factor), evaluation.image_size.width,
          std::move(evaluation.action), evaluation.fps};
}

std::optional<double> fps_attribute(hid_t object) {
  if (!io::h5::read_attributes(object).contains("fps")) return std::nullopt;
  const io::AttrValue value = io::h5::read_attribute(object, "fps");
  if (const auto* number = std::get_if<double>(&value)) return *number;
  if (const auto* integer = std::get_if<int64_t>(&value)) return static_cast<double>(*integer);
  io::h5::fail(object, "fps", "is not a number");
}

std::optional<double> read_fps(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  if (std::optional<double> fps = fps_attribute(file.id())) return fps;
  return fps_attribute(io::h5::open_group(file.id(), "test").id());
}

}  // namespace

TestClips::TestClips(data::SplitData split, const data::ClipDatasetOptions& options) {
  const int64_t clip_length = options.cutting.clip_length;
  dataset_ = std::make_unique<data::ClipDataset>(std::move(split), options);
  if (dataset_->size() == 0)
    throw std::invalid_argument("the split gives no clip of " + std::to_string(clip_length) + " frames (" +
                                data::clip_rule_name(options.cutting.rule) + " rule)");
  truth_.reserve(dataset_->size());
  for (int64_t clip = 0; clip < dataset_->size(); ++clip)
    truth_.push_back(clip_truth(std::move(*dataset_->get(clip).evaluation), clip_length));
  fingerprint_ = clip_fingerprint(*dataset_);
}

TestData::TestData(const std::string& path, data::ClipRule rule, int64_t frame_step)
    : path_(path), rule_(rule), frame_step_(frame_step) {
  data::DatasetData data = data::read_dataset_file(path);
  auto test = data.splits.find("test");
  if (test == data.splits.end()) throw std::invalid_argument(path + ": has no test split");
  if (test->second.num_frames == 0) throw std::invalid_argument(path + ": the test split has no frames");
  split_ = std::move(test->second);
  fps_ = read_fps(path);
}

std::string TestData::source_2d() const { return split_.arrays.contains("confidence") ? "det" : "gt"; }

const TestClips& TestData::clips(int64_t clip_length) {
  std::unique_ptr<TestClips>& clips = clips_[clip_length];
  if (!clips) {
    try {
      data::ClipDatasetOptions options;
      options.role = data::SplitRole::test;
      options.cutting = {rule_, clip_length, data::default_stride(clip_length, data::SplitRole::test), frame_step_};
      clips = std::make_unique<TestClips>(split_, options);
    } catch (const std::invalid_argument& e) {
      clips_.erase(clip_length);
      throw std::invalid_argument(path_ + ": " + e.what());
    }
  }
  return *clips;
}

}  // namespace kasf::eval
