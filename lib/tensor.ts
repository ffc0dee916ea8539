// Tensor: a row-major, contiguous typed array with a shape and a dtype. Nothing more: the
// library's math lives in native code (in float32), and a Tensor is how data gets there.
import { freemem } from 'os';
import { inspectCustom } from './printing/inspect-symbol';
import * as ops from './ops';
import type { AlphaOptions, Operand, ReduceOptions, TopkOptions, ValuesAndIndices } from './ops';
import { tensorJSON, tensorStr } from './printing/tensor-str';
import { fillNormal } from './random';
import {
  ArrayFor,
  DType,
  ElementFor,
  TensorData,
  bytesPerElement,
  convertInto,
  dtypeOfArray,
  isDType,
  newArray,
  torchDTypeName,
} from './dtype';

export type { ArrayFor, DType, DTypeArrays, ElementFor, TensorData } from './dtype';

/** Nested plain arrays of numbers, as `Tensor.toArray()` returns them. */
export type NestedArray = number | NestedArray[];
/** Nested plain arrays of one element type: what `toArray()` gives for a dtype. */
export type NestedOf<T> = T | NestedOf<T>[];
/**
 * Anything accepted where an input tensor is expected: a float32 Tensor or nested arrays
 * of numbers (readonly ones too). A bare number is not one: `lstm.forward(5)` does not
 * type-check, as torch refuses it.
 */
export type TensorLike = Tensor | readonly NestedInput[];
/** Nested arrays as an argument may give them: readonly at any depth. */
export type NestedInput = number | readonly NestedInput[];
/** A Tensor of any dtype. */
export type AnyTensor = Tensor<DType>;
/** The `dtype` option of {@link tensor} and {@link zeros}. */
export interface DTypeOptions<D extends DType = DType> {
  /** The element type; default `'float32'`. */
  dtype?: D;
}

/** Nested arrays deeper than this are refused (torch tensors have at most 64 dimensions). */
const MAX_DIMS = 64;

function checkShape(shape: readonly number[]): number {
  if (shape.length > MAX_DIMS) throw new RangeError(`a tensor has at most ${MAX_DIMS} dimensions, got ${shape.length}`);
  let count = 1;
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`Trying to create tensor with negative dimension ${String(size)}: [${shape.map(String).join(', ')}]`);
    }
    count *= size;
  }
  return count;
}

/** Allocations up to this size are made without asking how much memory is left. */
const CHECKED_ALLOCATION_BYTES = 256 * 2 ** 20;

function allocationError(count: number, elementBytes = 4): RangeError {
  const bytes = Number.isSafeInteger(count) ? String(BigInt(count) * BigInt(elementBytes)) : String(count * elementBytes);
  return new RangeError(`DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes.`);
}

/**
 * A zeroed Float32Array of `count` elements, or torch's allocator error as a RangeError when
 * that many cannot be had: more than a typed array holds, or more than the machine has
 * available (which the kernel's overcommit would grant, then kill the process for once
 * the memory is touched).
 * @internal
 */
export function allocateFloats(count: number): Float32Array {
  return allocate('float32', count);
}

/**
 * A zeroed array of `count` elements of `dtype`, refused as {@link allocateFloats} refuses.
 * @internal
 */
export function allocate<D extends DType>(dtype: D, count: number): ArrayFor<D> {
  const elementBytes = bytesPerElement(dtype);
  if (count * elementBytes > CHECKED_ALLOCATION_BYTES && count * elementBytes > freemem()) {
    throw allocationError(count, elementBytes);
  }
  try {
    return newArray(dtype, count);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw allocationError(count, elementBytes);
  }
}

/**
 * How many floats `data` really holds now. `data.length` alone is not enough: Node 20's
 * optimizing compiler (V8 11.3), once a call site has seen typed arrays over resizable
 * ArrayBuffers, can return the old length of an array whose buffer was detached since.
 * The buffer's own byteLength is reset by the detach, so it bounds the answer.
 * @internal
 */
export function floatsHeld(data: TensorData): number {
  const inBuffer = Math.floor((data.buffer.byteLength - data.byteOffset) / data.BYTES_PER_ELEMENT);
  return Math.max(0, Math.min(data.length, inBuffer));
}

/** Tensors made by the constructor. Anything else that passes `instanceof Tensor` is re-checked. */
const constructedTensors = new WeakSet<object>();

