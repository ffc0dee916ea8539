// Turns validated tensor entries into Tensors, each in its own dtype.
//
// Each tensor gets its own typed array, filled with exactly one pass over its bytes: F32,
// F64 and the integer dtypes are copied byte for byte (at any alignment in the source
// buffer), F16 and BF16 widen to float32 exactly on bit patterns (torch's `.float()`), BOOL
// bytes become 0 or 1. With `{ dtype: 'float32' }` F64 rounds to nearest even instead, and
// a non-float dtype is refused, as before tensors had dtypes. The tensors never alias the
// caller's bytes, so the file buffer can be dropped or reused.

import { AnyTensor, Tensor, allocate } from '../tensor';
import type { DType } from '../dtype';
import {
  LOADABLE_DTYPES,
  ReadableDtype,
  TENSOR_DTYPE_OF,
  dtypeBytes,
  isLoadableDtype,
  isReadableDtype,
} from './dtypes';
import { HOST_IS_LITTLE_ENDIAN, swapElementBytes } from '../formats/byte-order';
import { bfloat16ToFloatBits, halfToFloatBits } from './float-bits';
import { ParsedHeader, TensorEntry, quote } from './header';

/** How `load()` gives tensors: each in its own dtype, or every float as float32. */
export type LoadMode = 'native' | 'float32';

/**
 * Throws, naming the first tensor whose dtype cannot be read (in float32 mode: is not a
 * float). Called on the whole header before any tensor is decoded, so a load either fully
 * succeeds or reads nothing.
 */
export function checkLoadableDtypes(header: ParsedHeader, mode: LoadMode): void {
  for (const entry of header.tensors) {
    if (mode === 'float32' && !isLoadableDtype(entry.dtype)) {
      throw new Error(
        `safetensors: tensor ${quote(entry.name)} has dtype ${entry.dtype}, which cannot be loaded as float32 ` +
          `(supported: ${LOADABLE_DTYPES.join(', ')})`,
      );
    }
    if (!isReadableDtype(entry.dtype)) {
      throw new Error(
        `safetensors: tensor ${quote(entry.name)} has dtype ${entry.dtype}, which rnn-blas cannot represent ` +
          `(supported: ${Object.keys(TENSOR_DTYPE_OF).join(', ')})`,
      );
    }
  }
}

/** Decodes one tensor of a validated header; `bytes` is the whole file. */
export function decodeTensor(bytes: Uint8Array, header: ParsedHeader, entry: TensorEntry, mode: LoadMode): AnyTensor {
  const dtype = entry.dtype as ReadableDtype;
  const start = header.dataStart + entry.begin;
  const count = (entry.end - entry.begin) / dtypeBytes(dtype);
  const target: DType = mode === 'float32' ? 'float32' : TENSOR_DTYPE_OF[dtype];
  if (dtype === 'U64') {
    // Little-endian: an element's top bit is its last byte's.
    for (let i = 0; i < count; i++) {
      if (bytes[start + i * 8 + 7] & 0x80) {
        const value = new DataView(bytes.buffer, bytes.byteOffset + start + i * 8, 8).getBigUint64(0, true);
        throw new RangeError(`safetensors: tensor ${quote(entry.name)} holds the U64 value ${value}, past the int64 range it loads into`);
      }
    }
  }
  return new Tensor(decodeElements(bytes, start, count, dtype, target), entry.shape as number[], target);
}

/**
 * `count` elements of file dtype `dtype` at `bytes[start...]`, as a typed array of `target`.
 * Shared with the pt reader, whose storages hold the same little-endian layouts, and the
 * npy reader, whose files may be big-endian (`littleEndian` false).
 */
export function decodeElements(
  bytes: Uint8Array,
  start: number,
  count: number,
  dtype: ReadableDtype,
  target: DType,
  littleEndian = true,
): AnyTensor['data'] {
  switch (dtype) {
    case 'F16':
      return decodeSixteenBit(bytes, start, count, halfToFloatBits, littleEndian);
    case 'BF16':
      return decodeSixteenBit(bytes, start, count, bfloat16ToFloatBits, littleEndian);
    case 'F64':
      return target === 'float32'
        ? decodeFloat64AsFloat32(bytes, start, count, littleEndian)
        : copyElements(bytes, start, count, 'float64', littleEndian);
    case 'U16':
    case 'U32':
    case 'U64':
      return decodeUnsigned(bytes, start, count, dtype, littleEndian);
    case 'F8_E4M3':
      return decodeThroughTable(bytes, start, count, float8Table(4, 3, false));
    case 'F8_E5M2':
      return decodeThroughTable(bytes, start, count, float8Table(5, 2, true));
    case 'BOOL': {
      const out = allocate('bool', count);
      // torch reads any non-zero byte as True; stored as 1 so that every bool tensor holds 0 or 1.
      for (let i = 0; i < count; i++) out[i] = bytes[start + i] !== 0 ? 1 : 0;
      return out;
    }
    default:
      return copyElements(bytes, start, count, TENSOR_DTYPE_OF[dtype], littleEndian);
  }
}

