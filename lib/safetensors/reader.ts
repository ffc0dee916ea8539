// Turns validated tensor entries into float32 Tensors.
//
// Each tensor gets its own Float32Array, filled with exactly one pass over its bytes: F32
// is copied byte for byte (at any alignment in the source buffer), F16 and BF16 widen
// exactly on bit patterns, F64 rounds to nearest even as torch's `.float()` does. The
// tensors never alias the caller's bytes, so the file buffer can be dropped or reused.

import { Tensor } from '../tensor';
import { LOADABLE_DTYPES, LoadableDtype, dtypeBytes, isLoadableDtype } from './dtypes';
import { bfloat16ToFloatBits, halfToFloatBits } from './float-bits';
import { ParsedHeader, TensorEntry, quote } from './header';

/** The host's byte order; safetensors data is always little-endian. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Throws, naming the first tensor whose dtype does not convert to float32. Called on the
 * whole header before any tensor is decoded, so a load either fully succeeds or reads nothing.
 */
export function checkLoadableDtypes(header: ParsedHeader): void {
  for (const entry of header.tensors) {
    if (!isLoadableDtype(entry.dtype)) {
      throw new Error(
        `safetensors: tensor ${quote(entry.name)} has dtype ${entry.dtype}, which cannot be loaded as float32 ` +
          `(supported: ${LOADABLE_DTYPES.join(', ')})`,
      );
    }
  }
}

/** Decodes one tensor of a validated header; `bytes` is the whole file. */
export function decodeTensor(bytes: Uint8Array, header: ParsedHeader, entry: TensorEntry): Tensor {
  const dtype = entry.dtype as LoadableDtype;
  const start = header.dataStart + entry.begin;
  const count = (entry.end - entry.begin) / dtypeBytes(dtype);
  return new Tensor(decodeData(bytes, start, count, dtype), entry.shape as number[]);
}

function decodeData(bytes: Uint8Array, start: number, count: number, dtype: LoadableDtype): Float32Array {
  switch (dtype) {
    case 'F32':
      return decodeFloat32(bytes, start, count);
    case 'F16':
      return decodeSixteenBit(bytes, start, count, halfToFloatBits);
    case 'BF16':
      return decodeSixteenBit(bytes, start, count, bfloat16ToFloatBits);
    case 'F64':
      return decodeFloat64(bytes, start, count);
  }
}

function decodeFloat32(bytes: Uint8Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (HOST_IS_LITTLE_ENDIAN) {
    // A byte copy: correct whatever the source offset's alignment, and the only copy made.
    new Uint8Array(out.buffer).set(bytes.subarray(start, start + count * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * 4);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function decodeSixteenBit(bytes: Uint8Array, start: number, count: number, widen: (bits: number) => number): Float32Array {
  const out = new Float32Array(count);
  // Writing float32 bit patterns (not numbers) keeps NaN payloads exactly.
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0, p = start; i < count; i++, p += 2) {
    outBits[i] = widen(bytes[p] | (bytes[p + 1] << 8));
  }
  return out;
}

function decodeFloat64(bytes: Uint8Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * 8);
  // Storing into a Float32Array rounds to nearest even, overflowing to inf: torch's `.float()`.
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
