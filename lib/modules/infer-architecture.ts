// fromStateDict: a module's architecture read off a checkpoint's key names and shapes, so a
// PyTorch state_dict loads without restating what its weights already say. The checks and
// their messages live in ../validation/architecture.ts.
import { Tensor, TensorLike, asAnyTensor } from '../tensor';
import {
  ArchitectureKind,
  CheckpointKeys,
  InferredSizes,
  checkAllOrNone,
  checkFirstWeight,
  checkFromStateDictOptions,
  checkLayerNumbering,
  checkParameterShapes,
  checkProjection,
  isCellKind,
  missingFirstWeightError,
} from '../validation/architecture';
import { CellMode, Nonlinearity, RecurrentMode } from '../validation/recurrent';
import { asStateDict } from '../validation/state-dict';
import type { Module } from './module';

/**
 * Options of every `fromStateDict`, and all that GRUCell.fromStateDict and
 * LSTMCell.fromStateDict take: sizes, layers, directions, projSize and bias come from the
 * weights, and passing one of them throws a TypeError that says so.
 */
export interface FromStateDictOptions {
  /** Only keys starting with this count, with the prefix stripped: 'encoder.rnn.' (as in loadStateDict). */
  prefix?: string;
}

/** LSTM.fromStateDict and GRU.fromStateDict: what the weights cannot tell. */
export interface LSTMFromStateDictOptions extends FromStateDictOptions {
  /** Input and output are (N, L, *) instead of (L, N, *), as the constructor's option. Default false. */
  batchFirst?: boolean;
  /** Dropout between layers in training mode, as the constructor's option. Default 0. */
  dropout?: number;
}
/** GRU.fromStateDict's options: the same as LSTM's (prefix, batchFirst, dropout). */
export type GRUFromStateDictOptions = LSTMFromStateDictOptions;

/** RNN.fromStateDict: prefix, batchFirst and dropout as for LSTM, and the nonlinearity. */
export interface RNNFromStateDictOptions extends LSTMFromStateDictOptions {
  /** 'tanh' (default) or 'relu': both have the same weights, so a relu RNN must say so. */
  nonlinearity?: Nonlinearity;
}

/** RNNCell.fromStateDict: the prefix, and the nonlinearity. */
export interface RNNCellFromStateDictOptions extends FromStateDictOptions {
  /** 'tanh' (default) or 'relu': both have the same weights, so a relu cell must say so. */
  nonlinearity?: Nonlinearity;
}

/** Everything the constructor of RNN, LSTM or GRU needs that a checkpoint determines. */
export interface RecurrentArchitecture extends InferredSizes {
  numLayers: number;
  bias: boolean;
}

export interface CellArchitecture {
  inputSize: number;
  hiddenSize: number;
  bias: boolean;
}

// torch's parameter names: weight_ih_l0, bias_hh_l1_reverse, weight_hr_l2, ... (no leading zeros).
const LAYER = '_l(0|[1-9][0-9]*)';
const FIRST_LAYER_INPUT_WEIGHT = new RegExp(`^weight_ih${LAYER}$`);
const ANY_REVERSE_PARAMETER = new RegExp(`^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)${LAYER}_reverse$`);
const ANY_BIAS = new RegExp(`^bias_(ih|hh)${LAYER}(_reverse)?$`);
const ANY_PROJECTION = new RegExp(`^weight_hr${LAYER}(_reverse)?$`);

/**
 * The entries of a state dict under a prefix. Values become Tensors when first looked at,
 * once, and loadStateDict later receives those same Tensors.
 */
class Checkpoint implements CheckpointKeys {
  readonly allKeys: readonly string[];
  readonly names: readonly string[];
  private readonly values = new Map<string, unknown>();

