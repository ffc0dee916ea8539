// Tensor: a row-major, contiguous float32 array with a shape. Nothing more: the
// library's math lives in native code, and a Tensor is how data gets there.
import { fillNormal } from './random';

/** Nested plain arrays of numbers, as `Tensor.toArray()` returns them. */
export type NestedArray = number | NestedArray[];
/** Anything accepted where an input tensor is expected. */
export type TensorLike = Tensor | NestedArray;

function checkShape(shape: readonly number[]): number {
  let count = 1;
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`Trying to create tensor with negative dimension ${size}: [${shape.join(', ')}]`);
    }
    count *= size;
  }
  return count;
}

export class Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];

  /** Wraps `data` (not copied) as a row-major tensor of `shape`. */
  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw new TypeError('Tensor data must be a Float32Array');
    }
    if (!Array.isArray(shape)) throw new TypeError('Tensor shape must be an array of integers');
    const count = checkShape(shape);
    if (count !== data.length) {
      throw new RangeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    // Frozen so that data and shape cannot drift apart after the check above.
    Object.freeze(this);
  }

  dim(): number {
    return this.shape.length;
  }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[this.wrapDim(dim)];
  }

  numel(): number {
    return this.data.length;
  }

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

  /** A view with a new shape over the same data; one dimension may be -1. */
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

  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
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
  return typeof value;
}

/** Builds a tensor from nested arrays, a Float32Array or any array-like of numbers (copied). */
export function tensor(values: NestedArray | Float32Array | ArrayLike<number>, shape?: number[]): Tensor {
  if (values instanceof Tensor) return values.clone();
  if (Array.isArray(values) && shape === undefined) {
    const inferred = nestedShape(values as NestedArray);
    const out = new Float32Array(inferred.reduce((a, b) => a * b, 1));
    flattenInto(values as NestedArray, inferred, 0, out, 0);
    return new Tensor(out, inferred);
  }
  if (typeof values === 'number') return new Tensor(Float32Array.of(values), shape ?? []);
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`tensor(): expected nested arrays, a Float32Array or an array-like, got ${describe(values)}`);
  }
  const flat = Float32Array.from(values as ArrayLike<number>);
  return new Tensor(flat, shape ?? [flat.length]);
}

export function zeros(shape: number[]): Tensor {
  return new Tensor(new Float32Array(checkShape(shape)), shape);
}

/** Standard normal samples from the global generator (seeded by manualSeed). */
export function randn(shape: number[]): Tensor {
  const out = new Float32Array(checkShape(shape));
  fillNormal(out);
  return new Tensor(out, shape);
}

/** A Tensor for anything tensor-like: Tensors pass through, nested arrays are converted. */
export function asTensor(value: TensorLike, argumentName: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number' || Array.isArray(value)) return tensor(value);
  throw new TypeError(`${argumentName} must be a Tensor or nested arrays of numbers, got ${describe(value)}`);
}
