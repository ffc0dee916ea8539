// How the tensor operations make and read tensors: the one place that knows about element
// types (dtypes), so that the operations themselves read as shape arithmetic.
import { ArrayFor, DType, isFloatingDType, newArray } from '../dtype';
import { AnyTensor, NestedInput, Tensor, asAnyTensor } from '../tensor';

/** An operand: a Tensor of any dtype, or nested arrays of numbers (float32). */
export type TensorInput<D extends DType = DType> = Tensor<D> | readonly NestedInput[];

/** The operand of an operation: a Tensor, or nested arrays made into one. */
export function operand<D extends DType>(value: TensorInput<D> | number, argument: string): Tensor<D> {
  return asAnyTensor(value as Tensor, argument) as unknown as Tensor<D>;
}

/** A new tensor of `dtype` over `data`. */
export function makeTensor<D extends DType>(dtype: D, data: ArrayFor<D>, shape: readonly number[]): Tensor<D> {
  return new Tensor(data, shape, dtype);
}

/** A zeroed array of `dtype`, for values copied element by element (any typed array takes its own kind). */
export function allocateOf<D extends DType>(dtype: D, count: number): ArrayFor<D> {
  return newArray(dtype, count);
}

/** The elements of `t` as numbers, for arithmetic (int64 through Number: exact up to 2^53). */
export function numbersOf(t: AnyTensor): ArrayLike<number> {
  if (t.dtype === 'int64') return Float64Array.from(t.data as BigInt64Array, Number);
  return t.data as ArrayLike<number>;
}

/** The elements of an integer or bool tensor as bigints: int64 arithmetic exact past 2^53. */
export function bigintsOf(t: AnyTensor): BigInt64Array {
  if (t.dtype === 'int64') return t.data as BigInt64Array;
  return BigInt64Array.from(t.data as ArrayLike<number>, (v) => BigInt(v));
}

/**
 * A tensor of `dtype` holding computed `values`: rounded to float32 by the store, integers
 * truncated toward zero and wrapped as torch's integer arithmetic does, bool as `!= 0`.
 */
export function fromNumbers<D extends DType>(dtype: D, values: ArrayLike<number>, shape: readonly number[]): Tensor<D> {
  const out = newArray(dtype, values.length);
  if (dtype === 'int64') {
    const target = out as BigInt64Array;
    for (let i = 0; i < values.length; i++) target[i] = BigInt.asIntN(64, BigInt(Math.trunc(values[i])));
  } else if (dtype === 'bool') {
    const target = out as Uint8Array;
    for (let i = 0; i < values.length; i++) target[i] = values[i] !== 0 ? 1 : 0;
  } else if (isFloatingDType(dtype)) {
    (out as Float32Array).set(values);
  } else {
    const target = out as Int32Array;
    for (let i = 0; i < values.length; i++) target[i] = Math.trunc(values[i]);
  }
  return makeTensor(dtype, out, shape);
}

/** A tensor of indices, int64 as torch's. */
export function indexTensor(values: ArrayLike<number>, shape: readonly number[]): Tensor<'int64'> {
  return fromNumbers('int64', values, shape);
}

/** An index operand (indexSelect): whole numbers, as an integer Tensor, typed array or array. */
export function indicesOf(value: unknown, argument: string): { values: number[]; shape: number[] } {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const values = Array.from(value as unknown as ArrayLike<number | bigint>, Number);
    return { values, shape: [values.length] };
  }
  const t = asAnyTensor(value as Tensor, argument);
  if (t instanceof Tensor && (t.dtype === 'float32' || t.dtype === 'float64') && !Array.isArray(value)) {
    throw new TypeError(`${argument}: index_select(): Expected dtype int32/int64 for index, got ${t.dtype}`);
  }
  return { values: Array.from(numbersOf(t), Number), shape: [...t.shape] };
}

/** Whether the tensor holds floating-point values (torch's is_floating_point). */
export function isFloating(t: AnyTensor): boolean {
  return isFloatingDType(t.dtype);
}

const INTEGER_ORDER: readonly DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64'];

/**
 * torch's promote_types for two tensors: a float wins over an integer (float64 over
 * float32), a wider integer over a narrower one, uint8 with int8 gives int16, and bool
 * gives way to anything.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (isFloatingDType(a) || isFloatingDType(b)) {
    if (a === 'float64' || b === 'float64') return 'float64';
    return 'float32';
  }
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  return INTEGER_ORDER.indexOf(a) > INTEGER_ORDER.indexOf(b) ? a : b;
}

/**
 * torch's combine_categories: the higher-priority class's dtype wins unless the lower one
 * is of a higher category (bool < integer < floating), then the two promote.
 */
function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null || isFloatingDType(higher)) return higher;
  if (higher === 'bool' || isFloatingDType(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * The dtype of an arithmetic result by torch's result_type: operands fall into three
 * classes, tensors with dimensions, 0-dim tensors and plain JavaScript numbers or booleans
 * (torch's "wrapped numbers": an integer is int64, a fraction the default float32, a
 * boolean bool), each promoted within itself; a lower class counts only when its category
 * is higher: int32 + a 0-dim int64 stays int32, float32 + a 0-dim float64 stays float32.
 */
export function resultTypeOf(operands: ReadonlyArray<AnyTensor | number | boolean>): DType {
  let dimensioned: DType | null = null;
  let zeroDim: DType | null = null;
  let wrapped: DType | null = null;
  const into = (current: DType | null, dtype: DType) => (current === null ? dtype : promoteTypes(current, dtype));
  for (const value of operands) {
    if (typeof value === 'boolean') wrapped = into(wrapped, 'bool');
    else if (typeof value === 'number') wrapped = into(wrapped, Number.isInteger(value) ? 'int64' : 'float32');
    else if (value.dim() === 0) zeroDim = into(zeroDim, value.dtype);
    else dimensioned = into(dimensioned, value.dtype);
  }
  return combineCategories(dimensioned, combineCategories(zeroDim, wrapped)) ?? 'float32';
}

/** `t` as `dtype` (the same tensor when it already is). */
export function converted<D extends DType>(t: AnyTensor, dtype: D): Tensor<D> {
  return (t.dtype === dtype ? t : t.to(dtype)) as Tensor<D>;
}
