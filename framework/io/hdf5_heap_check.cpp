#include "framework/io/hdf5_heap_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string_view>
#include <vector>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"
#include "framework/io/mapped_file.h"

namespace kasf::io::h5 {
namespace {

// Tag of the opaque memory type that receives a vlen string's on-disk form unchanged.
constexpr const char* kRawTag = "kasf.vlen-string-on-disk";

// A conversion from variable-length strings to the opaque type above that copies nothing: HDF5
// gathers the file's bytes (length, heap address, object index) into the buffer and leaves them.
herr_t keep_disk_form(hid_t source, hid_t destination, H5T_cdata_t* cdata, size_t, size_t, size_t, void*, void*,
                      hid_t) {
  if (cdata->command != H5T_CONV_INIT) return 0;
  if (H5Tis_variable_str(source) <= 0 || H5Tget_class(destination) != H5T_OPAQUE) return -1;
  char* tag = H5Tget_tag(destination);
  const bool ours = tag && std::strcmp(tag, kRawTag) == 0;
  H5free_memory(tag);
  if (!ours || H5Tget_size(source) != H5Tget_size(destination)) return -1;
  cdata->need_bkg = H5T_BKG_NO;
  return 0;
}

void register_raw_conversion() {
  static const bool registered = [] {
    Handle vlen_string(H5Tcopy(H5T_C_S1));
    H5Tset_size(vlen_string.id(), H5T_VARIABLE);
    Handle opaque(H5Tcreate(H5T_OPAQUE, 1));
    return H5Tregister(H5T_PERS_SOFT, "kasf vlen string on disk", vlen_string.id(), opaque.id(), keep_disk_form) >= 0;
  }();
  if (!registered) throw FormatError("cannot register the HDF5 conversion that checks variable-length strings");
}

uint64_t little_endian(const uint8_t* p, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = bytes; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// The layout parameters of one open file and positioned reads from it.
struct FileView {
  int fd = -1;
  uint64_t size = 0;        // bytes in the file
  uint64_t base = 0;        // file offset of HDF5 address 0 (the user block's size)
  size_t address_bytes = 8;
  size_t length_bytes = 8;

  bool read(uint64_t address, size_t bytes, uint8_t* out) const {
    if (address > size || bytes > size - address || base > size - address - bytes) return false;
    return pread(fd, out, bytes, static_cast<off_t>(base + address)) == static_cast<ssize_t>(bytes);
  }
};

FileView view_of(hid_t object, const std::string& what) {
  Handle file(H5Iget_file_id(object));
  FileView view;
  Handle create(H5Fget_create_plist(file.id()));
  hsize_t user_block = 0;
  unsigned intent = 0;
  void* handle = nullptr;
  if (create.id() < 0 || H5Pget_sizes(create.id(), &view.address_bytes, &view.length_bytes) < 0 ||
      H5Pget_userblock(create.id(), &user_block) < 0 || H5Fget_intent(file.id(), &intent) < 0 ||
      H5Fget_vfd_handle(file.id(), H5P_DEFAULT, &handle) < 0 || !handle)
    throw FormatError("HDF5 object '" + what + "': cannot inspect its file to check its heaps");
  // Heap objects written through this handle may still sit in HDF5's cache.
  if (intent & H5F_ACC_RDWR) H5Fflush(file.id(), H5F_SCOPE_LOCAL);
  view.fd = *static_cast<int*>(handle);
  struct stat st;
  if (fstat(view.fd, &st) != 0) throw FormatError("HDF5 object '" + what + "': cannot stat its file");
  view.size = static_cast<uint64_t>(st.st_size);
  view.base = user_block;
  return view;
}

// One global heap collection: its objects' sizes by index, parsed the way libhdf5 parses it.
using HeapObjects = std::map<uint64_t, uint64_t>;

HeapObjects parse_collection(const FileView& file, uint64_t address, const std::string& what) {
  const auto corrupt = [&](const std::string& why) {
    return FormatError("HDF5 object '" + what + "': the global heap collection at address " + std::to_string(address) +
                       " holding its strings is corrupt (" + why + ")");
  };
  const size_t header_bytes = 8 + file.length_bytes;  // "GCOL", version, 3 reserved, collection size
  const size_t object_header_bytes = 8 + file.length_bytes;  // index, reference count, reserved, size
  std::vector<uint8_t> header(header_bytes);
  if (!file.read(address, header_bytes, header.data())) throw corrupt("outside the file");
  if (std::memcmp(header.data(), "GCOL", 4) != 0 || header[4] != 1) throw corrupt("no collection signature");
  const uint64_t size = little_endian(header.data() + 8, file.length_bytes);
  if (size < header_bytes || size > file.size) throw corrupt("collection size " + std::to_string(size));
  std::vector<uint8_t> bytes(size);
  if (!file.read(address, size, bytes.data())) throw corrupt("collection of " + std::to_string(size) + " bytes ends past the file");

  HeapObjects objects;
  uint64_t at = header_bytes;
  while (at < size && size - at >= object_header_bytes) {
    const uint8_t* p = bytes.data() + at;
    const uint64_t index = little_endian(p, 2);
    const uint64_t object_size = little_endian(p + 8, file.length_bytes);
    // Object 0 is the free space, its size counting its header; the others are padded to 8 bytes.
    const uint64_t padded = object_size > size ? size : (object_size + 7) / 8 * 8;
    const uint64_t extent = index == 0 ? object_size : object_header_bytes + padded;
    if (extent < object_header_bytes || extent > size - at)
      throw corrupt("object " + std::to_string(index) + " of " + std::to_string(object_size) + " bytes at byte " +
                    std::to_string(at) + " runs past the collection's " + std::to_string(size) + " bytes");
    if (index != 0) objects[index] = object_size;
    at += extent;
  }
  return objects;
}

// The free list of the local heap at file offset `at` of `bytes` (signature "HEAP", version 0):
// empty when it is sound (or `at` holds no heap libhdf5 could load), else what is wrong.
std::string local_heap_problem(std::string_view bytes, uint64_t at, const FileView& file) {
  const size_t L = file.length_bytes;
  const size_t header_bytes = 8 + 2 * L + file.address_bytes;
  if (bytes.size() - at < header_bytes || bytes.compare(at + 4, 4, std::string_view("\0\0\0\0", 4)) != 0) return "";
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data() + at);
  const uint64_t segment_size = little_endian(p + 8, L);
  uint64_t free_block = little_endian(p + 8 + L, L);
  const uint64_t segment_address = little_endian(p + 8 + 2 * L, file.address_bytes);
  // libhdf5 fails to load a data segment outside the file by itself.
  if (segment_address > file.size || segment_size > file.size - segment_address ||
      file.base > file.size - segment_address - segment_size)
    return "";
  const auto* segment = reinterpret_cast<const uint8_t*>(bytes.data() + file.base + segment_address);
  constexpr uint64_t kEnd = 1;  // H5HL_FREE_NULL
  // Free blocks hold their two lengths and do not overlap: a longer list has a cycle.
  for (uint64_t blocks = 0; free_block != kEnd; ++blocks) {
    if (blocks > segment_size / (2 * L) || free_block > segment_size || segment_size - free_block < 2 * L)
      return "its free list leaves the data segment or does not end (at offset " + std::to_string(free_block) + ")";
    free_block = little_endian(segment + free_block, L);
  }
  return "";
}

}  // namespace

void check_local_heaps(hid_t file_id, const std::string& path) {
  const FileView file = view_of(file_id, path);
  const MappedFile mapped(path);
  const std::string_view bytes = mapped.bytes();
  for (size_t at = bytes.find("HEAP"); at != std::string_view::npos; at = bytes.find("HEAP", at + 4)) {
    const std::string problem = local_heap_problem(bytes, at, file);
    if (!problem.empty())
      throw FormatError("HDF5 file '" + path + "': the local heap at byte " + std::to_string(at) +
                        " (names of a group's members) is corrupt: " + problem);
  }
}

void check_vlen_strings(hid_t object, const std::string& what, size_t count,
                        const std::function<void(hid_t, void*)>& read) {
  if (count == 0) return;
  register_raw_conversion();
  const FileView file = view_of(object, what);
  const size_t element_bytes = 4 + file.address_bytes + 4;  // length, heap collection address, object index
  Handle raw(H5Tcreate(H5T_OPAQUE, element_bytes));
  H5Tset_tag(raw.id(), kRawTag);
  std::vector<uint8_t> elements(count * element_bytes);
  read(raw.id(), elements.data());

  std::map<uint64_t, HeapObjects> collections;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* e = elements.data() + i * element_bytes;
    const uint64_t length = little_endian(e, 4);
    const uint64_t address = little_endian(e + 4, file.address_bytes);
    const uint64_t index = little_endian(e + 4 + file.address_bytes, 4);
    if (address == 0) continue;  // a null string; HDF5 reads nothing
    auto it = collections.find(address);
    if (it == collections.end()) it = collections.emplace(address, parse_collection(file, address, what)).first;
    const auto found = it->second.find(index);
    const std::string element = "string " + std::to_string(i) + " of " + std::to_string(count);
    if (found == it->second.end())
      throw FormatError("HDF5 object '" + what + "': " + element + " refers to global heap object " +
                        std::to_string(index) + " at address " + std::to_string(address) + ", which does not exist");
    if (found->second != length)
      throw FormatError("HDF5 object '" + what + "': " + element + " is " + std::to_string(length) +
                        " bytes long but its global heap object holds " + std::to_string(found->second) +
                        " bytes (corrupt file)");
  }
}

}  // namespace kasf::io::h5
