// Element-wise arithmetic with torch's broadcasting, and the activations between layers.
import { DType, isFloatingDType, scalarArray } from '../dtype';
import { AnyTensor, NestedInput, Tensor } from '../tensor';
import { broadcastOffsets, broadcastShapes, product } from './shape';
import { TensorInput, bigintsOf, fromNumbers, isFloating, numbersOf, operand, resultTypeOf } from './storage';

/** A tensor (of any dtype), nested arrays, or a plain number or boolean (a scalar operand, as in `add(t, 1)`). */
export type Operand = TensorInput | number | boolean;
/** A float32 operand: float32 in, float32 out. */
export type FloatOperand = Tensor | readonly NestedInput[] | number;

/** A JavaScript number or boolean as a 0-dim tensor of the operation's dtype, as torch casts a wrapped number. */
function scalarTensor(value: number | boolean, dtype: DType): AnyTensor {
  return new Tensor(scalarArray(dtype, Number(value)), [], dtype);
}

type Arithmetic = 'add' | 'sub' | 'mul' | 'div';
const COMBINE: Record<Arithmetic, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

const COMBINE_INT64: Record<'add' | 'sub' | 'mul', (x: bigint, y: bigint) => bigint> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
};

/** int64 results in bigints: exact past 2^53, wrapping modulo 2^64 as torch's int64 does. */
function int64Binary(op: 'add' | 'sub' | 'mul', left: AnyTensor, right: AnyTensor, shape: number[], alpha = 1n): AnyTensor {
  const plain = COMBINE_INT64[op];
  const combine = alpha === 1n ? plain : (x: bigint, y: bigint) => plain(x, alpha * y);
  const x = bigintsOf(left);
  const y = bigintsOf(right);
  const xOffsets = broadcastOffsets(left.shape, shape);
  const yOffsets = broadcastOffsets(right.shape, shape);
  const out = new BigInt64Array(product(shape));
  for (let i = 0; i < out.length; i++) out[i] = combine(x[xOffsets[i]], y[yOffsets[i]]); // the store wraps
  return new Tensor(out, shape, 'int64');
}

/** torch's `alpha` of add and sub: `input + alpha * other`. */
export interface AlphaOptions {
  /** The factor of `other`. Default 1. */
  alpha?: number;
}

function alphaOf(options: AlphaOptions | undefined, name: string): number {
  const alpha = options?.alpha ?? 1;
  if (typeof alpha !== 'number') throw new TypeError(`${name}(): argument 'alpha' must be Number, not ${typeof alpha}`);
  return alpha;
}

