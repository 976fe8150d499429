// The held-out validation sources: grouping, seeded choice, and a clean partition of the frames;
// the clips an experiment cuts for training, validation and test.
#include <boost/test/unit_test.hpp>

#include <set>

#include "training/held_out_sources.h"
#include "training/experiment.h"
#include "training/training_data.h"
#include "training_test_support.h"

namespace kasf::training {
namespace {

// Sources "rec<k>_cam<c>" for k < recordings, c < 2; frame f of source s has value 100 * s + f.
data::SplitData split_of(int recordings, int frames_per_source) {
  data::SplitData split;
  auto& values = split.arrays["value"];
  auto& source = split.strings["source"];
  for (int k = 0; k < recordings; ++k)
    for (int c = 0; c < 2; ++c) source.table.push_back("rec" + std::to_string(k) + "_cam" + std::to_string(c));
  for (int32_t s = 0; s < static_cast<int32_t>(source.table.size()); ++s)
    for (int f = 0; f < frames_per_source; ++f) {
      values.values.push_back(100.0f * s + f);
      source.index.push_back(s);
    }
  split.num_frames = static_cast<int64_t>(source.index.size());
  values.shape = {split.num_frames};
  return split;
}

const char* const kByRecording = "(rec[0-9]+)_cam[0-9]+";

}  // namespace

BOOST_AUTO_TEST_SUITE(held_out_sources)

BOOST_AUTO_TEST_CASE(groups_come_from_the_first_capture) {
  BOOST_TEST(source_group("rec12_cam3", kByRecording) == "rec12");
  BOOST_TEST(source_group("other", kByRecording) == "other");
  BOOST_TEST(source_group("rec12_cam3", "") == "rec12_cam3");
}

BOOST_AUTO_TEST_CASE(the_choice_is_seeded_and_sized_by_the_fraction) {
  const data::SplitData split = split_of(10, 3);
  const auto a = pick_held_out_groups(split, "train", 0.3, kByRecording, 1);
  BOOST_TEST(a.size() == 3u);
  BOOST_TEST(pick_held_out_groups(split, "train", 0.3, kByRecording, 1) == a);
  bool another_seed_differs = false;
  for (uint64_t seed = 2; seed < 10; ++seed) another_seed_differs |= pick_held_out_groups(split, "train", 0.3, kByRecording, seed) != a;
  BOOST_TEST(another_seed_differs);
  // At least one group and at least one left for training.
  BOOST_TEST(pick_held_out_groups(split, "train", 0.01, kByRecording, 1).size() == 1u);
  BOOST_TEST(pick_held_out_groups(split, "train", 0.99, kByRecording, 1).size() == 9u);
  BOOST_CHECK_THROW(pick_held_out_groups(split_of(1, 3), "train", 0.5, kByRecording, 1), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(held_out_and_training_frames_partition_the_split_by_group) {
  const data::SplitData split = split_of(6, 4);
  const auto groups = pick_held_out_groups(split, "train", 0.34, kByRecording, 3);
  const data::SplitData held = select_sources(split, groups, kByRecording, true);
  const data::SplitData kept = select_sources(split, groups, kByRecording, false);
  BOOST_TEST(held.num_frames + kept.num_frames == split.num_frames);
  BOOST_TEST(held.num_frames == static_cast<int64_t>(groups.size()) * 2 * 4);  // both cameras of each recording
  std::set<std::string> held_groups, kept_groups;
  for (int64_t f = 0; f < held.num_frames; ++f) {
    const std::string& name = held.strings.at("source").table[held.strings.at("source").index[f]];
    held_groups.insert(source_group(name, kByRecording));
    // The array rows travel with their frames.
    const int s = static_cast<int>(held.arrays.at("value").values[f]) / 100;
    BOOST_TEST(split.strings.at("source").table[s] == name);
  }
  for (int64_t f = 0; f < kept.num_frames; ++f)
    kept_groups.insert(source_group(kept.strings.at("source").table[kept.strings.at("source").index[f]], kByRecording));
  BOOST_TEST(held_groups == std::set<std::string>(groups.begin(), groups.end()));
  for (const auto& g : kept_groups) BOOST_TEST(held_groups.count(g) == 0u);
  BOOST_TEST(kept.arrays.at("value").shape[0] == kept.num_frames);
}

// data.frame_step reaches all three clip sets: every clip's frames are 2 apart.
BOOST_AUTO_TEST_CASE(the_frame_step_cuts_training_validation_and_test_clips) {
  testing::TinyRun run;
  std::string text = testing::tiny_experiment(run.dataset, run.dir.file("run"), 1, 0);
  text.replace(text.find("data { "), 7, "data { frame_step: 2 ");
  const TrainingData data = load_training_data(parse_experiment(text, "tiny"));
  const std::pair<const char*, const data::ClipDataset*> sets[] = {
      {"train", data.train.get()}, {"validation", &data.validation().dataset()}, {"test", &data.test->dataset()}};
  for (const auto& [name, clips] : sets) {
    BOOST_TEST_REQUIRE(clips->size() > 0, name);
    for (int64_t c = 0; c < clips->size(); ++c)
      if (clips->evenly_sampled(c)) BOOST_TEST(clips->frames(c)[1] - clips->frames(c)[0] == 2, name << " clip " << c);
    BOOST_TEST(clips->evenly_sampled(0), name);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::training