/**
 * A tensor: a row-major, contiguous typed array, its shape and its dtype, as torch's
 * `torch.Tensor` on the CPU.
 *
 * The dtype is `'float32'` unless said otherwise (data a `Float32Array`), the only dtype
 * modules compute in; checkpoints may also hold `'float64'` (`Float64Array`), `'int64'`
 * (`BigInt64Array`), `'int32'`, `'int16'`, `'int8'`, `'uint8'` (`Uint8Array`) and `'bool'`
 * (`Uint8Array` of 0 and 1). The type parameter follows the dtype: a `Tensor<'int64'>` has
 * a `BigInt64Array`, and plain `Tensor` is `Tensor<'float32'>`. {@link Tensor.to} converts.
 *
 * Modules take their inputs as Tensors (or nested arrays, see {@link TensorLike}) and
 * return Tensors. The element at index `(i_0, ..., i_{k-1})` of a tensor of shape
 * `(S_0, ..., S_{k-1})` is `data[i_0 * S_1 * ... * S_{k-1} + ... + i_{k-1}]`. A Tensor is
 * frozen: its `data`, `shape` and `dtype` cannot be replaced, but the values in `data` can
 * be written, and parameters returned by `namedParameters()` are edited that way.
 *
 * @typeParam D - the dtype, `'float32'` by default.
 *
 * @example
 * ```ts
 * import { Tensor, tensor } from 'rnn-blas';
 *
 * const x = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * x.size();        // [2, 3]
 * x.size(-1);      // 3
 * x.toArray();     // [[1, 2, 3], [4, 5, 6]]
 * x.reshape(3, -1).shape; // [3, 2], same data
 * tensor([[1, 2], [3, 4]]).numel(); // 4
 *
 * const ids = new Tensor(new BigInt64Array([3n, 1n]), [2], 'int64');
 * ids.dtype;            // 'int64'
 * ids.float().data;     // Float32Array [3, 1]
 * ```
 */
export class Tensor<D extends DType = 'float32'> {
  /** The elements in row-major order. Shared, not copied, by the constructor and {@link Tensor.reshape}. */
  readonly data: ArrayFor<D>;
  /** The size of every dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The element type, as torch's `Tensor.dtype`. */
  readonly dtype: D;

  /**
   * Wraps `data` (not copied) as a row-major tensor of `shape`.
   *
   * @param data - the elements, row-major; its length must be the product of `shape`.
   * @param shape - non-negative integer sizes, outermost first.
   * @param dtype - the element type; by default the one `data` holds (`'float32'` for a
   *   Float32Array, `'uint8'` for a Uint8Array: a bool tensor must pass `'bool'`).
   * @throws TypeError if `data` is not the typed array of `dtype` or `shape` not an array.
   * @throws RangeError if a size is negative or not an integer, or the sizes disagree with `data.length`.
   */
  constructor(data: ArrayFor<D>, shape: readonly number[], dtype?: D) {
    const held = dtypeOfArray(data);
    if (dtype === undefined) {
      if (held === undefined) {
        throw new TypeError(
          'Tensor data must be a typed array (Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array or Uint8Array)',
        );
      }
      dtype = held as D;
    } else if (!isDType(dtype)) {
      throw new TypeError(`Tensor dtype must be one of 'float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', got ${describe(dtype)}`);
    } else if (held !== dtype && !(dtype === 'bool' && held === 'uint8')) {
      throw new TypeError(`Tensor data of dtype '${dtype}' must be a ${expectedArrayName(dtype)}, got ${arrayName(data)}`);
    }
    if (!Array.isArray(shape)) throw new TypeError('Tensor shape must be an array of integers');
    // Copied before it is checked: the checked copy is the one kept.
    const dims = Object.freeze([...shape]);
    const count = checkShape(dims);
    if (count !== data.length || count !== floatsHeld(data)) {
      throw new RangeError(`shape '[${dims.map(String).join(', ')}]' is invalid for input of size ${floatsHeld(data)}`);
    }
    this.data = data;
    this.shape = dims;
    this.dtype = dtype;
    // Frozen so that data and shape cannot drift apart after the check above.
    Object.freeze(this);
    constructedTensors.add(this);
  }

  /** The number of dimensions, as torch's `Tensor.dim()`: 3 for an `(L, N, H_in)` input. */
  dim(): number {
    return this.shape.length;
  }

