#include "tools/command_line.h"

#include <iostream>

namespace kasf {

namespace po = boost::program_options;

std::optional<int> parse_command_line(const char* tool, int argc, char** argv, const po::options_description& options,
                                      const std::string& usage, po::variables_map& args,
                                      const std::string& help_epilogue,
                                      const po::positional_options_description& positional) {
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), args);
    if (args.count("help")) {
      std::cout << usage << options << help_epilogue;
      return 0;
    }
    po::notify(args);
  } catch (const po::error& e) {
    std::cerr << tool << ": " << e.what() << "\n" << usage;
    return 2;
  }
  return std::nullopt;
}

}  // namespace kasf
