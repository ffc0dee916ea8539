// Argument checks of the packing utilities (torch.nn.utils.rnn), in one place.
//
// Every check of lib/packing.ts lives here and runs before any data moves, so a bad call
// throws at once with one wording. Where PyTorch has a message, it is PyTorch 2.x's text;
// where PyTorch has no check (it silently truncates float lengths, broadcasts mismatched
// trailing dims, or builds a malformed PackedSequence from a length longer than the padded
// input) the message below is ours, in the same style. Error classes: TypeError for a value
// of the wrong type, RangeError for a bad size or value, Error for anything else.
//
// The checkers normalise as they go (nested arrays to Tensors, array-likes of lengths to
// plain numbers, options to their defaults) so that callers work only with checked values.
import { unbind } from '../ops/movement';
import { AnyTensor, DType, Tensor, TensorLike, asAnyTensor } from '../tensor';
// Circular at load time (packing.ts imports this file), which is safe: PackedSequence is
// only read when a check runs, never while the modules load.
import { PackedSequence } from '../packing';

// ------------------------------------------------------------------------------- messages

/** A short name of a value's type for messages: 'null', 'array', 'string', 'Map', ... */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? name : 'object';
  }
  return typeof value;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** PyTorch's messages, word for word (the ones shared/API.md requires, and a few more). */
export const messages = {
  nonPositiveLength:
    "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
  unsortedLengths:
    '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. ' +
    'You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to ' +
    'sidestep this requirement if you do not need ONNX exportability. ' +
    '(In JavaScript: pass `{ enforceSorted: false }`.)',
  lengthsBatchMismatch: (count: number, batchSize: number) =>
    `Expected \`len(lengths)\` to be equal to batch_size, but got ${count} (batch_size=${batchSize})`,
  totalLengthTooShort: (totalLength: number, maxSeqLength: number) =>
    'Expected total_length to be at least the length of the longest sequence in input, ' +
    `but got total_length=${totalLength} and max sequence length being ${maxSeqLength}`,
  emptyTensor: 'Cannot pack empty tensors.',
  emptySequences: 'received an empty list of sequences',
  paddingSide: (side: unknown) =>
    `Expected padding_side to be one of left or right, but got ${typeof side === 'string' ? side : describeType(side)}.`,
  notIterable: (torchName: string, value: unknown) =>
    `${torchName}: Expected iterable for input sequences, but got arg of type: ${describeType(value)}`,
  lengthTooLong: (length: number, paddedLength: number, timeDim: number) =>
    `Expected every element of \`lengths\` to be at most the padded sequence length ` +
    `input.size(${timeDim})=${paddedLength}, but got ${length}`,
};

// ------------------------------------------------------------------------------- options

