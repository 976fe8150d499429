// The command-line handling every kasf tool shares (Boost.Program_options).
#pragma once
#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kasf {

// The values a numeric option accepts: finite and within [min, max].
struct NumericOption {
  std::string name;  // without the dashes
  double min, max;
};

// Options several tools share.
inline const NumericOption kThreadsOption{"threads", 0, 4096};
inline const NumericOption kBatchSizeOption{"batch-size", 1, 65536};
inline const NumericOption kFpsOption{"fps", 0.01, 1e4};

// Why `value` is not acceptable for the numeric option `option`, naming it; empty when it is.
std::string numeric_problem(const NumericOption& option, double value);

// Parses argv into `args`. Returns the exit status when the tool should stop at once: 0 after
// printing `usage`, the options and `help_epilogue` for --help; 2 after printing the error and
// `usage` to stderr; 1 after naming a `numeric` option whose value is not finite or out of range.
// Returns nothing when the tool should go on. `positional` names the options that arguments
// without a name fill (none by default).
std::optional<int> parse_command_line(const char* tool, int argc, char** argv,
                                      const boost::program_options::options_description& options,
                                      const std::string& usage, boost::program_options::variables_map& args,
                                      const std::vector<NumericOption>& numeric, const std::string& help_epilogue = "",
                                      const boost::program_options::positional_options_description& positional = {});

}  // namespace kasf
