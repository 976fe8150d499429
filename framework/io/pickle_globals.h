// The globals a pickle may name without PickleOptions: Python's containers and bytes helpers and
// numpy's array, dtype and scalar reconstruction. Nothing else can be referenced, so decoding never
// runs code.
#pragma once
#include <string_view>

#include "framework/io/pickle_builder.h"

namespace kasf::io {

// Performs the call `global(*args)` a pickle asks for (REDUCE, NEWOBJ) on the value tree.
using GlobalCall = PyValue* (*)(PickleBuilder& builder, const PyValue& args, uint64_t offset);

struct BuiltinGlobal {
  std::string_view name;  // "module.name"
  GlobalCall call;        // nullptr: a class that may only be passed as a value (numpy.ndarray)
};

const BuiltinGlobal* find_builtin_global(std::string_view name);

}  // namespace kasf::io
