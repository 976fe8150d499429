// A small RAII layer over the HDF5 C API, used for every HDF5 file kasf reads or writes.
// HDF5's own error printing is silenced; every failure becomes a FormatError that names the file
// and the object path. Files written here are byte-for-byte reproducible (no timestamps).
#pragma once
#include <hdf5.h>

#include <map>
#include <string>
#include <vector>

#include "framework/io/attr_value.h"
#include "framework/shape.h"

namespace kasf::io::h5 {

// Owns one HDF5 identifier (file, group, dataset, attribute, type, space or property list) and
// closes it with the matching H5*close function.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const { return id_; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

Handle open_file(const std::string& path);    // read-only
Handle create_file(const std::string& path);  // truncates

// "file.h5:/group/name", for messages.
std::string describe(hid_t object);
std::string describe(hid_t location, const std::string& name);
[[noreturn]] void fail(hid_t location, const std::string& name, const std::string& what);

bool exists(hid_t location, const std::string& name);  // a direct or nested link
Handle open_group(hid_t location, const std::string& name);
Handle create_group(hid_t location, const std::string& name);
std::vector<std::string> member_names(hid_t group);  // sorted by name
bool is_group(hid_t location, const std::string& name);

// Datasets. Numeric reads convert from any stored integer or float type.
Shape dataset_shape(hid_t location, const std::string& name);
std::vector<float> read_floats(hid_t location, const std::string& name, Shape* shape);
std::vector<int32_t> read_int32s(hid_t location, const std::string& name, Shape* shape);
std::vector<std::string> read_strings(hid_t location, const std::string& name);  // 1-D
// values: numel(shape) host-order floats, at any alignment (e.g. inside a mapped pickle).
void write_floats(hid_t location, const std::string& name, const Shape& shape, const void* values);
void write_int32s(hid_t location, const std::string& name, const Shape& shape, const int32_t* values);
void write_strings(hid_t location, const std::string& name, const std::vector<std::string>& values);

// Scalar attributes of integer, float, string or boolean (h5py's enum) type.
std::map<std::string, AttrValue> read_attributes(hid_t object);
AttrValue read_attribute(hid_t object, const std::string& name);
void write_attribute(hid_t object, const std::string& name, const AttrValue& value);

}  // namespace kasf::io::h5
