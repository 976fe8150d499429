// The command-line handling every kasf tool shares (Boost.Program_options).
#pragma once
#include <boost/program_options.hpp>

#include <optional>
#include <string>

namespace kasf {

// Parses argv into `args`. Returns the exit status when the tool should stop at once: 0 after
// printing `usage`, the options and `help_epilogue` for --help; 2 after printing the error and
// `usage` to stderr. Returns nothing when the tool should go on. `positional` names the options
// that arguments without a name fill (none by default).
std::optional<int> parse_command_line(const char* tool, int argc, char** argv,
                                      const boost::program_options::options_description& options,
                                      const std::string& usage, boost::program_options::variables_map& args,
                                      const std::string& help_epilogue = "",
                                      const boost::program_options::positional_options_description& positional = {});

}  // namespace kasf