/** The options object of a call, or {} when omitted; unknown keys (say, `batch_first`) throw. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describeType(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (expected ${known.join(', ')})`);
    }
  }
  return options as Record<string, unknown>;
}

export function checkBoolean(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be a boolean, got ${describeType(value)}`);
  }
  return value;
}

export function checkPaddingValue(where: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: paddingValue must be a number, got ${describeType(value)}`);
  }
  return value;
}

export function checkPaddingSide(value: unknown): 'left' | 'right' {
  if (value === undefined) return 'right';
  if (value === 'left' || value === 'right') return value;
  if (typeof value !== 'string') throw new TypeError(messages.paddingSide(value));
  throw new RangeError(messages.paddingSide(value));
}

/** `totalLength`: undefined/null for none, else an integer at least the longest length. */
export function checkTotalLength(where: string, value: unknown, maxSeqLength: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: totalLength must be an integer, got ${describeType(value)}`);
  }
  if (!Number.isInteger(value)) {
    throw new RangeError(`${where}: totalLength must be an integer, got ${value}`);
  }
  if (value < maxSeqLength) throw new RangeError(messages.totalLengthTooShort(value, maxSeqLength));
  return value;
}

// ------------------------------------------------------------------------------- integer vectors

/**
 * The integers of `values`, an array-like (Array, Int32Array, Float64Array, ...) or a 1-D Tensor.
 * `name` is the argument's name in messages ('lengths', 'batch_sizes', ...). With
 * `truncateFractions`, finite fractions are cut toward zero, as torch's
 * `torch.as_tensor(lengths, dtype=torch.int64)` cuts them (pack_padded_sequence).
 */
export function checkIntegerVector(
  where: string,
  name: string,
  values: unknown,
  { truncateFractions = false }: { truncateFractions?: boolean } = {},
): number[] {
  let source: ArrayLike<unknown>;
  if (values instanceof Tensor) {
    if (values.dim() !== 1) {
      throw new RangeError(`${where}: '${name}' argument should be a 1D tensor, but got ${values.dim()}D tensor`);
    }
    const data = (values as Tensor<DType>).data;
    source = data;
  } else if (
    values !== null &&
    typeof values === 'object' &&
    Number.isSafeInteger((values as ArrayLike<unknown>).length) &&
    (values as ArrayLike<unknown>).length >= 0
  ) {
    source = values as ArrayLike<unknown>;
  } else {
    throw new TypeError(
      `${where}: ${name} must be an array-like of integers (Array, Int32Array, ...) or a 1-D Tensor, ` +
        `got ${describeType(values)}`,
    );
  }
  const out: number[] = []; // grown, not preallocated: a bogus `length` fails at its first element
  for (let i = 0; i < source.length; i++) {
    let value = source[i];
    // int64 lengths (a BigInt64Array, an int64 tensor's data, bigint literals) are torch's own kind.
    if (typeof value === 'bigint') {
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new RangeError(`${where}: ${name}[${i}] is out of range, got ${value}`);
      }
      value = Number(value);
    }
    if (typeof value !== 'number') {
      throw new TypeError(`${where}: ${name}[${i}] must be an integer, got ${describeType(value)}`);
    }
    const integer = truncateFractions && Number.isFinite(value) ? Math.trunc(value) + 0 : value; // + 0: no -0
    if (!Number.isInteger(integer)) {
      throw new RangeError(`${where}: ${name}[${i}] must be an integer, got ${value}`);
    }
    out.push(integer);
  }
  return out;
}

// ------------------------------------------------------------------------------- tensors

/**
 * `label` names the argument in messages, e.g. 'padSequence(): sequences[2]'. Any dtype, as
 * torch's packing utilities take (token ids, labels, masks); asAnyTensor checks that the
 * data matches the shape (Tensor fields are readonly to TypeScript only).
 */
function checkTensor(label: string, value: unknown): AnyTensor {
  return asAnyTensor(value as TensorLike, label);
}

/** A padded batch: (L, N, *) or, with batchFirst, (N, L, *). */
function checkPadded(where: string, name: string, value: unknown, batchFirst: boolean): AnyTensor {
  const padded = checkTensor(`${where}: ${name}`, value);
  if (padded.dim() < 2) {
    throw new RangeError(
      `${where}: expected ${name} to be at least 2-D, ${batchFirst ? '(N, L, *)' : '(L, N, *)'}, ` +
        `but got ${padded.dim()}-D tensor of shape ${shapeText(padded.shape)}`,
    );
  }
  return padded;
}

// ------------------------------------------------------------------------------- per function

export interface CheckedPackPadded {
  input: AnyTensor;
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
}

export function checkPackPaddedSequenceArgs(input: unknown, lengths: unknown, options: unknown): CheckedPackPadded {
  const where = 'packPaddedSequence()';
  const opts = checkOptions(where, options, ['batchFirst', 'enforceSorted']);
  const batchFirst = checkBoolean(where, 'batchFirst', opts.batchFirst, false);
  const enforceSorted = checkBoolean(where, 'enforceSorted', opts.enforceSorted, true);
  const padded = checkPadded(where, 'input', input, batchFirst);
  // torch 2.x refuses an empty input before it looks at the lengths.
  if (padded.numel() === 0) throw new RangeError(messages.emptyTensor);
  const lengthList = checkIntegerVector(where, 'lengths', lengths, { truncateFractions: true });
  checkLengthsAgainstPadded(padded, lengthList, batchFirst, { allowZero: false, enforceSorted });
  return { input: padded, lengths: lengthList, batchFirst, enforceSorted };
}

/**
 * Lengths against a padded batch, in PyTorch's order: count, then positivity (torch checks
 * the last, i.e. smallest, length), then sortedness, then our bound by the padded length.
 */
function checkLengthsAgainstPadded(
  padded: AnyTensor,
  lengths: number[],
  batchFirst: boolean,
  rules: { allowZero: boolean; enforceSorted: boolean },
): void {
  const timeDim = batchFirst ? 1 : 0;
  const batchSize = padded.shape[batchFirst ? 0 : 1];
  const paddedLength = padded.shape[timeDim];
  if (lengths.length !== batchSize) throw new RangeError(messages.lengthsBatchMismatch(lengths.length, batchSize));
  if (lengths.length === 0) return;
  let smallest = lengths[0];
  let largest = lengths[0];
  for (const length of lengths) {
    smallest = Math.min(smallest, length);
    largest = Math.max(largest, length);
  }
  if (rules.allowZero) {
    if (smallest < 0) {
      throw new RangeError(`Expected every element of \`lengths\` to be non-negative, but got ${smallest}`);
    }
  } else if ((rules.enforceSorted ? lengths[lengths.length - 1] : smallest) <= 0) {
    throw new RangeError(messages.nonPositiveLength);
  }
  if (rules.enforceSorted) {
    for (let i = 1; i < lengths.length; i++) {
      if (lengths[i] > lengths[i - 1]) throw new RangeError(messages.unsortedLengths);
    }
  }
  if (largest > paddedLength) throw new RangeError(messages.lengthTooLong(largest, paddedLength, timeDim));
}

