// Tensor: a row-major, contiguous float32 array with a shape. Nothing more: the
// library's math lives in native code, and a Tensor is how data gets there.
import { freemem } from 'os';
import { fillNormal } from './random';

/** Nested plain arrays of numbers, as `Tensor.toArray()` returns them. */
export type NestedArray = number | NestedArray[];
/** Anything accepted where an input tensor is expected. */
export type TensorLike = Tensor | NestedArray;

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

function allocationError(count: number): RangeError {
  const bytes = Number.isSafeInteger(count) ? String(BigInt(count) * 4n) : String(count * 4);
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
  if (count * 4 > CHECKED_ALLOCATION_BYTES && count * 4 > freemem()) throw allocationError(count);
  try {
    return new Float32Array(count);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw allocationError(count);
  }
}

/**
 * How many floats `data` really holds now. `data.length` alone is not enough: Node 20's
 * optimizing compiler (V8 11.3), once a call site has seen typed arrays over resizable
 * ArrayBuffers, can return the old length of an array whose buffer was detached since.
 * The buffer's own byteLength is reset by the detach, so it bounds the answer.
 * @internal
 */
export function floatsHeld(data: Float32Array): number {
  const inBuffer = Math.floor((data.buffer.byteLength - data.byteOffset) / Float32Array.BYTES_PER_ELEMENT);
  return Math.max(0, Math.min(data.length, inBuffer));
}

/** Tensors made by the constructor. Anything else that passes `instanceof Tensor` is re-checked. */
const constructedTensors = new WeakSet<object>();

/**
 * A float32 tensor: a row-major, contiguous `Float32Array` and its shape, as torch's
 * `torch.Tensor` of dtype `float32` on the CPU.
 *
 * Modules take their inputs as Tensors (or nested arrays, see {@link TensorLike}) and
 * return Tensors. The element at index `(i_0, ..., i_{k-1})` of a tensor of shape
 * `(S_0, ..., S_{k-1})` is `data[i_0 * S_1 * ... * S_{k-1} + ... + i_{k-1}]`. A Tensor is
 * frozen: its `data` and `shape` cannot be replaced, but the values in `data` can be
 * written, and parameters returned by `namedParameters()` are edited that way.
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
 * ```
 */
export class Tensor {
  /** The elements in row-major order. Shared, not copied, by the constructor and {@link Tensor.reshape}. */
  readonly data: Float32Array;
  /** The size of every dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];

  /**
   * Wraps `data` (not copied) as a row-major tensor of `shape`.
   *
   * @param data - the elements, row-major; its length must be the product of `shape`.
   * @param shape - non-negative integer sizes, outermost first.
   * @throws TypeError if `data` is not a Float32Array or `shape` not an array.
   * @throws RangeError if a size is negative or not an integer, or the sizes disagree with `data.length`.
   */
  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw new TypeError('Tensor data must be a Float32Array');
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
   * `[[a, b, c], [d, e, f]]`, a scalar gives a number.
   */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (depth: number, offset: number): NestedArray[] => {
      const length = this.shape[depth];
      const stride = this.shape.slice(depth + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < length; i++) {
        out.push(depth === this.shape.length - 1 ? this.data[offset + i] : build(depth + 1, offset + i * stride));
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
  reshape(...shape: number[]): Tensor {
    const dims = shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as unknown as number[]) : shape;
    const inferred = dims.indexOf(-1);
    if (inferred !== dims.lastIndexOf(-1)) throw new RangeError('only one dimension can be inferred');
    if (inferred >= 0) {
      const known = dims.reduce((a, b, i) => (i === inferred ? a : a * b), 1);
      if (known === 0 || this.numel() % known !== 0) {
        throw new RangeError(`shape '[${dims.join(', ')}]' is invalid for input of size ${this.numel()}`);
      }
      const resolved = [...dims];
      resolved[inferred] = this.numel() / known;
      return new Tensor(this.data, resolved);
    }
    return new Tensor(this.data, dims);
  }

  /** A tensor of the same shape with a copy of the data. */
  clone(): Tensor {
    const source = checkedTensor(this, 'clone()');
    // slice() of an empty detached array would throw; its copy is just an empty array.
    return new Tensor(floatsHeld(source.data) === 0 ? new Float32Array(0) : source.data.slice(), source.shape);
  }

  private wrapDim(dim: number): number {
    const rank = this.shape.length;
    if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
      throw new RangeError(
        `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`,
      );
    }
    return dim < 0 ? dim + rank : dim;
  }
}

