#include "evaluation/benchmark/predictions_file.h"

#include <map>
#include <optional>
#include <string>
#include <stdexcept>
#include <variant>

#include "framework/io/atomic_file.h"
#include "framework/io/hdf5.h"

namespace kasf::eval {
namespace {

constexpr const char* kFormat = "kasf-predictions";
constexpr int64_t kFormatVersion = 1;
constexpr const char* kDataset = "predictions";

using Attributes = std::map<std::string, io::AttrValue>;

const io::AttrValue& required(const Attributes& attributes, hid_t file, const std::string& name) {
  auto found = attributes.find(name);
  if (found == attributes.end()) io::h5::fail(file, name, "attribute is missing");
  return found->second;
}

std::string string_attribute(const Attributes& attributes, hid_t file, const std::string& name) {
  if (const auto* text = std::get_if<std::string>(&required(attributes, file, name))) return *text;
  io::h5::fail(file, name, "attribute is not a string");
}

int64_t integer_attribute(const Attributes& attributes, hid_t file, const std::string& name) {
  const io::AttrValue& value = required(attributes, file, name);
  if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
  if (const auto* number = std::get_if<double>(&value); number && *number == static_cast<int64_t>(*number))
    return static_cast<int64_t>(*number);
  io::h5::fail(file, name, "attribute is not an integer");
}

// The clips' frame step, when recorded: an integer >= 1.
std::optional<int64_t> frame_step_attribute(const Attributes& attributes, hid_t file) {
  if (!attributes.contains("frame_step")) return std::nullopt;
  const int64_t step = integer_attribute(attributes, file, "frame_step");
  if (step < 1) io::h5::fail(file, "frame_step", "must be >= 1, got " + std::to_string(step));
  return step;
}

// Optional descriptive attributes: absent means unknown.
std::string optional_string(const Attributes& attributes, const std::string& name) {
  auto found = attributes.find(name);
  if (found == attributes.end()) return "";
  const auto* text = std::get_if<std::string>(&found->second);
  return text ? *text : "";
}

void check_equal(int64_t stored, int64_t expected, const std::string& path, const std::string& what) {
  if (stored != expected)
    throw std::invalid_argument(path + ": " + what + " is " + std::to_string(stored) + " in the predictions, " +
                                std::to_string(expected) + " in the data; the predictions were made for other clips");
}

}  // namespace

void write_predictions_file(const std::string& path, const ClipPredictions& predictions, const TestClips& clips,
                            int64_t test_frames) {
  io::AtomicFile output(path);
  {
    io::h5::Handle file = io::h5::create_file(output.temp_path());
    const hid_t id = file.id();
    io::h5::write_floats(id, kDataset, {predictions.clips, predictions.clip_length, kJoints, 3},
                         predictions.values.data());
    io::h5::write_attribute(id, "format", std::string(kFormat));
    io::h5::write_attribute(id, "format_version", kFormatVersion);
    io::h5::write_attribute(id, "name", predictions.name);
    io::h5::write_attribute(id, "parameters", predictions.parameters);
    io::h5::write_attribute(id, "source_2d", predictions.source_2d);
    io::h5::write_attribute(id, "flip_augmented", predictions.flip_augmented);
    io::h5::write_attribute(id, "clip_length", clips.clip_length());
    io::h5::write_attribute(id, "clip_rule", std::string(data::clip_rule_name(clips.rule())));
    io::h5::write_attribute(id, "test_frames", test_frames);
    io::h5::write_attribute(id, "clip_fingerprint", clips.fingerprint());
    io::h5::write_attribute(id, "frame_step", clips.frame_step());
  }
  output.commit();
}

PredictionsFile read_predictions_file(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  const hid_t id = file.id();
  const Attributes attributes = io::h5::read_attributes(id);
  if (string_attribute(attributes, id, "format") != kFormat)
    io::h5::fail(id, "format", std::string("attribute is not \"") + kFormat + "\"");
  if (integer_attribute(attributes, id, "format_version") != kFormatVersion)
    io::h5::fail(id, "format_version", "is not " + std::to_string(kFormatVersion));

  PredictionsFile result;
  ClipPredictions& predictions = result.predictions;
  Shape shape;
  predictions.values = io::h5::read_floats(id, kDataset, &shape);
  predictions.clip_length = integer_attribute(attributes, id, "clip_length");
  if (shape.size() != 4 || shape[2] != kJoints || shape[3] != 3 || shape[1] != predictions.clip_length)
    io::h5::fail(id, kDataset, "has shape " + to_string(shape) + ", expected (clips, " +
                                   std::to_string(predictions.clip_length) + ", 17, 3)");
  predictions.clips = shape[0];
  predictions.name = optional_string(attributes, "name");
  predictions.source_2d = optional_string(attributes, "source_2d");
  if (attributes.contains("parameters")) predictions.parameters = integer_attribute(attributes, id, "parameters");
  if (auto flip = attributes.find("flip_augmented"); flip != attributes.end() && std::holds_alternative<bool>(flip->second))
    predictions.flip_augmented = std::get<bool>(flip->second);

  try {
    result.stamp.rule = data::parse_clip_rule(string_attribute(attributes, id, "clip_rule"));
  } catch (const std::invalid_argument& e) {
    io::h5::fail(id, "clip_rule", e.what());
  }
  result.stamp.test_frames = integer_attribute(attributes, id, "test_frames");
  result.stamp.fingerprint = optional_string(attributes, "clip_fingerprint");
  result.stamp.frame_step = frame_step_attribute(attributes, id);
  return result;
}

std::optional<int64_t> read_predictions_frame_step(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  return frame_step_attribute(io::h5::read_attributes(file.id()), file.id());
}

void check_predictions_match(const PredictionsFile& file, const std::string& path, const TestClips& clips,
                             int64_t test_frames) {
  if (file.stamp.rule != clips.rule())
    throw std::invalid_argument(path + ": made for clips cut by the " + data::clip_rule_name(file.stamp.rule) +
                                " rule, but the data is cut by the " + data::clip_rule_name(clips.rule()) +
                                " rule (--clip-rule)");
  if (file.stamp.frame_step && *file.stamp.frame_step != clips.frame_step())
    throw std::invalid_argument(path + ": made for clips of frame step " + std::to_string(*file.stamp.frame_step) +
                                " (attribute frame_step), but the data's clips take frame step " +
                                std::to_string(clips.frame_step()) + " (--frame-step)");
  check_equal(file.predictions.clip_length, clips.clip_length(), path, "the clip length");
  check_equal(file.stamp.test_frames, test_frames, path, "the number of test frames (test_frames)");
  check_equal(file.predictions.clips, clips.size(), path, "the number of clips");
  if (!file.stamp.fingerprint.empty() && file.stamp.fingerprint != clips.fingerprint())
    throw std::invalid_argument(path + ": made for other clips (clip_fingerprint " + file.stamp.fingerprint +
                                ", the data's clips have " + clips.fingerprint() + ")");
}

}  // namespace kasf::eval
