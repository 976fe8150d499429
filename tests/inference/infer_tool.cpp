#include "infer_tool.h"
#include "tests/support/scratch_dir.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kasf::inference::test {

int run_infer(const std::string& arguments, const std::string& log, const std::string& path) {
  const std::string environment = path.empty() ? "" : "PATH='" + path + "' ";
  const std::string command = environment + KASF_INFER + " " + arguments + " > " + log + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string sample_arguments(const std::string& output, const std::string& extra) {
  return std::string("--weights ") + kWeights + " --input " + kSample + " --format coco-json --width 1000 --height 1000" +
         " --quiet --output " + output + (extra.empty() ? "" : " " + extra);
}

}  // namespace kasf::inference::test