  /** The shape as a new array, as torch's `Tensor.size()`. */
  size(): number[];
  /**
   * The size of one dimension, as torch's `Tensor.size(dim)`.
   *
   * @param dim - a dimension in `[-dim(), dim())`; negative counts from the end (`-1` is the last).
   * @throws RangeError if `dim` is out of range.
   */
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[this.wrapDim(dim)];
  }

  /** The number of elements: the product of the shape (1 for a scalar). */
  numel(): number {
    return this.data.length;
  }

  /**
   * The elements as nested plain arrays, as torch's `Tensor.tolist()`: a `(2, 3)` tensor gives
   * `[[a, b, c], [d, e, f]]`, a scalar gives one element. Elements are numbers, bigints for
   * int64 (which numbers cannot all hold) and booleans for bool, as Python's ints and bools.
   */
  toArray(): NestedOf<ElementFor<D>> {
    const element = (index: number): ElementFor<D> => {
      const value = this.data[index];
      return (this.dtype === 'bool' ? value !== 0 : value) as ElementFor<D>;
    };
    if (this.shape.length === 0) return element(0);
    const build = (depth: number, offset: number): NestedOf<ElementFor<D>>[] => {
      const length = this.shape[depth];
      const stride = this.shape.slice(depth + 1).reduce((a, b) => a * b, 1);
      const out: NestedOf<ElementFor<D>>[] = [];
      for (let i = 0; i < length; i++) {
        out.push(depth === this.shape.length - 1 ? element(offset + i) : build(depth + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /**
   * A tensor of a new shape over the same data (no copy), as torch's `Tensor.reshape`.
   *
   * @param shape - the new sizes, as arguments (`reshape(2, -1)`) or one array
   *   (`reshape([2, -1])`); one size may be -1, inferred from the others.
   * @throws RangeError if the sizes do not match the number of elements or more than one is -1.
   *
   * @example
   * ```ts
   * const output = lstm.forward(input)[0];   // (L, N, D * H_out)
   * const rows = output.reshape(-1, output.size(-1)); // (L * N, D * H_out)
   * ```
   */
  reshape(...shape: number[]): Tensor<D> {
    const dims = shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as unknown as number[]) : shape;
    // torch's infer_size, in its order and words.
    dims.forEach((size, i) => {
      if (typeof size !== 'number' || !Number.isInteger(size)) {
        const kind = typeof size === 'number' ? 'float' : typeof size;
        throw new TypeError(`reshape(): argument 'shape' must be tuple of ints, but found element of type ${kind} at pos ${i}`);
      }
    });
    const inferred = dims.indexOf(-1);
    if (inferred !== dims.lastIndexOf(-1)) throw new RangeError('only one dimension can be inferred');
    const invalid = dims.find((size) => size < -1);
    if (invalid !== undefined) throw new RangeError(`invalid shape dimension ${invalid}`);
    if (inferred >= 0) {
      const known = dims.reduce((a, b, i) => (i === inferred ? a : a * b), 1);
      if (known === 0 && this.numel() === 0) {
        throw new RangeError(
          `cannot reshape tensor of 0 elements into shape [${dims.join(', ')}] because the unspecified dimension size -1 can be any value and is ambiguous`,
        );
      }
      if (known === 0 || this.numel() % known !== 0) {
        throw new RangeError(`shape '[${dims.join(', ')}]' is invalid for input of size ${this.numel()}`);
      }
      const resolved = [...dims];
      resolved[inferred] = this.numel() / known;
      return new Tensor(this.data, resolved, this.dtype);
    }
    if (dims.reduce((a, b) => a * b, 1) !== this.numel()) {
      throw new RangeError(`shape '[${dims.join(', ')}]' is invalid for input of size ${this.numel()}`);
    }
    return new Tensor(this.data, dims, this.dtype);
  }

  /** A tensor of the same shape and dtype with a copy of the data. */
  clone(): Tensor<D> {
    const source = checkedTensor(this, 'clone()');
    // slice() of an empty detached array would throw; its copy is just an empty array.
    const data = floatsHeld(source.data) === 0 ? newArray(source.dtype, 0) : (source.data.slice() as ArrayFor<D>);
    return new Tensor(data, source.shape, source.dtype);
  }

  /**
   * This tensor in another dtype, as torch's `Tensor.to(dtype)`: itself when the dtype is
   * already `dtype`, otherwise a converted copy. Floats to integers truncate toward zero;
   * integers wrap to narrower integers; float64 and int64 round to nearest even in float32;
   * anything becomes bool as `value != 0`. (A NaN, an infinity or an out-of-range float
   * gives what torch gives on x86-64: the lowest int32, or int64, wrapped to narrower types.)
   *
   * @param dtype - the dtype to convert to.
   * @throws TypeError for an unknown dtype.
   *
   * @example
   * ```ts
   * tensor([1.7, -1.7]).to('int64').data; // BigInt64Array [1n, -1n]
   * ```
   */
  to<T extends DType>(dtype: T): Tensor<T> {
    if (!isDType(dtype)) {
      throw new TypeError(`to() received an invalid combination of arguments: dtype must be one of 'float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', got ${describe(dtype)}`);
    }
    const source = checkedTensor(this, 'to()');
    if ((source.dtype as DType) === dtype) return source as unknown as Tensor<T>;
    const out = allocate(dtype, source.numel());
    convertInto(source.data, source.dtype, out, dtype);
    return new Tensor(out, source.shape, dtype);
  }

  /** This tensor as float32, as torch's `Tensor.float()`: `to('float32')`. */
  float(): Tensor<'float32'> {
    return this.to('float32');
  }

  /** This tensor as float64, as torch's `Tensor.double()`: `to('float64')`. */
  double(): Tensor<'float64'> {
    return this.to('float64');
  }

  /** This tensor as int64, as torch's `Tensor.long()`: `to('int64')`. */
  long(): Tensor<'int64'> {
    return this.to('int64');
  }

  /** This tensor as int32, as torch's `Tensor.int()`: `to('int32')`. */
  int(): Tensor<'int32'> {
    return this.to('int32');
  }

  /** This tensor as bool, as torch's `Tensor.bool()`: `to('bool')`. */
  bool(): Tensor<'bool'> {
    return this.to('bool');
  }

  // ---- Operations (lib/ops): torch's Tensor methods of the same names -------------------

  /** The slice at `index` along `dim`, that dimension removed (`t[:, i]` is `t.select(1, i)`). See {@link select}. */
  select(dim: number, index: number): Tensor<D> {
    return ops.select(this, dim, index);
  }

  /** `length` elements along `dim` from `start` (`t[:, 2:5]` is `t.narrow(1, 2, 3)`). See {@link narrow}. */
  narrow(dim: number, start: number, length: number): Tensor<D> {
    return ops.narrow(this, dim, start, length);
  }

  /** The slices along `dim` at each of `index` (integers). See {@link indexSelect}. */
  indexSelect(dim: number, index: AnyTensor | ArrayLike<number> | readonly number[]): Tensor<D> {
    return ops.indexSelect(this, dim, index);
  }

  /** `dim0` and `dim1` swapped. See {@link transpose}. */
  transpose(dim0: number, dim1: number): Tensor<D> {
    return ops.transpose(this, dim0, dim1);
  }

  /** The dimensions reordered (`t.permute(1, 0, 2)`). See {@link permute}. */
  permute(...dims: number[] | [readonly number[]]): Tensor<D> {
    const order = dims.length === 1 && Array.isArray(dims[0]) ? (dims[0] as readonly number[]) : (dims as number[]);
    return ops.permute(this, order);
  }

  /** Every slice along `dim` (default 0). See {@link unbind}. */
  unbind(dim = 0): Tensor<D>[] {
    return ops.unbind(this, dim);
  }

  /** Dimensions `startDim` to `endDim` merged into one. See {@link flatten}. */
  flatten(startDim = 0, endDim = -1): Tensor<D> {
    return ops.flatten(this, startDim, endDim);
  }

  /** Dimensions of size 1 removed (all, or those of `dim`). See {@link squeeze}. */
  squeeze(dim?: number | readonly number[]): Tensor<D> {
    return ops.squeeze(this, dim);
  }

  /** A dimension of size 1 inserted at `dim`. See {@link unsqueeze}. */
  unsqueeze(dim: number): Tensor<D> {
    return ops.unsqueeze(this, dim);
  }

  /** {@link Tensor.reshape} under torch's other name: a new shape over the same data. */
  view(...shape: number[]): Tensor<D> {
    return this.reshape(...shape);
  }

  /** `this + other`, broadcast; other may be a number. See {@link add}. */
  add(other: Operand, options?: AlphaOptions): AnyTensor {
    return ops.add(this, other, options);
  }

  /** `this - other`, broadcast; other may be a number. See {@link sub}. */
  sub(other: Operand, options?: AlphaOptions): AnyTensor {
    return ops.sub(this, other, options);
  }

  /** `this * other`, broadcast; other may be a number. See {@link mul}. */
  mul(other: Operand): AnyTensor {
    return ops.mul(this, other);
  }

  /** `this / other` (true division), broadcast; other may be a number. See {@link div}. */
  div(other: Operand): AnyTensor {
    return ops.div(this, other);
  }

  /** The sum of all elements, or over `dim`. See {@link sum}. */
  sum(dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): Tensor<D extends 'float64' ? 'float64' : D extends 'float32' ? 'float32' : 'int64'> {
    return ops.sum(this, dim, options) as Tensor<any>;
  }

  /** The mean of all elements, or over `dim` (float tensors only). See {@link mean}. */
  mean(dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): Tensor<D> {
    return ops.mean(this, dim, options) as Tensor<any>;
  }

  /** The largest element (a scalar tensor). See {@link max}. */
  max(): Tensor<D>;
  /** The largest values along `dim` and their int64 indices, `[values, indices]`. See {@link max}. */
  max(dim: number, options?: ReduceOptions | boolean): ValuesAndIndices<D>;
  max(dim?: number, options?: ReduceOptions | boolean): Tensor<D> | ValuesAndIndices<D> {
    return dim === undefined ? ops.max(this) : ops.max(this, dim, options);
  }

  /** The smallest element (a scalar tensor). See {@link min}. */
  min(): Tensor<D>;
  /** The smallest values along `dim` and their int64 indices, `[values, indices]`. See {@link min}. */
  min(dim: number, options?: ReduceOptions | boolean): ValuesAndIndices<D>;
  min(dim?: number, options?: ReduceOptions | boolean): Tensor<D> | ValuesAndIndices<D> {
    return dim === undefined ? ops.min(this) : ops.min(this, dim, options);
  }

  /** The int64 index of the largest element, of all or along `dim`. See {@link argmax}. */
  argmax(dim?: number | null, options?: ReduceOptions | boolean): Tensor<'int64'> {
    return ops.argmax(this, dim, options);
  }

  /** The int64 index of the smallest element, of all or along `dim`. See {@link argmin}. */
  argmin(dim?: number | null, options?: ReduceOptions | boolean): Tensor<'int64'> {
    return ops.argmin(this, dim, options);
  }

  /** softmax along `dim`. See {@link softmax}. */
  softmax(dim: number): AnyTensor {
    return ops.softmax(this, dim);
  }

  /** log_softmax along `dim`. See {@link logSoftmax}. */
  logSoftmax(dim: number): AnyTensor {
    return ops.logSoftmax(this, dim);
  }

  /** sigmoid of every element. See {@link sigmoid}. */
  sigmoid(): AnyTensor {
    return ops.sigmoid(this);
  }

  /** tanh of every element. See {@link tanh}. */
  tanh(): AnyTensor {
    return ops.tanh(this);
  }

  /** max(x, 0) of every element. See {@link relu}. */
  relu(): Tensor<D> {
    return ops.relu(this);
  }

  /** The `k` largest (or smallest) values along a dimension and their int64 indices. See {@link topk}. */
  topk(k: number, options?: TopkOptions): ValuesAndIndices<D> {
    return ops.topk(this, k, options);
  }

  /** The value of a one-element tensor (a bigint for int64, a boolean for bool). See {@link item}. */
  item(): ElementFor<D> {
    return ops.item(this);
  }

  /** torch's `str(t)`, character for character: `tensor([[0.1000, 2.0000]])`. */
  toString(): string {
    return tensorStr(checkedTensor(this as AnyTensor, 'toString()'));
  }

  /** util.inspect and console.log show torch's `str(t)`. */
  [inspectCustom](): string {
    return this.toString();
  }

  /** `JSON.stringify(t)` gives the nested arrays (numbers; booleans for bool). */
  toJSON(): unknown {
    return tensorJSON(checkedTensor(this as AnyTensor, 'toJSON()'));
  }

  private wrapDim(dim: number): number {
    const rank = this.shape.length;
    if (rank === 0 && Number.isInteger(dim)) throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
    if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
      throw new RangeError(
        `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`,
      );
    }
    return dim < 0 ? dim + rank : dim;
  }
}

function expectedArrayName(dtype: DType): string {
  const names: Record<DType, string> = {
    float32: 'Float32Array',
    float64: 'Float64Array',
    int64: 'BigInt64Array',
    int32: 'Int32Array',
    int16: 'Int16Array',
    int8: 'Int8Array',
    uint8: 'Uint8Array',
    bool: 'Uint8Array',
  };
  return names[dtype];
}

function arrayName(data: unknown): string {
  if (data !== null && typeof data === 'object') return (data as object).constructor?.name ?? 'object';
  return describe(data);
}

/** Nested values: numbers, bigints or booleans. */
type NestedValue = number | bigint | boolean | NestedValue[];

/** The shape of nested arrays; throws if they are ragged or hold a non-number. */
function nestedShape(values: NestedValue): number[] {
  const shape: number[] = [];
  let level: NestedValue = values;
  while (Array.isArray(level)) {
    // Also ends an array that contains itself.
    if (shape.length === MAX_DIMS) throw new RangeError(`tensor(): nested arrays deeper than ${MAX_DIMS} dimensions`);
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flattenInto(values: NestedValue, shape: number[], depth: number, out: unknown[], offset: number): number {
  if (depth === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'bigint' && typeof values !== 'boolean') {
      throw new TypeError(`tensor(): expected a number at depth ${depth}, got ${describe(values)}`);
    }
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[depth]) {
    throw new RangeError(
      `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(values) ? values.length : describe(values)})`,
    );
  }
  for (const item of values) offset = flattenInto(item, shape, depth + 1, out, offset);
  return offset;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Fills `out` (of `dtype`) from plain values: numbers, bigints or booleans, converted as
 * torch converts a Python int, float or bool into a tensor of that dtype.
 */
function fillFromValues(values: ArrayLike<unknown>, out: TensorData, dtype: DType, where: (i: number) => string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'number') {
      if (dtype === 'int64') {
        if (!Number.isInteger(value)) throw new TypeError(`tensor(): expected an integer for dtype int64 ${where(i)}, got ${value}`);
        (out as BigInt64Array)[i] = BigInt.asIntN(64, BigInt(value));
      } else if (dtype === 'bool') {
        (out as Uint8Array)[i] = value !== 0 ? 1 : 0;
      } else if (dtype === 'float32' || dtype === 'float64') {
        (out as Float64Array)[i] = value;
      } else {
        if (!Number.isInteger(value)) throw new TypeError(`tensor(): expected an integer for dtype ${dtype} ${where(i)}, got ${value}`);
        (out as Int32Array)[i] = value;
      }
    } else if (typeof value === 'bigint') {
      if (dtype === 'int64') (out as BigInt64Array)[i] = BigInt.asIntN(64, value);
      else if (dtype === 'bool') (out as Uint8Array)[i] = value !== 0n ? 1 : 0;
      else if (dtype === 'float32') (out as Float32Array)[i] = int64ToFloat32Checked(value);
      else if (dtype === 'float64') (out as Float64Array)[i] = Number(value);
      else (out as Int32Array)[i] = Number(BigInt.asIntN(32, value));
    } else if (typeof value === 'boolean') {
      if (dtype === 'int64') (out as BigInt64Array)[i] = value ? 1n : 0n;
      else (out as Uint8Array)[i] = value ? 1 : 0;
    } else {
      throw new TypeError(`tensor(): expected a number ${where(i)}, got ${describe(value)}`);
    }
  }
}

function int64ToFloat32Checked(value: bigint): number {
  const out = new Float32Array(1);
  convertInto(BigInt64Array.of(BigInt.asIntN(64, value)), 'int64', out, 'float32');
  return out[0];
}

/** The dtype of plain values with no dtype given: int64 for bigints, bool for booleans, else float32. */
function inferDType(first: unknown): DType {
  if (typeof first === 'bigint') return 'int64';
  if (typeof first === 'boolean') return 'bool';
  return 'float32';
}

function firstLeaf(values: NestedValue): unknown {
  let level: unknown = values;
  for (let depth = 0; Array.isArray(level) && depth <= MAX_DIMS; depth++) level = level[0];
  return level;
}

function readDTypeOption(options: unknown, where: string): DType | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object such as { dtype: 'float32' }, got ${describe(options)}`);
  }
  const dtype = (options as DTypeOptions).dtype;
  if (dtype === undefined) return undefined;
  if (!isDType(dtype)) {
    throw new TypeError(
      `${where}: dtype must be one of 'float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', got ${typeof dtype === 'string' ? `'${dtype}'` : describe(dtype)}`,
    );
  }
  return dtype;
}

/** The values `tensor()` accepts. */
export type TensorValues =
  | NestedArray
  | NestedOf<bigint>
  | NestedOf<boolean>
  | TensorData
  | ArrayLike<number>
  | ArrayLike<bigint>
  | AnyTensor;

/**
 * Builds a tensor from nested arrays, a typed array or any array-like of numbers, as
 * torch's `torch.tensor`. The values are copied (a Tensor argument is cloned, or converted
 * when `dtype` differs).
 *
 * Without a `dtype`, numbers give float32 (JavaScript has one number type, and float32 is
 * what modules compute in), bigints int64 and booleans bool; a typed array gives float32
 * too, except a BigInt64Array (int64). With `dtype`, values convert as torch's would.
 *
 * @param values - nested arrays (their nesting gives the shape; they must not be ragged),
 *   a number (a scalar), or a flat typed array / array-like.
 * @param shape - for flat values, the shape to give them (default: 1-D of their length).
 * @param options - `dtype`: the element type.
 * @returns a new Tensor.
 * @throws TypeError for a non-number element, or a non-integer for an integer dtype;
 *   RangeError for ragged arrays or a shape that does not match the number of values.
 *
 * @example
 * ```ts
 * tensor([[1, 2, 3], [4, 5, 6]]).shape;          // [2, 3]
 * tensor(new Float32Array(12), [3, 4]).shape;     // [3, 4]
 * tensor([0.5, 1.5]).data;                        // Float32Array [0.5, 1.5]
 * tensor([3, 1, 2], undefined, { dtype: 'int64' }).data; // BigInt64Array [3n, 1n, 2n]
 * tensor([3, 1, 2], { dtype: 'int32' }).dtype;           // 'int32'
 * ```
 */
export function tensor<D extends DType>(values: TensorValues, shape: readonly number[] | undefined, options: { dtype: D }): Tensor<D>;
export function tensor<D extends DType>(values: TensorValues, options: { dtype: D }): Tensor<D>;
export function tensor(values: BigInt64Array | NestedOf<bigint>, shape?: readonly number[]): Tensor<'int64'>;
export function tensor(values: NestedOf<boolean>, shape?: readonly number[]): Tensor<'bool'>;
export function tensor(values: NestedArray | TensorData | ArrayLike<number>, shape?: readonly number[]): Tensor;
export function tensor<D extends DType>(values: Tensor<D>, shape?: readonly number[]): Tensor<D>;
export function tensor(values: unknown, shapeOrOptions?: unknown, maybeOptions?: unknown): AnyTensor {
  let shape: readonly number[] | undefined;
  let options: unknown = maybeOptions;
  if (shapeOrOptions !== undefined && shapeOrOptions !== null && !Array.isArray(shapeOrOptions) && typeof shapeOrOptions === 'object') {
    options = shapeOrOptions;
  } else if (shapeOrOptions !== undefined) {
    shape = shapeArray(shapeOrOptions);
  }
  const requested = readDTypeOption(options, 'tensor()');
  if (values instanceof Tensor) {
    const source = checkedTensor(values as AnyTensor, 'tensor()');
    const converted = requested === undefined || requested === source.dtype ? source.clone() : source.to(requested);
    return shape === undefined ? converted : converted.reshape(...shape);
  }
  // Nested arrays take their shape from the nesting; a shape given beside them reshapes
  // the result (a flat array with a shape is read as the flat data, below).
  if (Array.isArray(values) && (shape === undefined || values.some((item) => Array.isArray(item)))) {
    const inferred = nestedShape(values as NestedValue);
    const dtype = requested ?? inferDType(firstLeaf(values as NestedValue));
    const flat: unknown[] = [];
    flattenInto(values as NestedValue, inferred, 0, flat, 0);
    const out = allocate(dtype, checkShape(inferred));
    fillFromValues(flat, out, dtype, (i) => `at flat index ${i}`);
    const built = new Tensor(out, inferred, dtype);
    return shape === undefined ? built : built.reshape(...shape);
  }
  if (typeof values === 'number' || typeof values === 'bigint' || typeof values === 'boolean') {
    const dtype = requested ?? inferDType(values);
    const out = allocate(dtype, 1);
    fillFromValues([values], out, dtype, () => 'as the scalar');
    return new Tensor(out, shape ?? [], dtype);
  }
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`tensor(): expected nested arrays, a typed array or an array-like, got ${describe(values)}`);
  }
  const held = dtypeOfArray(values);
  if (held !== undefined) {
    const data = values as TensorData;
    const dtype = requested ?? (held === 'int64' ? 'int64' : 'float32');
    const out = allocate(dtype, floatsHeld(data));
    convertInto(data, held, out, dtype);
    return new Tensor(out, shape ?? [out.length], dtype);
  }
  const length = (values as ArrayLike<unknown>).length;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`tensor(): an array-like's length must be a non-negative integer, got ${String(length)}`);
  }
  const dtype = requested ?? inferDType(length > 0 ? (values as ArrayLike<unknown>)[0] : undefined);
  const flat = allocate(dtype, length);
  fillFromValues(values as ArrayLike<unknown>, flat, dtype, (i) => `at index ${i}`);
  return new Tensor(flat, shape ?? [length], dtype);
}

