// kasf_infer: runs a KASportsFormer weight file on an input tensor, or summarises a model definition.
//
//   kasf_infer --weights W.h5 [--config M.prototxt] --input-tensor IN.h5 --output OUT.h5
//   kasf_infer --config M.prototxt --summary
#include <boost/program_options.hpp>
#include <exception>
#include <iostream>

#include "layers/parameter_summary.h"
#include "models/inference.h"
#include "models/model_config.h"

namespace po = boost::program_options;

namespace {

int run_tensor_inference(const po::variables_map& args) {
  const std::string config = args.count("config") ? args["config"].as<std::string>() : "";
  auto model = kasf::models::load_model(args["weights"].as<std::string>(), config);
  kasf::Tensor input = kasf::models::read_tensor(args["input-tensor"].as<std::string>(), "input");
  kasf::models::write_tensor(args["output"].as<std::string>(), "output", kasf::models::predict(*model, input));
  return 0;
}

int print_summary(const po::variables_map& args) {
  kasf::Generator init(0);
  kasf::models::KASportsFormer model(kasf::models::read_model_config(args["config"].as<std::string>()), init);
  std::cout << kasf::parameter_summary(model);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_infer options");
  options.add_options()("help,h", "show this help")
      ("weights", po::value<std::string>(), "weight file (HDF5: weights/<key> datasets, hyperparameters as attributes)")
      ("config", po::value<std::string>(), "model definition (.prototxt); default: the weight file's attributes")
      ("input-tensor", po::value<std::string>(), "HDF5 file with dataset 'input' (B, T, 17, 3): x, y, confidence")
      ("output", po::value<std::string>(), "HDF5 file to write, dataset 'output' (B, T, 17, 3)")
      ("summary", "print the per-module parameter breakdown of --config and exit");
  const char* usage =
      "usage: kasf_infer --weights W.h5 [--config M.prototxt] --input-tensor IN.h5 --output OUT.h5\n"
      "       kasf_infer --config M.prototxt --summary\n";
  po::variables_map args;
  try {
    po::store(po::parse_command_line(argc, argv, options), args);
    po::notify(args);
  } catch (const po::error& e) {
    std::cerr << "kasf_infer: " << e.what() << "\n" << usage;
    return 2;
  }
  if (args.count("help")) {
    std::cout << usage << options;
    return 0;
  }
  const bool summary = args.count("summary") && args.count("config") && !args.count("weights");
  const bool inference = !args.count("summary") && args.count("weights") && args.count("input-tensor") &&
                         args.count("output");
  if (!summary && !inference) {
    std::cerr << "kasf_infer: give --config with --summary, or --weights, --input-tensor and --output\n" << usage;
    return 2;
  }
  try {
    return summary ? print_summary(args) : run_tensor_inference(args);
  } catch (const std::exception& e) {
    std::cerr << "kasf_infer: " << e.what() << "\n";
    return 1;
  }
}
