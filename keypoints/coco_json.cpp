#include "keypoints/coco_json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "framework/io/error.h"
#include "framework/io/excerpt.h"

namespace kasf::keypoints {
namespace {

using nlohmann::json;

struct Person {
  std::vector<float> keypoints;  // 17 x 3
  double score = 0;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw io::FormatError(where + ": " + what); }

float number(const json& v, const std::string& where) {
  if (v.is_null()) return std::numeric_limits<float>::quiet_NaN();
  if (!v.is_number()) fail(where, "expected a number, found " + std::string(v.type_name()));
  return v.get<float>();
}

Person parse_person(const json& object, const json& keypoints, const std::string& where) {
  Person p{std::vector<float>(kKeypoints * 3, 1.0f), 0};
  if (!keypoints.is_array()) fail(where, "'keypoints' must be a list");
  if (keypoints.size() == kKeypoints && keypoints[0].is_array()) {
    for (int j = 0; j < kKeypoints; ++j) {
      const json& k = keypoints[j];
      if (!k.is_array() || (k.size() != 2 && k.size() != 3))
        fail(where, "keypoint " + std::to_string(j) + " must be [x, y] or [x, y, score]");
      for (size_t c = 0; c < k.size(); ++c) p.keypoints[j * 3 + c] = number(k[c], where);
    }
  } else if (keypoints.size() == kKeypoints * 3) {
    for (int i = 0; i < kKeypoints * 3; ++i) p.keypoints[i] = number(keypoints[i], where);
  } else if (keypoints.size() == kKeypoints * 2) {
    for (int j = 0; j < kKeypoints; ++j)
      for (int c = 0; c < 2; ++c) p.keypoints[j * 3 + c] = number(keypoints[j * 2 + c], where);
  } else {
    fail(where, "'keypoints' has " + std::to_string(keypoints.size()) +
                    " values, expected 51 (x, y, score), 34 (x, y) or 17 [x, y(, score)] lists for the 17 COCO keypoints");
  }
  if (object.is_object() && object.contains("keypoint_scores")) {
    const json& scores = object["keypoint_scores"];
    if (!scores.is_array() || scores.size() != kKeypoints) fail(where, "'keypoint_scores' must hold 17 numbers");
    for (int j = 0; j < kKeypoints; ++j) p.keypoints[j * 3 + 2] = number(scores[j], where);
  }
  if (object.is_object() && object.contains("score")) {
    p.score = number(object["score"], where);
  } else {
    for (int j = 0; j < kKeypoints; ++j) p.score += p.keypoints[j * 3 + 2] / kKeypoints;
  }
  return p;
}

Person parse_person_object(const json& object, const std::string& where) {
  if (!object.is_object() || !object.contains("keypoints")) fail(where, "expected a person object with 'keypoints'");
  return parse_person(object, object["keypoints"], where);
}

std::optional<Person> best_of(const std::vector<Person>& people) {
  if (people.empty()) return std::nullopt;
  return *std::max_element(people.begin(), people.end(), [](const Person& a, const Person& b) {
    return !(a.score >= b.score) && !std::isnan(b.score);
  });
}

std::optional<Person> parse_frame(const json& entry, const std::string& where) {
  std::vector<Person> people;
  if (entry.is_array() && !entry.empty() && entry[0].is_number()) return parse_person(json(), entry, where);
  const json* list = &entry;
  if (entry.is_object() && entry.contains("instances")) list = &entry["instances"];
  if (list->is_array()) {
    for (size_t i = 0; i < list->size(); ++i)
      people.push_back(parse_person_object((*list)[i], where + ", person " + std::to_string(i)));
    return best_of(people);
  }
  return parse_person_object(entry, where);
}

KeypointSequence assemble(const std::vector<std::optional<Person>>& frames, const std::string& path) {
  if (frames.empty()) fail(path, "no frames");
  KeypointSequence out{static_cast<int64_t>(frames.size()), {}};
  for (const auto& person : frames) {
    if (person) {
      out.values.insert(out.values.end(), person->keypoints.begin(), person->keypoints.end());
    } else {
      for (int j = 0; j < kKeypoints; ++j)
        out.values.insert(out.values.end(), {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::quiet_NaN(), 0.0f});
    }
  }
  return out;
}

bool is_detection_list(const json& doc) {
  return !doc.empty() && std::all_of(doc.begin(), doc.end(), [](const json& e) {
    return e.is_object() && e.contains("keypoints") && (e.contains("image_id") || e.contains("frame"));
  });
}

// Sort key of a string id: the last run of digits in it as a number, then the text.
std::pair<double, std::string> string_id_key(const std::string& id) {
  const auto last_digit = std::find_if(id.rbegin(), id.rend(), [](unsigned char c) { return std::isdigit(c); });
  if (last_digit == id.rend()) return {-1, id};
  const auto end = last_digit.base();
  auto begin = end;
  while (begin != id.begin() && std::isdigit(static_cast<unsigned char>(*(begin - 1)))) --begin;
  return {std::stod(std::string(begin, end)), id};
}

std::vector<std::optional<Person>> group_detections(const json& doc, const std::string& path) {
  std::map<int64_t, std::vector<Person>> by_number;
  std::map<std::pair<double, std::string>, std::vector<Person>> by_name;
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& d = doc[i];
    const json& id = d.contains("frame") ? d["frame"] : d["image_id"];
    const std::string where = path + ": detection " + std::to_string(i);
    Person person = parse_person_object(d, where);
    if (id.is_number_integer())
      by_number[id.get<int64_t>()].push_back(std::move(person));
    else if (id.is_string())
      by_name[string_id_key(id.get<std::string>())].push_back(std::move(person));
    else
      fail(where, "the frame id must be an integer or a string");
  }
  if (!by_number.empty() && !by_name.empty()) fail(path, "frame ids mix integers and strings");
  std::vector<std::optional<Person>> frames;
  if (!by_number.empty()) {
    for (int64_t f = by_number.begin()->first; f <= by_number.rbegin()->first; ++f) {
      const auto it = by_number.find(f);
      frames.push_back(it == by_number.end() ? std::nullopt : best_of(it->second));
    }
  }
  for (const auto& [key, people] : by_name) frames.push_back(best_of(people));
  return frames;
}

}  // namespace

KeypointSequence read_coco_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  const std::string text(std::istreambuf_iterator<char>(in), {});
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) fail(path, "the file is empty");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond double's range
    // The parser's message ends with the offending token, which can be megabytes long.
    fail(path, "not valid JSON: " + io::excerpt(e.what(), 160));
  }
  if (doc.is_object()) {
    const char* key = doc.contains("frames") ? "frames" : (doc.contains("instance_info") ? "instance_info" : nullptr);
    if (!key) fail(path, "unknown layout: an object needs a 'frames' or 'instance_info' list");
    doc = json(doc[key]);
    if (!doc.is_array()) fail(path, std::string("'") + key + "' must be a list");
  }
  if (!doc.is_array()) fail(path, "unknown layout: expected a list of frames or detections");
  if (is_detection_list(doc)) return assemble(group_detections(doc, path), path);
  std::vector<std::optional<Person>> frames;
  for (size_t t = 0; t < doc.size(); ++t) frames.push_back(parse_frame(doc[t], path + ": frame " + std::to_string(t)));
  return assemble(frames, path);
}

}  // namespace kasf::keypoints
