// The dtypes a Tensor can hold, the typed array behind each, and torch's conversions
// between them. Kept apart from tensor.ts so that loaders (safetensors, pt) can name
// dtypes without pulling in the Tensor class.

/**
 * The element type of a {@link Tensor}, as torch's `torch.dtype` (`'float32'` is
 * `torch.float32`, `'int64'` is `torch.int64`, ...). Modules compute in `'float32'` only.
 */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** The typed array that holds the elements of each dtype (`bool` is a Uint8Array of 0 and 1). */
export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

/** The typed array of a dtype: `ArrayFor<'int64'>` is `BigInt64Array`. */
export type ArrayFor<D extends DType> = DTypeArrays[D];

/** One element as `toArray()` gives it: bigint for int64, boolean for bool, number otherwise. */
export type ElementFor<D extends DType> = D extends 'int64' ? bigint : D extends 'bool' ? boolean : number;

/** Any typed array a Tensor may hold. */
export type TensorData = DTypeArrays[DType];

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | Int32ArrayConstructor
  | Int16ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor;

const ARRAY_CONSTRUCTORS: Readonly<Record<DType, TypedArrayConstructor>> = Object.freeze({
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
});

/** Every dtype, in torch's order of promotion from bool up. */
export const DTYPES: readonly DType[] = Object.freeze([
  'bool',
  'uint8',
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
] as const);

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** True for float32 and float64, as torch's `dtype.is_floating_point`. */
export function isFloatingDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** torch's name of a dtype, as its messages print it: `torch.float32`, `torch.int64`, `torch.bool`. */
export function torchDTypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** Bytes per element. */
export function bytesPerElement(dtype: DType): number {
  return ARRAY_CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
}

/** The constructor of a dtype's typed array. */
export function arrayConstructorFor(dtype: DType): TypedArrayConstructor {
  return ARRAY_CONSTRUCTORS[dtype];
}

/**
 * The dtype a typed array holds without being told: Uint8Array is 'uint8' (a bool tensor
 * must say so), any other array is its own dtype; undefined for something else.
 */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}

/** A zeroed array of `count` elements of `dtype` (the caller has checked that it may be had). */
export function newArray<D extends DType>(dtype: D, count: number): ArrayFor<D> {
  return new ARRAY_CONSTRUCTORS[dtype](count) as ArrayFor<D>;
}

// ---- conversions, as torch's `Tensor.to(dtype)` on the CPU ----
//
// Float to integer truncates toward zero. A NaN, an infinity or a value outside int32 is
// undefined behaviour in C++; torch on x86-64 gives the "integer indefinite" value, the
// lowest int32 (int64: the lowest int64), which narrower types then wrap. Integers to a
// narrower integer wrap modulo 2^bits; anything to bool is `value != 0` (NaN is true).

const INT64_MIN = -(2n ** 63n);
const TWO_POW_63 = 2 ** 63;
const TWO_POW_31 = 2 ** 31;

/** float -> int32 as x86-64's cvttss2si/cvttsd2si: truncate, or the lowest int32 when it does not fit. */
function truncateToInt32(value: number): number {
  const truncated = Math.trunc(value);
  return Number.isNaN(truncated) || truncated >= TWO_POW_31 || truncated < -TWO_POW_31 ? -TWO_POW_31 : truncated;
}

function truncateToInt64(value: number): bigint {
  const truncated = Math.trunc(value);
  if (Number.isNaN(truncated) || truncated >= TWO_POW_63 || truncated < -TWO_POW_63) return INT64_MIN;
  return BigInt(truncated);
}

/**
 * An int64 as the nearest float32, ties to even, rounded once (Math.fround(Number(v))
 * rounds twice, through float64, and can land one float32 step off).
 */
export function int64ToFloat32(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  if (magnitude < 2n ** 53n) return Math.fround(Number(value));
  const bits = magnitude.toString(2).length;
  const dropped = BigInt(bits - 24);
  let kept = magnitude >> dropped;
  const remainder = magnitude & ((1n << dropped) - 1n);
  const half = 1n << (dropped - 1n);
  if (remainder > half || (remainder === half && (kept & 1n) === 1n)) kept += 1n;
  const result = Number(kept) * 2 ** Number(dropped); // exact: at most 25 significant bits
  return value < 0n ? -result : result;
}

/**
 * One number as an element of `dtype`, as torch casts a Python scalar (a wrapped number, a
 * fill value): int64 truncated, bool non-zero. A one-element array.
 */
export function scalarArray<D extends DType>(dtype: D, value: number): ArrayFor<D> {
  const out = newArray(dtype, 1);
  convertInto(Float64Array.of(value), 'float64', out, dtype);
  return out;
}

/** `source` (elements of `from`) converted into `target` (elements of `to`), as torch's `.to()`. */
export function convertInto(source: TensorData, from: DType, target: TensorData, to: DType): void {
  const count = target.length;
  if (to === 'bool') {
    const out = target as Uint8Array;
    if (from === 'int64') for (let i = 0; i < count; i++) out[i] = (source as BigInt64Array)[i] !== 0n ? 1 : 0;
    else for (let i = 0; i < count; i++) out[i] = (source as Float64Array)[i] !== 0 ? 1 : 0; // NaN !== 0
    return;
  }
  if (to === 'int64') {
    const out = target as BigInt64Array;
    if (isFloatingDType(from)) for (let i = 0; i < count; i++) out[i] = truncateToInt64((source as Float64Array)[i]);
    else for (let i = 0; i < count; i++) out[i] = BigInt((source as Int32Array)[i]);
    return;
  }
  if (from === 'int64') {
    const values = source as BigInt64Array;
    if (to === 'float32') for (let i = 0; i < count; i++) (target as Float32Array)[i] = int64ToFloat32(values[i]);
    // Number(bigint) rounds once, to nearest even; integers wrap modulo 2^bits.
    else if (to === 'float64') for (let i = 0; i < count; i++) (target as Float64Array)[i] = Number(values[i]);
    else for (let i = 0; i < count; i++) (target as Int32Array)[i] = Number(BigInt.asIntN(32, values[i]));
    return;
  }
  if (isFloatingDType(from) && !isFloatingDType(to)) {
    const values = source as Float64Array;
    for (let i = 0; i < count; i++) (target as Int32Array)[i] = truncateToInt32(values[i]);
    return;
  }
  // float <-> float (a Float32Array store rounds to nearest even), int -> float (exact or
  // rounded once), int -> narrower int (the typed array's store wraps modulo 2^bits).
  (target as Float64Array).set(source as Float64Array);
}
