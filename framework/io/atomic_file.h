// Whole-file replacement that never leaves a half-written output behind.
#pragma once
#include <string>

namespace kasf::io {

// Reserves a fresh temporary folder next to `path`; the caller creates and writes temp_path() (a
// file of the same name inside it), then commit() renames it over `path`. Destroying an uncommitted
// AtomicFile (an exception while writing) removes the temporary file and folder.
class AtomicFile {
 public:
  enum class Durability {
    Synced,      // commit() fsyncs the file and the folder: the new file survives a crash once it returns
    RenameOnly,  // readers see the old file or the complete new one, but a crash soon after commit()
                 // may leave an empty or truncated file (for outputs that can be made again)
  };

  explicit AtomicFile(std::string path, Durability durability = Durability::Synced);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  void commit();

 private:
  std::string path_;
  Durability durability_;
  std::string temp_folder_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace kasf::io
