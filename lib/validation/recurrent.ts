// Every user-facing check of the recurrent modules and cells, with PyTorch 2.x's wording.
// TypeError for wrong types, RangeError for bad sizes and values, Error otherwise.
import { AnyTensor, Tensor, TensorLike, asTensor } from '../tensor';
import { isDType, torchDTypeName } from '../dtype';
import { gateCount } from './architecture';
import {
  MAX_DIMENSION, MAX_HIDDEN_SIZE, MAX_LAYERS, jsTypeHint, listShape, requireBool, requireInt, snakeCase, tupleShape, typeName,
  unexpectedKeywordError,
} from './common';

/** Which recurrent module a configuration describes (a module's `mode`). */
export type RecurrentMode = 'RNN' | 'LSTM' | 'GRU';
/** The activation of RNN and RNNCell: `h_t = tanh(...)` or `h_t = relu(...)`. */
export type Nonlinearity = 'tanh' | 'relu';

/** Options of RNN, LSTM and GRU: torch's keyword arguments in camelCase, with its defaults. */
export interface RecurrentOptions {
  /** Recurrent layers stacked, each taking the previous one's output as input. Default 1. */
  numLayers?: number;
  /** RNN only: 'tanh' (default) or 'relu'. */
  nonlinearity?: Nonlinearity;
  /** Whether the layers have the biases b_ih and b_hh. Default true. */
  bias?: boolean;
  /** Input and output are `(N, L, *)` instead of `(L, N, *)`; never h0/hN. Default false. */
  batchFirst?: boolean;
  /**
   * Probability of zeroing the outputs of every layer but the last, in training mode only;
   * in [0, 1]. Default 0. With numLayers 1 it does nothing, and torch's warning is emitted.
   */
  dropout?: number;
  /** A second direction reads the sequence backwards (D = 2); outputs are concatenated. Default false. */
  bidirectional?: boolean;
  /** LSTM only: project h_t to this size with W_hr (H_out = projSize); 0 (default) disables it. */
  projSize?: number;
}

export interface RecurrentConfig {
  mode: RecurrentMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  nonlinearity: Nonlinearity;
  bias: boolean;
  batchFirst: boolean;
  dropout: number;
  bidirectional: boolean;
  projSize: number;
}

const OPTION_KEYS: Record<RecurrentMode, readonly string[]> = {
  RNN: ['numLayers', 'nonlinearity', 'bias', 'batchFirst', 'dropout', 'bidirectional'],
  LSTM: ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize'],
  GRU: ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'],
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor);
}

function rejectUnknownKeys(options: Record<string, unknown>, allowed: readonly string[], owner: string): void {
  for (const key of Object.keys(options)) {
    // torch's RNN and GRU refuse proj_size by name, whatever its value.
    if ((owner === 'RNN' || owner === 'GRU') && (key === 'projSize' || key === 'proj_size')) {
      throw new RangeError(`proj_size argument is only supported for LSTM, not RNN or GRU (option '${key}')`);
    }
    if (!allowed.includes(key) && options[key] !== undefined) {
      throw unexpectedKeywordError(owner, key, allowed);
    }
  }
}

export function checkNonlinearity(value: unknown): Nonlinearity {
  if (value !== 'tanh' && value !== 'relu') {
    // Not String(value): an object without a prototype (or with a throwing toString) cannot be converted.
    const shown = typeof value === 'string' ? value : typeName(value);
    throw new RangeError(`Unknown nonlinearity '${shown}'. Select from 'tanh' or 'relu'.`);
  }
  return value;
}

/**
 * input_size and hidden_size. torch's RNNBase wants hidden_size > 0; its cells take 0 (and
 * a negative size fails there as any tensor of negative size does).
 */
/** dropout, at construction or when assigned later. */
export function checkDropout(dropout: unknown): number {
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
    throw new RangeError(
      'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
    );
  }
  return dropout;
}

/**
 * `cellGates` (1, 3 or 4) for a cell: torch checks no size there, and the first tensor it
 * creates, weight_ih of shape (gates * hidden_size, input_size), reports the first negative
 * dimension.
 */
