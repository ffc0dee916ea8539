// Element-wise arithmetic with torch's broadcasting, and the activations between layers.
import { Tensor, TensorLike } from '../tensor';
import { broadcastOffsets, broadcastShapes, product } from './shape';
import { floatTensor, numbersOf, operand } from './storage';

/** A tensor or a plain number (a scalar operand, as in `add(t, 1)`). */
export type Operand = TensorLike | number;

function binary(a: Operand, b: Operand, combine: (x: number, y: number) => number): Tensor {
  const left = operand(a, 'input');
  const right = operand(b, 'other');
  const shape = broadcastShapes(left.shape, right.shape);
  const count = product(shape);
  const out = new Float32Array(count);
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
  return floatTensor(out, shape);
}

/** `input + other`, broadcast, as torch's `add`; either may be a number. */
export function add(input: Operand, other: Operand): Tensor {
  return binary(input, other, (x, y) => x + y);
}

/** `input - other`, broadcast, as torch's `sub`; either may be a number. */
export function sub(input: Operand, other: Operand): Tensor {
  return binary(input, other, (x, y) => x - y);
}

/** `input * other`, broadcast, as torch's `mul`; either may be a number. */
export function mul(input: Operand, other: Operand): Tensor {
  return binary(input, other, (x, y) => x * y);
}

/** `input / other`, broadcast, as torch's true division `div`; either may be a number. */
export function div(input: Operand, other: Operand): Tensor {
  return binary(input, other, (x, y) => x / y);
}

function unary(input: TensorLike, apply: (x: number) => number): Tensor {
  const t = operand(input, 'input');
  const x = numbersOf(t);
  const out = new Float32Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = apply(x[i]);
  return floatTensor(out, t.shape);
}

/** 1 / (1 + exp(-x)) element-wise, as torch's `sigmoid`. */
export function sigmoid(input: TensorLike): Tensor {
  return unary(input, (x) => 1 / (1 + Math.exp(-x)));
}

/** tanh(x) element-wise, as torch's `tanh`. */
export function tanh(input: TensorLike): Tensor {
  return unary(input, Math.tanh);
}

/** max(x, 0) element-wise, as torch's `relu` (NaN stays NaN). */
export function relu(input: TensorLike): Tensor {
  return unary(input, (x) => (x > 0 ? x : x === 0 || x < 0 ? 0 : x));
}
