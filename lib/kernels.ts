// Which kernel table this process runs: for bug reports, benchmarks and tests.
import { native } from './native';

/** The names {@link kernelSet} returns. */
export type KernelSetName = 'avx512' | 'avx2-fma' | 'neon' | 'portable';

/**
 * The kernel table this process chose when the package loaded, once and for good:
 * `'avx512'` on CPUs with AVX-512 F, BW, VL and DQ, `'avx2-fma'` on CPUs with AVX2 and FMA,
 * `'neon'` on arm64, `'portable'` elsewhere (scalar gate math, every product on OpenBLAS).
 * Every table computes the same numbers to float32 rounding; they differ in speed.
 *
 * The environment variable `RNN_BLAS_MAX_ISA` (`avx2` or `portable`), read when the package
 * loads, caps the choice; the older `RNN_BLAS_DISABLE_AVX2=1` means `portable`.
 *
 * @example
 * ```ts
 * import { kernelSet } from 'rnn-blas';
 * console.log(kernelSet()); // 'avx512' on a recent Xeon
 * ```
 */
export function kernelSet(): KernelSetName {
  return native.kernelSet();
}