/** `input ± alpha * other`: other scaled first, in its own dtype's exact arithmetic where it is integral. */
function withAlpha(op: 'add' | 'sub', a: Operand, b: Operand, alpha: number): AnyTensor {
  if (alpha === 1) return binary(op, a, b);
  const promoted = resultTypeOf([typeof a === 'object' ? operand(a, 'input') : a, typeof b === 'object' ? operand(b, 'other') : b]);
  if (!isFloatingDType(promoted) && !Number.isInteger(alpha)) {
    throw new TypeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  return binary(op, a, b, alpha);
}

function binary(op: Arithmetic, a: Operand, b: Operand, alpha = 1): AnyTensor {
  const isScalar = (v: Operand): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
  const leftTensor = isScalar(a) ? null : operand(a, 'input');
  const rightTensor = isScalar(b) ? null : operand(b, 'other');
  const isBool = (v: Operand, t: AnyTensor | null) => (t ? t.dtype === 'bool' : typeof v === 'boolean');
  if (op === 'sub' && (isBool(a, leftTensor) || isBool(b, rightTensor))) {
    throw new TypeError(
      isBool(a, leftTensor) && isBool(b, rightTensor)
        ? 'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.'
        : 'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  }
  const promoted = resultTypeOf([leftTensor ?? (a as number | boolean), rightTensor ?? (b as number | boolean)]);
  // True division of integers (or bools) gives the default float, float32.
  const dtype = op === 'div' && !isFloatingDType(promoted) ? 'float32' : promoted;
  const left = leftTensor ?? scalarTensor(a as number | boolean, dtype);
  const right = rightTensor ?? scalarTensor(b as number | boolean, dtype);
  const shape = broadcastShapes(left.shape, right.shape);
  if (dtype === 'int64') return int64Binary(op as 'add' | 'sub' | 'mul', left, right, shape, BigInt(alpha));
  const plain = COMBINE[op];
  const combine = alpha === 1 ? plain : (x: number, y: number) => plain(x, alpha * y);
  const count = product(shape);
  const out = new Float64Array(count);
  const x = numbersOf(left);
  const y = numbersOf(right);
  const sameShape = left.shape.length === shape.length && left.shape.every((s, i) => s === shape[i]) &&
    right.shape.length === shape.length && right.shape.every((s, i) => s === shape[i]);
  if (sameShape) {
    for (let i = 0; i < count; i++) out[i] = combine(x[i], y[i]);
  } else if (right.numel() === 1) {
    const value = y[0];
    const offsets = broadcastOffsets(left.shape, shape);
    for (let i = 0; i < count; i++) out[i] = combine(x[offsets[i]], value);
  } else {
    const xOffsets = broadcastOffsets(left.shape, shape);
    const yOffsets = broadcastOffsets(right.shape, shape);
    for (let i = 0; i < count; i++) out[i] = combine(x[xOffsets[i]], y[yOffsets[i]]);
  }
  // Computed in float64 and rounded once to float32: exactly IEEE float32 arithmetic for
  // +, -, *, / (float64 has more than twice float32's precision). A bool result is the
  // sum's or product's truth (True + True is True), as torch casts it.
  return fromNumbers(dtype, out, shape);
}

/** `input + other`, broadcast, as torch's `add`; either may be a number. */
export function add(input: FloatOperand, other: FloatOperand, options?: AlphaOptions): Tensor;
export function add(input: Operand, other: Operand, options?: AlphaOptions): AnyTensor;
export function add(input: Operand, other: Operand, options?: AlphaOptions): AnyTensor {
  return withAlpha('add', input, other, alphaOf(options, 'add'));
}

/** `input - other`, broadcast, as torch's `sub`; either may be a number. */
export function sub(input: FloatOperand, other: FloatOperand, options?: AlphaOptions): Tensor;
export function sub(input: Operand, other: Operand, options?: AlphaOptions): AnyTensor;
export function sub(input: Operand, other: Operand, options?: AlphaOptions): AnyTensor {
  return withAlpha('sub', input, other, alphaOf(options, 'sub'));
}

/** `input * other`, broadcast, as torch's `mul`; either may be a number. */
export function mul(input: FloatOperand, other: FloatOperand): Tensor;
export function mul(input: Operand, other: Operand): AnyTensor;
export function mul(input: Operand, other: Operand): AnyTensor {
  return binary('mul', input, other);
}

/** `input / other`, broadcast, as torch's true division `div`; either may be a number. */
export function div(input: FloatOperand, other: FloatOperand): Tensor;
export function div(input: Operand, other: Operand): AnyTensor;
export function div(input: Operand, other: Operand): AnyTensor {
  return binary('div', input, other);
}

/** f(x) element-wise; an integer input gives float32 (torch's sigmoid and tanh do so). */
function unary(input: TensorInput, apply: (x: number) => number): AnyTensor {
  const t = operand(input, 'input');
  const x = numbersOf(t);
  const out = new Float64Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = apply(x[i]);
  return fromNumbers(isFloating(t) ? t.dtype : 'float32', out, t.shape);
}

/** 1 / (1 + exp(-x)) element-wise, as torch's `sigmoid`. */
export function sigmoid(input: Tensor | readonly NestedInput[]): Tensor;
export function sigmoid(input: TensorInput): Tensor<'float32' | 'float64'>;
export function sigmoid(input: TensorInput): AnyTensor {
  const t = operand(input, 'input');
  if (t.dtype === 'float64') return unary(t, (x) => 1 / (1 + Math.exp(-x)));
  // In float32 steps, as torch computes it: exp(-x) overflows to inf below x = -88.7, and
  // the result is then 0, not a subnormal that float64 arithmetic would round to.
  const f = Math.fround;
  return unary(t, (x) => f(1 / f(1 + f(Math.exp(-x)))));
}

/** tanh(x) element-wise, as torch's `tanh`. */
export function tanh(input: Tensor | readonly NestedInput[]): Tensor;
export function tanh(input: TensorInput): Tensor<'float32' | 'float64'>;
export function tanh(input: TensorInput): AnyTensor {
  return unary(input, Math.tanh);
}

/** max(x, 0) element-wise, as torch's `relu` (NaN stays NaN). */
export function relu<D extends DType = 'float32'>(input: TensorInput<D>): Tensor<D> {
  const t = operand<D>(input, 'input');
  if (t.dtype === 'bool') throw new TypeError('Boolean inputs not supported for relu');
  const x = numbersOf(t);
  const out = new Float64Array(t.numel());
  // Negatives to 0; NaN and -0 stay themselves, as torch's clamp_min(0) leaves them.
  for (let i = 0; i < out.length; i++) out[i] = x[i] < 0 ? 0 : x[i];
  return fromNumbers(t.dtype, out, t.shape);
}
