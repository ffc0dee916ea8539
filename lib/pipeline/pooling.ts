// From a packed recurrent output to one vector per sequence. The batch is packed sorted
// (longest first, no permutation), so sorted position i is the i-th sequence of the batch's
// sorted order, and `order[i]` says where its result goes.

/** How a sequence's outputs become one vector, as the CLI's --pool spells it. */
export type Pooling = 'last' | 'mean' | 'max' | 'none';

/**
 * The last layer's final hidden state of every direction, concatenated forward then reverse,
 * as torch.cat([h_n[-2], h_n[-1]], 1): hN is (D*numLayers, N, H_out) in sorted order.
 */
export function poolLast(hN: Float32Array, directions: number, numLayers: number, batch: number, hidden: number, order: Int32Array): Float32Array {
  const width = directions * hidden;
  const out = new Float32Array(batch * width);
  for (let d = 0; d < directions; d++) {
    const layerRow = (numLayers - 1) * directions + d;
    for (let i = 0; i < batch; i++) {
      const from = (layerRow * batch + i) * hidden;
      out.set(hN.subarray(from, from + hidden), order[i] * width + d * hidden);
    }
  }
  return out;
}

/** Mean or max over each sequence's real steps of the packed output (sum(lengths), width). */
export function poolSteps(kind: 'mean' | 'max', packed: Float32Array, batchSizes: Int32Array, width: number, order: Int32Array): Float32Array {
  const batch = batchSizes[0];
  const out = new Float32Array(batch * width);
  if (kind === 'max') out.fill(-Infinity);
  let row = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) {
      const target = order[i] * width;
      const source = row * width;
      if (kind === 'mean') {
        for (let k = 0; k < width; k++) out[target + k] += packed[source + k];
      } else {
        for (let k = 0; k < width; k++) {
          const value = packed[source + k];
          // NaN wins, as torch.max propagates it.
          if (value > out[target + k] || value !== value) out[target + k] = value;
        }
      }
    }
  }
  if (kind === 'mean') {
    // Sequence at sorted position i ran for as many steps as have batchSizes[t] > i.
    let steps = batchSizes.length;
    for (let i = 0; i < batch; i++) {
      while (batchSizes[steps - 1] <= i) steps--;
      const target = order[i] * width;
      for (let k = 0; k < width; k++) out[target + k] /= steps;
    }
  }
  return out;
}

/** Each sequence's own outputs, (L_i, width), out of the packed output. */
export function unpackSteps(packed: Float32Array, batchSizes: Int32Array, width: number, order: Int32Array): Float32Array[] {
  const batch = batchSizes[0];
  const lengths = new Int32Array(batch);
  for (const size of batchSizes) for (let i = 0; i < size; i++) lengths[i]++;
  const out: Float32Array[] = new Array(batch);
  for (let i = 0; i < batch; i++) out[order[i]] = new Float32Array(lengths[i] * width);
  let row = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) {
      out[order[i]].set(packed.subarray(row * width, (row + 1) * width), t * width);
    }
  }
  return out;
}
