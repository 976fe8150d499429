#include "framework/io/pickle.h"

#include <cstring>
#include <unordered_map>

#include "framework/io/excerpt.h"
#include "framework/io/mapped_file.h"
#include "framework/io/numpy_array.h"
#include "framework/io/pickle_builder.h"
#include "framework/io/pickle_globals.h"

namespace kasf::io {
namespace {

// Pickle opcodes of protocols 2 to 5 (CPython's Lib/pickle.py names them the same way).
enum Opcode : uint8_t {
  MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', NONE = 'N',
  BININT = 'J', BININT1 = 'K', BININT2 = 'M', BINFLOAT = 'G',
  BINSTRING = 'T', SHORT_BINSTRING = 'U', BINUNICODE = 'X', BINBYTES = 'B', SHORT_BINBYTES = 'C',
  EMPTY_LIST = ']', APPEND = 'a', APPENDS = 'e', LIST = 'l',
  EMPTY_TUPLE = ')', TUPLE = 't', EMPTY_DICT = '}', DICT = 'd', SETITEM = 's', SETITEMS = 'u',
  GLOBAL = 'c', REDUCE = 'R', BUILD = 'b', BINPERSID = 'Q',
  BINGET = 'h', LONG_BINGET = 'j', BINPUT = 'q', LONG_BINPUT = 'r',
  PROTO = 0x80, NEWOBJ = 0x81, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89,
  LONG1 = 0x8a, LONG4 = 0x8b,
  SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90,
  FROZENSET = 0x91, NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95,
  BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98,
};

// UTF-8 structure check; surrogates are allowed because pickle writes str with 'surrogatepass'.
bool is_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
    if (extra == 4 || c == 0xC0 || c == 0xC1 || c > 0xF4 || s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

class Decoder {
 public:
  Decoder(std::string_view input, const std::string& source, const PickleOptions& options, PickleDocument& doc)
      : in_(input), source_(source), options_(options), builder_(doc) {}

  const PyValue* run() {
    while (true) {
      op_offset_ = pos_;
      uint8_t op = u8();
      try {
        if (op == STOP) return finish();
        step(op);
      } catch (const PickleError&) {
        throw;
      } catch (const FormatError& e) {
        fail(e.what());
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw PickleError(source_, op_offset_, what); }

  // --- input -----------------------------------------------------------------------------------
  std::string_view take(uint64_t n, const char* what) {
    if (n > in_.size() - pos_)
      fail(std::string("truncated: ") + what + " of " + std::to_string(n) + " bytes, only " +
           std::to_string(in_.size() - pos_) + " left");
    std::string_view out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  uint64_t little_endian(size_t n, const char* what) {
    std::string_view b = take(n, what);
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = v << 8 | static_cast<unsigned char>(b[i]);
    return v;
  }
  uint8_t u8() {
    if (pos_ >= in_.size()) fail("truncated: input ends before STOP");
    return static_cast<uint8_t>(in_[pos_++]);
  }
  std::string_view line() {
    size_t end = in_.find('\n', pos_);
    if (end == std::string_view::npos) fail("truncated: GLOBAL name without newline");
    std::string_view out = in_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  // --- stack -----------------------------------------------------------------------------------
  size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  void push(PyValue* v) { stack_.push_back(v); }
  PyValue* top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  PyValue* pop() {
    PyValue* v = top();
    stack_.pop_back();
    return v;
  }
  std::vector<const PyValue*> pop_mark() {
    if (marks_.empty()) fail("no MARK on the stack");
    size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<const PyValue*> items(stack_.begin() + static_cast<long>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }
  PyValue* make(PyKind kind) { return builder_.make(kind, op_offset_); }
  PyValue* container(PyValue* v, PyKind kind, const char* op) {
    if (v->kind != kind) fail(std::string(op) + " on " + v->describe() + ", expected " + kind_name(kind));
    return v;
  }

  // --- values ----------------------------------------------------------------------------------
  PyValue* integer(int64_t v) {
    PyValue* out = make(PyKind::Int);
    out->integer = v;
    return out;
  }
  // Little-endian two's complement, as LONG1/LONG4 store it.
  PyValue* long_value(std::string_view bytes) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
    bool negative = !bytes.empty() && (byte(bytes.size() - 1) & 0x80);
    bool fits = true;
    for (size_t i = 8; i < bytes.size(); ++i) fits = fits && byte(i) == (negative ? 0xFF : 0x00);
    if (bytes.size() > 8) fits = fits && ((byte(7) & 0x80) != 0) == negative;
    if (!fits) {
      PyValue* out = make(PyKind::BigInt);
      out->text = bytes;
      return out;
    }
    uint64_t v = negative ? ~uint64_t{0} : 0;
    for (size_t i = std::min<size_t>(bytes.size(), 8); i-- > 0;) v = (v << 8) | byte(i);
    return integer(static_cast<int64_t>(v));
  }
  PyValue* text(PyKind kind, std::string_view bytes) {
    if (kind == PyKind::Str && !is_utf8(bytes)) fail("str is not valid UTF-8");
    PyValue* out = make(kind);
    out->text = bytes;
    return out;
  }
  PyValue* ascii_str(std::string_view bytes) {
    for (char c : bytes)
      if (static_cast<unsigned char>(c) >= 0x80) fail("Python 2 str with non-ASCII bytes");
    return text(PyKind::Str, bytes);
  }
  PyValue* sequence(PyKind kind, std::vector<const PyValue*> items) {
    PyValue* out = make(kind);
    out->items = std::move(items);
    return out;
  }

  PyValue* global(std::string_view module, std::string_view name) {
    std::string full = std::string(module) + "." + std::string(name);
    if (!find_builtin_global(full) && !options_.opaque_calls.count(full) && !options_.classes.count(full))
      fail("global '" + excerpt(full) + "' is not on the allow-list (the reader never imports or calls arbitrary code)");
    PyValue* out = make(PyKind::Global);
    out->text = builder_.doc().keep(std::move(full));
    return out;
  }

  PyValue* call(const PyValue& callable, const PyValue& args) {
    if (callable.kind != PyKind::Global) fail("call of " + callable.describe());
    if (args.kind != PyKind::Tuple) fail("call arguments are " + args.describe() + ", not a tuple");
    if (const BuiltinGlobal* g = find_builtin_global(callable.text); g && g->call) return g->call(builder_, args, op_offset_);
    if (options_.opaque_calls.count(callable.text)) {
      PyValue* out = make(PyKind::Object);
      out->text = callable.text;
      out->items = args.items;
      return out;
    }
    fail("global '" + excerpt(callable.text) + "' cannot be called");
  }

  void build(PyValue& target, const PyValue& state) {
    if (target.kind == PyKind::Array && !target.array->initialized) {
      set_array_state(builder_.doc(), *target.array, state);
    } else if (target.kind == PyKind::DType) {
      apply_dtype_state(*target.dtype, state);
    } else if (target.kind == PyKind::Dict && (state.kind == PyKind::Dict || state.kind == PyKind::None)) {
      // Instance attributes of a dict subclass (a state dict's `_metadata`): not data, dropped.
    } else {
      fail("BUILD of " + target.describe() + " with " + state.describe());
    }
  }

  void memo_put(uint64_t index) { memo_[index] = top(); }
  PyValue* memo_get(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo key " + std::to_string(index) + " was never stored");
    return it->second;
  }

  const PyValue* finish() {
    PyValue* root = pop();
    if (!stack_.empty() || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " extra values on the stack");
    return root;
  }

  void step(uint8_t op) {
    switch (op) {
      case PROTO: {
        uint8_t version = u8();
        if (version < 2 || version > 5) fail("unsupported pickle protocol " + std::to_string(version));
        break;
      }
      case FRAME: {
        uint64_t size = little_endian(8, "frame length");
        if (size > in_.size() - pos_) fail("truncated: frame of " + std::to_string(size) + " bytes, only " + std::to_string(in_.size() - pos_) + " left");
        break;
      }
      case MARK: marks_.push_back(stack_.size()); break;
      case POP:
        if (stack_.size() > floor()) stack_.pop_back();
        else pop_mark();  // CPython: POP right after MARK discards the mark
        break;
      case POP_MARK: pop_mark(); break;
      case DUP: push(top()); break;
      case NONE: push(make(PyKind::None)); break;
      case NEWTRUE:
      case NEWFALSE: {
        PyValue* b = make(PyKind::Bool);
        b->integer = op == NEWTRUE;
        push(b);
        break;
      }
      case BININT: push(integer(static_cast<int32_t>(little_endian(4, "BININT")))); break;
      case BININT1: push(integer(u8())); break;
      case BININT2: push(integer(static_cast<int64_t>(little_endian(2, "BININT2")))); break;
      case LONG1: push(long_value(take(u8(), "LONG1"))); break;
      case LONG4: {
        auto n = static_cast<int32_t>(little_endian(4, "LONG4 length"));
        if (n < 0) fail("negative LONG4 length");
        push(long_value(take(static_cast<uint64_t>(n), "LONG4")));
        break;
      }
      case BINFLOAT: {
        std::string_view b = take(8, "BINFLOAT");
        uint64_t bits = 0;
        for (char c : b) bits = bits << 8 | static_cast<unsigned char>(c);  // big-endian
        PyValue* f = make(PyKind::Float);
        std::memcpy(&f->real, &bits, 8);
        push(f);
        break;
      }
      case SHORT_BINUNICODE: push(text(PyKind::Str, take(u8(), "str"))); break;
      case BINUNICODE: push(text(PyKind::Str, take(little_endian(4, "str length"), "str"))); break;
      case BINUNICODE8: push(text(PyKind::Str, take(little_endian(8, "str length"), "str"))); break;
      case SHORT_BINSTRING: push(ascii_str(take(u8(), "str"))); break;
      case BINSTRING: {
        auto n = static_cast<int32_t>(little_endian(4, "BINSTRING length"));
        if (n < 0) fail("negative BINSTRING length");
        push(ascii_str(take(static_cast<uint64_t>(n), "str")));
        break;
      }
      case SHORT_BINBYTES: push(text(PyKind::Bytes, take(u8(), "bytes"))); break;
      case BINBYTES: push(text(PyKind::Bytes, take(little_endian(4, "bytes length"), "bytes"))); break;
      case BINBYTES8:
      case BYTEARRAY8: push(text(PyKind::Bytes, take(little_endian(8, "bytes length"), "bytes"))); break;
      case EMPTY_LIST: push(make(PyKind::List)); break;
      case EMPTY_TUPLE: push(make(PyKind::Tuple)); break;
      case EMPTY_DICT: push(make(PyKind::Dict)); break;
      case EMPTY_SET: push(make(PyKind::Set)); break;
      case LIST: push(sequence(PyKind::List, pop_mark())); break;
      case TUPLE: push(sequence(PyKind::Tuple, pop_mark())); break;
      case TUPLE1:
      case TUPLE2:
      case TUPLE3: {
        size_t n = op - TUPLE1 + 1;
        if (stack_.size() < floor() + n) fail("stack underflow");
        std::vector<const PyValue*> items(stack_.end() - static_cast<long>(n), stack_.end());
        stack_.resize(stack_.size() - n);
        push(sequence(PyKind::Tuple, std::move(items)));
        break;
      }
      case DICT: {
        std::vector<const PyValue*> items = pop_mark();
        PyValue* dict = make(PyKind::Dict);
        set_items(*dict, items);
        push(dict);
        break;
      }
      case FROZENSET: {
        std::vector<const PyValue*> items = pop_mark();
        PyValue* set = make(PyKind::Set);
        for (const PyValue* item : items) builder_.add_to_set(*set, item);
        push(set);
        break;
      }
      case APPEND: {
        PyValue* item = pop();
        container(top(), PyKind::List, "APPEND")->items.push_back(item);
        break;
      }
      case APPENDS: {
        std::vector<const PyValue*> items = pop_mark();
        auto& list = container(top(), PyKind::List, "APPENDS")->items;
        list.insert(list.end(), items.begin(), items.end());
        break;
      }
      case SETITEM: {
        PyValue* value = pop();
        PyValue* key = pop();
        builder_.set_item(*container(top(), PyKind::Dict, "SETITEM"), key, value);
        break;
      }
      case SETITEMS: {
        std::vector<const PyValue*> items = pop_mark();
        set_items(*container(top(), PyKind::Dict, "SETITEMS"), items);
        break;
      }
      case ADDITEMS: {
        std::vector<const PyValue*> items = pop_mark();
        PyValue* set = container(top(), PyKind::Set, "ADDITEMS");
        for (const PyValue* item : items) builder_.add_to_set(*set, item);
        break;
      }
      case GLOBAL: {
        std::string_view module = line();
        std::string_view name = line();
        push(global(module, name));
        break;
      }
      case STACK_GLOBAL: {
        PyValue* name = pop();
        PyValue* module = pop();
        if (name->kind != PyKind::Str || module->kind != PyKind::Str) fail("STACK_GLOBAL needs two str");
        push(global(module->text, name->text));
        break;
      }
      case REDUCE:
      case NEWOBJ: {
        PyValue* args = pop();
        PyValue* callable = pop();
        push(call(*callable, *args));
        break;
      }
      case NEWOBJ_EX: {
        PyValue* kwargs = pop();
        PyValue* args = pop();
        PyValue* cls = pop();
        if (kwargs->kind != PyKind::Dict || !kwargs->entries.empty()) fail("NEWOBJ_EX with keyword arguments");
        push(call(*cls, *args));
        break;
      }
      case BUILD: {
        PyValue* state = pop();
        build(*top(), *state);
        break;
      }
      case BINPERSID: {
        PyValue* id = pop();
        if (!options_.allow_persistent_ids) fail("persistent id in a pickle that may not have any");
        push(sequence(PyKind::PersistentId, {id}));
        break;
      }
      case BINGET: push(memo_get(u8())); break;
      case LONG_BINGET: push(memo_get(little_endian(4, "memo key"))); break;
      case BINPUT: memo_put(u8()); break;
      case LONG_BINPUT: memo_put(little_endian(4, "memo key")); break;
      case MEMOIZE: memo_put(memo_.size()); break;
      case NEXT_BUFFER: fail("out-of-band buffer requested, but none are supplied");
      case READONLY_BUFFER: top(); break;
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("unsupported opcode ") + hex);
      }
    }
  }

  void set_items(PyValue& dict, const std::vector<const PyValue*>& items) {
    if (items.size() % 2) fail("odd number of items for a dict");
    for (size_t i = 0; i < items.size(); i += 2) builder_.set_item(dict, items[i], items[i + 1]);
  }

  std::string_view in_;
  size_t pos_ = 0;
  uint64_t op_offset_ = 0;
  const std::string& source_;
  const PickleOptions& options_;
  PickleBuilder builder_;
  std::vector<PyValue*> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, PyValue*> memo_;
};

}  // namespace

PickleError::PickleError(const std::string& source, uint64_t offset, const std::string& what)
    : FormatError("pickle '" + source + "' at byte " + std::to_string(offset) + ": " + what), offset_(offset) {}

PickleDocument parse_pickle(std::string_view bytes, const std::string& source, const PickleOptions& options) {
  PickleDocument doc;
  doc.set_source(source);
  Decoder decoder(bytes, source, options, doc);
  doc.set_root(decoder.run());
  return doc;
}

PickleDocument load_pickle_file(const std::string& path, const PickleOptions& options) {
  auto input = std::make_unique<MappedFile>(path);
  PickleDocument doc = parse_pickle(input->bytes(), path, options);
  doc.keep_input(std::move(input));
  return doc;
}

}  // namespace kasf::io
