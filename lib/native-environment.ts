// What the environment must say before the addon loads: read by native code once, at load.
import * as fs from 'fs';

/** The values of RNN_BLAS_MAX_ISA the kernel table understands (native/core/kernel_table.cpp). */
export const KERNEL_CAPS = ['avx512', 'avx2', 'avx2-fma', 'neon', 'portable'] as const;

/** Warns once about a RNN_BLAS_MAX_ISA that names no table (the native side then ignores it). */
export function checkKernelCap(env: NodeJS.ProcessEnv = process.env): void {
  const cap = env.RNN_BLAS_MAX_ISA;
  if (cap && !(KERNEL_CAPS as readonly string[]).includes(cap)) {
    process.emitWarning(`RNN_BLAS_MAX_ISA=${cap} names no kernel table (expected one of ${KERNEL_CAPS.join(', ')}); ignored`,
      { code: 'RNN_BLAS_MAX_ISA' });
  }
}

/**
 * The OPENBLAS_CORETYPE to ask for on this CPU, or null to leave OpenBLAS's own choice.
 *
 * OpenBLAS 0.3.21 (Debian 12's: linked into the prebuilt binary, and what source builds on
 * Debian 12 use) picks its kernels by CPU model, and on a model newer than it knows falls
 * back to its SSE3 "Prescott" kernels: on an Emerald Rapids Xeon (family 6, model 207)
 * its sgemm, which the input projections and Linear run on, was about six times slower
 * than with the "SkylakeX" kernels the same CPU runs. So the core is named from the CPU's
 * own flags instead of its model number: the AVX-512 kernels where F, CD, BW, DQ and VL are
 * all there, the AVX2 ones ("Haswell", which OpenBLAS also runs on every Zen) where AVX2 and
 * FMA are. A user's own OPENBLAS_CORETYPE always wins.
 */
export function openblasCoreFor(cpuinfo: string): string | null {
  const line = cpuinfo.match(/^flags\s*:(.*)$/m);
  if (!line) return null;
  const flags = new Set(line[1].trim().split(/\s+/));
  if (['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'].every((flag) => flags.has(flag))) return 'SkylakeX';
  if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  return null;
}

/** Sets OPENBLAS_CORETYPE for this process when the user has not (x64 Linux only). */
export function chooseOpenblasCore(env: NodeJS.ProcessEnv = process.env): void {
  if (env.OPENBLAS_CORETYPE || process.platform !== 'linux' || process.arch !== 'x64') return;
  let cpuinfo: string;
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return;
  }
  const core = openblasCoreFor(cpuinfo);
  if (core) env.OPENBLAS_CORETYPE = core;
}