export function checkSizes(inputSize: unknown, hiddenSize: unknown, cellGates = 0): [number, number] {
  let input: number;
  let hidden: number;
  if (cellGates > 0) {
    input = requireInt(inputSize, 'input_size');
    hidden = requireInt(hiddenSize, 'hidden_size');
    const shape = [cellGates * hidden, input];
    const negative = shape.find((size) => size < 0);
    if (negative !== undefined) throw new RangeError(`Trying to create tensor with negative dimension ${negative}: [${shape.join(', ')}]`);
  } else {
    // torch 2.x RNNBase.__init__, in its order (ValueError there).
    input = requireInt(inputSize, 'input_size');
    if (input <= 0) throw new RangeError('input_size must be greater than zero');
    hidden = requireInt(hiddenSize, 'hidden_size');
    if (hidden <= 0) throw new RangeError('hidden_size must be greater than zero');
  }
  // Beyond these the native side cannot run the module, and its parameters would not fit in memory.
  if (input > MAX_DIMENSION) throw new RangeError(`input_size must be at most ${MAX_DIMENSION}, got ${input}`);
  if (hidden > MAX_HIDDEN_SIZE) throw new RangeError(`hidden_size must be at most ${MAX_HIDDEN_SIZE}, got ${hidden}`);
  return [input, hidden];
}

/**
 * The constructor forms shared by modules and cells: ({ inputSize, hiddenSize, ...options })
 * and (inputSize, hiddenSize, ...positional, options?), the positional arguments in torch's
 * order (`positional`: numLayers, bias, batchFirst, ... for LSTM; bias, nonlinearity for
 * RNNCell), so that `nn.LSTM(10, 20, 2, batch_first=True)` ports as
 * `new LSTM(10, 20, 2, { batchFirst: true })`.
 */
function splitConstructorArguments(
  owner: string,
  args: unknown[],
  positional: readonly string[],
): { inputSize: unknown; hiddenSize: unknown; options: Record<string, unknown> } {
  if (args.length === 1 && isPlainObject(args[0])) {
    const { inputSize, hiddenSize, ...options } = args[0];
    return { inputSize, hiddenSize, options };
  }
  const [inputSize, hiddenSize, ...rest] = args;
  const trailing = rest.length > 0 && isPlainObject(rest[rest.length - 1]) ? rest.pop() : undefined;
  if (rest.length > positional.length) {
    throw new TypeError(
      `${owner}.__init__() takes at most ${2 + positional.length} positional arguments (${2 + rest.length} given)`,
    );
  }
  const options: Record<string, unknown> = { ...(trailing as Record<string, unknown> | undefined) };
  rest.forEach((value, i) => {
    const name = positional[i];
    if (options[name] !== undefined) {
      const torchName = snakeCase(name);
      throw new TypeError(`${owner}.__init__() got multiple values for argument '${torchName}'${jsTypeHint(undefined, name, torchName)}`);
    }
    options[name] = value;
  });
  return { inputSize, hiddenSize, options };
}

/**
 * The constructor forms of RNN, LSTM and GRU: (inputSize, hiddenSize, numLayers?),
 * (inputSize, hiddenSize, options?), ({ inputSize, hiddenSize, ...options }), and torch's
 * positional order with options last (inputSize, hiddenSize, numLayers, ..., options?).
 */