export interface CheckedPadPacked {
  sequence: PackedSequence<DType>;
  batchFirst: boolean;
  paddingValue: number;
  totalLength: number | null;
}

export function checkPadPackedSequenceArgs(sequence: unknown, options: unknown): CheckedPadPacked {
  const where = 'padPackedSequence()';
  const opts = checkOptions(where, options, ['batchFirst', 'paddingValue', 'totalLength']);
  const batchFirst = checkBoolean(where, 'batchFirst', opts.batchFirst, false);
  const paddingValue = checkPaddingValue(where, opts.paddingValue);
  const packed = checkPackedSequence(where, 'sequence', sequence);
  const totalLength = checkTotalLength(where, opts.totalLength, packed.batchSizes.length);
  return { sequence: packed, batchFirst, paddingValue, totalLength };
}

/** Sequences for padSequence/packSequence: a non-empty list of (L_i, *) with equal trailing dims. */
export function checkSequences(where: string, torchName: string, sequences: unknown): AnyTensor[] {
  if (sequences instanceof Tensor) {
    // torch iterates a Tensor by its first dimension: a stacked (N, L, *) batch is N sequences.
    const stacked = checkTensor(`${where}: sequences`, sequences);
    if (stacked.dim() === 0) throw new TypeError(messages.notIterable(torchName, sequences));
    sequences = unbind(stacked, 0);
  }
  if (
    sequences === null ||
    typeof sequences !== 'object' ||
    typeof (sequences as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(messages.notIterable(torchName, sequences));
  }
  const list = Array.from(sequences as Iterable<unknown>, (value, i) => checkTensor(`${where}: sequences[${i}]`, value));
  if (list.length === 0) throw new RangeError(messages.emptySequences);
  const trailing = list[0].shape.slice(1);
  list.forEach((seq, i) => {
    if (seq.dim() === 0) {
      throw new RangeError(`${where}: expected sequences[${i}] to be at least 1-D, (L, *), but got a 0-D tensor`);
    }
    const sameTrailing =
      seq.dim() === trailing.length + 1 && trailing.every((size, d) => size === seq.shape[d + 1]);
    if (!sameTrailing) {
      throw new RangeError(
        `${where}: expected every sequence to have the trailing dimensions of sequences[0], ` +
          `${shapeText(trailing)}, but sequences[${i}] has shape ${shapeText(seq.shape)}`,
      );
    }
  });
  return list;
}

export interface CheckedPadSequence {
  sequences: AnyTensor[];
  batchFirst: boolean;
  paddingValue: number;
  paddingSide: 'left' | 'right';
}

export function checkPadSequenceArgs(sequences: unknown, options: unknown): CheckedPadSequence {
  const where = 'padSequence()';
  const opts = checkOptions(where, options, ['batchFirst', 'paddingValue', 'paddingSide']);
  const batchFirst = checkBoolean(where, 'batchFirst', opts.batchFirst, false);
  const paddingValue = checkPaddingValue(where, opts.paddingValue);
  const list = checkSequences(where, 'pad_sequence', sequences);
  const paddingSide = checkPaddingSide(opts.paddingSide);
  return { sequences: list, batchFirst, paddingValue, paddingSide };
}

export interface CheckedPackSequence {
  sequences: AnyTensor[];
  enforceSorted: boolean;
}

export function checkPackSequenceArgs(sequences: unknown, options: unknown): CheckedPackSequence {
  const where = 'packSequence()';
  const opts = checkOptions(where, options, ['enforceSorted']);
  const enforceSorted = checkBoolean(where, 'enforceSorted', opts.enforceSorted, true);
  return { sequences: checkSequences(where, 'pack_sequence', sequences), enforceSorted };
}

export interface CheckedUnpadSequence {
  padded: AnyTensor;
  lengths: number[];
  batchFirst: boolean;
}

export function checkUnpadSequenceArgs(padded: unknown, lengths: unknown, options: unknown): CheckedUnpadSequence {
  const where = 'unpadSequence()';
  const opts = checkOptions(where, options, ['batchFirst']);
  const batchFirst = checkBoolean(where, 'batchFirst', opts.batchFirst, false);
  const tensor = checkPadded(where, 'padded', padded, batchFirst);
  const lengthList = checkIntegerVector(where, 'lengths', lengths);
  // Zero is a valid length here: padSequence accepts empty sequences, so unpadding gives them back.
  checkLengthsAgainstPadded(tensor, lengthList, batchFirst, { allowZero: true, enforceSorted: false });
  return { padded: tensor, lengths: lengthList, batchFirst };
}

export function checkUnpackSequenceArgs(packed: unknown): PackedSequence<DType> {
  return checkPackedSequence('unpackSequence()', 'packed', packed);
}

// ------------------------------------------------------------------------------- PackedSequence

export interface CheckedPackedFields {
  data: AnyTensor;
  batchSizes: Int32Array;
  sortedIndices: Int32Array | null;
  unsortedIndices: Int32Array | null;
}

/** Int32Array view of checked integers; an Int32Array passes through without a copy. */
function toInt32(where: string, name: string, values: unknown): Int32Array {
  const list = checkIntegerVector(where, name, values);
  for (let i = 0; i < list.length; i++) {
    if (list[i] < -0x80000000 || list[i] > 0x7fffffff) {
      throw new RangeError(`${where}: ${name}[${i}]=${list[i]} does not fit in int32`);
    }
  }
  return values instanceof Int32Array ? values : Int32Array.from(list);
}

function checkPermutation(where: string, name: string, indices: Int32Array, size: number): void {
  if (indices.length !== size) {
    throw new RangeError(
      `${where}: ${name} must have one entry per sequence, batch_sizes[0]=${size}, but has ${indices.length}`,
    );
  }
  const seen = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const index = indices[i];
    if (index < 0 || index >= size || seen[index]) {
      throw new RangeError(`${where}: ${name} must be a permutation of 0..${size - 1}, but got [${indices.join(', ')}]`);
    }
    seen[index] = 1;
  }
}

