// The dtypes a safetensors header may name, and which of them load as float32.
//
// Every dtype the reference implementation (huggingface/safetensors) knows is listed, so
// that a file holding, say, I64 token ids passes header validation (and `metadata()`) and
// `load()` then names the dtype it cannot convert, instead of calling the file corrupt.

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

/** Dtypes that `load()` converts to float32. */
export type LoadableDtype = 'F32' | 'F16' | 'BF16' | 'F64';
/** Dtypes that `save()` can write. */
export type SaveDtype = 'F32' | 'F16' | 'BF16';

export const LOADABLE_DTYPES: readonly LoadableDtype[] = Object.freeze(['F32', 'F16', 'BF16', 'F64'] as const);
export const SAVE_DTYPES: readonly SaveDtype[] = Object.freeze(['F32', 'F16', 'BF16'] as const);

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

/** Bytes per element of a loadable or savable dtype. */
export function dtypeBytes(name: LoadableDtype): number {
  return DTYPE_BITS[name] / 8;
}