  constructor(
    stateDict: Record<string, unknown>,
    readonly prefix: string,
  ) {
    this.allKeys = Object.keys(stateDict);
    for (const key of this.allKeys) {
      if (key.startsWith(prefix)) this.values.set(key.slice(prefix.length), stateDict[key]);
    }
    this.names = [...this.values.keys()];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  shape(name: string): readonly number[] | undefined {
    if (!this.values.has(name)) return undefined;
    const value = this.values.get(name);
    if (value instanceof Tensor) return value.shape;
    const converted = asAnyTensor(value as TensorLike, `state_dict["${this.prefix}${name}"]`);
    this.values.set(name, converted);
    return converted.shape;
  }

  /** The entries under the prefix, keys unstripped, as loadStateDict takes them. */
  toStateDict(): Record<string, unknown> {
    // No prototype: a key named "__proto__" stays an ordinary entry.
    const out: Record<string, unknown> = Object.create(null);
    for (const [name, value] of this.values) out[this.prefix + name] = value;
    return out;
  }
}

/**
 * inputSize and hiddenSize from weight_ih_l0 (G*H, in); numLayers from the weight_ih_l{k};
 * bidirectional from any `_reverse` key; bias from any bias_* key; projSize from the rows
 * of weight_hr_l0 (LSTM). G = 4 for LSTM, 3 for GRU, 1 for RNN.
 */
export function inferRecurrentArchitecture(mode: RecurrentMode, checkpoint: CheckpointKeys): RecurrentArchitecture {
  const firstShape = checkpoint.shape('weight_ih_l0');
  if (firstShape === undefined) throw missingFirstWeightError(mode, checkpoint);
  const { inputSize, hiddenSize } = checkFirstWeight(mode, checkpoint, firstShape);

  const layers = checkpoint.names
    .map((name) => ({ name, match: FIRST_LAYER_INPUT_WEIGHT.exec(name) }))
    .filter(({ match }) => match !== null)
    .map(({ name, match }) => ({ name, index: Number(match![1]) }))
    .sort((a, b) => a.index - b.index);
  checkLayerNumbering(mode, checkpoint, layers);
  const numLayers = layers.length;

  const reverseKey = checkpoint.names.find((name) => ANY_REVERSE_PARAMETER.test(name));
  const bidirectional = reverseKey !== undefined;
  if (reverseKey !== undefined) {
    const reverseWeights = layers.map(({ name }) => `${name}_reverse`);
    checkAllOrNone(mode, checkpoint, 'reverse', reverseKey, reverseWeights);
  }
  const suffixes = layerSuffixes(numLayers, bidirectional);

  const biasKey = checkpoint.names.find((name) => ANY_BIAS.test(name));
  if (biasKey !== undefined) {
    const biases = suffixes.flatMap((suffix) => [`bias_ih${suffix}`, `bias_hh${suffix}`]);
    checkAllOrNone(mode, checkpoint, 'bias', biasKey, biases);
  }

  let projSize = 0;
  const projectionKey = mode === 'LSTM' ? checkpoint.names.find((name) => ANY_PROJECTION.test(name)) : undefined;
  if (projectionKey !== undefined) {
    checkAllOrNone(mode, checkpoint, 'projection', projectionKey, suffixes.map((suffix) => `weight_hr${suffix}`));
    projSize = checkProjection(checkpoint, hiddenSize, inputSize);
  }
  return { inputSize, hiddenSize, numLayers, bidirectional, projSize, bias: biasKey !== undefined };
}

/** inputSize and hiddenSize from weight_ih (G*H, in); bias from bias_ih / bias_hh. */
export function inferCellArchitecture(mode: CellMode, checkpoint: CheckpointKeys): CellArchitecture {
  const firstShape = checkpoint.shape('weight_ih');
  if (firstShape === undefined) throw missingFirstWeightError(mode, checkpoint);
  const { inputSize, hiddenSize } = checkFirstWeight(mode, checkpoint, firstShape);
  const biasKey = ['bias_ih', 'bias_hh'].find((name) => checkpoint.has(name));
  if (biasKey !== undefined) checkAllOrNone(mode, checkpoint, 'bias', biasKey, ['bias_ih', 'bias_hh']);
  return { inputSize, hiddenSize, bias: biasKey !== undefined };
}

function layerSuffixes(numLayers: number, bidirectional: boolean): string[] {
  const suffixes: string[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    suffixes.push(`_l${layer}`);
    if (bidirectional) suffixes.push(`_l${layer}_reverse`);
  }
  return suffixes;
}

// Any of the six classes: (inputSize, hiddenSize, options) is a form all their constructors take.
type ModuleClass<M extends Module> = new (inputSize: number, hiddenSize: number, options: Record<string, any>) => M;

/**
 * The body of every `fromStateDict`: infer the architecture, build the module, check each
 * shape against it (messages that say where the expectation came from), then load with
 * `strict: true`, so missing or stray keys and the values are handled exactly as
 * loadStateDict handles them.
 */
export function moduleFromStateDict<M extends Module>(
  ModuleKind: ModuleClass<M>,
  kind: ArchitectureKind,
  given: unknown,
  options: unknown,
): M {
  const stateDict = asStateDict(given);
  const { prefix, moduleOptions } = checkFromStateDictOptions(kind, options);
  const checkpoint = new Checkpoint(stateDict, prefix);

  let module: M;
  let sizes: InferredSizes;
  if (isCellKind(kind)) {
    const { inputSize, hiddenSize, bias } = inferCellArchitecture(kind, checkpoint);
    sizes = { inputSize, hiddenSize, projSize: 0, bidirectional: false };
    module = new ModuleKind(inputSize, hiddenSize, { ...moduleOptions, bias });
  } else {
    const { inputSize, hiddenSize, numLayers, bidirectional, projSize, bias } = inferRecurrentArchitecture(kind, checkpoint);
    sizes = { inputSize, hiddenSize, projSize, bidirectional };
    const inferred = { numLayers, bidirectional, bias, ...(kind === 'LSTM' ? { projSize } : {}) };
    module = new ModuleKind(inputSize, hiddenSize, { ...moduleOptions, ...inferred });
  }
  const expected = module.parameterShapes().map(([name, shape]) => [name, { shape }] as const);
  checkParameterShapes(kind, checkpoint, sizes, expected);
  module.loadStateDict(checkpoint.toStateDict(), { strict: true, prefix });
  return module;
}
