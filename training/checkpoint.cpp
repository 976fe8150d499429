#include "training/checkpoint.h"

#include <bit>
#include <cmath>

#include "framework/io/atomic_file.h"
#include "framework/io/error.h"
#include "framework/io/hdf5.h"

namespace kasf::training {
namespace {

namespace h5 = io::h5;
constexpr int64_t kVersion = 3;  // 2: random_streams; 3: elapsed_seconds
constexpr int64_t kOldestReadable = 2;  // version 2 reads with elapsed_seconds 0

// Typed attribute access: a missing attribute or one of another type names the file and the object.
template <class T>
T attribute(hid_t object, const std::string& name) {
  const io::AttrValue value = h5::read_attribute(object, name);
  if (const T* typed = std::get_if<T>(&value)) return *typed;
  h5::fail(object, name, "has the wrong type");
}

// uint64 generator states travel as int64 attributes with the same bits.
int64_t as_int64(uint64_t value) { return std::bit_cast<int64_t>(value); }
uint64_t as_uint64(int64_t value) { return std::bit_cast<uint64_t>(value); }

void write_optimizer(hid_t file, const AdamWState& state) {
  h5::Handle group = h5::create_group(file, "optimizer");
  h5::write_attribute(group.id(), "lr", state.lr);
  for (const auto& parameter : state.parameters) {
    h5::Handle entry = h5::create_group(group.id(), parameter.name);
    h5::write_attribute(entry.id(), "step", parameter.step);
    const Shape shape{static_cast<int64_t>(parameter.exp_avg.size())};
    h5::write_floats(entry.id(), "exp_avg", shape, parameter.exp_avg.data());
    h5::write_floats(entry.id(), "exp_avg_sq", shape, parameter.exp_avg_sq.data());
  }
}

AdamWState read_optimizer(hid_t file) {
  h5::Handle group = h5::open_group(file, "optimizer");
  AdamWState state;
  state.lr = attribute<double>(group.id(), "lr");
  for (const std::string& name : h5::member_names(group.id())) {
    h5::Handle entry = h5::open_group(group.id(), name);
    AdamWParameterState parameter;
    parameter.name = name;
    parameter.step = attribute<int64_t>(entry.id(), "step");
    Shape shape;
    parameter.exp_avg = h5::read_floats(entry.id(), "exp_avg", &shape);
    parameter.exp_avg_sq = h5::read_floats(entry.id(), "exp_avg_sq", &shape);
    state.parameters.push_back(std::move(parameter));
  }
  return state;
}

void write_training(hid_t file, const Checkpoint& c) {
  h5::Handle group = h5::create_group(file, "training");
  const hid_t g = group.id();
  h5::write_attribute(g, "epoch", c.epoch);
  h5::write_attribute(g, "step", c.step);
  h5::write_attribute(g, "elapsed_seconds", c.elapsed_seconds);
  h5::write_attribute(g, "epoch_loss_mpjpe", c.epoch_losses.mpjpe);
  h5::write_attribute(g, "epoch_loss_n_mpjpe", c.epoch_losses.n_mpjpe);
  h5::write_attribute(g, "epoch_loss_velocity", c.epoch_losses.velocity);
  h5::write_attribute(g, "epoch_loss_total", c.epoch_losses.total);
  h5::write_attribute(g, "epoch_samples", c.epoch_losses.samples);
  h5::write_attribute(g, "plateau_best", c.plateau.best);
  h5::write_attribute(g, "plateau_num_bad_epochs", c.plateau.num_bad_epochs);
  h5::write_attribute(g, "plateau_cooldown_counter", c.plateau.cooldown_counter);
  h5::write_attribute(g, "plateau_last_epoch", c.plateau.last_epoch);
  h5::write_attribute(g, "early_stopping_best", c.early_stopping.best);
  h5::write_attribute(g, "early_stopping_epochs_without_improvement", c.early_stopping.epochs_without_improvement);
  h5::write_attribute(g, "data_epoch", c.data.epoch);
  h5::write_attribute(g, "data_index", c.data.index);
  h5::write_attribute(g, "data_seed", as_int64(c.data.seed));
  h5::write_attribute(g, "data_offset", as_int64(c.data.offset));
  h5::write_attribute(g, "experiment", c.experiment);
}

void read_training(hid_t file, int64_t version, Checkpoint& c) {
  h5::Handle group = h5::open_group(file, "training");
  const hid_t g = group.id();
  c.epoch = attribute<int64_t>(g, "epoch");
  c.step = attribute<int64_t>(g, "step");
  c.elapsed_seconds = version >= 3 ? attribute<double>(g, "elapsed_seconds") : 0.0;
  // A resumed run's time budget and cosine decay start from it.
  if (!(std::isfinite(c.elapsed_seconds) && c.elapsed_seconds >= 0.0))
    h5::fail(g, "elapsed_seconds", "must be a finite number of seconds >= 0");
  c.epoch_losses.mpjpe = attribute<double>(g, "epoch_loss_mpjpe");
  c.epoch_losses.n_mpjpe = attribute<double>(g, "epoch_loss_n_mpjpe");
  c.epoch_losses.velocity = attribute<double>(g, "epoch_loss_velocity");
  c.epoch_losses.total = attribute<double>(g, "epoch_loss_total");
  c.epoch_losses.samples = attribute<int64_t>(g, "epoch_samples");
  c.plateau.best = attribute<double>(g, "plateau_best");
  c.plateau.num_bad_epochs = attribute<int64_t>(g, "plateau_num_bad_epochs");
  c.plateau.cooldown_counter = attribute<int64_t>(g, "plateau_cooldown_counter");
  c.plateau.last_epoch = attribute<int64_t>(g, "plateau_last_epoch");
  c.early_stopping.best = attribute<double>(g, "early_stopping_best");
  c.early_stopping.epochs_without_improvement = attribute<int64_t>(g, "early_stopping_epochs_without_improvement");
  c.data.epoch = attribute<int64_t>(g, "data_epoch");
  c.data.index = attribute<int64_t>(g, "data_index");
  c.data.seed = as_uint64(attribute<int64_t>(g, "data_seed"));
  c.data.offset = as_uint64(attribute<int64_t>(g, "data_offset"));
  c.experiment = attribute<std::string>(g, "experiment");
}

void write_random_streams(hid_t file, const std::vector<RandomStreamState>& streams) {
  h5::Handle group = h5::create_group(file, "random_streams");
  for (const RandomStreamState& stream : streams) {
    h5::Handle entry = h5::create_group(group.id(), stream.name);
    h5::write_attribute(entry.id(), "seed", as_int64(stream.seed));
    h5::write_attribute(entry.id(), "offset", as_int64(stream.offset));
  }
}

std::vector<RandomStreamState> read_random_streams(hid_t file) {
  h5::Handle group = h5::open_group(file, "random_streams");
  std::vector<RandomStreamState> streams;
  for (const std::string& name : h5::member_names(group.id())) {
    h5::Handle entry = h5::open_group(group.id(), name);
    streams.push_back({name, as_uint64(attribute<int64_t>(entry.id(), "seed")),
                       as_uint64(attribute<int64_t>(entry.id(), "offset"))});
  }
  return streams;
}

}  // namespace

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  io::AtomicFile output(path);
  {
    h5::Handle file = h5::create_file(output.temp_path());
    io::WeightFile model = checkpoint.model;
    model.attributes["kasf_checkpoint_version"] = kVersion;
    io::write_weight_layout(file.id(), model);
    write_optimizer(file.id(), checkpoint.optimizer);
    write_training(file.id(), checkpoint);
    write_random_streams(file.id(), checkpoint.random_streams);
  }
  output.commit();
}

Checkpoint read_checkpoint(const std::string& path) {
  Checkpoint checkpoint;
  checkpoint.model = io::read_weight_file(path);
  const auto entry = checkpoint.model.attributes.find("kasf_checkpoint_version");
  const int64_t* version = entry == checkpoint.model.attributes.end() ? nullptr : std::get_if<int64_t>(&entry->second);
  if (version == nullptr || *version < kOldestReadable || *version > kVersion)
    throw io::FormatError("'" + path + "' is no kasf training checkpoint of version " +
                          std::to_string(kOldestReadable) + " to " + std::to_string(kVersion) +
                          " (root attribute kasf_checkpoint_version)");
  const int64_t found = *version;
  checkpoint.model.attributes.erase(entry);
  h5::Handle file = h5::open_file(path);
  checkpoint.optimizer = read_optimizer(file.id());
  read_training(file.id(), found, checkpoint);
  checkpoint.random_streams = read_random_streams(file.id());
  return checkpoint;
}

}  // namespace kasf::training
