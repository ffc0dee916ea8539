// The .npy dtype descriptors this library reads and writes, and the typed array each
// one becomes. The names on the right are torch's dtype names, as Tensor.dtype spells them.

import type { DType } from '../dtype';
import { HOST_IS_LITTLE_ENDIAN } from '../formats/byte-order';
import type { ReadableDtype } from '../safetensors/dtypes';

/** A tensor dtype a .npy file can hold: every Tensor dtype (float16 loads as float32, as safetensors' F16 does). */
export type NpyDtype = DType;

/** One element type of the format: its descriptor without the byte-order character. */
export interface NpyKind {
  /** `f4`, `i8`, `b1`, ...: numpy's type character and size in bytes. */
  readonly code: string;
  /** What the elements load as. */
  readonly dtype: NpyDtype;
  /** Bytes per element in the file. */
  readonly itemSize: number;
  /** The same elements' layout by its safetensors name, for the shared decoder (byte order aside). */
  readonly layout: ReadableDtype;
}

const KINDS: readonly NpyKind[] = [
  { code: 'f4', dtype: 'float32', itemSize: 4, layout: 'F32' },
  { code: 'f8', dtype: 'float64', itemSize: 8, layout: 'F64' },
  { code: 'f2', dtype: 'float32', itemSize: 2, layout: 'F16' },
  { code: 'i8', dtype: 'int64', itemSize: 8, layout: 'I64' },
  { code: 'i4', dtype: 'int32', itemSize: 4, layout: 'I32' },
  { code: 'i2', dtype: 'int16', itemSize: 2, layout: 'I16' },
  { code: 'i1', dtype: 'int8', itemSize: 1, layout: 'I8' },
  { code: 'u1', dtype: 'uint8', itemSize: 1, layout: 'U8' },
  { code: 'b1', dtype: 'bool', itemSize: 1, layout: 'BOOL' },
];

/** numpy's spelling of the byte order in a descriptor: little, big, not applicable, native. */
export type ByteOrder = 'little' | 'big';

export interface ParsedDescr {
  kind: NpyKind;
  byteOrder: ByteOrder;
}

// numpy writes single-byte types with '|'; '=' (native) never appears in files numpy writes,
// but np.load takes it (and '|' or no order on a multi-byte type): the host's byte order.
const NATIVE_ORDER: ByteOrder = HOST_IS_LITTLE_ENDIAN ? 'little' : 'big';

/** Aliases numpy accepts in a descriptor for the same kinds ('<f' is not one: it needs a size). */
const ALIASES: Record<string, string> = { '?': 'b1', b: 'i1', B: 'u1' };

export const SUPPORTED_DESCRIPTORS = "'<f4', '<f8', '<f2', '<i8', '<i4', '<i2', '|i1', '|u1', '|b1' (or '>' for big-endian)";

/**
 * The kind and byte order of a descriptor string such as '<f4', or null when this library
 * does not read it (unsigned 16/32/64-bit, complex, strings, datetimes: torch has none of
 * them as a tensor dtype, or they are not tensors at all).
 */
export function parseDescr(descr: string): ParsedDescr | null {
  let order = descr.slice(0, 1);
  let code = descr.slice(1);
  if (order === '' || !'<>|='.includes(order)) {
    order = '|';
    code = descr;
  }
  code = ALIASES[code] ?? code;
  const kind = KINDS.find((candidate) => candidate.code === code);
  if (!kind) return null;
  // '|' (not applicable) and no order character on a multi-byte type mean native order to
  // numpy, as '=' does: np.dtype('|f4') and np.dtype('f4') are float32 in the host's order.
  const byteOrder: ByteOrder = order === '>' ? 'big' : order === '<' ? 'little' : NATIVE_ORDER;
  return { kind, byteOrder };
}

/** The descriptor numpy writes for a dtype: little-endian, '|' for one byte. */
export function descrFor(dtype: NpyDtype): string {
  const kind = KINDS.find((candidate) => candidate.dtype === dtype && candidate.code !== 'f2')!;
  return `${kind.itemSize === 1 ? '|' : '<'}${kind.code}`;
}