/**
 * A tensor of zeros, as torch's `torch.zeros`: for example initial states `h0` of shape
 * `(D * num_layers, N, H_out)`.
 *
 * @param shape - non-negative integer sizes.
 * @param options - `dtype`: the element type (default `'float32'`).
 * @throws RangeError for a negative or non-integer size.
 *
 * @example
 * ```ts
 * const h0 = zeros([2 * 1, 3, 20]); // D = 2 (bidirectional), 1 layer, N = 3, H_out = 20
 * const mask = zeros([3, 4], { dtype: 'bool' });
 * ```
 */
export function zeros<D extends DType = 'float32'>(shape: readonly number[], options?: DTypeOptions<D>): Tensor<D> {
  const dtype = (readDTypeOption(options, 'zeros()') ?? 'float32') as D;
  return new Tensor(allocate(dtype, checkShape(factoryShape(shape, 'zeros'))), shape, dtype);
}

/**
 * A tensor of ones, as torch's `torch.ones`: float32 unless `dtype` says otherwise (bool:
 * true, int64: 1n).
 *
 * @param shape - non-negative integer sizes.
 * @param options - `dtype`: the element type (default `'float32'`).
 * @throws RangeError for a negative or non-integer size.
 *
 * @example
 * ```ts
 * const std = ones([40]);
 * ```
 */
