// Packing utilities: torch.nn.utils.rnn for variable-length batches.
//
// These functions only move data (no math), so they live in TypeScript: a packed batch is a
// Float32Array that the recurrent modules hand to native code as is. Every argument is
// checked first, in lib/validation/packing.ts, with PyTorch's wording.
import { Tensor, TensorLike, allocateFloats } from './tensor';
import {
  checkPackedSequenceFields,
  checkPackPaddedSequenceArgs,
  checkPackSequenceArgs,
  checkPadPackedSequenceArgs,
  checkPadSequenceArgs,
  checkUnpackSequenceArgs,
  checkUnpadSequenceArgs,
  invertPermutation,
} from './validation/packing';

/** Integers as an array-like (Array, Int32Array, Float64Array, ...) or a 1-D Tensor. */
export type IntegerVector = ArrayLike<number> | Tensor;

/**
 * Holds the data and the list of `batchSizes` of a packed sequence, as torch's PackedSequence.
 *
 * Build one with {@link packPaddedSequence} or {@link packSequence}; every recurrent module
 * accepts it as input and then returns its output packed the same way.
 *
 * Layout: `data` is time-major. Its first `batchSizes[0]` rows are time step 0 of every
 * sequence, the next `batchSizes[1]` rows step 1 of the sequences still running, and so on.
 * Within a step, sequences appear in decreasing order of length. For
 * `[[a, b, c], [d, e], [f]]` (lengths 3, 2, 1): `data = [a, d, f, b, e, c]`, `batchSizes = [3, 2, 1]`.
 *
 * Fields:
 * - `data`: `(sum(lengths), *)`.
 * - `batchSizes`: `(max(lengths),)`, positive and non-increasing; `batchSizes[0]` is N.
 * - `sortedIndices`: `(N,)` or null. Sequence `sortedIndices[i]` of the original batch is the
 *   i-th in `data`'s order; null when the batch was already sorted (`enforceSorted`).
 * - `unsortedIndices`: `(N,)` or null, the inverse permutation: the original batch is
 *   recovered by taking sorted column `unsortedIndices[j]` for each j.
 *
 * The constructor checks that the fields agree (rows of `data` equal `sum(batchSizes)`, the
 * indices are inverse permutations of N) and derives a missing index vector from the other.
 * (torch derives only `unsorted_indices` from `sorted_indices`; deriving both ways keeps the
 * two always consistent, which the recurrent modules rely on.)
 *
 * Example:
 * ```ts
 * const packed = packSequence([tensor([1, 2, 3]), tensor([4, 5]), tensor([6])]);
 * packed.data.toArray();   // [1, 4, 6, 2, 5, 3]
 * packed.batchSizes;       // Int32Array [3, 2, 1]
 * ```
 */
export class PackedSequence {
  /** `(sum(lengths), *)`: the steps of every sequence, time-major, longest sequences first within a step. */
  data: Tensor;
  /** `(max(lengths),)`: how many sequences are still running at each step; `batchSizes[0]` is N. */
  batchSizes: Int32Array;
  /** `(N,)`: the original index of the i-th sequence in `data`'s order; null when packed already sorted. */
  sortedIndices: Int32Array | null;
  /** `(N,)`: the inverse of `sortedIndices`; null when packed already sorted. */
  unsortedIndices: Int32Array | null;

  /**
   * Wraps fields that already describe a packed batch, as torch's `PackedSequence(...)`.
   * Use {@link packPaddedSequence} or {@link packSequence} to pack data.
   *
   * @param data - `(sum(batchSizes), *)`.
   * @param batchSizes - positive, non-increasing step sizes.
   * @param sortedIndices - `(N,)` permutation, or null for a batch packed in sorted order.
   * @param unsortedIndices - its inverse, or null to derive it.
   * @throws TypeError or RangeError when the fields disagree.
   */
  constructor(
    data: TensorLike,
    batchSizes: IntegerVector,
    sortedIndices: IntegerVector | null = null,
    unsortedIndices: IntegerVector | null = null,
  ) {
    const fields = checkPackedSequenceFields(data, batchSizes, sortedIndices, unsortedIndices);
    this.data = fields.data;
    this.batchSizes = fields.batchSizes;
    this.sortedIndices = fields.sortedIndices;
    this.unsortedIndices = fields.unsortedIndices;
  }
}

/** Options of {@link packPaddedSequence}. */
export interface PackPaddedSequenceOptions {
  /** Input is `(N, L, *)` instead of `(L, N, *)`. Default false. */
  batchFirst?: boolean;
  /** Require lengths in decreasing order (then no sorting happens). Default true. */
  enforceSorted?: boolean;
}

