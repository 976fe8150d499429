// libFuzzer target: decodes arbitrary bytes as a pickle (with the checkpoint reader's torch
// allow-list and persistent ids on, so those paths are fuzzed too) and touches every decoded value.
// Decoding may fail only with FormatError; anything else (a crash, a sanitizer report, another
// exception, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_set>

#include "framework/io/numpy_array.h"
#include "framework/io/pickle.h"

namespace {

const kasf::io::PickleOptions& fuzz_options() {
  static const kasf::io::PickleOptions options = [] {
    kasf::io::PickleOptions o;
    o.opaque_calls = {"torch._utils._rebuild_tensor_v2"};
    o.classes = {"torch.FloatStorage"};
    o.allow_persistent_ids = true;
    return o;
  }();
  return options;
}

// Visits every node once (lists can contain themselves) and reads every element of every array.
size_t touch(const kasf::io::PyValue* root) {
  std::unordered_set<const kasf::io::PyValue*> seen;
  std::vector<const kasf::io::PyValue*> todo{root};
  size_t sum = 0;
  while (!todo.empty()) {
    const kasf::io::PyValue* v = todo.back();
    todo.pop_back();
    if (!seen.insert(v).second) continue;
    sum += v->text.size() + static_cast<size_t>(v->integer);
    todo.insert(todo.end(), v->items.begin(), v->items.end());
    for (const auto& e : v->entries) todo.insert(todo.end(), {e.key, e.value});
    if (v->kind == kasf::io::PyKind::Array && v->array->initialized) {
      const kasf::io::NdArray& a = *v->array;
      if (kasf::io::is_numeric(a.dtype.type)) sum += kasf::io::to_float64(a).size();
      for (const auto& s : a.strings) sum += s.size();
      todo.insert(todo.end(), a.objects.begin(), a.objects.end());
    }
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    kasf::io::PickleDocument doc =
        kasf::io::parse_pickle(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", fuzz_options());
    volatile size_t sink = touch(&doc.root());
    (void)sink;
  } catch (const kasf::io::FormatError&) {
  }
  return 0;
}
