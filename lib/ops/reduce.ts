// Reductions over a dimension (sum, mean, max, min, argmax, argmin, topk), softmax and
// logSoftmax, and item(). Sums run in float64 and round once to float32.
import { DType } from '../dtype';
import { AnyTensor, NestedInput, Tensor } from '../tensor';
import { ElementFor } from '../dtype';
import { aroundDim, product, wrapDim } from './shape';
import { TensorInput, allocateOf, bigintsOf, fromNumbers, indexTensor, isFloating, makeTensor, numbersOf, operand } from './storage';

/** Options of the reductions: torch's `keepdim` (default false: the dimension is removed). */
export interface ReduceOptions {
  /** Keep the reduced dimension, with size 1. Default false. */
  keepdim?: boolean;
}

/** `[values, indices]` of max, min and topk, also readable as `.values` and `.indices` (torch's named tuple). */
export type ValuesAndIndices<D extends DType = 'float32'> = [Tensor<D>, Tensor<'int64'>] & {
  values: Tensor<D>;
  indices: Tensor<'int64'>;
};

function valuesAndIndices<D extends DType>(values: Tensor<D>, indices: Tensor<'int64'>): ValuesAndIndices<D> {
  return Object.assign([values, indices] as [Tensor<D>, Tensor<'int64'>], { values, indices });
}

/** torch's ScalarType names of the non-float dtypes, as its dtype errors print them. */
const SCALAR_TYPE_NAMES: Partial<Record<DType, string>> = {
  int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool',
};

/** torch's sum of an integer or bool tensor is int64; of a float tensor, its own dtype. */
function sumType(dtype: DType): DType {
  return dtype === 'float32' || dtype === 'float64' ? dtype : 'int64';
}

function reducedShape(shape: readonly number[], dims: ReadonlySet<number>, keepdim: boolean): number[] {
  return shape.flatMap((size, i) => (dims.has(i) ? (keepdim ? [1] : []) : [size]));
}

function keepdimOf(options: ReduceOptions | boolean | undefined): boolean {
  const keepdim = typeof options === 'boolean' ? options : options?.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`keepdim must be a boolean, got ${typeof keepdim}`);
  return keepdim;
}

/**
 * Sums over `dims` (all when null): floats in float64, rounded once; integers and bools in
 * int64, exactly (bigints, wrapping as torch's int64 does).
 */
function sumOver(t: AnyTensor, dims: number[] | null, keepdim: boolean, scale: (count: number) => number): AnyTensor {
  const dtype = sumType(t.dtype);
  const integral = dtype === 'int64';
  const x = integral ? null : numbersOf(t);
  const xs = integral ? bigintsOf(t) : null;
  if (dims === null || t.dim() === 0) {
    const shape = keepdim ? t.shape.map(() => 1) : [];
    if (xs) {
      let whole = 0n;
      for (let i = 0; i < xs.length; i++) whole += xs[i];
      return makeTensor('int64', BigInt64Array.of(BigInt.asIntN(64, whole)), shape);
    }
    let total = 0;
    for (let i = 0; i < x!.length; i++) total += x![i];
    return fromNumbers(dtype, [total * scale(x!.length)], shape);
  }
  const set = new Set<number>();
  for (const d of dims) {
    const wrapped = wrapDim(d, t.dim());
    // torch names the repeated dim, wrapped: sum([1, -1]) of a matrix repeats dim 1.
    if (set.has(wrapped)) throw new RangeError(`dim ${wrapped} appears multiple times in the list of dims`);
    set.add(wrapped);
  }
  // Move the reduced dimensions last, then sum contiguous runs.
  const kept = t.shape.map((_, i) => i).filter((i) => !set.has(i));
  const reduced = [...set].sort((a, b) => a - b);
  const runLength = product(reduced.map((d) => t.shape[d]));
  const outCount = product(kept.map((d) => t.shape[d]));
  const strides = t.shape.map((_, i) => product(t.shape.slice(i + 1)));
  const sums = new Float64Array(integral ? 0 : outCount);
  const bigSums = new BigInt64Array(integral ? outCount : 0);
  const order = [...kept, ...reduced];
  const shape = order.map((d) => t.shape[d]);
  const step = order.map((d) => strides[d]);
  const index = new Array<number>(order.length).fill(0);
  let offset = 0;
  const total = product(t.shape);
  for (let n = 0; n < total; n++) {
    const slot = Math.floor(n / Math.max(runLength, 1));
    if (xs) bigSums[slot] += xs[offset]; // a BigInt64Array store wraps modulo 2^64
    else sums[slot] += x![offset];
    for (let d = order.length - 1; d >= 0; d--) {
      index[d]++;
      offset += step[d];
      if (index[d] < shape[d]) break;
      offset -= step[d] * shape[d];
      index[d] = 0;
    }
  }
  if (integral) return makeTensor('int64', bigSums, reducedShape(t.shape, set, keepdim));
  const factor = scale(runLength);
  for (let i = 0; i < outCount; i++) sums[i] *= factor;
  return fromNumbers(dtype, sums, reducedShape(t.shape, set, keepdim));
}

