#include "framework/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "framework/io/error.h"

namespace kasf::io {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
  throw FormatError(what + " '" + path + "': " + std::strerror(errno));
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw_errno("cannot open for fsync", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot fsync", path);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  std::string pattern = path_ + ".tmp-XXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw_errno("cannot create a temporary file next to", path_);
  ::close(fd);
  temp_path_ = pattern;
}

AtomicFile::~AtomicFile() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicFile::commit() {
  fsync_path(temp_path_, O_RDONLY);
  // mkstemp creates the file 0600; give the output the permissions an ordinary new file gets.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temp_path_.c_str(), 0666 & ~mask);
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) throw_errno("cannot rename temporary file to", path_);
  committed_ = true;
  // Persist the rename itself.
  std::filesystem::path dir = std::filesystem::absolute(path_).parent_path();
  fsync_path(dir.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace kasf::io
