// libhdf5 1.10 copies a variable-length string out of the file's global heap trusting the heap
// object's stored size: one corrupted byte there makes H5Dread/H5Aread overrun memory (SIGSEGV in
// H5HG_read). This check reads the raw heap references of the strings first and validates each
// against the heap collection in the file, so a corrupt file becomes a FormatError instead.
#pragma once
#include <hdf5.h>

#include <cstddef>
#include <functional>
#include <string>

namespace kasf::io::h5 {

// `read(memory_type, buffer)` reads the `count` strings of `object` (a dataset or attribute, named
// `what` in messages) converted to `memory_type`, like H5Dread/H5Aread. Throws FormatError unless
// every non-null string refers to a well-formed global heap object of exactly the string's length.
void check_vlen_strings(hid_t object, const std::string& what, size_t count,
                        const std::function<void(hid_t memory_type, void* buffer)>& read);

}  // namespace kasf::io::h5
