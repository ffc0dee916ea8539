// How the tensor operations make and read tensors: the one place that knows about element
// types, so that the operations themselves read as shape arithmetic.
import { Tensor, TensorLike, asTensor } from '../tensor';

/** The operand of an operation: a Tensor, or nested arrays made into one. */
export function operand(value: TensorLike, argument: string): Tensor {
  return asTensor(value, argument);
}

/** A new tensor of `source`'s element type over `data`. */
export function sameKind(source: Tensor, data: Float32Array, shape: readonly number[]): Tensor {
  void source;
  return new Tensor(data, shape);
}

/** A zeroed array of `source`'s element type, for values copied out of it. */
export function allocateLike(source: Tensor, count: number): Float32Array {
  void source;
  return new Float32Array(count);
}

/** A float32 tensor of computed values. */
export function floatTensor(values: Float32Array, shape: readonly number[]): Tensor {
  return new Tensor(values, shape);
}

/** A tensor of indices (torch: int64). */
export function indexTensor(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return new Tensor(Float32Array.from(values), shape);
}

/** The elements of `t` as numbers, for arithmetic. */
export function numbersOf(t: Tensor): ArrayLike<number> {
  return t.data;
}

/** An index operand (indexSelect): whole numbers, as a Tensor, typed array or array. */
export function indicesOf(value: unknown, argument: string): { values: number[]; shape: number[] } {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const values = Array.from(value as unknown as ArrayLike<number | bigint>, Number);
    return { values, shape: [values.length] };
  }
  const t = asTensor(value as TensorLike, argument);
  return { values: Array.from(numbersOf(t), Number), shape: [...t.shape] };
}

/** Whether the tensor holds floating-point values (torch's is_floating_point). */
export function isFloating(t: Tensor): boolean {
  void t;
  return true;
}
