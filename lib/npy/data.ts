// The data of a .npy array: bytes in the file's byte order and memory order, to and from
// a row-major typed array. The header was validated first (header.ts), so sizes agree.
import type { TensorData } from '../dtype';
import { HOST_IS_LITTLE_ENDIAN, swapElementBytes } from '../formats/byte-order';
import { decodeElements as decodeLayout } from '../safetensors/reader';
import { NpyKind, ByteOrder } from './dtypes';

/** The typed array each dtype loads as (bool: 0/1 bytes). */
export type NpyTypedArray = TensorData;

/**
 * `count` elements of `kind` from `bytes` (exactly count * itemSize long), as a new typed
 * array in the host's byte order, in the same element order as the file: the decoder the
 * safetensors and pt readers use, in the file's byte order (bool: any non-zero byte is
 * True, as numpy reads it; stored as 1).
 */
export function decodeElements(bytes: Uint8Array, kind: NpyKind, byteOrder: ByteOrder, count: number): NpyTypedArray {
  return decodeLayout(bytes, 0, count, kind.layout, kind.dtype, byteOrder === 'little');
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
  if (HOST_IS_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapElementBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}
