// Operations that move elements without computing on them: select, narrow, indexSelect,
// transpose, permute, unbind, flatten, squeeze, unsqueeze, cat and stack. Each result is a
// new contiguous tensor (torch returns views; here a copy, as the library has no strides).
import { DType } from '../dtype';
import { Tensor } from '../tensor';
import { TensorInput, allocateOf, converted, indicesOf, makeTensor, operand, promoteTypes } from './storage';
import { formatShape, product, stridesOf, wrapDim } from './shape';

/**
 * A contiguous copy of the strided view of `source` that has `shape`, `strides` (in
 * elements of source's data) and starts at `base`.
 */
function gather<D extends DType>(source: Tensor<D>, shape: readonly number[], strides: readonly number[], base: number): Tensor<D> {
  const count = product(shape);
  const result = allocateOf(source.dtype, count);
  // Elements are moved, never computed on: any typed array takes its own kind.
  const out = result as unknown as number[];
  const data = source.data as unknown as number[];
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let offset = base;
  for (let n = 0; n < count; n++) {
    out[n] = data[offset];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return makeTensor(source.dtype, result, shape);
}

function requireInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${typeof value === 'number' ? value : typeof value}`);
  }
  return value;
}

/**
 * The slice at `index` along `dim`, that dimension removed, as torch's `select` (`t[:, i]`
 * is `select(t, 1, i)`); negative dim and index count from the end.
 */
export function select<D extends DType = 'float32'>(input: TensorInput<D>, dim: number, index: number): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (t.dim() === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, t.dim());
  const size = t.shape[d];
  const i = requireInteger(index, 'index');
  if (i < -size || i >= size) {
    throw new RangeError(`select(): index ${i} out of range for tensor of size ${formatShape(t.shape)} at dimension ${d}`);
  }
  const strides = stridesOf(t.shape);
  const position = i < 0 ? i + size : i;
  return gather(t, t.shape.filter((_, k) => k !== d), strides.filter((_, k) => k !== d), position * strides[d]);
}

/**
 * `length` elements along `dim` from `start`, as torch's `narrow` (`t[:, 2:5]` is
 * `narrow(t, 1, 2, 3)`); a negative start counts from the end.
 */
export function narrow<D extends DType = 'float32'>(input: TensorInput<D>, dim: number, start: number, length: number): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (t.dim() === 0) throw new RangeError('narrow() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, t.dim());
  const size = t.shape[d];
  let begin = requireInteger(start, 'start');
  const count = requireInteger(length, 'length');
  if (count < 0) throw new RangeError('narrow(): length must be non-negative.');
  if (begin < -size || begin > size) {
    throw new RangeError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${begin})`);
  }
  if (begin < 0) begin += size;
  if (begin + count > size) throw new RangeError(`start (${begin}) + length (${count}) exceeds dimension size (${size}).`);
  const strides = stridesOf(t.shape);
  const shape = [...t.shape];
  shape[d] = count;
  return gather(t, shape, strides, begin * strides[d]);
}

/**
 * The slices along `dim` at each of `index` (a 1-D tensor, typed array or array of whole
 * numbers; negative not allowed, as in torch), as torch's `index_select`.
 */
export function indexSelect<D extends DType = 'float32'>(input: TensorInput<D>, dim: number, index: unknown): Tensor<D> {
  const t = operand<D>(input, 'input');
  const d = wrapDim(dim, t.dim());
  const { values, shape: indexShape } = indicesOf(index, 'index');
  if (indexShape.length > 1) throw new RangeError('index_select(): Index is supposed to be a vector');
  const size = t.dim() === 0 ? 1 : t.shape[d];
  for (const value of values) {
    if (!Number.isInteger(value)) throw new TypeError(`index_select(): Expected dtype int32/int64 for index, got a value ${value}`);
    if (value < 0 || value >= size) {
      throw new RangeError(`index out of range in self: index ${value} along dimension ${d} of size ${size}`);
    }
  }
  // A 0-d input stays 0-d, whatever the index holds (torch's index_select does so).
  if (t.dim() === 0) return gather(t, [], [0], 0);
  const [outer, inner] = [product(t.shape.slice(0, d)), product(t.shape.slice(d + 1))];
  const shape = [...t.shape];
  shape[d] = values.length;
  const result = allocateOf(t.dtype, product(shape));
  const out = result as unknown as number[];
  const data = t.data as unknown as number[];
  let n = 0;
  for (let o = 0; o < outer; o++) {
    for (const value of values) {
      const from = (o * size + value) * inner;
      for (let k = 0; k < inner; k++) out[n++] = data[from + k];
    }
  }
  return makeTensor(t.dtype, result, shape);
}