export function ones<D extends DType = 'float32'>(shape: readonly number[], options?: DTypeOptions<D>): Tensor<D> {
  const dtype = (readDTypeOption(options, 'ones()') ?? 'float32') as D;
  const data = allocate(dtype, checkShape(factoryShape(shape, 'ones')));
  if (data instanceof BigInt64Array) data.fill(1n);
  else (data as Float32Array).fill(1);
  return new Tensor(data, shape, dtype);
}

/**
 * A tensor of samples from the standard normal distribution N(0, 1), as torch's
 * `torch.randn`, drawn from the library's global generator: after the same
 * {@link manualSeed}, the same values, and torch's for that seed (exactly below 16
 * elements; from 16, torch's vectorized log, sin and cos may round a value's last bit
 * differently).
 *
 * @param shape - non-negative integer sizes.
 * @throws RangeError for a negative or non-integer size.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const input = randn([5, 3, 10]); // (L, N, H_in)
 * ```
 */
export function randn(shape: readonly number[]): Tensor {
  const out = allocateFloats(checkShape(factoryShape(shape, 'randn')));
  fillNormal(out);
  return new Tensor(out, shape);
}

/**
 * torch's message for a tensor of the wrong dtype given to a module that computes in
 * float32 (`torch.nn.RNNBase.check_input`): "input must have the type torch.float32, got
 * type torch.float64".
 * @internal
 */
