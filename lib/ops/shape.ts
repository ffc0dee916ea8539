// Dimension arithmetic shared by the tensor operations, with torch's error words.

/** `dim` in [-rank, rank) as an index in [0, rank); torch's IndexError text otherwise. */
export function wrapDim(dim: unknown, rank: number, argument = 'dim'): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new TypeError(`${argument} must be an integer, got ${typeof dim === 'number' ? dim : typeof dim}`);
  }
  // torch treats a scalar as having one dimension for this check.
  const span = Math.max(rank, 1);
  if (dim < -span || dim >= span) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-span}, ${span - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + span : dim;
}

/** Row-major strides of a contiguous tensor of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/**
 * The shape `a` and `b` broadcast to, as torch's broadcasting rules give it: trailing
 * dimensions aligned, each pair equal or one of them 1.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  // From the last dimension back, as torch's infer_size: its message names the last mismatch.
  for (let i = rank - 1; i >= 0; i--) {
    const sizeA = a[a.length - rank + i] ?? 1;
    const sizeB = b[b.length - rank + i] ?? 1;
    if (sizeA !== sizeB && sizeA !== 1 && sizeB !== 1) {
      throw new RangeError(
        `The size of tensor a (${sizeA}) must match the size of tensor b (${sizeB}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = sizeA === 1 ? sizeB : sizeA;
  }
  return out;
}

/**
 * For each element of a tensor of shape `out`, the offset of the element of a tensor of
 * shape `shape` that broadcasts to it.
 */
export function broadcastOffsets(shape: readonly number[], out: readonly number[]): Int32Array | Float64Array {
  const count = product(out);
  const offsets = count < 2 ** 31 ? new Int32Array(count) : new Float64Array(count);
  const rank = out.length;
  const lead = rank - shape.length;
  const sourceStrides = stridesOf(shape);
  // A broadcast dimension (size 1 in `shape`) steps by 0.
  const steps = out.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : sourceStrides[i - lead]));
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let n = 0; n < count; n++) {
    offsets[n] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += steps[d];
      if (index[d] < out[d]) break;
      offset -= steps[d] * out[d];
      index[d] = 0;
    }
  }
  return offsets;
}

/** Splits a shape at `dim` into (outer, size, inner): the loops of a reduction over one dimension. */
export function aroundDim(shape: readonly number[], dim: number): [number, number, number] {
  return [product(shape.slice(0, dim)), shape[dim] ?? 1, product(shape.slice(dim + 1))];
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
