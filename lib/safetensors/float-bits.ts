// Bit-exact conversions between float32 and the 16-bit float formats, on bit patterns.
//
// Working on bits rather than through JavaScript numbers keeps NaN payloads, -0 and
// subnormals exactly as PyTorch produces them (c10::Half and c10::BFloat16): widening is
// exact, narrowing rounds to nearest, ties to even.

/** IEEE binary16 bits -> float32 bits. Exact: every half is a float32. */
export function halfToFloatBits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0x1f) {
    // Inf or NaN; the NaN payload moves to the top of float32's mantissa, as in c10.
    return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  }
  if (exponent !== 0) {
    // Normal: rebias the exponent from 15 to 127.
    return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  }
  if (mantissa === 0) return sign >>> 0;
  // Subnormal half (mantissa * 2^-24) is a normal float32: shift the leading 1 into the
  // implicit bit, lowering the exponent from that of 2^-14 once per shift.
  let floatExponent = 113;
  let normalized = mantissa;
  while ((normalized & 0x400) === 0) {
    normalized <<= 1;
    floatExponent--;
  }
  return (sign | (floatExponent << 23) | ((normalized & 0x3ff) << 13)) >>> 0;
}

/** float32 bits -> IEEE binary16 bits, rounding to nearest even; NaN becomes sign|0x7e00 like c10. */
export function floatToHalfBits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa !== 0 ? 0x7e00 : 0x7c00);
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // too large even before rounding: inf
  if (halfExponent <= 0) {
    // Below the smallest normal half (2^-14): a subnormal in units of 2^-24, or zero.
    // Under 2^-25 (float exponent < 102) even rounding up cannot reach 2^-24.
    if (exponent < 102) return sign;
    const significand = mantissa | 0x800000;
    const dropped = 126 - exponent; // 14..24 bits fall off
    const remainder = significand & ((1 << dropped) - 1);
    const halfway = 1 << (dropped - 1);
    let result = significand >>> dropped;
    if (remainder > halfway || (remainder === halfway && (result & 1) !== 0)) result++;
    return sign | result; // a carry to 0x400 is exactly the smallest normal
  }
  let result = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && (result & 1) !== 0)) result++;
  return sign | result; // a carry out of the mantissa bumps the exponent, up to inf
}

/** bfloat16 bits -> float32 bits. Exact: bfloat16 is float32's upper half. */
export function bfloat16ToFloatBits(bf16: number): number {
  return (bf16 << 16) >>> 0;
}

/** float32 bits -> bfloat16 bits, rounding to nearest even; NaN becomes 0x7fc0 like c10. */
export function floatToBfloat16Bits(bits: number): number {
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return 0x7fc0;
  const unsigned = bits >>> 0;
  const roundingBias = 0x7fff + ((unsigned >>> 16) & 1);
  // The sum stays below 2^32 for every non-NaN input (at most 0xff800000 + 0x8000), so
  // the unsigned shift sees it whole.
  return (unsigned + roundingBias) >>> 16;
}
