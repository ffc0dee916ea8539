// Packing utilities: torch.nn.utils.rnn for variable-length batches.
//
// These functions only move data (no math), so they live in TypeScript: a packed batch is a
// Float32Array that the recurrent modules hand to native code as is. Like torch's, they take
// tensors of any dtype (token ids, labels and masks get padded and packed too) and keep it.
// Every argument is checked first, in lib/validation/packing.ts, with PyTorch's wording.
import type { ArrayFor, DType, TensorData } from './dtype';
import { scalarArray } from './dtype';
import { Tensor, TensorLike, allocate } from './tensor';
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
export type IntegerVector = ArrayLike<number> | ArrayLike<bigint> | Tensor<DType>;

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
export class PackedSequence<D extends DType = 'float32'> {
  /** `(sum(lengths), *)`: the steps of every sequence, time-major, longest sequences first within a step. */
  data: Tensor<D>;
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
    data: TensorLike | Tensor<D>,
    batchSizes: IntegerVector,
    sortedIndices: IntegerVector | null = null,
    unsortedIndices: IntegerVector | null = null,
  ) {
    const fields = checkPackedSequenceFields(data, batchSizes, sortedIndices, unsortedIndices);
    this.data = fields.data as Tensor<D>;
    this.batchSizes = fields.batchSizes;
    this.sortedIndices = fields.sortedIndices;
    this.unsortedIndices = fields.unsortedIndices;
  }

  /**
   * The same batch with its data converted to `dtype`, as torch's `PackedSequence.to(dtype)`:
   * this very object when the data has that dtype already, else a new PackedSequence sharing
   * the batch sizes and indices.
   * @throws TypeError for an unknown dtype (Tensor.to's message).
   */
  to<T extends DType>(dtype: T): PackedSequence<T> {
    const data = this.data.to(dtype);
    if ((data as unknown) === this.data) return this as unknown as PackedSequence<T>;
    return new PackedSequence<T>(data, this.batchSizes, this.sortedIndices, this.unsortedIndices);
  }

  /** `to('float32')`, as torch's `PackedSequence.float()`. */
  float(): PackedSequence<'float32'> {
    return this.to('float32');
  }

  /** `to('float64')`, as torch's `PackedSequence.double()`. */
  double(): PackedSequence<'float64'> {
    return this.to('float64');
  }

  /** `to('int64')`, as torch's `PackedSequence.long()`. */
  long(): PackedSequence<'int64'> {
    return this.to('int64');
  }

  /** `to('int32')`, as torch's `PackedSequence.int()`. */
  int(): PackedSequence<'int32'> {
    return this.to('int32');
  }

  /** `to('bool')`, as torch's `PackedSequence.bool()`. */
  bool(): PackedSequence<'bool'> {
    return this.to('bool');
  }

  /**
   * torch's repr of the named tuple: `PackedSequence(data=tensor(...), batch_sizes=tensor([...]),
   * sorted_indices=None, unsorted_indices=None)`, the index vectors printed as int64 tensors.
   */
  toString(): string {
    const indices = (values: Int32Array | null) =>
      values === null ? 'None' : String(new Tensor(BigInt64Array.from(values, BigInt), [values.length], 'int64'));
    return (
      `PackedSequence(data=${String(this.data)}, batch_sizes=${indices(this.batchSizes)}, ` +
      `sorted_indices=${indices(this.sortedIndices)}, unsorted_indices=${indices(this.unsortedIndices)})`
    );
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

/** Copies one row of `width` elements (of one dtype); small rows skip the subarray allocation. */
function copyRow(source: TensorData, sourceOffset: number, target: TensorData, targetOffset: number, width: number) {
  if (width < 16) {
    const from = source as Float32Array;
    const to = target as Float32Array;
    for (let k = 0; k < width; k++) to[targetOffset + k] = from[sourceOffset + k];
  } else {
    (target as Float32Array).set((source as Float32Array).subarray(sourceOffset, sourceOffset + width), targetOffset);
  }
}

/** `count` elements of `dtype`, each `paddingValue` as torch's fill_ converts it (int64: truncated; bool: non-zero). */
function filled(dtype: DType, count: number, paddingValue: number): TensorData {
  const out = allocate(dtype, count);
  if (paddingValue !== 0) (out as Float32Array).fill((scalarArray(dtype, paddingValue) as Float32Array)[0]);
  return out;
}

/** Original batch column of each sorted position: `sortedIndices`, or the identity. */
function sortedToOriginal(seq: PackedSequence<DType>): ArrayLike<number> {
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
export function packPaddedSequence<D extends DType = 'float32'>(
  input: TensorLike | Tensor<D>,
  lengths: IntegerVector,
  options?: PackPaddedSequenceOptions,
): PackedSequence<D> {
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
  const data = allocate(padded.dtype, rows * width);
  let row = 0;
  for (let t = 0; t < longest; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) {
      const b = order[i];
      const offset = args.batchFirst ? (b * paddedLength + t) * width : (t * batchSize + b) * width;
      copyRow(source, offset, data, row * width, width);
    }
  }

  const sortedIndices = args.enforceSorted ? null : Int32Array.from(order);
  return new PackedSequence<D>(
    new Tensor(data, [rows, ...trailing], padded.dtype) as Tensor<D>,
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
export function padPackedSequence<D extends DType = 'float32'>(
  sequence: PackedSequence<D>,
  options?: PadPackedSequenceOptions,
): [Tensor<D>, Int32Array] {
  const args = checkPadPackedSequenceArgs(sequence, options);
  const { data, batchSizes } = args.sequence;
  const batchSize = batchSizes[0];
  const steps = args.totalLength ?? batchSizes.length;
  const trailing = data.shape.slice(1);
  const width = product(trailing);
  const column = sortedToOriginal(args.sequence);

  const out = filled(data.dtype, steps * batchSize * width, args.paddingValue);
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
  return [new Tensor(out as ArrayFor<D>, shape, data.dtype as D), lengths];
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
export function padSequence<D extends DType = 'float32'>(
  sequences: Iterable<TensorLike | Tensor<D>> | Tensor<D>,
  options?: PadSequenceOptions,
): Tensor<D> {
  const args = checkPadSequenceArgs(sequences, options);
  return padChecked(args.sequences, args.batchFirst, args.paddingValue, args.paddingSide) as Tensor<D>;
}

/** The result has sequences[0]'s dtype; the others are converted to it, as torch's copy_ does. */
function padChecked(sequences: Tensor<DType>[], batchFirst: boolean, paddingValue: number, paddingSide: 'left' | 'right') {
  const batchSize = sequences.length;
  const steps = sequences.reduce((longest, seq) => Math.max(longest, seq.shape[0]), 0);
  const trailing = sequences[0].shape.slice(1);
  const width = product(trailing);
  const dtype = sequences[0].dtype;
  const out = filled(dtype, steps * batchSize * width, paddingValue);
  sequences.forEach((given, b) => {
    const seq = given.dtype === dtype ? given : given.to(dtype);
    const length = seq.shape[0];
    const start = paddingSide === 'left' ? steps - length : 0;
    if (batchFirst) {
      (out as Float32Array).set(seq.data as Float32Array, (b * steps + start) * width); // a sequence is contiguous in (N, T, *)
      return;
    }
    for (let t = 0; t < length; t++) copyRow(seq.data, t * width, out, ((start + t) * batchSize + b) * width, width);
  });
  return new Tensor(out, batchFirst ? [batchSize, steps, ...trailing] : [steps, batchSize, ...trailing], dtype);
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
export function packSequence<D extends DType = 'float32'>(
  sequences: Iterable<TensorLike | Tensor<D>> | Tensor<D>,
  options?: PackSequenceOptions,
): PackedSequence<D> {
  const args = checkPackSequenceArgs(sequences, options);
  const lengths = args.sequences.map((seq) => seq.shape[0]);
  const padded = padChecked(args.sequences, false, 0, 'right') as Tensor<D>;
  return packPaddedSequence<D>(padded, lengths, { enforceSorted: args.enforceSorted });
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
export function unpadSequence<D extends DType = 'float32'>(
  padded: TensorLike | Tensor<D>,
  lengths: IntegerVector,
  options?: UnpadSequenceOptions,
): Tensor<D>[] {
  const args = checkUnpadSequenceArgs(padded, lengths, options);
  const source = args.padded;
  const batchSize = args.lengths.length;
  const steps = source.shape[args.batchFirst ? 1 : 0];
  const trailing = source.shape.slice(2);
  const width = product(trailing);
  return args.lengths.map((length, b) => {
    const out = allocate(source.dtype, length * width);
    if (args.batchFirst) {
      copyRow(source.data, b * steps * width, out, 0, length * width);
    } else {
      for (let t = 0; t < length; t++) copyRow(source.data, (t * batchSize + b) * width, out, t * width, width);
    }
    return new Tensor(out, [length, ...trailing], source.dtype) as Tensor<D>;
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
export function unpackSequence<D extends DType = 'float32'>(packed: PackedSequence<D>): Tensor<D>[] {
  const seq = checkUnpackSequenceArgs(packed);
  const { data, batchSizes } = seq;
  const trailing = data.shape.slice(1);
  const width = product(trailing);
  const column = sortedToOriginal(seq);
  const bySortedPosition = sortedLengths(batchSizes);
  const outputs: TensorData[] = new Array(batchSizes[0]);
  const lengths: number[] = new Array(batchSizes[0]);
  for (let i = 0; i < batchSizes[0]; i++) {
    outputs[column[i]] = allocate(data.dtype, bySortedPosition[i] * width);
    lengths[column[i]] = bySortedPosition[i];
  }
  let row = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let i = 0; i < batchSizes[t]; i++, row++) copyRow(data.data, row * width, outputs[column[i]], t * width, width);
  }
  return outputs.map((out, b) => new Tensor(out as ArrayFor<D>, [lengths[b], ...trailing], data.dtype as D));
}
