// Read-only memory mapping of a whole input file, so large pickles and checkpoints are not copied.
#pragma once
#include <string>
#include <string_view>

namespace kasf::io {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // throws FormatError naming the path
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  const std::string& path() const { return path_; }
  // Drops the resident pages that lie wholly inside `part` (a view into bytes()) from memory; they
  // are read from the file again if touched. Lets a reader keep memory near the size of its output.
  void release(std::string_view part) const;

 private:
  std::string path_;
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kasf::io