export function dtypeMismatchError(argumentName: string, dtype: DType): TypeError {
  return new TypeError(`${argumentName} must have the type ${torchDTypeName('float32')}, got type ${torchDTypeName(dtype)}`);
}

/**
 * Nested arrays as a float32 Tensor, for an argument of the caller's: errors name that
 * argument, not tensor(), which the caller did not call, and an array of Tensors (an
 * LSTM-style [h0] given to a GRU) says so.
 */
function tensorFromNested(value: NestedArray[], argumentName: string): AnyTensor {
  const nested = value.findIndex((item) => item instanceof Tensor);
  if (nested >= 0) {
    throw new TypeError(
      `${argumentName} must be a Tensor or nested arrays of numbers, got an array holding a Tensor at [${nested}] ` +
        '(pass the Tensor itself, or join them with stack() or cat())',
    );
  }
  try {
    return tensor(value);
  } catch (error) {
    if (error instanceof Error) {
      error.message = error.message.replace(/^tensor\(\): /, '');
      if (!error.message.startsWith(argumentName)) error.message = `${argumentName}: ${error.message}`;
    }
    throw error;
  }
}

/**
 * A float32 Tensor for anything tensor-like: float32 Tensors pass through, nested arrays
 * are converted; a Tensor of another dtype is refused with torch's dtype-mismatch message.
 * @internal
 */