/** Unsigned integers into the next wider signed dtype (U16 -> int32, U32 and U64 -> int64). */
function decodeUnsigned(bytes: Uint8Array, start: number, count: number, dtype: 'U16' | 'U32' | 'U64', littleEndian: boolean): AnyTensor['data'] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start);
  if (dtype === 'U16') {
    const out = allocate('int32', count);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, littleEndian);
    return out;
  }
  const out = allocate('int64', count);
  if (dtype === 'U32') {
    for (let i = 0; i < count; i++) out[i] = BigInt(view.getUint32(i * 4, littleEndian));
    return out;
  }
  for (let i = 0; i < count; i++) {
    // decodeTensor has refused values past int64's range: the bits are the value.
    out[i] = view.getBigInt64(i * 8, littleEndian);
  }
  return out;
}

/** float32 values of the 256 codes of an 8-bit float (OCP FP8: E4M3 has no infinities, its all-ones code is NaN). */
const float8Tables = new Map<string, Float32Array>();
function float8Table(exponentBits: number, mantissaBits: number, ieeeSpecials: boolean): Float32Array {
  const key = `${exponentBits}${mantissaBits}`;
  let table = float8Tables.get(key);
  if (table) return table;
  table = new Float32Array(256);
  const bias = (1 << (exponentBits - 1)) - 1;
  const maxExponent = (1 << exponentBits) - 1;
  const mantissaMax = (1 << mantissaBits) - 1;
  for (let code = 0; code < 256; code++) {
    const sign = code & 0x80 ? -1 : 1;
    const exponent = (code >> mantissaBits) & maxExponent;
    const mantissa = code & mantissaMax;
    let value: number;
    if (ieeeSpecials && exponent === maxExponent) value = mantissa === 0 ? Infinity : NaN;
    else if (!ieeeSpecials && exponent === maxExponent && mantissa === mantissaMax) value = NaN;
    else if (exponent === 0) value = (mantissa / (1 << mantissaBits)) * 2 ** (1 - bias);
    else value = (1 + mantissa / (1 << mantissaBits)) * 2 ** (exponent - bias);
    table[code] = sign * value;
  }
  float8Tables.set(key, table);
  return table;
}

function decodeThroughTable(bytes: Uint8Array, start: number, count: number, table: Float32Array): Float32Array {
  const out = allocate('float32', count);
  for (let i = 0; i < count; i++) out[i] = table[bytes[start + i]];
  return out;
}

function copyElements(bytes: Uint8Array, start: number, count: number, dtype: DType, littleEndian: boolean): AnyTensor['data'] {
  const out = allocate(dtype, count);
  const width = out.BYTES_PER_ELEMENT;
  const target = new Uint8Array(out.buffer, out.byteOffset, count * width);
  // A byte copy: correct whatever the source offset's alignment, and the only copy made.
  target.set(bytes.subarray(start, start + count * width));
  if (littleEndian !== HOST_IS_LITTLE_ENDIAN) swapElementBytes(target, width);
  return out;
}

function decodeSixteenBit(
  bytes: Uint8Array,
  start: number,
  count: number,
  widen: (bits: number) => number,
  littleEndian: boolean,
): Float32Array {
  const out = allocate('float32', count);
  // Writing float32 bit patterns (not numbers) keeps NaN payloads exactly.
  const outBits = new Uint32Array(out.buffer);
  const [low, high] = littleEndian ? [0, 1] : [1, 0];
  for (let i = 0, p = start; i < count; i++, p += 2) {
    outBits[i] = widen(bytes[p + low] | (bytes[p + high] << 8));
  }
  return out;
}

function decodeFloat64AsFloat32(bytes: Uint8Array, start: number, count: number, littleEndian: boolean): Float32Array {
  const out = allocate('float32', count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * 8);
  // Storing into a Float32Array rounds to nearest even, overflowing to inf: torch's `.float()`.
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, littleEndian);
  return out;
}