/** Options of {@link padPackedSequence}. */
export interface PadPackedSequenceOptions {
  /** Return `(N, T, *)` instead of `(T, N, *)`. Default false. */
  batchFirst?: boolean;
  /** Value of the padding positions. Default 0. */
  paddingValue?: number;
  /** Pad to this many steps instead of the longest length (at least that long). */
  totalLength?: number | null;
}

/** Options of {@link packSequence}. */
export interface PackSequenceOptions {
  /** Require sequences in decreasing order of length. Default true. */
  enforceSorted?: boolean;
}

/** Options of {@link padSequence}. */
export interface PadSequenceOptions {
  /** Return `(N, T, *)` instead of `(T, N, *)`. Default false. */
  batchFirst?: boolean;
  /** Value of the padding positions. Default 0. */
  paddingValue?: number;
  /** Pad after each sequence ('right', the default) or before it ('left'). */
  paddingSide?: 'left' | 'right';
}

/** Options of {@link unpadSequence}. */
export interface UnpadSequenceOptions {
  /** `padded` is `(N, T, *)` instead of `(T, N, *)`. Default false. */
  batchFirst?: boolean;
}

function product(sizes: readonly number[]): number {
  return sizes.reduce((a, b) => a * b, 1);
}

/** Copies one row of `width` floats; small rows skip the subarray allocation. */
function copyRow(source: Float32Array, sourceOffset: number, target: Float32Array, targetOffset: number, width: number) {
  if (width < 16) {
    for (let k = 0; k < width; k++) target[targetOffset + k] = source[sourceOffset + k];
  } else {
    target.set(source.subarray(sourceOffset, sourceOffset + width), targetOffset);
  }
}

/** Original batch column of each sorted position: `sortedIndices`, or the identity. */
function sortedToOriginal(seq: PackedSequence): ArrayLike<number> {
  return seq.sortedIndices ?? Int32Array.from({ length: seq.batchSizes[0] }, (_, i) => i);
}

/** Length of the i-th sequence in sorted order: the number of steps with batchSizes[t] > i. */
function sortedLengths(batchSizes: Int32Array): Int32Array {
  const lengths = new Int32Array(batchSizes[0]);
  for (const size of batchSizes) for (let i = 0; i < size; i++) lengths[i]++;
  return lengths;
}

/**
 * Packs a padded batch of variable-length sequences, as torch.nn.utils.rnn.pack_padded_sequence.
 *
 * Args:
 * - `input`: `(L, N, *)`, or `(N, L, *)` with `batchFirst`; a Tensor or nested arrays.
 *   Positions past each sequence's length are ignored.
 * - `lengths`: `(N,)` integers, each in `[1, L]`: an array, typed array or 1-D Tensor.
 * - `batchFirst`: default false.
 * - `enforceSorted`: default true: `lengths` must be in decreasing order. With false the batch
 *   is sorted here (stable: tied lengths keep their order) and the permutation is recorded in
 *   `sortedIndices`/`unsortedIndices`, so that padding or a recurrent module's `hN` restores it.
 *
 * Returns a {@link PackedSequence} with `data` of shape `(sum(lengths), *)`.
 *
 * Example:
 * ```ts
 * const padded = tensor([[1, 4], [2, 5], [3, 0]]);   // (L=3, N=2): sequences [1,2,3] and [4,5]
 * const packed = packPaddedSequence(padded, [3, 2]);
 * packed.data.toArray();   // [1, 4, 2, 5, 3]
 * packed.batchSizes;       // Int32Array [2, 2, 1]
 * ```
 */
export function packPaddedSequence(
  input: TensorLike,
  lengths: IntegerVector,
  options?: PackPaddedSequenceOptions,
): PackedSequence {
  const args = checkPackPaddedSequenceArgs(input, lengths, options);
  const padded = args.input;
  const batchSize = args.lengths.length;
  const paddedLength = padded.shape[args.batchFirst ? 1 : 0];
  const trailing = padded.shape.slice(2);
  const width = product(trailing);

  const order = Array.from({ length: batchSize }, (_, i) => i);
  if (!args.enforceSorted) order.sort((a, b) => args.lengths[b] - args.lengths[a]); // stable, like torch's CPU sort
  const longest = args.lengths[order[0]];

  const batchSizes = new Int32Array(longest);
  let rows = 0;
  for (let t = 0, running = batchSize; t < longest; t++) {
    while (args.lengths[order[running - 1]] <= t) running--;
    batchSizes[t] = running;
    rows += running;
  }

  const source = padded.data;
  const data = allocateFloats(rows * width);
  let row = 0;
  for (let t = 0; t < longest; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) {
      const b = order[i];
      const offset = args.batchFirst ? (b * paddedLength + t) * width : (t * batchSize + b) * width;
      copyRow(source, offset, data, row * width, width);
    }
  }

  const sortedIndices = args.enforceSorted ? null : Int32Array.from(order);
  return new PackedSequence(
    new Tensor(data, [rows, ...trailing]),
    batchSizes,
    sortedIndices,
    sortedIndices && invertPermutation(sortedIndices),
  );
}

