#include "framework/io/hdf5.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "framework/io/error.h"
#include "framework/io/excerpt.h"
#include "framework/io/hdf5_heap_check.h"

namespace kasf::io::h5 {
namespace {

// Printing to stderr from inside a library is never wanted; failures are reported by exception.
void silence_hdf5_errors() {
  static const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

// The innermost description on HDF5's error stack (the most specific reason), then clears it.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
        if (e->desc && *e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason.empty() ? std::string() : " (" + reason + ")";
}

hid_t check_id(hid_t id, hid_t location, const std::string& name, const std::string& what) {
  if (id < 0) fail(location, name, what + hdf5_reason());
  return id;
}

void check(herr_t rc, hid_t location, const std::string& name, const std::string& what) {
  if (rc < 0) fail(location, name, what + hdf5_reason());
}

// Object-creation property list with modification/creation times off, so equal content gives
// equal bytes.
Handle untimed(hid_t property_class) {
  Handle plist(H5Pcreate(property_class));
  H5Pset_obj_track_times(plist.id(), false);
  return plist;
}

Handle space_for(const Shape& shape) {
  if (shape.empty()) return Handle(H5Screate(H5S_SCALAR));
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
}

Shape shape_of_space(hid_t space, hid_t location, const std::string& name) {
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail(location, name, "has a dataspace that is not simple");
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
}

// A corrupt dataspace can claim billions of elements: refuse a dataset whose elements need more
// bytes than the file stores for it (allowing for deflate's at most ~1032:1 when it is filtered)
// before allocating memory for them.
void check_stored_size(hid_t dataset, hid_t file_type, const Shape& dims, hid_t location, const std::string& name) {
  const double needed = static_cast<double>(numel(dims)) * static_cast<double>(H5Tget_size(file_type));
  if (needed == 0) return;
  Handle create(H5Dget_create_plist(dataset));
  const bool filtered = create.id() >= 0 && H5Pget_nfilters(create.id()) > 0;
  const double stored = static_cast<double>(H5Dget_storage_size(dataset));
  if (needed > stored * (filtered ? 1100 : 1))
    fail(location, name, "has shape " + to_string(dims) + " (" + std::to_string(static_cast<uint64_t>(needed)) +
                             " bytes) but only " + std::to_string(static_cast<uint64_t>(stored)) +
                             " bytes are stored in the file");
}

template <typename T>
std::vector<T> read_numeric(hid_t location, const std::string& name, Shape* shape, hid_t memory_type) {
  Handle dataset(check_id(H5Dopen2(location, name.c_str(), H5P_DEFAULT), location, name, "cannot open dataset"));
  Handle type(H5Dget_type(dataset.id()));
  H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) fail(location, name, "is not a numeric dataset");
  Handle space(H5Dget_space(dataset.id()));
  Shape dims = shape_of_space(space.id(), location, name);
  check_stored_size(dataset.id(), type.id(), dims, location, name);
  std::vector<T> values(static_cast<size_t>(numel(dims)));
  check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), location, name,
        "cannot read dataset");
  if (shape) *shape = std::move(dims);
  return values;
}

template <typename T>
void write_numeric(hid_t location, const std::string& name, const Shape& shape, const T* values, hid_t file_type,
                   hid_t memory_type) {
  Handle space = space_for(shape);
  Handle dcpl = untimed(H5P_DATASET_CREATE);
  Handle dataset(check_id(H5Dcreate2(location, name.c_str(), file_type, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                          location, name, "cannot create dataset"));
  if (numel(shape) > 0)
    check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), location, name,
          "cannot write dataset");
}

Handle vlen_utf8_type() {
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  return type;
}

// h5py stores numpy bools as an int8 enum {FALSE = 0, TRUE = 1}.
Handle bool_enum_type() {
  Handle type(H5Tenum_create(H5T_NATIVE_INT8));
  int8_t no = 0, yes = 1;
  H5Tenum_insert(type.id(), "FALSE", &no);
  H5Tenum_insert(type.id(), "TRUE", &yes);
  return type;
}