export function asTensor(value: TensorLike | AnyTensor | number, argumentName: string): Tensor {
  if (value instanceof Tensor) {
    const checked = checkedTensor(value as AnyTensor, argumentName);
    if (checked.dtype !== 'float32') throw dtypeMismatchError(argumentName, checked.dtype);
    return checked as Tensor;
  }
  if (typeof value === 'number') return tensor(value);
  if (Array.isArray(value)) {
    // Nested booleans or bigints make a bool or int64 tensor, which a float32 argument refuses too.
    const made = tensorFromNested(value as NestedArray[], argumentName) as AnyTensor;
    if (made.dtype !== 'float32') throw dtypeMismatchError(argumentName, made.dtype);
    return made as Tensor;
  }
  throw new TypeError(`${argumentName} must be a Tensor or nested arrays of numbers, got ${describe(value)}`);
}

/**
 * A Tensor of any dtype for anything tensor-like (nested arrays become float32).
 * @internal
 */
export function asAnyTensor(value: TensorLike | AnyTensor | number, argumentName: string): AnyTensor {
  if (value instanceof Tensor) return checkedTensor(value as AnyTensor, argumentName);
  if (typeof value === 'number') return tensor(value);
  if (Array.isArray(value)) return tensorFromNested(value as NestedArray[], argumentName);
  throw new TypeError(`${argumentName} must be a Tensor or nested arrays of numbers, got ${describe(value)}`);
}

