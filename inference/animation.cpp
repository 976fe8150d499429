#include "inference/animation.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "framework/io/atomic_file.h"
#include "inference/frame_render.h"

extern char** environ;

namespace kasf::inference {
namespace {

// Runs `arguments` (the program first) without a shell and returns its exit status.
int run(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("could not start " + arguments[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) throw std::runtime_error("waiting for " + arguments[0] + " failed");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::optional<std::string> find_ffmpeg() {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(folder.empty() ? "." : folder) / "ffmpeg";
    if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate))
      return candidate.string();
  }
  return std::nullopt;
}

std::string make_animation(const std::string& ffmpeg, const std::string& dir, double fps) {
  const std::string output = (std::filesystem::path(dir) / "animation.mp4").string();
  io::AtomicFile file(output);
  std::ostringstream rate;
  rate << fps;
  // Even dimensions for yuv420p; the format is named because the temporary name has no extension.
  const int status = run({ffmpeg, "-loglevel", "error", "-y", "-framerate", rate.str(), "-i",
                          (std::filesystem::path(dir) / kFrameFilePattern).string(), "-vf",
                          "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4",
                          file.temp_path()});
  if (status != 0) throw std::runtime_error(ffmpeg + " failed with exit status " + std::to_string(status) + " making " + output);
  file.commit();
  return output;
}

}  // namespace kasf::inference