// Reads `count` strings of a string-typed dataset or attribute `object` (named `what` in messages);
// `read(memory_type, buffer)` does the H5Dread/H5Aread and throws on failure.
std::vector<std::string> read_string_values(hid_t object, const std::string& what, hid_t file_type, size_t count,
                                            const std::function<void(hid_t, void*)>& read) {
  std::vector<std::string> out(count);
  if (H5Tis_variable_str(file_type) > 0) {
    check_vlen_strings(object, what, count, read);
    Handle memory = vlen_utf8_type();
    std::vector<char*> pointers(count, nullptr);
    read(memory.id(), pointers.data());
    for (size_t i = 0; i < count; ++i) out[i] = pointers[i] ? pointers[i] : "";
    // Frees what HDF5 allocated for the variable-length strings.
    Handle space(H5Screate_simple(1, std::vector<hsize_t>{count}.data(), nullptr));
    H5Dvlen_reclaim(memory.id(), space.id(), H5P_DEFAULT, pointers.data());
    return out;
  }
  size_t width = H5Tget_size(file_type);
  Handle memory(H5Tcopy(H5T_C_S1));
  H5Tset_size(memory.id(), width);
  std::vector<char> buffer(count * width);
  read(memory.id(), buffer.data());
  for (size_t i = 0; i < count; ++i) {
    const char* s = buffer.data() + i * width;
    out[i].assign(s, strnlen(s, width));
  }
  return out;
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = H5I_INVALID_HID;
}

Handle open_file(const std::string& path) {
  silence_hdf5_errors();
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw FormatError("cannot open HDF5 file '" + path + "'" + hdf5_reason());
  Handle file(id);
  check_local_heaps(file.id(), path);
  return file;
}

Handle create_file(const std::string& path) {
  silence_hdf5_errors();
  Handle fcpl = untimed(H5P_FILE_CREATE);  // the root group's header
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), H5P_DEFAULT);
  if (id < 0) throw FormatError("cannot create HDF5 file '" + path + "'" + hdf5_reason());
  return Handle(id);
}

std::string describe(hid_t object) {
  std::string file(static_cast<size_t>(std::max<ssize_t>(H5Fget_name(object, nullptr, 0), 0)), '\0');
  H5Fget_name(object, file.data(), file.size() + 1);
  std::string path(static_cast<size_t>(std::max<ssize_t>(H5Iget_name(object, nullptr, 0), 0)), '\0');
  H5Iget_name(object, path.data(), path.size() + 1);
  return file + ":" + excerpt(path, 160);  // object names come from the file
}

std::string describe(hid_t location, const std::string& name) {
  std::string base = describe(location);
  return base + (base.back() == '/' ? "" : "/") + excerpt(name, 160);
}

void fail(hid_t location, const std::string& name, const std::string& what) {
  throw FormatError("HDF5 object '" + describe(location, name) + "' " + what);
}

bool exists(hid_t location, const std::string& name) {
  // H5Lexists needs every intermediate group to exist, so walk the path.
  size_t pos = 0;
  while (true) {
    size_t slash = name.find('/', pos);
    std::string prefix = name.substr(0, slash);
    if (H5Lexists(location, prefix.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (slash == std::string::npos) return true;
    pos = slash + 1;
  }
}

Handle open_group(hid_t location, const std::string& name) {
  return Handle(check_id(H5Gopen2(location, name.c_str(), H5P_DEFAULT), location, name, "cannot open group"));
}

Handle create_group(hid_t location, const std::string& name) {
  Handle gcpl = untimed(H5P_GROUP_CREATE);
  return Handle(check_id(H5Gcreate2(location, name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT), location, name,
                         "cannot create group"));
}

bool is_group(hid_t location, const std::string& name) {
  H5O_info_t info;
  check(H5Oget_info_by_name(location, name.c_str(), &info, H5P_DEFAULT), location, name, "cannot be inspected");
  return info.type == H5O_TYPE_GROUP;
}

std::vector<std::string> member_names(hid_t group) {
  std::vector<std::string> names;
  check(H5Literate(
            group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
              static_cast<std::vector<std::string>*>(out)->push_back(name);
              return 0;
            },
            &names),
        group, "", "cannot list members");
  return names;
}

Shape dataset_shape(hid_t location, const std::string& name) {
  Handle dataset(check_id(H5Dopen2(location, name.c_str(), H5P_DEFAULT), location, name, "cannot open dataset"));
  Handle space(H5Dget_space(dataset.id()));
  return shape_of_space(space.id(), location, name);
}

std::vector<float> read_floats(hid_t location, const std::string& name, Shape* shape) {
  return read_numeric<float>(location, name, shape, H5T_NATIVE_FLOAT);
}

std::vector<int32_t> read_int32s(hid_t location, const std::string& name, Shape* shape) {
  return read_numeric<int32_t>(location, name, shape, H5T_NATIVE_INT32);
}

std::vector<std::string> read_strings(hid_t location, const std::string& name) {
  Handle dataset(check_id(H5Dopen2(location, name.c_str(), H5P_DEFAULT), location, name, "cannot open dataset"));
  Handle type(H5Dget_type(dataset.id()));
  if (H5Tget_class(type.id()) != H5T_STRING) fail(location, name, "is not a string dataset");
  Handle space(H5Dget_space(dataset.id()));
  Shape dims = shape_of_space(space.id(), location, name);
  if (dims.size() != 1) fail(location, name, "is not a 1-D string dataset, shape " + to_string(dims));
  check_stored_size(dataset.id(), type.id(), dims, location, name);
  size_t count = static_cast<size_t>(dims[0]);
  return read_string_values(dataset.id(), describe(location, name), type.id(), count, [&](hid_t memory, void* buffer) {
    check(H5Dread(dataset.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer), location, name, "cannot read strings");
  });
}

void write_floats(hid_t location, const std::string& name, const Shape& shape, const void* values) {
  write_numeric(location, name, shape, values, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT);
}

void write_int32s(hid_t location, const std::string& name, const Shape& shape, const int32_t* values) {
  write_numeric(location, name, shape, values, H5T_STD_I32LE, H5T_NATIVE_INT32);
}

void write_strings(hid_t location, const std::string& name, const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& s : values) pointers.push_back(s.c_str());
  Handle type = vlen_utf8_type();
  write_numeric(location, name, Shape{static_cast<int64_t>(values.size())}, pointers.data(), type.id(), type.id());
}