/** A factory's size argument: an array of integers, with torch's message for a size that is not one. */
function factoryShape(shape: unknown, factory: string): readonly number[] {
  const sizes = shapeArray(shape);
  sizes.forEach((size, at) => {
    if (typeof size !== 'number' || !Number.isInteger(size)) {
      const type = typeof size === 'number' ? 'float' : typeof size === 'string' ? 'str' : size === null ? 'NoneType' : Array.isArray(size) ? 'list' : typeof size;
      throw new TypeError(`${factory}(): argument 'size' (position 1) must be tuple of ints, but found element of type ${type} at pos ${at}`);
    }
  });
  return sizes;
}

function shapeArray(shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`shape must be an array of integers, got ${describe(shape)}`);
  return shape;
}

/**
 * A Tensor whose data still fills its shape. One the constructor made can only fall out of
 * step through its buffer (detached by a transfer, or a resizable buffer shrunk); an object
 * that merely passes `instanceof Tensor` (Object.create(Tensor.prototype), a Proxy) is
 * rebuilt through the constructor from one read of each field, so it cannot lie either.
 */
function checkedTensor<D extends DType>(value: Tensor<D>, argumentName: string): Tensor<D> {
  let checked = value;
  if (!constructedTensors.has(value)) {
    try {
      // A forged object without a dtype is taken at its data's word, as before dtypes existed.
      checked = new Tensor(value.data, value.shape, value.dtype ?? undefined);
    } catch (error) {
      if (error instanceof Error) error.message = `${argumentName}: ${error.message}`;
      throw error;
    }
  }
  const count = checked.shape.reduce((a, b) => a * b, 1);
  // An empty tensor's buffer may be detached, which some typed-array methods refuse: the
  // same empty tensor over a fresh array is indistinguishable and safe everywhere.
  const held = floatsHeld(checked.data);
  if (count === 0 && held === 0) return new Tensor(newArray(checked.dtype, 0), checked.shape, checked.dtype);
  if (held !== count) {
    throw new RangeError(
      `${argumentName}: the tensor's data holds ${held} values but its shape ` +
        `[${checked.shape.join(', ')}] needs ${count} (was its ArrayBuffer detached or resized?)`,
    );
  }
  return checked;
}