function dimsOf(dim: number | readonly number[] | null | undefined): number[] | null {
  if (dim === undefined || dim === null) return null;
  // An empty list reduces over every dimension, as torch's sum and mean do (dim=[]).
  if (Array.isArray(dim)) return dim.length === 0 ? null : [...dim];
  return [dim as number];
}

/**
 * The sum of all elements, or over `dim` (a number or an array), as torch's `sum`: float
 * tensors keep their dtype, integer and bool tensors sum to int64.
 */
export function sum(input: Tensor | readonly NestedInput[], dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): Tensor;
export function sum(input: TensorInput, dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): AnyTensor;
export function sum(input: TensorInput, dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): AnyTensor {
  return sumOver(operand(input, 'input'), dimsOf(dim), keepdimOf(options), () => 1);
}

/** The mean of all elements, or over `dim` (a number or an array), as torch's `mean`. */
export function mean(input: Tensor | readonly NestedInput[], dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): Tensor;
export function mean(input: TensorInput, dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): AnyTensor;
export function mean(input: TensorInput, dim?: number | readonly number[] | null, options?: ReduceOptions | boolean): AnyTensor {
  const t = operand(input, 'input');
  if (!isFloating(t)) {
    throw new TypeError(
      'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. ' +
        `Got: ${SCALAR_TYPE_NAMES[t.dtype]}`,
    );
  }
  return sumOver(t, dimsOf(dim), keepdimOf(options), (count) => 1 / count);
}

/** NaN wins, then the larger (or, for min, the smaller) value; the first index on ties. */
/** topk's order: NaN above +inf, as torch sorts it (first when largest, last when smallest). */
function topkOrder(a: number, b: number, largest: boolean): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : (aNaN === largest ? -1 : 1);
  if (a === b) return 0;
  return (a > b) === largest ? -1 : 1;
}

function better(candidate: number, best: number, largest: boolean): boolean {
  if (Number.isNaN(best)) return false;
  if (Number.isNaN(candidate)) return true;
  return largest ? candidate > best : candidate < best;
}

function extremeAlong<D extends DType>(t: Tensor<D>, dim: number, keepdim: boolean, largest: boolean, name: string): [Tensor<D>, Tensor<'int64'>] {
  const d = wrapDim(dim, t.dim());
  const [outer, size, inner] = aroundDim(t.shape, d);
  if (size === 0) {
    throw new RangeError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const x = numbersOf(t);
  const result = allocateOf(t.dtype, outer * inner);
  const values = result as unknown as number[];
  const data = t.data as unknown as number[];
  const indices = new Array<number>(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * size * inner + k;
      let best = 0;
      for (let i = 1; i < size; i++) if (better(x[base + i * inner], x[base + best * inner], largest)) best = i;
      values[o * inner + k] = data[base + best * inner];
      indices[o * inner + k] = best;
    }
  }
  const shape = reducedShape(t.shape, new Set([d]), keepdim && t.dim() > 0);
  return [makeTensor(t.dtype, result, shape), indexTensor(indices, shape)];
}