AttrValue read_attribute(hid_t object, const std::string& name) {
  Handle attr(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), object, "@" + name, "cannot open attribute"));
  Handle type(H5Aget_type(attr.id()));
  Handle space(H5Aget_space(attr.id()));
  if (H5Sget_simple_extent_npoints(space.id()) != 1) fail(object, "@" + name, "is not a scalar attribute");
  auto read = [&](hid_t memory, void* buffer) {
    check(H5Aread(attr.id(), memory, buffer), object, "@" + name, "cannot read attribute");
  };
  switch (H5Tget_class(type.id())) {
    case H5T_INTEGER: {
      int64_t v;
      read(H5T_NATIVE_INT64, &v);
      return v;
    }
    case H5T_FLOAT: {
      double v;
      read(H5T_NATIVE_DOUBLE, &v);
      return v;
    }
    case H5T_STRING: return read_string_values(attr.id(), describe(object, "@" + name), type.id(), 1, read)[0];
    case H5T_ENUM:
      if (H5Tget_nmembers(type.id()) == 2 && H5Tget_size(type.id()) == 1) {
        int8_t v;
        read(type.id(), &v);
        return v != 0;
      }
      [[fallthrough]];
    default: fail(object, "@" + name, "has a type that is not integer, float, string or bool");
  }
}

std::map<std::string, AttrValue> read_attributes(hid_t object) {
  // libhdf5 1.10.8 crashes (an uninitialised attribute table in H5Aiterate2's error path) when an
  // attribute message does not decode. Looking for a name no attribute has decodes every message
  // without that table, so a corrupt one fails here, cleanly.
  check(H5Aexists(object, "\x01 no such attribute"), object, "", "cannot list attributes");
  std::vector<std::string> names;
  check(H5Aiterate2(
            object, H5_INDEX_NAME, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
              static_cast<std::vector<std::string>*>(out)->push_back(name);
              return 0;
            },
            &names),
        object, "", "cannot list attributes");
  std::map<std::string, AttrValue> out;
  for (const auto& name : names) out.emplace(name, read_attribute(object, name));
  return out;
}

void write_attribute(hid_t object, const std::string& name, const AttrValue& value) {
  Handle space(H5Screate(H5S_SCALAR));
  auto write = [&](hid_t file_type, hid_t memory_type, const void* buffer) {
    Handle attr(check_id(H5Acreate2(object, name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT), object,
                         "@" + name, "cannot create attribute"));
    check(H5Awrite(attr.id(), memory_type, buffer), object, "@" + name, "cannot write attribute");
  };
  if (auto* i = std::get_if<int64_t>(&value)) {
    write(H5T_STD_I64LE, H5T_NATIVE_INT64, i);
  } else if (auto* d = std::get_if<double>(&value)) {
    write(H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, d);
  } else if (auto* s = std::get_if<std::string>(&value)) {
    Handle type = vlen_utf8_type();
    const char* pointer = s->c_str();
    write(type.id(), type.id(), &pointer);
  } else {
    Handle type = bool_enum_type();
    int8_t v = std::get<bool>(value) ? 1 : 0;
    write(type.id(), type.id(), &v);
  }
}

}  // namespace kasf::io::h5
