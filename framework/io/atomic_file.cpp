#include "framework/io/atomic_file.h"

#include <fcntl.h>
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

// The temporary file lives in a new folder so that the writer creates it: a file reserved with
// mkstemp would be truncated when opened for writing, and ext4 then flushes it to disk on close
// (auto_da_alloc), a wait that a RenameOnly output does not need.
AtomicFile::AtomicFile(std::string path, Durability durability) : path_(std::move(path)), durability_(durability) {
  std::string pattern = path_ + ".tmp-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw_errno("cannot create a temporary folder next to", path_);
  temp_folder_ = pattern;
  temp_path_ = (std::filesystem::path(temp_folder_) / std::filesystem::path(path_).filename()).string();
}

AtomicFile::~AtomicFile() {
  if (!committed_) std::remove(temp_path_.c_str());
  ::rmdir(temp_folder_.c_str());
}

void AtomicFile::commit() {
  const bool synced = durability_ == Durability::Synced;
  if (synced) fsync_path(temp_path_, O_RDONLY);
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) throw_errno("cannot rename temporary file to", path_);
  committed_ = true;
  // Persist the rename itself.
  if (synced) fsync_path(std::filesystem::absolute(path_).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace kasf::io