function extremeOfAll<D extends DType>(t: Tensor<D>, largest: boolean, name: string): [Tensor<D>, number] {
  if (t.numel() === 0) {
    // torch's max()/min() add how to fix it; argmax()/argmin() do not.
    const fix = name === 'max' || name === 'min' ? " Specify the reduction dim with the 'dim' argument." : '';
    throw new RangeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.${fix}`);
  }
  const x = numbersOf(t);
  let best = 0;
  for (let i = 1; i < x.length; i++) if (better(x[i], x[best], largest)) best = i;
  const value = allocateOf(t.dtype, 1);
  (value as unknown as number[])[0] = (t.data as unknown as number[])[best];
  return [makeTensor(t.dtype, value, []), best];
}

/** The largest element (a scalar tensor), as torch's `max(input)`. */
export function max<D extends DType = 'float32'>(input: TensorInput<D>): Tensor<D>;
/** The largest values along `dim` and their indices, as torch's `max(input, dim, keepdim)`. */
export function max<D extends DType = 'float32'>(input: TensorInput<D>, dim: number, options?: ReduceOptions | boolean): ValuesAndIndices<D>;
export function max<D extends DType>(input: TensorInput<D>, dim?: number, options?: ReduceOptions | boolean): Tensor<D> | ValuesAndIndices<D> {
  const t = operand<D>(input, 'input');
  if (dim === undefined) return extremeOfAll(t, true, 'max')[0];
  const [values, indices] = extremeAlong(t, dim, keepdimOf(options), true, 'max');
  return valuesAndIndices(values, indices);
}

/** The smallest element (a scalar tensor), as torch's `min(input)`. */
export function min<D extends DType = 'float32'>(input: TensorInput<D>): Tensor<D>;
/** The smallest values along `dim` and their indices, as torch's `min(input, dim, keepdim)`. */
export function min<D extends DType = 'float32'>(input: TensorInput<D>, dim: number, options?: ReduceOptions | boolean): ValuesAndIndices<D>;
export function min<D extends DType>(input: TensorInput<D>, dim?: number, options?: ReduceOptions | boolean): Tensor<D> | ValuesAndIndices<D> {
  const t = operand<D>(input, 'input');
  if (dim === undefined) return extremeOfAll(t, false, 'min')[0];
  const [values, indices] = extremeAlong(t, dim, keepdimOf(options), false, 'min');
  return valuesAndIndices(values, indices);
}

/**
 * The index of the largest element: of the flattened tensor (a scalar), or along `dim`, as
 * torch's `argmax`; the first one on ties, a NaN before any number.
 */
export function argmax(input: TensorInput, dim?: number | null, options?: ReduceOptions | boolean): Tensor<'int64'> {
  const t = operand(input, 'input');
  if (dim === undefined || dim === null) {
    const keepdim = keepdimOf(options);
    return indexTensor([extremeOfAll(t, true, 'argmax')[1]], keepdim ? t.shape.map(() => 1) : []);
  }
  return extremeAlong(t, dim, keepdimOf(options), true, 'argmax')[1];
}

/** The index of the smallest element, as {@link argmax}, as torch's `argmin`. */
export function argmin(input: TensorInput, dim?: number | null, options?: ReduceOptions | boolean): Tensor<'int64'> {
  const t = operand(input, 'input');
  if (dim === undefined || dim === null) {
    const keepdim = keepdimOf(options);
    return indexTensor([extremeOfAll(t, false, 'argmin')[1]], keepdim ? t.shape.map(() => 1) : []);
  }
  return extremeAlong(t, dim, keepdimOf(options), false, 'argmin')[1];
}

/**
 * torch picks a softmax dimension when none is given (deprecated): 0 for 0-, 1- and 3-D
 * input, else 1, with its warning. `owner` is torch's function name ('softmax', 'log_softmax').
 */
export function implicitSoftmaxDim(owner: string, rank: number): number {
  const dim = rank === 0 || rank === 1 || rank === 3 ? 0 : 1;
  process.emitWarning(`Implicit dimension choice for ${owner} has been deprecated. Change the call to include dim=X as an argument.`);
  return dim;
}

function softmaxAlong(input: TensorInput, dim: number | null | undefined, log: boolean): AnyTensor {
  const t = operand(input, 'input');
  const name = log ? 'log_softmax' : 'softmax';
  const d = wrapDim(dim ?? implicitSoftmaxDim(name, t.dim()), t.dim());
  if (!isFloating(t)) {
    // torch has no integer softmax: its kernel dispatch refuses the type, naming the kernel
    // (the last-dimension one for the last dimension or a 0-D input).
    const kernel = d === t.dim() - 1 || t.dim() === 0 ? `${name}_lastdim_kernel_impl` : 'softmax_kernel_impl';
    throw new TypeError(`"${kernel}" not implemented for '${SCALAR_TYPE_NAMES[t.dtype]}'`);
  }
  const [outer, size, inner] = aroundDim(t.shape, d);
  const x = numbersOf(t);
  const out = new Float64Array(t.numel());
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * size * inner + k;
      let top = -Infinity;
      for (let i = 0; i < size; i++) top = Math.max(top, x[base + i * inner]);
      let total = 0;
      for (let i = 0; i < size; i++) total += Math.exp(x[base + i * inner] - top);
      const logTotal = Math.log(total);
      for (let i = 0; i < size; i++) {
        const shifted = x[base + i * inner] - top;
        out[base + i * inner] = log ? shifted - logTotal : Math.exp(shifted) / total;
      }
    }
  }
  return fromNumbers(t.dtype, out, t.shape);
}

/**
 * exp(x) / sum(exp(x)) along `dim`, as torch's `softmax` (computed with the maximum
 * subtracted). Without `dim`, torch's deprecated implicit choice, with its warning.
 */
export function softmax(input: Tensor | readonly NestedInput[], dim?: number | null): Tensor;
export function softmax(input: TensorInput, dim?: number | null): AnyTensor;
export function softmax(input: TensorInput, dim?: number | null): AnyTensor {
  return softmaxAlong(input, dim, false);
}

/** log(softmax(x)) along `dim`, computed stably, as torch's `log_softmax`. */
export function logSoftmax(input: Tensor | readonly NestedInput[], dim?: number | null): Tensor;
export function logSoftmax(input: TensorInput, dim?: number | null): AnyTensor;
export function logSoftmax(input: TensorInput, dim?: number | null): AnyTensor {
  return softmaxAlong(input, dim, true);
}

/** Options of {@link topk}: torch's `dim` (default -1), `largest` (default true) and `sorted` (default true). */
export interface TopkOptions {
  /** The dimension to pick along. Default -1. */
  dim?: number;
  /** The k largest (true, default) or the k smallest. */
  largest?: boolean;
  /** Results in order, best first (default true; always so here). */
  sorted?: boolean;
}

/**
 * The `k` largest (or smallest) values along a dimension and their indices, best first, as
 * torch's `topk`. Equal values come in index order (torch leaves their order unspecified).
 */
export function topk<D extends DType = 'float32'>(input: TensorInput<D>, k: number, options: TopkOptions = {}): ValuesAndIndices<D> {
  const t = operand<D>(input, 'input');
  const { dim = -1, largest = true } = options ?? {};
  const d = wrapDim(dim, t.dim());
  const size = t.dim() === 0 ? 1 : t.shape[d];
  if (typeof k !== 'number' || !Number.isInteger(k)) {
    throw new TypeError(`topk(): argument 'k' must be int, not ${typeof k === 'number' ? 'float' : typeof k}`);
  }
  if (k < 0 || k > size) throw new RangeError('selected index k out of range');
  // A 0-d input gives its element for k 0 or 1 alike, as torch's.
  const picked = t.dim() === 0 ? 1 : k;
  const shape = t.dim() === 0 ? [] : t.shape.map((s, i) => (i === d ? k : s));
  const [outer, , inner] = t.dim() === 0 ? [1, 1, 1] : aroundDim(t.shape, d);
  const x = numbersOf(t);
  const result = allocateOf(t.dtype, product(shape));
  const values = result as unknown as number[];
  const data = t.data as unknown as number[];
  const indices = new Array<number>(product(shape));
  const order = new Array<number>(size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      for (let i = 0; i < size; i++) order[i] = i;
      order.sort((a, b) => topkOrder(x[base + a * inner], x[base + b * inner], largest) || a - b);
      for (let i = 0; i < picked; i++) {
        values[(o * picked + i) * inner + j] = data[base + order[i] * inner];
        indices[(o * picked + i) * inner + j] = order[i];
      }
    }
  }
  return valuesAndIndices(makeTensor(t.dtype, result, shape), indexTensor(indices, shape));
}

/**
 * The value of a one-element tensor, as torch's `item()`: a number (a bigint for int64, a
 * boolean for bool, as `toArray()` gives them).
 */
export function item<D extends DType = 'float32'>(input: TensorInput<D>): ElementFor<D> {
  const t = operand<D>(input, 'input');
  if (t.numel() !== 1) throw new RangeError(`a Tensor with ${t.numel()} elements cannot be converted to Scalar`);
  const value = (t.data as ArrayLike<number | bigint>)[0];
  return (t.dtype === 'bool' ? value !== 0 : value) as ElementFor<D>;
}
