// Builds the value tree while a pickle is decoded: node creation and Python's key semantics for
// dicts and sets (equal keys replace, 1 == 1.0 == True, unhashable keys rejected).
#pragma once
#include <string>
#include <unordered_map>

#include "framework/io/pickle_value.h"

namespace kasf::io {

class PickleBuilder {
 public:
  explicit PickleBuilder(PickleDocument& doc) : doc_(doc) {}

  PickleDocument& doc() { return doc_; }
  PyValue* make(PyKind kind, uint64_t offset) { return doc_.make(kind, offset); }

  // dict[key] = value: an equal key keeps its position and gets the new value.
  void set_item(PyValue& dict, const PyValue* key, const PyValue* value);
  // set.add(item)
  void add_to_set(PyValue& set, const PyValue* item);

 private:
  // Position of a key equal to `key` among the container's keys, or -1.
  long find_key(const PyValue& container, const PyValue& key, const std::string& hash);
  const PyValue& key_at(const PyValue& container, size_t i) const;

  PickleDocument& doc_;
  // Hash indexes of containers too big for a linear scan, by container.
  std::unordered_map<const PyValue*, std::unordered_map<std::string, size_t>> index_;
};

// A string equal for equal Python keys; throws FormatError for unhashable values (list, dict, set,
// arrays) and for keys nested deeper than a fixed limit.
std::string hash_key(const PyValue& key);

}  // namespace kasf::io
