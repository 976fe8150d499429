// A pickle decoder (protocols 2 to 5) that never runs code: it builds a value tree and accepts only
// allow-listed globals (pickle_globals.h plus those named in PickleOptions). Any other global,
// truncated or corrupt input fails with a PickleError giving the byte offset.
#pragma once
#include <set>
#include <string>
#include <string_view>

#include "framework/io/error.h"
#include "framework/io/pickle_value.h"

namespace kasf::io {

class PickleError : public FormatError {
 public:
  PickleError(const std::string& source, uint64_t offset, const std::string& what);
  uint64_t offset() const { return offset_; }

 private:
  uint64_t offset_;
};

struct PickleOptions {
  // Globals whose calls are kept unevaluated as PyKind::Object (e.g. torch's tensor rebuild).
  std::set<std::string, std::less<>> opaque_calls;
  // Classes that may appear as values but not be called (e.g. torch.FloatStorage).
  std::set<std::string, std::less<>> classes;
  // Accept persistent ids (torch storages) as PyKind::PersistentId nodes.
  bool allow_persistent_ids = false;
};

// Decodes `bytes`; the document views them, so they must outlive it. `source` names the input in
// messages.
PickleDocument parse_pickle(std::string_view bytes, const std::string& source, const PickleOptions& options = {});
// A temporary would be gone before the document that views it.
PickleDocument parse_pickle(std::string&& bytes, const std::string& source, const PickleOptions& options = {}) = delete;
// Maps the file and decodes it; the document keeps the mapping.
PickleDocument load_pickle_file(const std::string& path, const PickleOptions& options = {});

}  // namespace kasf::io
