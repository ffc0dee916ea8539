// Turns checked arguments into one native call and its results. The plan allocates
// every output up front (on the calling thread) so that the native side, sync or async,
// only fills buffers; `finish` then shapes them as torch returns them.
import type { CellKind, ForwardCall, PackedWeights } from '../../binding';
import { PackedSequence } from '../packing';
import { randomDouble } from '../random';
import { Tensor, allocateFloats } from '../tensor';
import { RecurrentConfig, checkPackedForward, checkPaddedForward } from '../validation/recurrent';

export interface RecurrentResult {
  output: Tensor | PackedSequence;
  hN: Tensor;
  cN: Tensor | null;
}

export interface ForwardPlan<R> {
  /** null when there is nothing to compute (an empty batch or sequence). */
  call: ForwardCall | null;
  finish(): R;
}

function cellKind(mode: 'RNN' | 'LSTM' | 'GRU', nonlinearity: 'tanh' | 'relu'): CellKind {
  if (mode === 'LSTM') return 2 as CellKind.Lstm;
  if (mode === 'GRU') return 3 as CellKind.Gru;
  return (nonlinearity === 'relu' ? 1 : 0) as CellKind;
}

function outputSizeOf(config: RecurrentConfig): number {
  return config.projSize > 0 ? config.projSize : config.hiddenSize;
}

/** Dropout factors between layers: 0 with probability p, else 1/(1-p), from the seeded generator. */
function dropoutMasks(config: RecurrentConfig, rows: number, training: boolean): Float32Array | null {
  if (!training || config.dropout === 0 || config.numLayers === 1) return null;
  const width = rows * (config.bidirectional ? 2 : 1) * outputSizeOf(config);
  const masks = allocateFloats((config.numLayers - 1) * width);
  if (config.dropout === 1) return masks; // every element zeroed, as torch does
  // torch's dropout: noise = bernoulli_(1 - p) / (1 - p), the divisor as float32.
  const keepProbability = 1 - config.dropout;
  const keep = Math.fround(1 / Math.fround(keepProbability));
  for (let i = 0; i < masks.length; i++) masks[i] = randomDouble() < keepProbability ? keep : 0;
  return masks;
}

/** What a native call carries besides the module's spec and weights. */
export type CallData = Omit<
  ForwardCall,
  'kind' | 'inputSize' | 'hiddenSize' | 'projSize' | 'numLayers' | 'bidirectional' | 'bias' | 'weights' | 'failInWorker' | 'packedWeights'
> & { packedWeights: PackedWeights | null };

/**
 * A native call: the spec fields of `config` (cells pass a one-layer, one-direction
 * config), the weights, and `data`. One object literal, every field in one order: built by
 * spreading a spec object and adding fields, the same object cost V8 14 us per call
 * (a new map for each), more than a small forward pass itself.
 */
export function nativeCall(
  config: Pick<RecurrentConfig, 'mode' | 'nonlinearity' | 'inputSize' | 'hiddenSize' | 'projSize' | 'numLayers' | 'bidirectional' | 'bias'>,
  weights: Float32Array[],
  data: CallData,
): ForwardCall {
  return {
    kind: cellKind(config.mode, config.nonlinearity),
    inputSize: config.inputSize,
    hiddenSize: config.hiddenSize,
    projSize: config.projSize,
    numLayers: config.numLayers,
    bidirectional: config.bidirectional,
    bias: config.bias,
    weights,
    steps: data.steps,
    batch: data.batch,
    batchFirst: data.batchFirst,
    batchSizes: data.batchSizes,
    input: data.input,
    h0: data.h0,
    c0: data.c0,
    output: data.output,
    hN: data.hN,
    cN: data.cN,
    dropoutMasks: data.dropoutMasks,
    packedWeights: data.packedWeights,
  };
}

function stateBuffers(config: RecurrentConfig, batch: number) {
  const stateRows = config.numLayers * (config.bidirectional ? 2 : 1);
  return {
    hN: allocateFloats(stateRows * batch * outputSizeOf(config)),
    cN: config.mode === 'LSTM' ? allocateFloats(stateRows * batch * config.hiddenSize) : null,
  };
}

/**
 * `packedWeights`: the module's cache of packed weights for the native kernels, or null
 * when its parameters may have been edited in place (see Module.packedWeightsForCall).
 */
export function planForward(
  config: RecurrentConfig,
  weights: Float32Array[],
  packedWeights: PackedWeights | null,
  input: unknown,
  hx: unknown,
  training: boolean,
): ForwardPlan<RecurrentResult> {
  return input instanceof PackedSequence
    ? planPackedForward(config, weights, packedWeights, input, hx, training)
    : planPaddedForward(config, weights, packedWeights, input, hx, training);
}

