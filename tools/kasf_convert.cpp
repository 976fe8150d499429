// kasf_convert: PyTorch checkpoints and MotionBERT-style pickles into kasf's HDF5 files, with no
// Python and without executing anything the input files ask for (docs/formats.md).
//
//   kasf_convert --checkpoint IN.pth --output W.h5 [--state-dict-key model] [--config M.prototxt | --like REF.h5]
//                [--attr k=v]...
//   kasf_convert --dataset IN.pkl|CLIPDIR [--dataset SPLIT=IN.pkl ...] --output D.h5
//   kasf_convert --dataset CLIPDIR --dataset test=valid.pkl --output D.h5   (pre-cut clips with their ground truth)
#include <boost/program_options.hpp>
#include <iostream>
#include <limits>
#include <map>
#include <optional>

#include "datasets/source_import.h"
#include "framework/io/finite_values.h"
#include "framework/io/torch_checkpoint.h"
#include "layers/state_dict_io.h"
#include "models/pose_lifter.h"
#include "models/model_config.h"
#include "framework/io/weight_file.h"
#include "tools/command_line.h"

namespace po = boost::program_options;
using namespace kasf;

namespace {

// "true"/"false" → bool, an integer literal → int64, a number → double, anything else → string.
// A number must be finite ("nan" and "inf" are refused, naming the attribute).
io::AttrValue parse_attribute_value(const std::string& key, const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  size_t used = 0;
  try {
    int64_t i = std::stoll(text, &used);
    if (used == text.size()) return i;
  } catch (const std::exception&) {
  }
  std::optional<double> number;
  try {
    double d = std::stod(text, &used);
    if (used == text.size()) number = d;
  } catch (const std::out_of_range&) {
    number = std::numeric_limits<double>::infinity();  // beyond double's range
  } catch (const std::invalid_argument&) {
  }
  if (number) {
    const std::string problem = numeric_problem(
        {"attr " + key, std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max()}, *number);
    if (!problem.empty()) throw std::invalid_argument(problem);
    return *number;
  }
  return text;
}

// The --attr assignments, checked before any file is read.
std::map<std::string, io::AttrValue> attribute_overrides(const po::variables_map& args) {
  std::map<std::string, io::AttrValue> out;
  if (args.count("attr"))
    for (const auto& assignment : args["attr"].as<std::vector<std::string>>()) {
      size_t eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0) throw std::invalid_argument("--attr expects key=value, got '" + assignment + "'");
      const std::string key = assignment.substr(0, eq);
      out[key] = parse_attribute_value(key, assignment.substr(eq + 1));
    }
  return out;
}

void convert_checkpoint(const po::variables_map& args) {
  const std::map<std::string, io::AttrValue> overrides = attribute_overrides(args);
  io::WeightFile weights;
  weights.weights = io::read_torch_state_dict(args["checkpoint"].as<std::string>(),
                                              args["state-dict-key"].as<std::string>());
  if (!args.count("keep-non-finite"))
    for (const auto& [key, array] : weights.weights)
      io::check_finite("checkpoint '" + args["checkpoint"].as<std::string>() + "': tensor '" + key + "' (shape " +
                           to_string(array.shape) + ")",
                       array.values.data(), array.values.size(), 1, "element");
  if (args.count("like")) weights.attributes = io::read_weight_file(args["like"].as<std::string>()).attributes;
  if (args.count("config")) {
    // The definition's hyperparameters describe the file; the weights must load into that model.
    const std::string path = args["config"].as<std::string>();
    const models::ModelConfig config = models::read_model_config(path);
    Generator unused(0);
    const auto model = models::build_model(config, unused);
    load_state_dict(*model, weights, /*strict=*/true, args["checkpoint"].as<std::string>());
    for (auto& [key, value] : models::config_to_attributes(config)) weights.attributes[key] = value;
  }
  for (auto& [key, value] : overrides) weights.attributes[key] = value;
  io::write_weight_file(args["output"].as<std::string>(), weights);
  std::cout << "wrote " << args["output"].as<std::string>() << ": " << weights.weights.size() << " tensors, "
            << weights.attributes.size() << " attributes\n";
}

void convert_dataset(const po::variables_map& args) {
  std::vector<data::DatasetInput> inputs;
  for (const auto& spec : args["dataset"].as<std::vector<std::string>>()) {
    size_t eq = spec.find('=');
    // SPLIT=PATH names the split of a single-split input; a plain path holds its own splits.
    if (eq != std::string::npos && eq > 0 && spec.find('/') > eq)
      inputs.push_back({spec.substr(eq + 1), spec.substr(0, eq)});
    else
      inputs.push_back({spec, ""});
  }
  auto splits = data::convert_dataset(inputs, args["output"].as<std::string>());
  std::cout << "wrote " << args["output"].as<std::string>() << ":";
  for (const auto& [name, split] : splits)
    std::cout << " " << name << " " << split.num_frames << (split.clip_length ? " clips" : " frames") << ";";
  std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_convert: PyTorch checkpoints and pose pickles to HDF5 (docs/formats.md)");
  options.add_options()
      ("help,h", "show this help")
      ("checkpoint", po::value<std::string>(), "torch.save checkpoint (.pth) to convert into a weight file")
      ("state-dict-key", po::value<std::string>()->default_value(""),
       "top-level key of the state dict in a checkpoint dict (default: found automatically)")
      ("like", po::value<std::string>(), "copy the model attributes (root attributes) of this weight file")
      ("config", po::value<std::string>(),
       "model definition (.prototxt) whose hyperparameters become the attributes; the weights must match it")
      ("attr", po::value<std::vector<std::string>>(), "set a model attribute, key=value (repeatable)")
      ("keep-non-finite", "write NaN or infinite weights instead of refusing them (for inspection: kasf's "
                          "readers refuse such a file)")
      ("dataset", po::value<std::vector<std::string>>(),
       "source pickle, clip folder, or SPLIT=PATH for a single-split pickle (repeatable); a per-frame SPLIT=PATH "
       "beside a clip folder with that split gives its clips' ground truth")
      ("output,o", po::value<std::string>(), "HDF5 file to write (atomically)");
  try {
    po::variables_map args;
    po::store(po::parse_command_line(argc, argv, options), args);
    po::notify(args);
    if (args.count("help")) {
      std::cout << options << "\n";
      return 0;
    }
    if (!args.count("output") || args.count("checkpoint") == args.count("dataset"))
      throw std::invalid_argument("give --output and exactly one of --checkpoint or --dataset (see --help)");
    if (args.count("checkpoint"))
      convert_checkpoint(args);
    else
      convert_dataset(args);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kasf_convert: error: " << e.what() << "\n";
    return 1;
  }
}
