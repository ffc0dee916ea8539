// float32 values as the shortest decimal that reads back as the same float32, as numpy's
// repr of a float32 prints them (0.1, not 0.10000000149011612): JSONL output stays small
// and exact.

export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return 'null'; // JSON has no NaN or Infinity
  for (let digits = 6; digits <= 9; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === value) return String(shorter);
  }
  return String(value);
}

export function formatVector(values: Float32Array, start: number, end: number): string {
  let out = '[';
  for (let i = start; i < end; i++) out += (i > start ? ',' : '') + formatFloat32(values[i]);
  return `${out}]`;
}
