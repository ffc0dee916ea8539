// Element-wise arithmetic with torch's broadcasting, and the activations between layers.
import { DType } from '../dtype';
import { AnyTensor, NestedInput, Tensor } from '../tensor';
import { broadcastOffsets, broadcastShapes, product } from './shape';
import { TensorInput, fromNumbers, isFloating, numbersOf, operand, promoteTypes, promoteWithScalar } from './storage';

/** A tensor (of any dtype), nested arrays, or a plain number (a scalar operand, as in `add(t, 1)`). */
export type Operand = TensorInput | number;
/** A float32 operand: float32 in, float32 out. */
export type FloatOperand = Tensor | readonly NestedInput[] | number;

/** The dtype of `a op b` by torch's rules: a JavaScript number takes the tensor's dtype where it can. */
function resultType(a: Operand, b: Operand, left: AnyTensor, right: AnyTensor, trueDivision: boolean): DType {
  let dtype: DType;
  if (typeof a === 'number' && typeof b !== 'number') dtype = promoteWithScalar(right.dtype, a);
  else if (typeof b === 'number' && typeof a !== 'number') dtype = promoteWithScalar(left.dtype, b);
  else dtype = promoteTypes(left.dtype, right.dtype);
  // True division of integers gives floats; bool arithmetic computes in int64, as torch.
  if (trueDivision && dtype !== 'float64' && dtype !== 'float32') return 'float32';
  return dtype === 'bool' ? 'int64' : dtype;
}

function binary(a: Operand, b: Operand, combine: (x: number, y: number) => number, trueDivision = false): AnyTensor {
  const left = operand(a, 'input');
  const right = operand(b, 'other');
  const dtype = resultType(a, b, left, right, trueDivision);
  const shape = broadcastShapes(left.shape, right.shape);
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
  // +, -, *, / (float64 has more than twice float32's precision).
  return fromNumbers(dtype, out, shape);
}

/** `input + other`, broadcast, as torch's `add`; either may be a number. */
export function add(input: FloatOperand, other: FloatOperand): Tensor;
export function add(input: Operand, other: Operand): AnyTensor;
export function add(input: Operand, other: Operand): AnyTensor {
  return binary(input, other, (x, y) => x + y);
}

/** `input - other`, broadcast, as torch's `sub`; either may be a number. */
export function sub(input: FloatOperand, other: FloatOperand): Tensor;
export function sub(input: Operand, other: Operand): AnyTensor;
export function sub(input: Operand, other: Operand): AnyTensor {
  return binary(input, other, (x, y) => x - y);
}

/** `input * other`, broadcast, as torch's `mul`; either may be a number. */
export function mul(input: FloatOperand, other: FloatOperand): Tensor;
export function mul(input: Operand, other: Operand): AnyTensor;
export function mul(input: Operand, other: Operand): AnyTensor {
  return binary(input, other, (x, y) => x * y);
}

/** `input / other`, broadcast, as torch's true division `div`; either may be a number. */
export function div(input: FloatOperand, other: FloatOperand): Tensor;
export function div(input: Operand, other: Operand): AnyTensor;
export function div(input: Operand, other: Operand): AnyTensor {
  return binary(input, other, (x, y) => x / y, true);
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
  if (t.dtype === 'bool') throw new TypeError('"clamp_min_cpu" not implemented for \'Bool\'');
  const x = numbersOf(t);
  const out = new Float64Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = x[i] > 0 ? x[i] : x[i] === 0 || x[i] < 0 ? 0 : x[i];
  return fromNumbers(t.dtype, out, t.shape);
}