/** The shape of nested arrays; throws if they are ragged or hold a non-number. */
function nestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    // Also ends an array that contains itself.
    if (shape.length === MAX_DIMS) throw new RangeError(`tensor(): nested arrays deeper than ${MAX_DIMS} dimensions`);
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: number[], depth: number, out: Float32Array, offset: number): number {
  if (depth === shape.length) {
    if (typeof values !== 'number') {
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
 * Builds a tensor from nested arrays, a Float32Array or any array-like of numbers, as
 * torch's `torch.tensor`. The values are copied (a Tensor argument is cloned).
 *
 * @param values - nested arrays of numbers (their nesting gives the shape; they must not be
 *   ragged), a number (a scalar), or a flat Float32Array / array-like.
 * @param shape - for flat values, the shape to give them (default: 1-D of their length).
 * @returns a new Tensor.
 * @throws TypeError for a non-number element; RangeError for ragged arrays or a shape that
 *   does not match the number of values.
 *
 * @example
 * ```ts
 * tensor([[1, 2, 3], [4, 5, 6]]).shape;          // [2, 3]
 * tensor(new Float32Array(12), [3, 4]).shape;     // [3, 4]
 * tensor([0.5, 1.5]).data;                        // Float32Array [0.5, 1.5]
 * ```
 */
export function tensor(values: NestedArray | Float32Array | ArrayLike<number>, shape?: number[]): Tensor {
  if (values instanceof Tensor) return checkedTensor(values, 'tensor()').clone();
  if (Array.isArray(values) && shape === undefined) {
    const inferred = nestedShape(values as NestedArray);
    const out = allocateFloats(checkShape(inferred));
    flattenInto(values as NestedArray, inferred, 0, out, 0);
    return new Tensor(out, inferred);
  }
  if (typeof values === 'number') return new Tensor(Float32Array.of(values), shape ?? []);
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`tensor(): expected nested arrays, a Float32Array or an array-like, got ${describe(values)}`);
  }
  if (values instanceof Float32Array) return new Tensor(values.slice(), shape ?? [values.length]);
  const length = (values as ArrayLike<unknown>).length;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`tensor(): an array-like's length must be a non-negative integer, got ${String(length)}`);
  }
  const flat = allocateFloats(length);
  for (let i = 0; i < length; i++) {
    const value = (values as ArrayLike<unknown>)[i];
    if (typeof value !== 'number') throw new TypeError(`tensor(): expected a number at index ${i}, got ${describe(value)}`);
    flat[i] = value;
  }
  return new Tensor(flat, shape ?? [length]);
}

/**
 * A tensor of zeros, as torch's `torch.zeros`: for example initial states `h0` of shape
 * `(D * num_layers, N, H_out)`.
 *
 * @param shape - non-negative integer sizes.
 * @throws RangeError for a negative or non-integer size.
 *
 * @example
 * ```ts
 * const h0 = zeros([2 * 1, 3, 20]); // D = 2 (bidirectional), 1 layer, N = 3, H_out = 20
 * ```
 */
export function zeros(shape: number[]): Tensor {
  return new Tensor(allocateFloats(checkShape(shapeArray(shape))), shape);
}

/**
 * A tensor of samples from the standard normal distribution N(0, 1), as torch's
 * `torch.randn`, drawn from the library's global generator: after the same
 * {@link manualSeed}, the same values. (The stream is not torch's: the same seed in
 * PyTorch gives other numbers.)
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
export function randn(shape: number[]): Tensor {
  const out = allocateFloats(checkShape(shapeArray(shape)));
  fillNormal(out);
  return new Tensor(out, shape);
}

/**
 * A Tensor for anything tensor-like: Tensors pass through, nested arrays are converted.
 * @internal
 */
export function asTensor(value: TensorLike | number, argumentName: string): Tensor {
  if (value instanceof Tensor) return checkedTensor(value, argumentName);
  if (typeof value === 'number') return tensor(value);
  if (Array.isArray(value)) {
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
      // Name the caller's argument, not tensor(), which the caller did not call.
      if (error instanceof Error) error.message = error.message.replace(/^tensor\(\): /, `${argumentName}: `);
      if (error instanceof Error && !error.message.startsWith(argumentName)) error.message = `${argumentName}: ${error.message}`;
      throw error;
    }
  }
  throw new TypeError(`${argumentName} must be a Tensor or nested arrays of numbers, got ${describe(value)}`);
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
function checkedTensor(value: Tensor, argumentName: string): Tensor {
  let checked = value;
  if (!constructedTensors.has(value)) {
    try {
      checked = new Tensor(value.data, value.shape);
    } catch (error) {
      if (error instanceof Error) error.message = `${argumentName}: ${error.message}`;
      throw error;
    }
  }
  const count = checked.shape.reduce((a, b) => a * b, 1);
  // An empty tensor's buffer may be detached, which some typed-array methods refuse: the
  // same empty tensor over a fresh array is indistinguishable and safe everywhere.
  const held = floatsHeld(checked.data);
  if (count === 0 && held === 0) return new Tensor(new Float32Array(0), checked.shape);
  if (held !== count) {
    throw new RangeError(
      `${argumentName}: the tensor's data holds ${held} values but its shape ` +
        `[${checked.shape.join(', ')}] needs ${count} (was its ArrayBuffer detached or resized?)`,
    );
  }
  return checked;
}
