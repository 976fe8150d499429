// libhdf5 1.10.8 trusts the heaps in a file, so that one corrupted byte crashes or exhausts the
// process. These checks validate a heap the way libhdf5 will parse it, before libhdf5 reads it, so
// that a corrupt file becomes a FormatError instead:
//  * global heaps (variable-length strings): H5Dread/H5Aread copy a string out of its heap object
//    trusting the object's stored size (SIGSEGV in H5HG_read);
//  * local heaps (the member names of a group): libhdf5 follows a heap's free list without
//    detecting cycles, allocating until memory runs out (H5Lexists ran 100 s and took 20 GB).
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

// Throws FormatError naming `path` unless the free list of every local heap in the open file `file`
// stays inside the heap's data segment and ends. Local heaps are found by their signature.
void check_local_heaps(hid_t file, const std::string& path);

}  // namespace kasf::io::h5
