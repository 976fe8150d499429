// numpy's pickled forms (dtype descriptors and states, ndarray.__setstate__, _frombuffer, scalars)
// decoded into NdArray, and conversions of NdArray elements to C++ numbers.
#pragma once
#include <string_view>
#include <vector>

#include "framework/io/pickle_value.h"

namespace kasf::io {

// numpy.dtype(descr, align, copy): descr like 'f4', '<i8', 'U5', 'O8', 'b1', 'S3', '?'.
DTypeInfo parse_dtype_descr(std::string_view descr);
// dtype.__setstate__: (version, byteorder, subdescr, names, fields, elsize, alignment, flags).
void apply_dtype_state(DTypeInfo& dtype, const PyValue& state);

// Fills `array` from its shape, dtype, memory order and data: bytes for numeric, U and S types,
// a list of objects for the O type. Byte-swaps big-endian data and reorders Fortran-order data.
void fill_array(PickleDocument& doc, NdArray& array, const Shape& shape, const DTypeInfo& dtype, bool fortran_order,
                const PyValue& data);

// ndarray.__setstate__((version, shape, dtype, is_fortran, data)); the version may be absent.
void set_array_state(PickleDocument& doc, NdArray& array, const PyValue& state);

const char* element_type_name(ElementType type);
bool is_numeric(ElementType type);  // bool, integer and float types

// Numeric arrays only; throws FormatError otherwise.
std::vector<float> to_float32(const NdArray& array);
std::vector<double> to_float64(const NdArray& array);
std::vector<int64_t> to_int64(const NdArray& array);  // integer and bool types only

float half_to_float(uint16_t half);

}  // namespace kasf::io
