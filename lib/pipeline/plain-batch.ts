// A batch of variable-length sequences as plain typed arrays: what the batcher hands to an
// encoder, in this thread or in a worker (the arrays transfer without a copy).

/** One sequence, checked: token ids (with an Embedding) or (L, H_in) features flattened. */
export type PlainSequence = Int32Array | Float32Array;

/** Sequences laid end to end, with their lengths, in the order the batch was formed. */
export interface PlainBatch {
  lengths: Int32Array;
  /** Token ids, concatenated (with an Embedding in front). */
  ids: Int32Array | null;
  /** Feature rows, concatenated: sum(lengths) x inputSize (without an Embedding). */
  features: Float32Array | null;
}

/** What an encoder returns for a batch, in the batch's order. */
export interface BatchResult {
  /** Pooled vectors, N x outputSize (pool last, mean or max). */
  vectors: Float32Array | null;
  /** Per-sequence outputs, L_i x outputSize each (pool none). */
  sequences: Float32Array[] | null;
}

export function buildPlainBatch(sequences: readonly PlainSequence[], lengths: readonly number[]): PlainBatch {
  const total = lengths.reduce((a, b) => a + b, 0);
  const isIds = sequences[0] instanceof Int32Array;
  const width = isIds ? 1 : sequences[0].length / lengths[0];
  const flat = isIds ? new Int32Array(total) : new Float32Array(total * width);
  let at = 0;
  for (const sequence of sequences) {
    flat.set(sequence as never, at);
    at += sequence.length;
  }
  return {
    lengths: Int32Array.from(lengths),
    ids: isIds ? (flat as Int32Array) : null,
    features: isIds ? null : (flat as Float32Array),
  };
}
