// Checkpoints round-trip every field exactly and are weight files that kasf_infer can load.
#include <boost/test/unit_test.hpp>
#include <hdf5.h>

#include <filesystem>
#include <limits>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "models/model_config.h"
#include "training/checkpoint.h"
#include "training_test_support.h"

namespace kasf::training {
namespace {

Checkpoint example_checkpoint() {
  Checkpoint c;
  c.model.weights = {{"head.weight", {{2, 3}, {1, 2, 3, 4, 5, 6.5f}}}, {"head.bias", {{2}, {-1e-7f, 3e8f}}}};
  models::ModelConfig config;
  config.set_n_layers(2);
  c.model.attributes = models::config_to_attributes(config);
  c.optimizer.lr = 1.2345678901234e-4;
  c.optimizer.parameters = {{"head.weight", 7, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, {1, 2, 3, 4, 5, 6}}};
  c.plateau = {0.125, 2, 1, 17};
  c.early_stopping = {0.25, 3};
  c.epoch = 5;
  c.step = 1234;
  c.elapsed_seconds = 3723.625;
  c.epoch_losses = {1.5, 2.5, 0.125, 4.0625, 96};
  c.data = {5, 64, 0xFEDCBA9876543210ull, 0x8000000000000001ull};
  c.random_streams = {{"blocks.0.mlp.dropout", 0x8000000000000003ull, 12345}, {"blocks.1.attn.dropout", 9, 0}};
  c.experiment = "name: \"x\"\n";
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoints)

BOOST_AUTO_TEST_CASE(every_field_round_trips_exactly) {
  testing::TempDir dir;
  const std::string path = dir.file("c.h5");
  const Checkpoint written = example_checkpoint();
  write_checkpoint(path, written);
  const Checkpoint read = read_checkpoint(path);
  BOOST_TEST(read.model.weights.size() == 2u);
  BOOST_TEST(read.model.weights[0].first == "head.weight");
  BOOST_TEST(read.model.weights[0].second.values == written.model.weights[0].second.values);
  BOOST_TEST(read.model.weights[1].second.values == written.model.weights[1].second.values);
  BOOST_TEST(read.model.attributes == written.model.attributes);
  BOOST_TEST(read.optimizer.lr == written.optimizer.lr);
  BOOST_TEST(read.optimizer.parameters.size() == 1u);
  BOOST_TEST(read.optimizer.parameters[0].step == 7);
  BOOST_TEST(read.optimizer.parameters[0].exp_avg == written.optimizer.parameters[0].exp_avg);
  BOOST_TEST(read.optimizer.parameters[0].exp_avg_sq == written.optimizer.parameters[0].exp_avg_sq);
  BOOST_TEST(read.plateau.best == 0.125);
  BOOST_TEST(read.plateau.num_bad_epochs == 2);
  BOOST_TEST(read.plateau.cooldown_counter == 1);
  BOOST_TEST(read.plateau.last_epoch == 17);
  BOOST_TEST(read.early_stopping.best == 0.25);
  BOOST_TEST(read.early_stopping.epochs_without_improvement == 3);
  BOOST_TEST(read.epoch == 5);
  BOOST_TEST(read.step == 1234);
  BOOST_TEST(read.elapsed_seconds == 3723.625);
  BOOST_TEST(read.epoch_losses.total == 4.0625);
  BOOST_TEST(read.epoch_losses.samples == 96);
  BOOST_TEST((read.data == written.data));
  BOOST_TEST_REQUIRE(read.random_streams.size() == 2u);
  for (size_t i = 0; i < 2; ++i) {
    BOOST_TEST(read.random_streams[i].name == written.random_streams[i].name);
    BOOST_TEST(read.random_streams[i].seed == written.random_streams[i].seed);
    BOOST_TEST(read.random_streams[i].offset == written.random_streams[i].offset);
  }
  BOOST_TEST(read.experiment == written.experiment);
}

BOOST_AUTO_TEST_CASE(infinite_bests_of_a_fresh_run_round_trip) {
  testing::TempDir dir;
  Checkpoint c = example_checkpoint();
  c.plateau.best = std::numeric_limits<double>::infinity();
  c.early_stopping.best = std::numeric_limits<double>::infinity();
  write_checkpoint(dir.file("c.h5"), c);
  const Checkpoint read = read_checkpoint(dir.file("c.h5"));
  BOOST_TEST(read.plateau.best == std::numeric_limits<double>::infinity());
  BOOST_TEST(read.early_stopping.best == std::numeric_limits<double>::infinity());
}

BOOST_AUTO_TEST_CASE(a_checkpoint_is_a_weight_file_with_the_model_attributes) {
  testing::TempDir dir;
  write_checkpoint(dir.file("c.h5"), example_checkpoint());
  const io::WeightFile weights = io::read_weight_file(dir.file("c.h5"));
  BOOST_TEST(weights.find("head.bias")->values == example_checkpoint().model.weights[1].second.values);
  BOOST_TEST(models::config_from_attributes(weights.attributes, "c.h5").n_layers() == 2);
}

BOOST_AUTO_TEST_CASE(writing_leaves_no_temporary_file) {
  testing::TempDir dir;
  write_checkpoint(dir.file("c.h5"), example_checkpoint());
  write_checkpoint(dir.file("c.h5"), example_checkpoint());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  BOOST_TEST(files == 1);
}

// The training time feeds a resumed run's budget: a negative or non-finite one is an error naming it.
BOOST_AUTO_TEST_CASE(a_negative_or_non_finite_training_time_is_refused) {
  testing::TempDir dir;
  const std::string path = dir.file("c.h5");
  for (const double bad : {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    Checkpoint c = example_checkpoint();
    c.elapsed_seconds = bad;
    write_checkpoint(path, c);
    BOOST_CHECK_EXCEPTION(read_checkpoint(path), io::FormatError, [&](const io::FormatError& e) {
      const std::string what = e.what();
      return what.find(path) != std::string::npos && what.find("elapsed_seconds") != std::string::npos;
    });
  }
}

BOOST_AUTO_TEST_CASE(a_plain_weight_file_is_no_checkpoint) {
  testing::TempDir dir;
  io::write_weight_file(dir.file("w.h5"), example_checkpoint().model);
  BOOST_CHECK_THROW(read_checkpoint(dir.file("w.h5")), io::FormatError);
}

// Version 2 files (no training time) still resume, with the time budget counted afresh; version 1
// files (no dropout streams) are refused with the file's name.
BOOST_AUTO_TEST_CASE(a_version_2_checkpoint_reads_with_no_training_time_and_version_1_is_refused) {
  testing::TempDir dir;
  const std::string path = dir.file("c.h5");
  write_checkpoint(path, example_checkpoint());
  const auto set_version = [&](int64_t version, bool drop_elapsed) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    BOOST_TEST_REQUIRE(file >= 0);
    BOOST_TEST_REQUIRE(H5Adelete(file, "kasf_checkpoint_version") >= 0);
    io::h5::write_attribute(file, "kasf_checkpoint_version", io::AttrValue(version));
    if (drop_elapsed) BOOST_TEST_REQUIRE(H5Adelete_by_name(file, "training", "elapsed_seconds", H5P_DEFAULT) >= 0);
    H5Fclose(file);
  };
  set_version(2, true);
  const Checkpoint read = read_checkpoint(path);
  BOOST_TEST(read.elapsed_seconds == 0.0);
  BOOST_TEST(read.step == 1234);
  set_version(1, false);
  BOOST_CHECK_EXCEPTION(read_checkpoint(path), io::FormatError,
                        [&](const io::FormatError& e) { return std::string(e.what()).find(path) != std::string::npos; });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::training
