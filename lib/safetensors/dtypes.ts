// The dtypes a safetensors header may name, and which of them load as float32.
//
// Every dtype the reference implementation (huggingface/safetensors) knows is listed, so
// that a file holding, say, F8 weights passes header validation (and `metadata()`) and
// `load()` then names the dtype it cannot read, instead of calling the file corrupt.

import type { DType } from '../dtype';

/** Bits per element of each dtype the format defines. */
const DTYPE_BITS: Readonly<Record<string, number>> = Object.freeze({
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
});

/** Dtypes that `load(bytes, { dtype: 'float32' })` converts to float32. */
export type LoadableDtype = 'F32' | 'F16' | 'BF16' | 'F64';
/** How `save()` stores float32 tensors. */
export type SaveDtype = 'F32' | 'F16' | 'BF16';
/** Dtypes that `load()` reads, each as a Tensor dtype. */
export type ReadableDtype = LoadableDtype | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL' | WidenedDtype;
/**
 * Dtypes of torch >= 2.1 / 2.3 that rnn-blas has no Tensor dtype for, read into the
 * narrowest one holding every value exactly: U16 as int32, U32 and U64 as int64 (a U64
 * value past int64's range is an error), the float8s as float32.
 */
export type WidenedDtype = 'U16' | 'U32' | 'U64' | 'F8_E4M3' | 'F8_E5M2';
/** Dtypes that `save()` writes: every Tensor dtype's own, and F16/BF16. */
export type WritableDtype = Exclude<ReadableDtype, WidenedDtype>;

export const LOADABLE_DTYPES: readonly LoadableDtype[] = Object.freeze(['F32', 'F16', 'BF16', 'F64'] as const);
export const SAVE_DTYPES: readonly SaveDtype[] = Object.freeze(['F32', 'F16', 'BF16'] as const);

/** The Tensor dtype each readable dtype loads as: F16 and BF16 widen to float32, as torch's `.float()`. */
export const TENSOR_DTYPE_OF: Readonly<Record<ReadableDtype, DType>> = Object.freeze({
  F32: 'float32',
  F16: 'float32',
  BF16: 'float32',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
  U16: 'int32',
  U32: 'int64',
  U64: 'int64',
  F8_E4M3: 'float32',
  F8_E5M2: 'float32',
});

/** The safetensors dtype a Tensor dtype is written as (float32 unless `save()` is told F16/BF16). */
export const FILE_DTYPE_OF: Readonly<Record<DType, WritableDtype>> = Object.freeze({
  float32: 'F32',
  float64: 'F64',
  int64: 'I64',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
});

export function isReadableDtype(name: string): name is ReadableDtype {
  return Object.prototype.hasOwnProperty.call(TENSOR_DTYPE_OF, name);
}

/** True for any dtype name the format defines (whether or not it loads as float32). */
export function isKnownDtype(name: unknown): name is string {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BITS, name);
}

export function isLoadableDtype(name: string): name is LoadableDtype {
  return (LOADABLE_DTYPES as readonly string[]).includes(name);
}

/** Bits per element of a known dtype. */
export function dtypeBits(name: string): number {
  return DTYPE_BITS[name];
}

/** Bytes per element of a readable dtype. */
export function dtypeBytes(name: ReadableDtype): number {
  return DTYPE_BITS[name] / 8;
}