export function parseRecurrentArguments(mode: RecurrentMode, args: unknown[]): RecurrentConfig {
  const { inputSize, hiddenSize, options } = splitConstructorArguments(mode, args, OPTION_KEYS[mode]);
  rejectUnknownKeys(options, OPTION_KEYS[mode], mode);
  const [input, hidden] = checkSizes(inputSize, hiddenSize);

  const numLayers = requireInt(options.numLayers ?? 1, 'num_layers');
  if (numLayers <= 0) throw new RangeError('num_layers must be greater than zero');
  if (numLayers > MAX_LAYERS) throw new RangeError(`num_layers must be at most ${MAX_LAYERS}, got ${numLayers}`);
  const dropout = checkDropout(options.dropout ?? 0);
  const projSize = requireInt(options.projSize ?? 0, 'proj_size');
  if (projSize < 0) {
    throw new RangeError('proj_size should be a positive integer or zero to disable projections');
  }
  if (projSize >= hidden) throw new RangeError('proj_size has to be smaller than hidden_size');
  if (dropout > 0 && numLayers === 1) {
    process.emitWarning(
      'dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects ' +
        `num_layers greater than 1, but got dropout=${dropout} and num_layers=${numLayers}`,
    );
  }
  return {
    mode,
    inputSize: input,
    hiddenSize: hidden,
    numLayers,
    nonlinearity: mode === 'RNN' ? checkNonlinearity(options.nonlinearity ?? 'tanh') : 'tanh',
    bias: requireBool(options.bias ?? true, 'bias'),
    batchFirst: requireBool(options.batchFirst ?? false, 'batch_first'),
    dropout,
    bidirectional: requireBool(options.bidirectional ?? false, 'bidirectional'),
    projSize,
  };
}

/** What forward() learned about a padded input once it passed every check. */
export interface CheckedPaddedInput {
  input: Tensor;
  unbatched: boolean;
  steps: number;
  batch: number;
  h0: Tensor | null;
  c0: Tensor | null;
}

function hiddenSizeError(label: string, expected: number[], got: readonly number[]): RangeError {
  return new RangeError(`Expected ${label} size ${tupleShape(expected)}, got ${listShape(got)}`);
}

/** hx for RNN and GRU, or [h0, c0] for LSTM, as tensors (null when omitted). */
export function unpackHidden(config: RecurrentConfig, hx: unknown): [Tensor | null, Tensor | null] {
  if (hx === undefined || hx === null) return [null, null];
  if (config.mode !== 'LSTM') {
    if (Array.isArray(hx) && hx.length === 2 && hx.every((t) => t instanceof Tensor)) {
      throw new TypeError(`${config.mode}: hx must be one Tensor, the hidden state h0; [h0, c0] is an LSTM's state`);
    }
    return [asTensor(hx as TensorLike, 'hx'), null];
  }
  if (!Array.isArray(hx) || hx.length !== 2 || hx.some((t) => !(t instanceof Tensor) && !Array.isArray(t))) {
    throw new TypeError('LSTM: hx must be a tuple [h0, c0] of two tensors');
  }
  if (!(hx[0] instanceof Tensor) && !(hx[1] instanceof Tensor) && isNumberMatrix(hx)) {
    throw new TypeError('LSTM: hx must be a tuple [h0, c0] of two tensors');
  }
  return [asTensor(hx[0] as TensorLike, 'hx[0]'), asTensor(hx[1] as TensorLike, 'hx[1]')];
}

// [[1, 2], [3, 4]] is a matrix, not a pair of tensors: the pair needs arrays of arrays.
function isNumberMatrix(pair: unknown[]): boolean {
  return pair.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'));
}

function stateShapes(config: RecurrentConfig, batch: number): [number[], number[]] {
  const stateRows = config.numLayers * (config.bidirectional ? 2 : 1);
  const hOut = config.projSize > 0 ? config.projSize : config.hiddenSize;
  return [
    [stateRows, batch, hOut],
    [stateRows, batch, config.hiddenSize],
  ];
}

/**
 * An RNN, LSTM or GRU input as float32: torch 2.x's RNNBase.check_input message for a tensor
 * of another dtype, whose advice to convert the model has no counterpart here (the modules
 * compute in float32), so the JavaScript way is added.
 */
function recurrentInput(value: unknown, argumentName: string, conversion: string): Tensor {
  // (A tensor whose fields are not a Tensor's own, dtype included, is asTensor's to refuse.)
  if (value instanceof Tensor && isDType((value as AnyTensor).dtype) && (value as AnyTensor).dtype !== 'float32') {
    const dtype = torchDTypeName((value as AnyTensor).dtype);
    throw new TypeError(
      `RNN input dtype (${dtype}) does not match weight dtype (torch.float32). Convert input: ` +
        `input.to(torch.float32), or convert model: model.to(${dtype}) (rnn-blas modules compute in float32: ` +
        `${conversion})`,
    );
  }
  return asTensor(value as TensorLike, argumentName);
}

