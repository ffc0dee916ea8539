// The one place that decides which kernels run: a table per instruction set, chosen once
// per process (the pattern of ONNX Runtime's MLAS platform table and XNNPACK's gemm
// config). The kernels, the packed layout's panel width and the blocking that goes with
// them travel together; callers call through kernels() and never test CPU bits.
//
// Tables, best first: "avx512" (AVX-512 F + BW + VL + DQ), "avx2-fma", "neon" (AArch64),
// "portable" (scalar gate math, every product on BLAS). RNN_BLAS_MAX_ISA caps the choice
// (avx512, avx2, neon, portable), for tests and for users who must; the older
// RNN_BLAS_DISABLE_AVX2=1 still means portable.
#pragma once
#include <cstdint>
#include <vector>

#include "gate_math.h"

namespace rnnblas {

struct KernelTable {
  const char* name = "portable";
  int64_t lanes = 1;  // floats per vector register

  // --- GEMM on packed weights (packed_weights.h); null in the portable table ---------
  // Panel width of the packed layout: two vector registers.
  int64_t panelWidth = 0;
  // Height rows of A, packed k-major, times one panel: Height 6 and 4.
  using RowsTimesPanel = void (*)(const float* packedA, const float* panel, int64_t depth, float* c, int64_t ldc,
                                  int64_t width, bool accumulate, int64_t rows, const float* bias);
  RowsTimesPanel sixRowsTimesPanel = nullptr;
  RowsTimesPanel fourRowsTimesPanel = nullptr;
  // The same with A's rows read where they are stored, lda apart (no packing of A).
  using StoredRowsTimesPanel = void (*)(const float* a, int64_t lda, const float* panel, int64_t depth, float* c,
                                        int64_t ldc, int64_t width, bool accumulate, int64_t rows, const float* bias);
  StoredRowsTimesPanel sixStoredRowsTimesPanel = nullptr;
  StoredRowsTimesPanel fourStoredRowsTimesPanel = nullptr;
  // One row of A times `count` consecutive panels (batch 1).
  void (*rowTimesPanels)(const float* a, const float* panels, int64_t count, int64_t inner, float* c,
                         int64_t lastWidth, const float* bias) = nullptr;

  // --- W as stored times a few vectors (matrix_vector.h); null in the portable table --
  void (*eightRows)(const float* w, int64_t inner, const float* x, float* y, const float* ahead) = nullptr;
  using FourRowsTimesVectors = void (*)(const float* w, int64_t inner, const float* x, int64_t ldx, float* y,
                                        int64_t ldy, const float* ahead);
  FourRowsTimesVectors fourRowsTimesVectors[3] = {nullptr, nullptr, nullptr};  // 1, 2, 3 vectors
  float (*oneRow)(const float* row, int64_t inner, const float* x) = nullptr;

  // --- The fused gate pass (gate_math.h) ---------------------------------------------
  void (*rnnTanhRow)(const GateRow& row, float* hNext) = rnnTanhRowScalar;
  void (*rnnReluRow)(const GateRow& row, float* hNext) = rnnReluRowScalar;
  void (*lstmRow)(const GateRow& row, float* cell, float* hiddenOut) = lstmRowScalar;
  void (*gruRow)(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext) = gruRowScalar;

  // --- Activations over arrays, for the tests -----------------------------------------
  void (*sigmoidArray)(const float* x, int64_t count, float* y) = nullptr;
  void (*tanhArray)(const float* x, int64_t count, float* y) = nullptr;

  bool hasPackedKernels() const { return panelWidth > 0; }
};

// The table this process runs, chosen at the first call (thread-safe).
const KernelTable& kernels();

// Every table this build holds that this CPU can run, best first (for the kernel tests),
// ignoring RNN_BLAS_MAX_ISA.
std::vector<const KernelTable*> supportedKernelTables();
// Every table name this build knows, supported here or not (tests report the rest as
// skipped, by name).
std::vector<const char*> builtKernelTableNames();

// The tables of each instruction set (isa/table_*.cpp), compiled with its flags.
#if defined(__x86_64__) || defined(_M_X64)
namespace avx512 { const KernelTable& table(); }
namespace avx2 { const KernelTable& table(); }
#endif
#if defined(__aarch64__)
namespace neon { const KernelTable& table(); }
#endif
const KernelTable& portableTable();

}  // namespace rnnblas
