// The batcher: order, batch assembly, seeded shuffling and flipping, determinism with and without
// prefetch, resuming from a saved position, and shutdown mid-epoch.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <memory>
#include <vector>

#include "datasets/batcher.h"
#include "datasets/flip.h"
#include "expect_error.h"
#include "split_builder.h"

namespace kasf::data {
namespace {

namespace t = testing;

// 17 clips of 4 frames (windows of a 68-frame video; the 1-frame last video is dropped).
ClipDataset& small_dataset(SplitRole role) {
  static ClipDataset train(t::make_split({.video_lengths = {68, 1}}), {SplitRole::train, {ClipRule::motionbert, 4, 4}});
  static ClipDataset test(t::make_split({.video_lengths = {68, 1}, .cameras = {"indoors", "indoors"}}),
                          {SplitRole::test, {ClipRule::motionbert, 4, 4}});
  return role == SplitRole::train ? train : test;
}

// What a batch holds, for comparing runs.
struct Seen {
  int64_t epoch;
  std::vector<int64_t> clips;
  std::vector<bool> flipped;
  std::vector<float> input, label;
  bool operator==(const Seen&) const = default;
};

// The next `count` results of next(); an end of epoch shows as an empty entry.
std::vector<Seen> take(Batcher& batcher, int count) {
  std::vector<Seen> seen;
  for (int i = 0; i < count; ++i) {
    const int64_t epoch = batcher.position().epoch;
    std::optional<Batch> batch = batcher.next();
    if (!batch) {
      seen.push_back({epoch, {}, {}, {}, {}});
      continue;
    }
    seen.push_back({epoch, batch->clips, batch->flipped, batch->input.to_vector(), batch->label.to_vector()});
  }
  return seen;
}

BatcherOptions shuffled(int64_t prefetch) {
  return {.batch_size = 5, .shuffle = true, .drop_last = false, .random_flip = true, .seed = 42, .prefetch_batches = prefetch};
}

BOOST_AUTO_TEST_SUITE(batcher)

BOOST_AUTO_TEST_CASE(in_order_with_a_partial_last_batch) {
  const ClipDataset& dataset = small_dataset(SplitRole::train);
  Batcher batcher(dataset, {.batch_size = 5, .shuffle = false});
  BOOST_TEST(batcher.batches_per_epoch() == 4);
  for (int64_t epoch = 0; epoch < 2; ++epoch) {
    std::vector<int64_t> sizes;
    for (int64_t b = 0; b < 4; ++b) {
      std::optional<Batch> batch = batcher.next();
      BOOST_TEST_REQUIRE(batch.has_value());
      const int64_t size = std::min<int64_t>(5, 17 - 5 * b);
      BOOST_TEST(batch->input.shape() == (Shape{size, 4, 17, 3}));
      BOOST_TEST(batch->label.shape() == (Shape{size, 4, 17, 3}));
      BOOST_TEST(!batch->label_scaled.defined());
      std::vector<float> expected_input, expected_label;
      for (int64_t i = 0; i < size; ++i) {
        BOOST_TEST(batch->clips[i] == 5 * b + i);
        const Clip clip = dataset.get(5 * b + i);
        expected_input.insert(expected_input.end(), clip.input.begin(), clip.input.end());
        expected_label.insert(expected_label.end(), clip.label.begin(), clip.label.end());
      }
      BOOST_TEST(batch->input.to_vector() == expected_input);
      BOOST_TEST(batch->label.to_vector() == expected_label);
    }
    BOOST_TEST(!batcher.next().has_value());
  }
}

BOOST_AUTO_TEST_CASE(the_shards_of_every_batch_make_up_the_whole_batch) {
  const ClipDataset& dataset = small_dataset(SplitRole::train);
  for (int count : {2, 3}) {
    Batcher whole(dataset, shuffled(0));
    std::vector<std::unique_ptr<Batcher>> shards;
    for (int index = 0; index < count; ++index) {
      BatcherOptions options = shuffled(2);
      options.shard_index = index;
      options.shard_count = count;
      shards.push_back(std::make_unique<Batcher>(dataset, options));
    }
    for (int i = 0; i < 10; ++i) {  // two epochs of 4 batches and their ends
      const Seen expected = take(whole, 1).front();
      Seen joined{expected.epoch, {}, {}, {}, {}};
      int64_t first = 0;
      for (auto& shard : shards) {
        const int64_t epoch = shard->position().epoch;
        const std::optional<Batch> batch = shard->next();
        BOOST_TEST((shard->position() == whole.position()));
        if (!batch) continue;
        BOOST_TEST(epoch == expected.epoch);
        BOOST_TEST(batch->shard.first == first);
        BOOST_TEST(batch->shard.global == static_cast<int64_t>(expected.clips.size()));
        first += batch->shard.size;
        const std::vector<float> input = batch->input.to_vector(), label = batch->label.to_vector();
        joined.clips.insert(joined.clips.end(), batch->clips.begin(), batch->clips.end());
        joined.flipped.insert(joined.flipped.end(), batch->flipped.begin(), batch->flipped.end());
        joined.input.insert(joined.input.end(), input.begin(), input.end());
        joined.label.insert(joined.label.end(), label.begin(), label.end());
      }
      BOOST_TEST((joined == expected));
    }
  }
  BatcherOptions wrong = shuffled(0);
  wrong.shard_index = 2;
  wrong.shard_count = 2;
  t::expect_error([&] { Batcher b(dataset, wrong); }, {"shard 2 of 2 does not exist"});
}

BOOST_AUTO_TEST_CASE(drop_last_skips_the_partial_batch) {
  Batcher batcher(small_dataset(SplitRole::train), {.batch_size = 5, .shuffle = true, .drop_last = true, .seed = 3});
  BOOST_TEST(batcher.batches_per_epoch() == 3);
  for (int b = 0; b < 3; ++b) BOOST_TEST(batcher.next()->clips.size() == 5u);
  BOOST_TEST(!batcher.next().has_value());
  BOOST_TEST(batcher.next()->clips.size() == 5u);
}

BOOST_AUTO_TEST_CASE(each_epoch_is_a_new_permutation) {
  Batcher batcher(small_dataset(SplitRole::train), shuffled(2));
  std::vector<int64_t> identity(17);
  for (int64_t i = 0; i < 17; ++i) identity[i] = i;
  std::vector<std::vector<int64_t>> orders;
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int64_t> order;
    while (std::optional<Batch> batch = batcher.next()) order.insert(order.end(), batch->clips.begin(), batch->clips.end());
    std::vector<int64_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST(sorted == identity);
    BOOST_TEST(order != identity);
    orders.push_back(order);
  }
  BOOST_TEST(orders[0] != orders[1]);
  BOOST_TEST(orders[1] != orders[2]);
}

BOOST_AUTO_TEST_CASE(flipped_clips_hold_the_flipped_data) {
  const ClipDataset& dataset = small_dataset(SplitRole::train);
  Batcher batcher(dataset, shuffled(0));
  int64_t flipped = 0, total = 0;
  for (int epoch = 0; epoch < 20; ++epoch) {
    while (std::optional<Batch> batch = batcher.next()) {
      const std::vector<float> input = batch->input.to_vector(), label = batch->label.to_vector();
      for (size_t i = 0; i < batch->clips.size(); ++i) {
        const Clip clip = dataset.get(batch->clips[i]);
        const size_t offset = i * 4 * 17 * 3;
        // Frame 2: right knee (joint 2) vs left knee (joint 5), x and y.
        const size_t frame = offset + 2 * 17 * 3;
        const bool f = batch->flipped[i];
        BOOST_TEST(input[frame + 2 * 3] == (f ? -clip.input[2 * 17 * 3 + 5 * 3] : clip.input[2 * 17 * 3 + 2 * 3]));
        BOOST_TEST(input[frame + 2 * 3 + 1] == clip.input[2 * 17 * 3 + (f ? 5 : 2) * 3 + 1]);
        BOOST_TEST(label[frame + 16 * 3 + 2] == clip.label[2 * 17 * 3 + (f ? 13 : 16) * 3 + 2]);
        flipped += f;
        ++total;
      }
    }
  }
  // 340 fair coin flips.
  BOOST_TEST(flipped > 120);
  BOOST_TEST(total - flipped > 120);
}

BOOST_AUTO_TEST_CASE(prefetch_does_not_change_the_batches) {
  Batcher inline_loading(small_dataset(SplitRole::train), shuffled(0));
  Batcher prefetching(small_dataset(SplitRole::train), shuffled(3));
  BOOST_TEST((take(inline_loading, 30) == take(prefetching, 30)));
}

BOOST_AUTO_TEST_CASE(the_seed_decides_the_batches) {
  Batcher a(small_dataset(SplitRole::train), shuffled(2));
  Batcher b(small_dataset(SplitRole::train), shuffled(2));
  BatcherOptions other = shuffled(2);
  other.seed = 43;
  Batcher c(small_dataset(SplitRole::train), other);
  const std::vector<Seen> seen_a = take(a, 12);
  BOOST_TEST((seen_a == take(b, 12)));
  BOOST_TEST((seen_a != take(c, 12)));
}

BOOST_AUTO_TEST_CASE(resuming_replays_the_same_batches) {
  // Stop after 0 results, mid-epoch, at an epoch's last batch and right after an end of epoch.
  for (int stop : {0, 2, 4, 5, 7, 13}) {
    for (int64_t prefetch : {0, 3}) {
      BOOST_TEST_CONTEXT("stop after " << stop << ", prefetch " << prefetch) {
        Batcher first(small_dataset(SplitRole::train), shuffled(prefetch));
        take(first, stop);
        const BatcherPosition saved = first.position();
        const std::vector<Seen> rest = take(first, 12);
        Batcher resumed(small_dataset(SplitRole::train), shuffled(prefetch), saved);
        BOOST_TEST((take(resumed, 12) == rest));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(position_counts_what_was_returned) {
  Batcher batcher(small_dataset(SplitRole::train), shuffled(4));
  BOOST_TEST((batcher.position() == BatcherPosition{0, 0, 42, 0}));
  batcher.next();
  batcher.next();
  BOOST_TEST(batcher.position().epoch == 0);
  BOOST_TEST(batcher.position().index == 10);
  take(batcher, 4);  // two more batches, the end of epoch 0 and the first batch of epoch 1
  BOOST_TEST(batcher.position().epoch == 1);
  BOOST_TEST(batcher.position().index == 5);
  // Epoch 0 drew 16 swaps and 17 flips.
  BOOST_TEST(batcher.position().offset == 33u);
}

BOOST_AUTO_TEST_CASE(test_batches_carry_the_evaluation_fields) {
  const ClipDataset& dataset = small_dataset(SplitRole::test);
  Batcher batcher(dataset, {.batch_size = 4, .shuffle = false});
  std::optional<Batch> batch = batcher.next();
  BOOST_TEST_REQUIRE(batch.has_value());
  BOOST_TEST(batch->label_scaled.shape() == (Shape{4, 4, 17, 3}));
  BOOST_TEST(batch->factor.shape() == (Shape{4, 4}));
  const std::vector<float> factor = batch->factor.to_vector(), scaled = batch->label_scaled.to_vector();
  for (int64_t i = 0; i < 4; ++i) {
    BOOST_TEST(batch->actions[i] == "action0");
    BOOST_TEST(batch->environments[i] == "indoors");
    BOOST_TEST((batch->image_sizes[i] == ImageSize{1216, 1936}));
    for (int64_t time = 0; time < 4; ++time) {
      const int64_t f = 4 * i + time;  // clip i holds frames 4i..4i+3
      BOOST_TEST(factor[i * 4 + time] == t::factor(f));
      BOOST_TEST(scaled[((i * 4 + time) * 17 + 9) * 3 + 1] == t::scaled(f, 9, 1));
    }
  }
}

BOOST_AUTO_TEST_CASE(stops_cleanly_mid_epoch) {
  // The worker is blocked on a full queue, or still filling it, when the batcher goes away.
  for (int64_t prefetch : {1, 2, 8}) {
    Batcher batcher(small_dataset(SplitRole::train), shuffled(prefetch));
    batcher.next();
  }
  Batcher untouched(small_dataset(SplitRole::train), shuffled(2));
}

BOOST_AUTO_TEST_CASE(rejects_bad_options) {
  const ClipDataset& train = small_dataset(SplitRole::train);
  t::expect_error([&] { Batcher b(small_dataset(SplitRole::test), shuffled(0)); }, {"train split only"});
  t::expect_error([&] { Batcher b(train, {.batch_size = 0}); }, {"batch size"});
  t::expect_error([&] { Batcher b(train, shuffled(-1)); }, {"prefetch"});
  t::expect_error([&] { Batcher b(train, shuffled(0), {0, 18, 42, 0}); }, {"index 18", "17 clips"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