/** Checks a padded input and its state in torch's order; returns the normalised pieces. */
export function checkPaddedForward(config: RecurrentConfig, rawInput: unknown, hx: unknown): CheckedPaddedInput {
  const input = recurrentInput(rawInput, 'input', "input.to('float32')");
  const dims = input.dim();
  if (dims !== 2 && dims !== 3) {
    const tensorWord = config.mode === 'RNN' ? ' tensor' : '';
    throw new RangeError(`${config.mode}: Expected input to be 2D or 3D, got ${dims}D${tensorWord} instead`);
  }
  const unbatched = dims === 2;
  const [h0, c0] = unpackHidden(config, hx);
  checkStateRank(config, unbatched, h0, c0);

  if (input.size(-1) !== config.inputSize) {
    throw new RangeError(
      `input.size(-1) must be equal to input_size. Expected ${config.inputSize}, got ${input.size(-1)}`,
    );
  }
  const steps = unbatched ? input.size(0) : input.size(config.batchFirst ? 1 : 0);
  const batch = unbatched ? 1 : input.size(config.batchFirst ? 0 : 1);
  if (steps === 0) throw new RangeError('Expected sequence length to be larger than 0 in RNN');
  checkStateSizes(config, batch, unbatched, h0, c0);
  return { input, unbatched, steps, batch, h0, c0 };
}

function checkStateRank(config: RecurrentConfig, unbatched: boolean, h0: Tensor | null, c0: Tensor | null): void {
  if (!h0) return;
  const want = unbatched ? 2 : 3;
  const what = unbatched ? 'For unbatched 2-D input' : 'For batched 3-D input';
  if (config.mode === 'LSTM' && c0) {
    if (h0.dim() !== want || c0.dim() !== want) {
      throw new RangeError(
        `${what}, hx and cx should also be ${want}-D but got (${h0.dim()}-D, ${c0.dim()}-D) tensors`,
      );
    }
  } else if (h0.dim() !== want) {
    throw new RangeError(`${what}, hx should also be ${want}-D but got ${h0.dim()}-D tensor`);
  }
}

/** torch compares state shapes after unsqueezing unbatched ones, so messages show 3-D shapes. */
export function checkStateSizes(
  config: RecurrentConfig,
  batch: number,
  unbatched: boolean,
  h0: Tensor | null,
  c0: Tensor | null,
): void {
  if (!h0) return;
  const [hShape, cShape] = stateShapes(config, batch);
  const asBatched = (t: Tensor) => (unbatched ? [t.shape[0], 1, ...t.shape.slice(1)] : [...t.shape]);
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (config.mode === 'LSTM') {
    if (!same(asBatched(h0), hShape)) throw hiddenSizeError('hidden[0]', hShape, asBatched(h0));
    if (c0 && !same(asBatched(c0), cShape)) throw hiddenSizeError('hidden[1]', cShape, asBatched(c0));
  } else if (!same(asBatched(h0), hShape)) {
    throw hiddenSizeError('hidden', hShape, asBatched(h0));
  }
}

// ---- Cells -------------------------------------------------------------------------

export type CellMode = 'RNNCell' | 'LSTMCell' | 'GRUCell';

/** Options of RNNCell, LSTMCell and GRUCell: torch's keyword arguments in camelCase, with its defaults. */
export interface CellOptions {
  /** Whether the cell has the biases b_ih and b_hh. Default true. */
  bias?: boolean;
  /** RNNCell only: 'tanh' (default) or 'relu'. */
  nonlinearity?: Nonlinearity;
}

export interface CellConfig {
  mode: CellMode;
  inputSize: number;
  hiddenSize: number;
  bias: boolean;
  /** As given: torch's RNNCell checks it at forward ('Unknown nonlinearity: sigmoid'), not when built. */
  nonlinearity: Nonlinearity | UncheckedNonlinearity;
}

/** A cell's nonlinearity that is neither 'tanh' nor 'relu': kept, and refused at forward. */
export type UncheckedNonlinearity = { readonly unchecked: unknown };

