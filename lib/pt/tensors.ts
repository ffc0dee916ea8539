// Tensors from storages, as torch's `_rebuild_tensor_v2` makes them: a view of `size` and
// `stride` at `storage_offset` into a storage that several tensors may share. The result is
// always a new contiguous Tensor in its own dtype (F16/BF16 widened to float32).
//
// Before a byte is read: the storage's bytes must be exactly its declared elements, every
// size and stride a non-negative integer, the furthest element inside the storage, and the
// tensor no larger than its storage (an expanded, stride-0 view would otherwise turn a few
// bytes of file into any amount of memory).

import { AnyTensor, Tensor } from '../tensor';
import { arrayConstructorFor } from '../dtype';
import { TENSOR_DTYPE_OF, dtypeBytes } from '../safetensors/dtypes';
import { decodeElements } from '../safetensors/reader';
import { HOST_IS_LITTLE_ENDIAN } from '../formats/byte-order';
import { PtError } from './errors';
import { StorageRef, TensorRef } from './values';

const MAX_DIMS = 64;

/**
 * Storage bytes read into a buffer of their own (from a file, or inflated), which a tensor
 * that is the storage's only user, whole and contiguous, may keep as its data instead of a
 * copy: the figure that matters for a 100 MB checkpoint.
 */
export const ownedStorageBytes = new WeakSet<Uint8Array>();

/** File dtypes whose bytes are the tensor's elements as they are. */
const SAME_BYTES = new Set(['F32', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8']);

function adoptable(ref: TensorRef, bytes: Uint8Array, total: number, width: number): boolean {
  return (
    HOST_IS_LITTLE_ENDIAN &&
    ownedStorageBytes.has(bytes) &&
    ref.storage.uses === 1 &&
    ref.offset === 0 &&
    total * width === bytes.length &&
    bytes.byteOffset === 0 &&
    bytes.buffer.byteLength === bytes.length &&
    SAME_BYTES.has(ref.storage.fileDtype)
  );
}

/** Reads a storage's bytes (cached by the caller: tensors share storages). */
export type StorageReader = (storage: StorageRef) => Uint8Array;

/** Bytes of tensors a load may make beyond LOAD_BUDGET_FACTOR times its storages' bytes. */
const LOAD_BUDGET_SLACK = 64 * 2 ** 20;
/** Views of one storage rarely add up to more than a few times it (a tensor, its transpose, a slice). */
const LOAD_BUDGET_FACTOR = 4;

/**
 * What one load may allocate for tensors: a pickle can name the same whole storage as a
 * view thousands of times in a few bytes each, and copying each out would turn a small file
 * into any amount of memory. The tensors of a load may hold at most 4 times the bytes of the
 * storages read for them, plus 64 MiB.
 */
export class LoadBudget {
  private storageBytes = 0;
  private tensorBytes = 0n; // exact: an expanded tensor's size may be past 2^53

  storageRead(bytes: number): void {
    this.storageBytes += bytes;
  }

  charge(bytes: bigint, label: string): void {
    this.tensorBytes += bytes;
    const limit = LOAD_BUDGET_FACTOR * this.storageBytes + LOAD_BUDGET_SLACK;
    if (this.tensorBytes > BigInt(limit)) {
      throw new PtError(
        `${label} would bring the tensors of this file to ${this.tensorBytes} bytes, more than ${LOAD_BUDGET_FACTOR} times ` +
          `the ${this.storageBytes} bytes of storage they view (plus ${LOAD_BUDGET_SLACK}): the file names the same data over and over`,
      );
    }
  }
}

/** Checks that `bytes` is what `storage` declares; `what` names it in messages. */
export function checkStorageBytes(storage: StorageRef, bytes: Uint8Array, what: string): void {
  const expected = storage.numel * dtypeBytes(storage.fileDtype);
  if (bytes.length !== expected) {
    throw new PtError(
      `${what} holds ${bytes.length} bytes, but the pickle declares ${storage.numel} elements of ${storage.fileDtype} (${expected} bytes)`,
    );
  }
}

export function materialize(ref: TensorRef, readStorage: StorageReader, name: string, budget: LoadBudget): AnyTensor {
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
  // An expanded tensor (stride 0: torch's expand) may have more elements than its storage,
  // as torch.load reads it; the load budget (charged below, before anything is allocated)
  // bounds what a file can make of a small storage.
  const total = Number(count);
  const dtype = TENSOR_DTYPE_OF[storage.fileDtype];
  const width = dtypeBytes(storage.fileDtype);
  if (total === 0) return new Tensor(decodeElements(new Uint8Array(0), 0, 0, storage.fileDtype, dtype), [...size], dtype);
  const bytes = readStorage(storage);
  budget.charge(count * BigInt(width), label);
  if (isContiguous(size, stride)) {
    if (adoptable(ref, bytes, total, width)) {
      ownedStorageBytes.delete(bytes);
      const ArrayType = arrayConstructorFor(dtype);
      return new Tensor(new ArrayType(bytes.buffer as ArrayBuffer) as AnyTensor['data'], [...size], dtype);
    }
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