/** `dim0` and `dim1` swapped, as torch's `transpose` (`t.T` of a matrix is `transpose(t, 0, 1)`). */
export function transpose<D extends DType = 'float32'>(input: TensorInput<D>, dim0: number, dim1: number): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (t.dim() === 0) {
    wrapDim(dim0, 0);
    wrapDim(dim1, 0);
    return t.clone();
  }
  const a = wrapDim(dim0, t.dim());
  const b = wrapDim(dim1, t.dim());
  const order = t.shape.map((_, i) => i);
  [order[a], order[b]] = [order[b], order[a]];
  return permute(t, order);
}

/** The dimensions reordered: dimension i of the result is `dims[i]` of the input, as torch's `permute`. */
export function permute<D extends DType = 'float32'>(input: TensorInput<D>, dims: readonly number[]): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (!Array.isArray(dims)) throw new TypeError('permute(): dims must be an array of integers');
  if (dims.length !== t.dim()) {
    throw new RangeError(
      'permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ' +
        `ordering of dimensions i.e. input.dim() = ${t.dim()} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const wrapped = dims.map((d) => wrapDim(d, t.dim()));
  if (new Set(wrapped).size !== wrapped.length) throw new RangeError('permute(): duplicate dims are not allowed.');
  const strides = stridesOf(t.shape);
  return gather(t, wrapped.map((d) => t.shape[d]), wrapped.map((d) => strides[d]), 0);
}

/** Every slice along `dim`, each without that dimension, as torch's `unbind` (default dim 0). */
export function unbind<D extends DType = 'float32'>(input: TensorInput<D>, dim = 0): Tensor<D>[] {
  const t = operand<D>(input, 'input');
  if (t.dim() === 0) throw new RangeError('Dimension specified as 0 but tensor has no dimensions');
  const d = wrapDim(dim, t.dim());
  return Array.from({ length: t.shape[d] }, (_, i) => select(t, d, i));
}

/** Dimensions `startDim` to `endDim` (default all) merged into one, as torch's `flatten`. */
export function flatten<D extends DType = 'float32'>(input: TensorInput<D>, startDim = 0, endDim = -1): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (t.dim() === 0) {
    wrapDim(startDim, 0);
    wrapDim(endDim, 0);
    return t.reshape(1).clone();
  }
  const start = wrapDim(startDim, t.dim(), 'start_dim');
  const end = wrapDim(endDim, t.dim(), 'end_dim');
  if (start > end) throw new RangeError('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...t.shape.slice(0, start), product(t.shape.slice(start, end + 1)), ...t.shape.slice(end + 1)];
  return t.clone().reshape(...shape);
}

/**
 * Dimensions of size 1 removed: all of them, or those of `dim` (a number or an array, as in
 * torch 2.x; a named dimension not of size 1 stays), as torch's `squeeze`.
 */
export function squeeze<D extends DType = 'float32'>(input: TensorInput<D>, dim?: number | readonly number[]): Tensor<D> {
  const t = operand<D>(input, 'input');
  let drop: Set<number>;
  if (dim === undefined) drop = new Set(t.shape.flatMap((size, i) => (size === 1 ? [i] : [])));
  else {
    const dims = (Array.isArray(dim) ? dim : [dim]).map((d) => wrapDim(d, t.dim()));
    const repeated = dims.find((d, i) => dims.indexOf(d) !== i);
    if (repeated !== undefined) throw new RangeError(`dim ${repeated} appears multiple times in the list of dims`);
    drop = new Set(dims.filter((d) => t.dim() > 0 && t.shape[d] === 1));
  }
  return t.clone().reshape(...t.shape.filter((_, i) => !drop.has(i)));
}

/** A dimension of size 1 inserted at `dim` (in [-dim()-1, dim()]), as torch's `unsqueeze`. */
export function unsqueeze<D extends DType = 'float32'>(input: TensorInput<D>, dim: number): Tensor<D> {
  const t = operand<D>(input, 'input');
  const d = wrapDim(dim, t.dim() + 1);
  const shape = [...t.shape];
  shape.splice(d, 0, 1);
  return t.clone().reshape(...shape);
}

/**
 * The tensors joined along an existing dimension `dim` (default 0), as torch's `cat`: all
 * the same shape except in `dim`. A 1-D tensor with no elements is skipped, as torch does.
 */
export function cat<D extends DType = 'float32'>(tensors: readonly TensorInput<D>[], dim = 0): Tensor<D> {
  if (!Array.isArray(tensors)) throw new TypeError(`cat(): argument 'tensors' must be an array of Tensors, got ${typeof tensors}`);
  if (tensors.length === 0) throw new RangeError('torch.cat(): expected a non-empty list of Tensors');
  const given = tensors.map((value, i) => operand<D>(value, `tensors[${i}]`));
  // torch promotes the inputs to one dtype (float32 and int64 give float32).
  const dtype = given.reduce<DType>((type, t) => promoteTypes(type, t.dtype), given[0].dtype) as D;
  const all = given.map((t) => converted(t, dtype));
  const parts = all.filter((t) => !(t.dim() === 1 && t.numel() === 0));
  if (parts.length === 0) return all[0].clone();
  const first = parts[0];
  if (first.dim() === 0) throw new RangeError('zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = wrapDim(dim, first.dim());
  all.forEach((t, i) => {
    if (t.dim() === 1 && t.numel() === 0) return;
    if (t.dim() === 0) throw new RangeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
    if (t.dim() !== first.dim()) {
      throw new RangeError(`Tensors must have same number of dimensions: got ${first.dim()} and ${t.dim()}`);
    }
    for (let k = 0; k < t.dim(); k++) {
      if (k !== d && t.shape[k] !== first.shape[k]) {
        throw new RangeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[k]} but got size ` +
            `${t.shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
  });
  const shape = [...first.shape];
  shape[d] = parts.reduce((sum, t) => sum + t.shape[d], 0);
  const outer = product(first.shape.slice(0, d));
  const inner = product(first.shape.slice(d + 1));
  const result = allocateOf(dtype, product(shape));
  const out = result as unknown as number[];
  let n = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of parts) {
      const data = t.data as unknown as number[];
      const block = t.shape[d] * inner;
      const from = o * block;
      for (let k = 0; k < block; k++) out[n++] = data[from + k];
    }
  }
  return makeTensor(dtype, result, shape);
}

/** The tensors, all of one shape, joined along a new dimension `dim` (default 0), as torch's `stack`. */
export function stack<D extends DType = 'float32'>(tensors: readonly TensorInput<D>[], dim = 0): Tensor<D> {
  if (!Array.isArray(tensors)) throw new TypeError(`stack(): argument 'tensors' must be an array of Tensors, got ${typeof tensors}`);
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty TensorList');
  const all = tensors.map((value, i) => operand<D>(value, `tensors[${i}]`));
  all.forEach((t, i) => {
    const same = t.dim() === all[0].dim() && t.shape.every((size, k) => size === all[0].shape[k]);
    if (!same) {
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(all[0].shape)} at entry 0 and ` +
          `${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = wrapDim(dim, all[0].dim() + 1);
  return cat(all.map((t) => unsqueeze(t, d)), d);
}