/** Python's truth value, as torch's cells take `bias` (any object; only RNNBase wants a bool). */
function pythonTruth(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

export function parseCellArguments(mode: CellMode, args: unknown[]): CellConfig {
  const cellKeys = mode === 'RNNCell' ? ['bias', 'nonlinearity'] : ['bias'];
  const { inputSize, hiddenSize, options } = splitConstructorArguments(mode, args, cellKeys);
  rejectUnknownKeys(options, cellKeys, mode);
  const [input, hidden] = checkSizes(inputSize, hiddenSize, gateCount(mode));
  return {
    mode,
    inputSize: input,
    hiddenSize: hidden,
    bias: pythonTruth(options.bias ?? true),
    nonlinearity: cellNonlinearity(mode === 'RNNCell' ? options.nonlinearity ?? 'tanh' : 'tanh'),
  };
}

function cellNonlinearity(value: unknown): Nonlinearity | UncheckedNonlinearity {
  return value === 'tanh' || value === 'relu' ? value : { unchecked: value };
}

/** How a nonlinearity prints in torch's messages and reprs (`{nonlinearity}` formatted). */
export function nonlinearityText(value: Nonlinearity | UncheckedNonlinearity): string {
  if (typeof value === 'string') return value;
  const raw = value.unchecked;
  // Not String(raw): an object without a prototype (or with a throwing toString) cannot be converted.
  return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? pythonText(raw) : typeName(raw);
}

function pythonText(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
}

export interface CheckedCellInput {
  input: Tensor;
  unbatched: boolean;
  batch: number;
  h0: Tensor | null;
  c0: Tensor | null;
  nonlinearity: Nonlinearity;
}

/**
 * Cell checks in torch's order: ranks in Python, an RNNCell's nonlinearity (torch's forward
 * dispatches on it there), then ATen's input and hidden checks.
 */
export function checkCellForward(config: CellConfig, rawInput: unknown, hx: unknown): CheckedCellInput {
  const input = asTensor(rawInput as TensorLike, 'input');
  if (input.dim() !== 1 && input.dim() !== 2) {
    throw new RangeError(`${config.mode}: Expected input to be 1D or 2D, got ${input.dim()}D instead`);
  }
  let h0: Tensor | null = null;
  let c0: Tensor | null = null;
  if (hx !== undefined && hx !== null) {
    if (config.mode === 'LSTMCell') {
      if (!Array.isArray(hx) || hx.length !== 2) {
        throw new TypeError('LSTMCell: hx must be a tuple [h0, c0] of two tensors');
      }
      h0 = asTensor(hx[0] as TensorLike, 'hx[0]');
      c0 = asTensor(hx[1] as TensorLike, 'hx[1]');
      for (const [i, t] of [h0, c0].entries()) {
        if (t.dim() !== 1 && t.dim() !== 2) {
          throw new RangeError(`LSTMCell: Expected hx[${i}] to be 1D or 2D, got ${t.dim()}D instead`);
        }
      }
    } else {
      h0 = asTensor(hx as TensorLike, 'hx');
      if (h0.dim() !== 1 && h0.dim() !== 2) {
        throw new RangeError(`${config.mode}: Expected hidden to be 1D or 2D, got ${h0.dim()}D instead`);
      }
    }
  }
  const { nonlinearity } = config;
  if (typeof nonlinearity !== 'string') throw new RangeError(`Unknown nonlinearity: ${nonlinearityText(nonlinearity)}`);
  const unbatched = input.dim() === 1;
  // torch 2.x unsqueezes an unbatched input and its state alike, then checks batch and
  // hidden sizes: a state of the other rank fails those checks with their messages.
  const asBatched = (t: Tensor) => (unbatched ? [1, ...t.shape] : [...t.shape]);
  const inputShape = asBatched(input);
  if (inputShape[1] !== config.inputSize) {
    throw new RangeError(`input has inconsistent input_size: got ${inputShape[1]} expected ${config.inputSize}`);
  }
  [h0, c0].forEach((state, label) => {
    if (!state) return;
    const shape = asBatched(state);
    if (shape[0] !== inputShape[0]) {
      throw new RangeError(`Input batch size ${inputShape[0]} doesn't match hidden${label} batch size ${shape[0]}`);
    }
    if (shape.length < 2) throw new RangeError('Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    if (shape[1] !== config.hiddenSize) {
      throw new RangeError(
        `hidden${label} has inconsistent hidden_size: got ${shape[1]}, expected ${config.hiddenSize}`,
      );
    }
    // Past those checks torch would broadcast a 3-D state; here it is refused.
    if (state.dim() !== input.dim()) {
      throw new RangeError(
        unbatched
          ? `For unbatched 1-D input, hx should also be 1-D but got ${state.dim()}-D tensor`
          : `For batched 2-D input, hx should also be 2-D but got ${state.dim()}-D tensor`,
      );
    }
  });
  return { input, unbatched, batch: inputShape[0], h0, c0, nonlinearity };
}

// ---- Packed input -------------------------------------------------------------------

interface PackedLike {
  data: Tensor;
  batchSizes: Int32Array;
  sortedIndices: Int32Array | null;
  unsortedIndices: Int32Array | null;
}

function checkPermutation(indices: Int32Array | null, batch: number, name: string): void {
  if (indices === null) return;
  if (!(indices instanceof Int32Array) || indices.length !== batch) {
    throw new TypeError(`PackedSequence.${name} must be an Int32Array of length ${batch} or null`);
  }
  const seen = new Uint8Array(batch);
  for (const index of indices) {
    if (!(index >= 0 && index < batch) || seen[index]) {
      throw new RangeError(`PackedSequence.${name} must be a permutation of 0..${batch - 1}`);
    }
    seen[index] = 1;
  }
}

/** A PackedSequence's fields once checked: read once, so a getter cannot change them later. */
export interface CheckedPackedInput extends PackedLike {
  batch: number;
  h0: Tensor | null;
  c0: Tensor | null;
}

/**
 * A PackedSequence as RNN/LSTM/GRU receive it: its own consistency, then torch's checks.
 * Each field is read once; the forward uses the values returned, not the object's fields.
 */
export function checkPackedForward(config: RecurrentConfig, packed: PackedLike, hx: unknown): CheckedPackedInput {
  const { batchSizes, sortedIndices, unsortedIndices } = packed;
  if (!(packed.data instanceof Tensor)) throw new TypeError('PackedSequence.data must be a Tensor');
  const data = recurrentInput(packed.data, 'PackedSequence.data', "packed.to('float32')");
  if (!(batchSizes instanceof Int32Array) || batchSizes.length === 0) {
    throw new TypeError('PackedSequence.batchSizes must be a non-empty Int32Array');
  }
  if (data.dim() !== 2) throw new RangeError(`input must have 2 dimensions, got ${data.dim()}`);
  let rows = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    if (batchSizes[t] < 1 || (t > 0 && batchSizes[t] > batchSizes[t - 1])) {
      throw new RangeError('PackedSequence.batchSizes must be positive and non-increasing');
    }
    rows += batchSizes[t];
  }
  if (rows !== data.size(0)) {
    throw new RangeError(`PackedSequence.data has ${data.size(0)} rows but batchSizes sum to ${rows}`);
  }
  const batch = batchSizes[0];
  checkPermutation(sortedIndices, batch, 'sortedIndices');
  checkPermutation(unsortedIndices, batch, 'unsortedIndices');
  if ((sortedIndices === null) !== (unsortedIndices === null)) {
    throw new TypeError('PackedSequence.sortedIndices and unsortedIndices must both be set or both be null');
  }
  if (sortedIndices && unsortedIndices && sortedIndices.some((original, i) => unsortedIndices[original] !== i)) {
    throw new RangeError('PackedSequence.unsortedIndices must be the inverse permutation of sortedIndices');
  }
  if (data.size(1) !== config.inputSize) {
    throw new RangeError(
      `input.size(-1) must be equal to input_size. Expected ${config.inputSize}, got ${data.size(1)}`,
    );
  }
  const [h0, c0] = unpackHidden(config, hx);
  checkStateSizes(config, batch, false, h0, c0);
  return { data, batchSizes, sortedIndices, unsortedIndices, batch, h0, c0 };
}
