// Hand-written types of the raw native exports (build/Release/rnn_blas.node).
// Users should not need these: lib/ wraps them with PyTorch's API and checks.
// The native side re-checks every size that sizes a buffer, and throws TypeError or
// RangeError (never crashes) when a field disagrees with the others, when an output buffer
// overlaps another buffer of the call, or when a getter on the call detaches a buffer while
// the call is read (every field is read before any buffer is checked).

/** Cell kinds, as native/core/recurrent_spec.h numbers them. */
export const enum CellKind {
  RnnTanh = 0,
  RnnRelu = 1,
  Lstm = 2,
  Gru = 3,
}

/** Everything one recurrent forward needs; outputs are allocated by the caller. */
export interface ForwardCall {
  kind: CellKind;
  inputSize: number;
  hiddenSize: number;
  /** LSTM projection size; 0 disables it. */
  projSize: number;
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
  /** Per layer, per direction, torch's order: weight_ih, weight_hh, [bias_ih, bias_hh], [weight_hr]. */
  weights: Float32Array[];
  /** Number of time steps (L), and the batch (N; batchSizes[0] when packed). */
  steps: number;
  batch: number;
  /** Padded layout only: (N, L, *) instead of (L, N, *). */
  batchFirst: boolean;
  /** Packed layout: rows per step, non-increasing; null for a padded batch. */
  batchSizes: Int32Array | null;
  /** rows x inputSize, rows = L*N padded or sum(batchSizes) packed. */
  input: Float32Array;
  /** (layers*D, N, H_out) / (layers*D, N, hiddenSize); null for zeros. */
  h0: Float32Array | null;
  c0: Float32Array | null;
  /** rows x D*H_out, written by native code. */
  output: Float32Array;
  hN: Float32Array;
  /** LSTM only; null for RNN and GRU. */
  cN: Float32Array | null;
  /** (layers-1) x rows x D*H_out factors (0 or 1/(1-p)) applied between layers; null when off. */
  dropoutMasks: Float32Array | null;
  /**
   * The module's packed weights (from createPackedWeights), or null/absent. The call reads
   * them once filled, or fills them when it is the first to find them empty; a module
   * passes them only while its parameters cannot have changed since, and passes a new
   * handle after any change. A handle already used with another shape is a RangeError;
   * anything else than a handle, a TypeError.
   */
  packedWeights?: PackedWeights | null;
  /** Test hook: make the native computation fail, to test how errors reach JavaScript. */
  failInWorker?: boolean;
}

/** Opaque: a module's weights packed for the GEMM kernel, kept between calls. */
export interface PackedWeights {
  readonly __packedWeights: unique symbol;
}

/**
 * A new, empty PackedWeights handle. The memory (about the size of W_hh and of W_ih for
 * inputs up to 256 wide) is allocated by the first call that fills it, and freed with the
 * handle once no call uses it.
 */
export function createPackedWeights(): PackedWeights;

/** Whether a call has filled these packed weights (tests and diagnostics). */
export function packedWeightsReady(handle: PackedWeights): boolean;

/** Runs the forward on the calling thread, writing output, hN and cN. */
export function recurrentForward(call: ForwardCall): void;

/**
 * The same work on the libuv pool. Checks and snapshots (weights, input, h0, c0, masks are
 * copied) happen before it returns; the Promise resolves once output, hN and cN are written.
 * output, hN and cN are written in place while it runs: the caller must not detach their
 * buffers before the Promise settles (lib/ never exposes them before then).
 */
export function recurrentForwardAsync(call: ForwardCall): Promise<void>;

/** torch.nn.Linear's forward: output (rows x outFeatures) = input W^T + bias, one sgemm. */
export function linearForward(call: {
  input: Float32Array; // rows x inFeatures
  rows: number;
  inFeatures: number;
  weight: Float32Array; // outFeatures x inFeatures
  bias: Float32Array | null;
  outFeatures: number;
  output: Float32Array; // rows x outFeatures, written
}): void;

/** Threads one call may use (the calling thread counts as one). Per load of the addon. */
export function setNumThreads(threads: number): void;
export function getNumThreads(): number;

/**
 * Test hook: the least multiply-adds per step for which threads split the hidden units
 * (default 262144) and per extra thread of a call (default 1048576) both take this value;
 * no argument restores the defaults.
 */
export function setSplitTuningForTesting(threshold?: number): void;

/** Benchmark support: best seconds of `repeats` n x n x n sgemm calls on `threads` OpenBLAS threads. */
export function sgemmBenchmark(n: number, threads: number, repeats: number): number;

/**
 * The kernel table this process runs (native/core/kernel_table.h): "avx512" (AVX-512
 * F/BW/VL/DQ), "avx2-fma", "neon" (AArch64) or "portable" (scalar gate math, BLAS products).
 * RNN_BLAS_MAX_ISA=avx2|portable caps the choice; RNN_BLAS_DISABLE_AVX2=1 means portable.
 */
export function kernelSet(): 'avx512' | 'avx2-fma' | 'neon' | 'portable';

/** What the bench and bug reports print about the machine and the kernels chosen for it. */
export interface MachineInfo {
  kernelSet: 'avx512' | 'avx2-fma' | 'neon' | 'portable';
  /** Floats per panel of the packed weights: two vector registers of the table. */
  panelWidth: number;
  /** The caches the blocking was derived from (per core). */
  l1dBytes: number;
  l2Bytes: number;
  /** The kernels OpenBLAS picked (openblas_get_corename), e.g. "SkylakeX", "Haswell". */
  openblasCore: string;
}
export function machineInfo(): MachineInfo;

/**
 * Fixes the C library's mmap threshold at `bytes` (glibc's `mallopt(M_MMAP_THRESHOLD)`, as
 * `MALLOC_MMAP_THRESHOLD_` does): blocks from that size up are mapped and given back whole,
 * so a long stream of batches keeps a flat footprint (`rnn-blas run` sets 128 KiB). Returns
 * false where the C library has no such setting. Process-wide; 0 to 32 MiB.
 */
export function setMallocMmapThreshold(bytes: number): boolean;
