#include "tools/command_line.h"

#include <cmath>
#include <cstdint>
#include <iostream>
#include <sstream>

namespace kasf {

namespace po = boost::program_options;

namespace {

// The option's value as a double, whichever numeric type it was declared with.
double numeric_value(const po::variable_value& value, const std::string& name) {
  if (const auto* d = boost::any_cast<double>(&value.value())) return *d;
  if (const auto* i = boost::any_cast<int64_t>(&value.value())) return static_cast<double>(*i);
  if (const auto* u = boost::any_cast<uint64_t>(&value.value())) return static_cast<double>(*u);
  if (const auto* n = boost::any_cast<int>(&value.value())) return *n;
  throw std::logic_error("--" + name + " is not a numeric option");
}

}  // namespace

std::string numeric_problem(const NumericOption& option, double value) {
  if (std::isfinite(value) && value >= option.min && value <= option.max) return "";
  std::ostringstream text;
  text << "--" << option.name << " " << value << ": must be a finite number from " << option.min << " to "
       << option.max;
  return text.str();
}

std::optional<int> parse_command_line(const char* tool, int argc, char** argv, const po::options_description& options,
                                      const std::string& usage, po::variables_map& args,
                                      const std::vector<NumericOption>& numeric, const std::string& help_epilogue,
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
  for (const NumericOption& option : numeric) {
    if (!args.count(option.name)) continue;
    if (const std::string problem = numeric_problem(option, numeric_value(args[option.name], option.name));
        !problem.empty()) {
      std::cerr << tool << ": " << problem << "\n";
      return 1;
    }
  }
  return std::nullopt;
}

}  // namespace kasf