/**
 * The fields of a PackedSequence, converted and checked for consistency: data (B, *) with at
 * least one dimension; batch_sizes non-empty, positive, non-increasing and summing to B;
 * sorted/unsorted indices permutations of the batch and inverse to each other. When only
 * one index vector is given the other is derived (torch derives only unsorted_indices).
 */
export function checkPackedSequenceFields(
  data: unknown,
  batchSizes: unknown,
  sortedIndices: unknown,
  unsortedIndices: unknown,
  where = 'PackedSequence',
): CheckedPackedFields {
  const dataTensor = checkTensor(`${where}: data`, data);
  if (dataTensor.dim() < 1) {
    throw new RangeError(`${where}: data must be at least 1-D, (sum(lengths), *), but got a 0-D tensor`);
  }
  const sizes = toInt32(where, 'batch_sizes', batchSizes);
  if (sizes.length === 0) throw new RangeError(`${where}: batch_sizes must not be empty`);
  let rows = 0;
  for (let t = 0; t < sizes.length; t++) {
    if (sizes[t] <= 0) throw new RangeError(`${where}: batch_sizes must be positive, but batch_sizes[${t}]=${sizes[t]}`);
    if (t > 0 && sizes[t] > sizes[t - 1]) {
      throw new RangeError(
        `${where}: batch_sizes must be non-increasing, but batch_sizes[${t}]=${sizes[t]} > batch_sizes[${t - 1}]=${sizes[t - 1]}`,
      );
    }
    rows += sizes[t];
  }
  if (rows !== dataTensor.shape[0]) {
    throw new RangeError(
      `${where}: batch_sizes sum to ${rows} but data has ${dataTensor.shape[0]} rows (shape ${shapeText(dataTensor.shape)})`,
    );
  }
  const batchSize = sizes[0];
  const sorted = sortedIndices === null || sortedIndices === undefined ? null : toInt32(where, 'sorted_indices', sortedIndices);
  const unsorted =
    unsortedIndices === null || unsortedIndices === undefined ? null : toInt32(where, 'unsorted_indices', unsortedIndices);
  if (sorted) checkPermutation(where, 'sorted_indices', sorted, batchSize);
  if (unsorted) checkPermutation(where, 'unsorted_indices', unsorted, batchSize);
  if (sorted && unsorted) {
    for (let i = 0; i < batchSize; i++) {
      if (unsorted[sorted[i]] !== i) {
        throw new RangeError(`${where}: unsorted_indices must be the inverse permutation of sorted_indices`);
      }
    }
  }
  return {
    data: dataTensor,
    batchSizes: sizes,
    sortedIndices: sorted ?? (unsorted && invertPermutation(unsorted)),
    unsortedIndices: unsorted ?? (sorted && invertPermutation(sorted)),
  };
}

export function invertPermutation(permutation: Int32Array): Int32Array {
  const inverse = new Int32Array(permutation.length);
  for (let i = 0; i < permutation.length; i++) inverse[permutation[i]] = i;
  return inverse;
}

/**
 * A PackedSequence argument, re-checked: its fields are plain properties that JavaScript can
 * reassign after construction. Returns a PackedSequence whose fields are known consistent.
 */
export function checkPackedSequence(where: string, name: string, value: unknown): PackedSequence<DType> {
  if (!(value instanceof PackedSequence)) {
    throw new TypeError(`${where}: ${name} must be a PackedSequence, got ${describeType(value)}`);
  }
  const fields = checkPackedSequenceFields(
    value.data,
    value.batchSizes,
    value.sortedIndices,
    value.unsortedIndices,
    `${where}: ${name}`,
  );
  if (
    fields.data === value.data &&
    fields.batchSizes === value.batchSizes &&
    fields.sortedIndices === value.sortedIndices &&
    fields.unsortedIndices === value.unsortedIndices
  ) {
    return value as PackedSequence<DType>;
  }
  return new PackedSequence<DType>(fields.data, fields.batchSizes, fields.sortedIndices, fields.unsortedIndices);
}