/**
 * Pads a packed batch of variable-length sequences, the inverse of {@link packPaddedSequence},
 * as torch.nn.utils.rnn.pad_packed_sequence.
 *
 * Args:
 * - `sequence`: a {@link PackedSequence}.
 * - `batchFirst`: default false.
 * - `paddingValue`: default 0.
 * - `totalLength`: pad to this many steps (at least the longest length); by default the
 *   longest length. Lets a padded output match the padded input it was packed from.
 *
 * Returns `[padded, lengths]`: `padded` is `(T, N, *)`, or `(N, T, *)` with `batchFirst`, and
 * `lengths` the `(N,)` sequence lengths, both in the original batch order when the packed
 * sequence was sorted by packing.
 *
 * Example:
 * ```ts
 * const gru = new GRU(1, 4);
 * const input = tensor([[[1], [4]], [[2], [5]], [[3], [0]]]); // (L=3, N=2, H_in=1), lengths 3 and 2
 * const [packedOutput] = gru.forward(packPaddedSequence(input, [3, 2]));
 * const [output, lengths] = padPackedSequence(packedOutput);
 * output.shape; // [3, 2, 4]: (L, N, D*H_out), zeros past each sequence's end
 * lengths;      // Int32Array [3, 2]
 * ```
 */
export function padPackedSequence(
  sequence: PackedSequence,
  options?: PadPackedSequenceOptions,
): [Tensor, Int32Array] {
  const args = checkPadPackedSequenceArgs(sequence, options);
  const { data, batchSizes } = args.sequence;
  const batchSize = batchSizes[0];
  const steps = args.totalLength ?? batchSizes.length;
  const trailing = data.shape.slice(1);
  const width = product(trailing);
  const column = sortedToOriginal(args.sequence);

  const out = allocateFloats(steps * batchSize * width).fill(args.paddingValue);
  let row = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) {
      const b = column[i];
      const offset = args.batchFirst ? (b * steps + t) * width : (t * batchSize + b) * width;
      copyRow(data.data, row * width, out, offset, width);
    }
  }

  const bySortedPosition = sortedLengths(batchSizes);
  const lengths = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) lengths[column[i]] = bySortedPosition[i];
  const shape = args.batchFirst ? [batchSize, steps, ...trailing] : [steps, batchSize, ...trailing];
  return [new Tensor(out, shape), lengths];
}

/**
 * Pads a list of variable-length sequences to the longest, as torch.nn.utils.rnn.pad_sequence.
 *
 * Args:
 * - `sequences`: non-empty list of `(L_i, *)` tensors (or nested arrays) with the same
 *   trailing dimensions; lengths may be zero.
 * - `batchFirst`: default false.
 * - `paddingValue`: default 0.
 * - `paddingSide`: 'right' (default) pads after each sequence, 'left' before it, so that
 *   every sequence ends at the last step.
 *
 * Returns `(T, N, *)`, or `(N, T, *)` with `batchFirst`, where `T = max(L_i)`.
 *
 * Example:
 * ```ts
 * const padded = padSequence([tensor([1, 2, 3]), tensor([4, 5])], { batchFirst: true });
 * padded.toArray(); // [[1, 2, 3], [4, 5, 0]]: (N=2, T=3)
 * ```
 */
export function padSequence(sequences: Iterable<TensorLike>, options?: PadSequenceOptions): Tensor {
  const args = checkPadSequenceArgs(sequences, options);
  return padChecked(args.sequences, args.batchFirst, args.paddingValue, args.paddingSide);
}

function padChecked(sequences: Tensor[], batchFirst: boolean, paddingValue: number, paddingSide: 'left' | 'right') {
  const batchSize = sequences.length;
  const steps = sequences.reduce((longest, seq) => Math.max(longest, seq.shape[0]), 0);
  const trailing = sequences[0].shape.slice(1);
  const width = product(trailing);
  const out = allocateFloats(steps * batchSize * width).fill(paddingValue);
  sequences.forEach((seq, b) => {
    const length = seq.shape[0];
    const start = paddingSide === 'left' ? steps - length : 0;
    if (batchFirst) {
      out.set(seq.data, (b * steps + start) * width); // a sequence is contiguous in (N, T, *)
      return;
    }
    for (let t = 0; t < length; t++) copyRow(seq.data, t * width, out, ((start + t) * batchSize + b) * width, width);
  });
  return new Tensor(out, batchFirst ? [batchSize, steps, ...trailing] : [steps, batchSize, ...trailing]);
}

