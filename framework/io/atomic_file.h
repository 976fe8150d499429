// Whole-file replacement that never leaves a half-written output behind.
#pragma once
#include <string>

namespace kasf::io {

// Reserves a uniquely named temporary file next to `path`; the caller writes it (through
// temp_path()), then commit() flushes it to disk and renames it over `path`. Destroying an
// uncommitted AtomicFile (an exception while writing) removes the temporary file.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace kasf::io
