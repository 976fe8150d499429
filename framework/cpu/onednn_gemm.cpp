#include "framework/cpu/onednn_gemm.h"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>

#include "framework/cpu/parallel.h"

namespace kasf::cpu {
namespace {

using dnnl::memory;

// The primitive for one GEMM geometry; oneDNN JIT-compiles a kernel per primitive, so each thread
// keeps those it has built.
using Geometry =
    std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, bool, bool, float, float, memory::data_type>;

struct Primitive {
  dnnl::matmul::primitive_desc desc;
  dnnl::matmul matmul;
};

struct ThreadState {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::map<Geometry, Primitive> primitives;
  ThreadState() {
    // oneDNN threads a primitive by the calling thread's OpenMP setting; the pool already gives each
    // thread its tile.
    omp_set_num_threads(1);
  }
};

memory::desc matrix(int64_t rows, int64_t cols, int64_t ld, bool transposed, memory::data_type type) {
  return memory::desc({rows, cols}, type, transposed ? memory::dims{1, ld} : memory::dims{ld, 1});
}

// The CPU's own conversion (only called where has_bf16_gemm()): to nearest, ties to even, NaN
// quieted, subnormal inputs flushed to (signed) zero, 16 floats per instruction.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void round_run(const float* src, uint16_t* dst,
                                                                               int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), (__m256i)_mm512_cvtneps_pbh(_mm512_loadu_ps(src + i)));
  if (i < n) {
    const __mmask16 tail = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm256_mask_storeu_epi16(dst + i, tail, (__m256i)_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(tail, src + i)));
  }
}

}  // namespace

bool has_bf16_gemm() {
  static const bool has = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
    return (isa & bf16) == bf16;  // the ISA values are nested bit sets
  }();
  return has;
}

void round_to_bf16(const float* src, uint16_t* dst, int64_t count, int64_t length, int64_t stride) {
  parallel_for(count * length, kParallelGrain, [&](int64_t begin, int64_t end) {
    for (int64_t run = begin / length; run * length < end; ++run) {
      const int64_t from = std::max(begin, run * length) - run * length;
      const int64_t to = std::min(end, (run + 1) * length) - run * length;
      round_run(src + run * stride + from, dst + run * stride + from, to - from);
    }
  });
}

namespace {

void product(const GemmArgs& g, const void* a, const void* b, memory::data_type type) {
  thread_local ThreadState state;
  const Geometry key{g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.trans_a, g.trans_b, g.alpha, g.beta, type};
  auto found = state.primitives.find(key);
  if (found == state.primitives.end()) {
    dnnl::primitive_attr attr;
    if (g.alpha != 1.0f) attr.set_output_scales(0, {g.alpha});
    if (g.beta != 0.0f) {
      dnnl::post_ops accumulate;
      accumulate.append_sum(g.beta);
      attr.set_post_ops(accumulate);
    }
    const dnnl::matmul::desc desc(matrix(g.m, g.k, g.lda, g.trans_a, type), matrix(g.k, g.n, g.ldb, g.trans_b, type),
                                  matrix(g.m, g.n, g.ldc, false, memory::data_type::f32));
    dnnl::matmul::primitive_desc primitive_desc(desc, attr, state.engine);
    found = state.primitives.emplace(key, Primitive{primitive_desc, dnnl::matmul(primitive_desc)}).first;
  }
  const Primitive& primitive = found->second;
  // oneDNN's memory objects take non-const handles; it only reads the sources.
  memory a_memory(primitive.desc.src_desc(), state.engine, const_cast<void*>(a));
  memory b_memory(primitive.desc.weights_desc(), state.engine, const_cast<void*>(b));
  memory c_memory(primitive.desc.dst_desc(), state.engine, g.c);
  primitive.matmul.execute(state.stream,
                           {{DNNL_ARG_SRC, a_memory}, {DNNL_ARG_WEIGHTS, b_memory}, {DNNL_ARG_DST, c_memory}});
  state.stream.wait();
}

}  // namespace

void onednn_product(const GemmArgs& g) { product(g, g.a, g.b, memory::data_type::f32); }

void onednn_product_bf16(const GemmArgs& g, const uint16_t* a, const uint16_t* b) {
  product(g, a, b, memory::data_type::bf16);
}

}  // namespace kasf::cpu
