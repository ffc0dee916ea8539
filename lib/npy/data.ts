// The data of a .npy array: bytes in the file's byte order and memory order, to and from
// a row-major typed array. The header was validated first (header.ts), so sizes agree.
import { halfToFloatBits } from '../safetensors/float-bits';
import type { TensorData } from '../dtype';
import { allocate } from '../tensor';
import { NpyKind, ByteOrder } from './dtypes';

/** The typed array each dtype loads as (bool: 0/1 bytes). */
export type NpyTypedArray = TensorData;

const HOST_ORDER: ByteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';


function swapBytes(bytes: Uint8Array, itemSize: number): void {
  for (let at = 0; at < bytes.length; at += itemSize) {
    for (let low = at, high = at + itemSize - 1; low < high; low++, high--) {
      const byte = bytes[low];
      bytes[low] = bytes[high];
      bytes[high] = byte;
    }
  }
}

/**
 * `count` elements of `kind` from `bytes` (exactly count * itemSize long), as a new typed
 * array in the host's byte order, in the same element order as the file.
 */
export function decodeElements(bytes: Uint8Array, kind: NpyKind, byteOrder: ByteOrder, count: number): NpyTypedArray {
  if (kind.code === 'f2') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bits = new Uint32Array(count);
    const little = byteOrder === 'little';
    for (let i = 0; i < count; i++) bits[i] = halfToFloatBits(view.getUint16(i * 2, little));
    return new Float32Array(bits.buffer);
  }
  const out = allocate(kind.dtype, count);
  const outBytes = new Uint8Array(out.buffer, 0, count * kind.itemSize);
  outBytes.set(bytes); // a copy: aligned, owned, and safe to swap in place
  if (kind.itemSize > 1 && byteOrder !== HOST_ORDER) swapBytes(outBytes, kind.itemSize);
  if (kind.dtype === 'bool') {
    // torch's bool is 0 or 1; numpy treats any other byte as True too.
    for (let i = 0; i < count; i++) if (outBytes[i] > 1) outBytes[i] = 1;
  }
  return out;
}

/** Row-major (C order) copy of an array stored in column-major (Fortran) order. */
export function fortranToC<T extends NpyTypedArray>(source: T, shape: readonly number[]): T {
  const rank = shape.length;
  if (rank < 2) return source;
  const out = new (source.constructor as new (length: number) => T)(source.length);
  // In Fortran order the first index moves fastest: stride[k] = shape[0] * ... * shape[k-1].
  const strides = new Array<number>(rank);
  for (let k = 0, stride = 1; k < rank; k++) {
    strides[k] = stride;
    stride *= shape[k];
  }
  const index = new Array<number>(rank).fill(0);
  let sourceAt = 0;
  const last = rank - 1;
  for (let i = 0; i < out.length; i++) {
    (out as unknown as number[])[i] = (source as unknown as number[])[sourceAt];
    // Advance the C-order index (last dimension fastest) and the Fortran offset with it.
    let k = last;
    index[k]++;
    sourceAt += strides[k];
    while (index[k] === shape[k] && k > 0) {
      sourceAt -= strides[k] * shape[k];
      index[k] = 0;
      k--;
      index[k]++;
      sourceAt += strides[k];
    }
  }
  return out;
}

/** The little-endian bytes of a typed array, as the .npy data section (a view when the host is little-endian). */
export function encodeElements(data: NpyTypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_ORDER === 'little' || data.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}
