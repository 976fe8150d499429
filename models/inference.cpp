#include "models/inference.h"

#include <map>

#include "framework/autograd.h"
#include "framework/io/error.h"
#include "framework/io/atomic_file.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "layers/state_dict_io.h"
#include "models/model_config.h"

namespace kasf::models {

std::unique_ptr<PoseLifter> load_model(const std::string& weights_path, const std::string& config_path) {
  io::WeightFile weights = io::read_weight_file(weights_path);
  ModelConfig config = config_path.empty() ? config_from_attributes(weights.attributes, weights_path)
                                           : read_model_config(config_path);
  Generator unused_init(0);
  auto model = build_model(config, unused_init);
  load_state_dict(*model, weights, true, weights_path);
  return model;
}

std::optional<int64_t> trained_frame_step(const std::string& weights_path) {
  io::h5::Handle file = io::h5::open_file(weights_path);
  const std::map<std::string, io::AttrValue> attributes = io::h5::read_attributes(file.id());
  const auto found = attributes.find(kTrainedFrameStepAttribute);
  if (found == attributes.end()) return std::nullopt;
  const int64_t* step = std::get_if<int64_t>(&found->second);
  if (step == nullptr || *step < 1)
    throw io::FormatError("'" + weights_path + "': root attribute " + kTrainedFrameStepAttribute +
                          " must be an integer >= 1");
  return *step;
}

Tensor predict(PoseLifter& model, const Tensor& input) {
  NoGradGuard no_grad;
  model.eval();
  return model.forward(input);
}

std::vector<float> predict_clips(PoseLifter& model, const std::vector<float>& clips, int64_t count) {
  const ModelConfig& c = model.config();
  const Tensor input = Tensor::from_vector({count, c.n_frames(), c.num_joints(), c.dim_in()}, clips, model.device());
  return predict(model, input).to_vector();
}

Tensor read_tensor(const std::string& path, const std::string& dataset) {
  io::h5::Handle file = io::h5::open_file(path);
  Shape shape;
  std::vector<float> values = io::h5::read_floats(file.id(), dataset, &shape);
  return Tensor::from_vector(shape, values);
}

void write_tensor(const std::string& path, const std::string& dataset, const Tensor& value) {
  io::AtomicFile output(path);
  {
    io::h5::Handle file = io::h5::create_file(output.temp_path());
    std::vector<float> values = value.to_vector();
    io::h5::write_floats(file.id(), dataset, value.shape(), values.data());
  }
  output.commit();
}

}  // namespace kasf::models
