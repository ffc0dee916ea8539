// Tensors from storages, as torch's `_rebuild_tensor_v2` makes them: a view of `size` and
// `stride` at `storage_offset` into a storage that several tensors may share. The result is
// always a new contiguous Tensor in its own dtype (F16/BF16 widened to float32).
//
// Before a byte is read: the storage's bytes must be exactly its declared elements, every
// size and stride a non-negative integer, the furthest element inside the storage, and the
// tensor no larger than its storage (an expanded, stride-0 view would otherwise turn a few
// bytes of file into any amount of memory).

import { AnyTensor, Tensor } from '../tensor';
import { TENSOR_DTYPE_OF, dtypeBytes } from '../safetensors/dtypes';
import { decodeElements } from '../safetensors/reader';
import { PtError } from './errors';
import { StorageRef, TensorRef } from './values';

const MAX_DIMS = 64;

/** Reads a storage's bytes (cached by the caller: tensors share storages). */
export type StorageReader = (storage: StorageRef) => Uint8Array;

/** Checks that `bytes` is what `storage` declares; `what` names it in messages. */
export function checkStorageBytes(storage: StorageRef, bytes: Uint8Array, what: string): void {
  const expected = storage.numel * dtypeBytes(storage.fileDtype);
  if (bytes.length !== expected) {
    throw new PtError(
      `${what} holds ${bytes.length} bytes, but the pickle declares ${storage.numel} elements of ${storage.fileDtype} (${expected} bytes)`,
    );
  }
}

export function materialize(ref: TensorRef, readStorage: StorageReader, name: string): AnyTensor {
  const { storage, offset, size, stride } = ref;
  const label = `tensor ${name}`;
  if (size.length > MAX_DIMS) throw new PtError(`${label} has ${size.length} dimensions; torch allows at most ${MAX_DIMS}`);
  let count = 1n;
  let furthest = BigInt(offset);
  for (let d = 0; d < size.length; d++) {
    if (size[d] < 0) throw new PtError(`${label} has a negative size ${size[d]} in dimension ${d}`);
    if (stride[d] < 0) throw new PtError(`${label} has a negative stride ${stride[d]} in dimension ${d}`);
    count *= BigInt(size[d]);
    if (size[d] > 0) furthest += BigInt(size[d] - 1) * BigInt(stride[d]);
  }
  const elements = BigInt(storage.numel);
  const shapeText = `size [${size.join(', ')}], stride [${stride.join(', ')}] at storage_offset ${offset}`;
  if (count > 0n && furthest >= elements) {
    throw new PtError(`${label} (${shapeText}) reaches element ${furthest} of its storage, which holds ${storage.numel}`);
  }
  if (count > elements) {
    throw new PtError(
      `${label} (${shapeText}) has ${count} elements, more than its storage holds (${storage.numel}): ` +
        'expanded (stride 0) tensors are not read; save t.contiguous()',
    );
  }
  const total = Number(count);
  const dtype = TENSOR_DTYPE_OF[storage.fileDtype];
  const width = dtypeBytes(storage.fileDtype);
  if (total === 0) return new Tensor(decodeElements(new Uint8Array(0), 0, 0, storage.fileDtype, dtype), [...size], dtype);
  const bytes = readStorage(storage);
  if (isContiguous(size, stride)) {
    return new Tensor(decodeElements(bytes, offset * width, total, storage.fileDtype, dtype), [...size], dtype);
  }
  // Gather the strided elements into row-major order, then decode them in one pass.
  const gathered = new Uint8Array(total * width);
  const index = new Array<number>(size.length).fill(0);
  let source = offset;
  for (let out = 0; out < total; out++) {
    const from = source * width;
    for (let b = 0; b < width; b++) gathered[out * width + b] = bytes[from + b];
    for (let d = size.length - 1; d >= 0; d--) {
      index[d]++;
      source += stride[d];
      if (index[d] < size[d]) break;
      source -= stride[d] * size[d];
      index[d] = 0;
    }
  }
  return new Tensor(decodeElements(gathered, 0, total, storage.fileDtype, dtype), [...size], dtype);
}

/** Row-major strides (dimensions of size 1 may have any stride, as torch allows). */
function isContiguous(size: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    if (size[d] !== 1 && stride[d] !== expected) return false;
    expected *= size[d];
  }
  return true;
}