/**
 * Packs a list of variable-length sequences, as torch.nn.utils.rnn.pack_sequence: the same as
 * `packPaddedSequence(padSequence(sequences), lengths, { enforceSorted })`.
 *
 * Args:
 * - `sequences`: non-empty list of `(L_i, *)` tensors (or nested arrays), every `L_i >= 1`,
 *   with the same trailing dimensions.
 * - `enforceSorted`: default true: the sequences must come in decreasing order of length.
 *   With false they are sorted here and the order is recorded, as in {@link packPaddedSequence}.
 *
 * Returns a {@link PackedSequence} with `data` of shape `(sum(L_i), *)`.
 *
 * Example:
 * ```ts
 * const sentences = [randn([7, 10]), randn([4, 10]), randn([5, 10])]; // (L_i, H_in)
 * const lstm = new LSTM(10, 20);
 * const [output, [hN]] = lstm.forward(packSequence(sentences, { enforceSorted: false }));
 * hN.shape; // [1, 3, 20]: the last hidden state of each sentence, in the order given
 * unpackSequence(output).map((t) => t.shape); // [[7, 20], [4, 20], [5, 20]]
 * ```
 */
export function packSequence(sequences: Iterable<TensorLike>, options?: PackSequenceOptions): PackedSequence {
  const args = checkPackSequenceArgs(sequences, options);
  const lengths = args.sequences.map((seq) => seq.shape[0]);
  const padded = padChecked(args.sequences, false, 0, 'right');
  return packPaddedSequence(padded, lengths, { enforceSorted: args.enforceSorted });
}

/**
 * Splits a padded batch into its sequences, as torch.nn.utils.rnn.unpad_sequence (the inverse
 * of {@link padSequence} with right padding).
 *
 * Args:
 * - `padded`: `(T, N, *)`, or `(N, T, *)` with `batchFirst`.
 * - `lengths`: `(N,)` integers in `[0, T]`.
 * - `batchFirst`: default false.
 *
 * Returns N new tensors, the i-th `(lengths[i], *)`. Unlike torch 2.x, `padded` is left untouched
 * (torch transposes it in place when `batch_first` is false).
 *
 * Example:
 * ```ts
 * const padded = tensor([[1, 2, 3], [4, 5, 0]]); // (N=2, T=3)
 * unpadSequence(padded, [3, 2], { batchFirst: true }).map((t) => t.toArray()); // [[1, 2, 3], [4, 5]]
 * ```
 */
export function unpadSequence(padded: TensorLike, lengths: IntegerVector, options?: UnpadSequenceOptions): Tensor[] {
  const args = checkUnpadSequenceArgs(padded, lengths, options);
  const source = args.padded;
  const batchSize = args.lengths.length;
  const steps = source.shape[args.batchFirst ? 1 : 0];
  const trailing = source.shape.slice(2);
  const width = product(trailing);
  return args.lengths.map((length, b) => {
    const out = allocateFloats(length * width);
    if (args.batchFirst) {
      out.set(source.data.subarray(b * steps * width, (b * steps + length) * width));
    } else {
      for (let t = 0; t < length; t++) copyRow(source.data, (t * batchSize + b) * width, out, t * width, width);
    }
    return new Tensor(out, [length, ...trailing]);
  });
}

/**
 * Splits a packed batch into its sequences, in the original batch order, as
 * torch.nn.utils.rnn.unpack_sequence (the inverse of {@link packSequence}).
 *
 * Args:
 * - `packed`: a {@link PackedSequence}.
 *
 * Returns N new tensors, the i-th `(L_i, *)`.
 *
 * Example:
 * ```ts
 * const packed = packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
 * unpackSequence(packed).map((t) => t.toArray()); // [[1, 2, 3], [4, 5]]
 * ```
 */
export function unpackSequence(packed: PackedSequence): Tensor[] {
  const seq = checkUnpackSequenceArgs(packed);
  const { data, batchSizes } = seq;
  const trailing = data.shape.slice(1);
  const width = product(trailing);
  const column = sortedToOriginal(seq);
  const bySortedPosition = sortedLengths(batchSizes);
  const outputs: Float32Array[] = new Array(batchSizes[0]);
  const lengths: number[] = new Array(batchSizes[0]);
  for (let i = 0; i < batchSizes[0]; i++) {
    outputs[column[i]] = allocateFloats(bySortedPosition[i] * width);
    lengths[column[i]] = bySortedPosition[i];
  }
  let row = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) copyRow(data.data, row * width, outputs[column[i]], t * width, width);
  }
  return outputs.map((out, b) => new Tensor(out, [lengths[b], ...trailing]));
}