function planPaddedForward(
  config: RecurrentConfig,
  weights: Float32Array[],
  packedWeights: PackedWeights | null,
  rawInput: unknown,
  hx: unknown,
  training: boolean,
): ForwardPlan<RecurrentResult> {
  const { input, unbatched, steps, batch, h0, c0 } = checkPaddedForward(config, rawInput, hx);
  const D = config.bidirectional ? 2 : 1;
  const hOut = outputSizeOf(config);
  const rows = steps * batch;
  const stateRows = config.numLayers * D;
  const output = allocateFloats(rows * D * hOut);
  const { hN, cN } = stateBuffers(config, batch);

  const outputShape = unbatched
    ? [steps, D * hOut]
    : config.batchFirst
      ? [batch, steps, D * hOut]
      : [steps, batch, D * hOut];
  const stateShape = (size: number) => (unbatched ? [stateRows, size] : [stateRows, batch, size]);
  const finish = (): RecurrentResult => ({
    output: new Tensor(output, outputShape),
    hN: new Tensor(hN, stateShape(hOut)),
    cN: cN ? new Tensor(cN, stateShape(config.hiddenSize)) : null,
  });

  if (rows === 0) {
    // Nothing to run: torch returns an empty output and the initial state.
    if (h0) hN.set(h0.data);
    if (cN && c0) cN.set(c0.data);
    return { call: null, finish };
  }
  const call = nativeCall(config, weights, {
    steps,
    batch,
    batchFirst: unbatched ? false : config.batchFirst,
    batchSizes: null,
    input: input.data,
    h0: h0 ? h0.data : null,
    c0: c0 ? c0.data : null,
    output,
    hN,
    cN,
    dropoutMasks: dropoutMasks(config, rows, training),
    packedWeights,
  });
  return { call, finish };
}

/**
 * Packed input runs in sorted order (longest first), as packing stores it. hx comes in,
 * and hN/cN go out, in the caller's batch order: sortedIndices/unsortedIndices map them.
 */
function planPackedForward(
  config: RecurrentConfig,
  weights: Float32Array[],
  packedWeights: PackedWeights | null,
  packed: PackedSequence,
  hx: unknown,
  training: boolean,
): ForwardPlan<RecurrentResult> {
  // The checked fields, not packed's own: those are plain properties a getter could change.
  const { data, batchSizes, sortedIndices, unsortedIndices, batch, h0, c0 } = checkPackedForward(config, packed, hx);
  const D = config.bidirectional ? 2 : 1;
  const hOut = outputSizeOf(config);
  const rows = data.shape[0];
  const output = allocateFloats(rows * D * hOut);
  const { hN, cN } = stateBuffers(config, batch);
  const call = nativeCall(config, weights, {
    steps: batchSizes.length,
    batch,
    batchFirst: false,
    batchSizes,
    input: data.data,
    h0: h0 ? permuteBatch(h0.data, batch, hOut, sortedIndices) : null,
    c0: c0 ? permuteBatch(c0.data, batch, config.hiddenSize, sortedIndices) : null,
    output,
    hN,
    cN,
    dropoutMasks: dropoutMasks(config, rows, training),
    packedWeights,
  });
  const stateRows = config.numLayers * D;
  const finish = (): RecurrentResult => ({
    output: new PackedSequence(new Tensor(output, [rows, D * hOut]), batchSizes, sortedIndices, unsortedIndices),
    hN: new Tensor(permuteBatch(hN, batch, hOut, unsortedIndices), [stateRows, batch, hOut]),
    cN: cN ? new Tensor(permuteBatch(cN, batch, config.hiddenSize, unsortedIndices), [stateRows, batch, config.hiddenSize]) : null,
  });
  return { call, finish };
}

/** out[l, i, :] = state[l, order[i], :] for a (stateRows, batch, size) state; `state` itself when order is null. */
function permuteBatch(state: Float32Array, batch: number, size: number, order: Int32Array | null): Float32Array {
  if (!order) return state;
  const out = new Float32Array(state.length);
  const stateRows = state.length / (batch * size);
  for (let layer = 0; layer < stateRows; layer++) {
    const base = layer * batch * size;
    for (let i = 0; i < batch; i++) {
      out.set(state.subarray(base + order[i] * size, base + (order[i] + 1) * size), base + i * size);
    }
  }
  return out;
}
