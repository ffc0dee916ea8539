// Python's number formatting, exactly: `f"{x:.4f}"` and `f"{x:.4e}"` round the exact binary
// value half to even, where JavaScript's toFixed rounds half up (0.03125.toFixed(4) is
// '0.0313'; Python prints 0.0312). Done in BigInt on the double's exact value.

/** The double as sign, integer mantissa and power of two: |x| = mantissa * 2^exponent. */
function decompose(value: number): { negative: boolean; mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** round(numerator / denominator), half to even, for non-negative BigInts. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

function special(value: number): string | null {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return null;
}

/** Python's `f"{value:.{digits}f}"`. */
export function formatFixed(value: number, digits: number): string {
  const text = special(value);
  if (text !== null) return text;
  const { negative, mantissa, exponent } = decompose(value);
  const scale = 10n ** BigInt(digits);
  const scaled = exponent >= 0
    ? mantissa * scale * (1n << BigInt(exponent))
    : divideRounded(mantissa * scale, 1n << BigInt(-exponent));
  let body = scaled.toString().padStart(digits + 1, '0');
  if (digits > 0) body = `${body.slice(0, -digits)}.${body.slice(-digits)}`;
  return (negative ? '-' : '') + body;
}

/** Python's `f"{value:.{digits}e}"`: one digit, a point, `digits` digits, e+XX. */
export function formatScientific(value: number, digits: number): string {
  const text = special(value);
  if (text !== null) return text;
  const { negative, mantissa, exponent } = decompose(value);
  const sign = negative ? '-' : '';
  if (mantissa === 0n) return `${sign}${(0).toFixed(digits)}e+00`;
  // |x| = mantissa * 2^exponent as numerator / denominator.
  const numerator = exponent >= 0 ? mantissa << BigInt(exponent) : mantissa;
  const denominator = exponent >= 0 ? 1n : 1n << BigInt(-exponent);
  // The decimal exponent: 10^power <= |x| < 10^(power + 1), from an estimate then fixed.
  let power = Math.floor(Math.log10(Math.abs(value)));
  const fits = (p: number) => {
    const lower = p >= 0 ? [numerator, denominator * 10n ** BigInt(p)] : [numerator * 10n ** BigInt(-p), denominator];
    return lower[0] >= lower[1];
  };
  while (!fits(power)) power--;
  while (fits(power + 1)) power++;
  // digits = round(|x| / 10^(power - digits)).
  const shift = power - digits;
  let scaled = shift >= 0
    ? divideRounded(numerator, denominator * 10n ** BigInt(shift))
    : divideRounded(numerator * 10n ** BigInt(-shift), denominator);
  if (scaled >= 10n ** BigInt(digits + 1)) {
    scaled /= 10n;
    power++;
  }
  const text10 = scaled.toString();
  const mantissaText = digits > 0 ? `${text10[0]}.${text10.slice(1)}` : text10;
  const exponentText = `${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  return `${sign}${mantissaText}e${exponentText}`;
}
