// fromStateDict's checks: its options, and a checkpoint's keys and shapes against the
// architecture they imply. Each message names the key, its shape and what was expected.
// TypeError for wrong types, RangeError for bad shapes, Error for missing or stray keys.
import { Tensor } from '../tensor';
import { listShape, typeName } from './common';
import { CellMode, RecurrentMode } from './recurrent';
import { requirePrefix } from './state-dict';

export type ArchitectureKind = RecurrentMode | CellMode;

/** What the checks see of a checkpoint: the names under the prefix, and their shapes. */
export interface CheckpointKeys {
  readonly prefix: string;
  /** Every key of the state dict, under the prefix or not (for hints). */
  readonly allKeys: readonly string[];
  /** The keys under the prefix, with the prefix stripped. */
  readonly names: readonly string[];
  has(name: string): boolean;
  shape(name: string): readonly number[] | undefined;
}

/** What the first input weight, the projection and the key names gave. */
export interface InferredSizes {
  inputSize: number;
  hiddenSize: number;
  projSize: number;
  bidirectional: boolean;
}

const GATES: Record<ArchitectureKind, { count: number; order: string }> = {
  RNN: { count: 1, order: '' },
  RNNCell: { count: 1, order: '' },
  LSTM: { count: 4, order: 'i|f|g|o' },
  LSTMCell: { count: 4, order: 'i|f|g|o' },
  GRU: { count: 3, order: 'r|z|n' },
  GRUCell: { count: 3, order: 'r|z|n' },
};

// What each class takes besides the weights; everything else comes from the checkpoint.
const OPTIONS: Record<ArchitectureKind, readonly string[]> = {
  RNN: ['prefix', 'batchFirst', 'dropout', 'nonlinearity'],
  LSTM: ['prefix', 'batchFirst', 'dropout'],
  GRU: ['prefix', 'batchFirst', 'dropout'],
  RNNCell: ['prefix', 'nonlinearity'],
  LSTMCell: ['prefix'],
  GRUCell: ['prefix'],
};

const INFERRED: Record<ArchitectureKind, string> = {
  RNN: 'inputSize, hiddenSize, numLayers, bidirectional and bias',
  LSTM: 'inputSize, hiddenSize, numLayers, bidirectional, projSize and bias',
  GRU: 'inputSize, hiddenSize, numLayers, bidirectional and bias',
  RNNCell: 'inputSize, hiddenSize and bias',
  LSTMCell: 'inputSize, hiddenSize and bias',
  GRUCell: 'inputSize, hiddenSize and bias',
};

export function isCellKind(kind: ArchitectureKind): kind is CellMode {
  return kind.endsWith('Cell');
}

export function gateCount(kind: ArchitectureKind): number {
  return GATES[kind].count;
}

/** The key every checkpoint of `kind` has, and the one sizes are read from. */
export function firstWeightName(kind: ArchitectureKind): string {
  return isCellKind(kind) ? 'weight_ih' : 'weight_ih_l0';
}

function owner(kind: ArchitectureKind): string {
  return `${kind}.fromStateDict`;
}

function quoted(checkpoint: CheckpointKeys, name: string): string {
  return `"${checkpoint.prefix}${name}"`;
}

/** "an LSTM", "a GRU", "an RNNCell": as the names are spoken (el-, ar-, gee-). */
function withArticle(kind: ArchitectureKind): string {
  return `${kind.startsWith('G') ? 'a' : 'an'} ${kind}`;
}

/**
 * The options of `<kind>.fromStateDict`: prefix (checked here), and the constructor options
 * weights cannot tell (checked by the constructor, with torch's wording).
 */
export function checkFromStateDictOptions(
  kind: ArchitectureKind,
  options: unknown,
): { prefix: string; moduleOptions: Record<string, unknown> } {
  if (options === undefined || options === null) return { prefix: '', moduleOptions: {} };
  if (typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`${owner(kind)}: options must be an object, got ${typeName(options)}`);
  }
  const { prefix = '', ...moduleOptions } = options as Record<string, unknown>;
  for (const [key, value] of Object.entries(moduleOptions)) {
    if (value !== undefined && !OPTIONS[kind].includes(key)) {
      throw new TypeError(
        `${owner(kind)}: unexpected option '${key}': ${INFERRED[kind]} come from the weights ` +
          `(options: ${OPTIONS[kind].join(', ')})`,
      );
    }
  }
  requirePrefix(prefix);
  return { prefix, moduleOptions };
}

/**
 * No first input weight under the prefix. Says what was expected, and where a key of that
 * name does sit: under another prefix, or a cell's key where a module's was expected.
 */
export function missingFirstWeightError(kind: ArchitectureKind, checkpoint: CheckpointKeys): Error {
  const name = firstWeightName(kind);
  const where = checkpoint.prefix ? `under prefix "${checkpoint.prefix}"` : 'in the state dict';
  let message = `${owner(kind)}: no "${name}" ${where} — is this ${withArticle(kind)} checkpoint?`;

  const elsewhere = checkpoint.allKeys.filter((key) => key.endsWith(`.${name}`) || key === name);
  if (elsewhere.length > 0) {
    const prefixOf = (key: string) => key.slice(0, key.length - name.length);
    const shown = elsewhere.slice(0, 3).map((key) => `"${key}"`).join(', ') + (elsewhere.length > 3 ? ', ...' : '');
    message +=
      elsewhere.length === 1
        ? ` Found ${shown}: pass { prefix: "${prefixOf(elsewhere[0])}" }.`
        : ` Found ${shown}: pass the prefix of the one to load, e.g. { prefix: "${prefixOf(elsewhere[0])}" }.`;
  }
  if (isCellKind(kind) && checkpoint.has('weight_ih_l0')) {
    const moduleKind = kind.slice(0, -'Cell'.length);
    message += ` It has ${quoted(checkpoint, 'weight_ih_l0')}, as ${withArticle(moduleKind as RecurrentMode)} does: use ${moduleKind}.fromStateDict.`;
  } else if (!isCellKind(kind) && checkpoint.has('weight_ih')) {
    message += ` It has ${quoted(checkpoint, 'weight_ih')}, as a cell does: use ${kind}Cell.fromStateDict.`;
  }
  return new Error(message);
}

/** weight_ih[_l0] is (G*hidden_size, input_size): the sizes every other shape follows from. */
export function checkFirstWeight(
  kind: ArchitectureKind,
  checkpoint: CheckpointKeys,
  shape: readonly number[],
): { inputSize: number; hiddenSize: number } {
  const { count, order } = GATES[kind];
  const key = quoted(checkpoint, firstWeightName(kind));
  const layout = `(${count > 1 ? `${count}*` : ''}hidden_size, input_size)${order ? ` with gates ${order}` : ''}`;
  if (shape.length !== 2) {
    throw new RangeError(`${owner(kind)}: ${key} should be 2-D, ${layout}, got shape ${listShape(shape)}`);
  }
  const rows = shape[0];
  if (rows === 0) {
    throw new RangeError(
      `${owner(kind)}: ${key} should be ${layout}, but its shape ${listShape(shape)} has no rows: ` +
        'hidden_size must be greater than zero',
    );
  }
  if (rows % count !== 0) {
    throw new RangeError(
      `${owner(kind)}: ${key} should be ${layout}, but its shape ${listShape(shape)} has ${rows} rows, ` +
        `not a multiple of ${count}`,
    );
  }
  return { inputSize: shape[1], hiddenSize: rows / count };
}

/** weight_ih_l{k} for k = 0..numLayers-1, none skipped. `layers` is sorted by index. */
export function checkLayerNumbering(
  kind: RecurrentMode,
  checkpoint: CheckpointKeys,
  layers: ReadonlyArray<{ index: number; name: string }>,
): void {
  layers.forEach(({ index, name }, expected) => {
    if (index !== expected) {
      throw new Error(
        `${owner(kind)}: ${quoted(checkpoint, name)} is present but ${quoted(checkpoint, `weight_ih_l${expected}`)} ` +
          'is not: layers are numbered from 0 without gaps',
      );
    }
  });
}

export type OptionalFeature = 'bias' | 'reverse' | 'projection';

function featureRule(kind: ArchitectureKind, feature: OptionalFeature): string {
  if (feature === 'reverse') return `a bidirectional ${kind} has a "_reverse" direction in every layer`;
  if (feature === 'projection') return 'an LSTM with proj_size > 0 has weight_hr in every layer and direction';
  return isCellKind(kind)
    ? 'a cell has both bias_ih and bias_hh (bias=True) or neither (bias=False)'
    : 'bias_ih and bias_hh are in every layer and direction (bias=True) or in none (bias=False)';
}

/**
 * An optional part of the architecture (biases, the reverse direction, projections) is in
 * every layer or in none: `present` turned it on, so each of `expected` must be there.
 */
export function checkAllOrNone(
  kind: ArchitectureKind,
  checkpoint: CheckpointKeys,
  feature: OptionalFeature,
  present: string,
  expected: readonly string[],
): void {
  const missing = expected.find((name) => !checkpoint.has(name));
  if (missing === undefined) return;
  // Name the first expected key that is there (bias_ih_l0 rather than bias_hh_l0), when one is.
  const shown = expected.find((name) => checkpoint.has(name)) ?? present;
  throw new Error(
    `${owner(kind)}: ${quoted(checkpoint, shown)} is present but ${quoted(checkpoint, missing)} is not: ` +
      featureRule(kind, feature),
  );
}

/** Where the expected shapes come from, for the messages below. */
function describeBasis(kind: ArchitectureKind, checkpoint: CheckpointKeys, sizes: InferredSizes): string {
  const first = firstWeightName(kind);
  let basis =
    `${quoted(checkpoint, first)} ${listShape(checkpoint.shape(first)!)} gives ` +
    `input_size ${sizes.inputSize} and hidden_size ${sizes.hiddenSize}`;
  if (sizes.projSize > 0) {
    basis += `; ${quoted(checkpoint, 'weight_hr_l0')} ${listShape(checkpoint.shape('weight_hr_l0')!)} gives proj_size ${sizes.projSize}`;
  }
  if (sizes.bidirectional) basis += '; the "_reverse" keys make it bidirectional';
  return basis;
}

/** weight_hr_l0 is (proj_size, hidden_size), with 0 < proj_size < hidden_size as torch requires. */
export function checkProjection(checkpoint: CheckpointKeys, hiddenSize: number, inputSize: number): number {
  const shape = checkpoint.shape('weight_hr_l0')!;
  const projSize = shape[0];
  if (shape.length !== 2 || shape[1] !== hiddenSize || !(projSize > 0 && projSize < hiddenSize)) {
    const basis = describeBasis('LSTM', checkpoint, { inputSize, hiddenSize, projSize: 0, bidirectional: false });
    throw new RangeError(
      `${owner('LSTM')}: ${quoted(checkpoint, 'weight_hr_l0')} should be (proj_size, hidden_size) = ` +
        `(proj_size, ${hiddenSize}) with 0 < proj_size < ${hiddenSize}, got shape ${listShape(shape)}: ${basis}`,
    );
  }
  return projSize;
}

/**
 * Every parameter the checkpoint has, against the shape the inferred architecture gives it.
 * Missing and stray keys are left to loadStateDict, which reports them in torch's words.
 */
export function checkParameterShapes(
  kind: ArchitectureKind,
  checkpoint: CheckpointKeys,
  sizes: InferredSizes,
  expected: Iterable<readonly [string, { readonly shape: readonly number[] }]>,
): void {
  for (const [name, { shape: want }] of expected) {
    const got = checkpoint.shape(name);
    if (got === undefined) continue;
    if (got.length === want.length && got.every((size, i) => size === want[i])) continue;
    throw new RangeError(
      `${owner(kind)}: ${quoted(checkpoint, name)} has shape ${listShape(got)}, but it should be ` +
        `${listShape(want)}: ${describeBasis(kind, checkpoint, sizes)}${otherKindHint(kind, name, got)}`,
    );
  }
}

/**
 * weight_hh is (G*H, H) without projections, so its shape tells the gate count G. When that
 * is another kind's, the checkpoint was most likely written by that kind.
 */
function otherKindHint(kind: ArchitectureKind, name: string, shape: readonly number[]): string {
  if (name !== 'weight_hh' && name !== 'weight_hh_l0') return '';
  if (shape.length !== 2 || shape[1] === 0 || shape[0] % shape[1] !== 0) return '';
  const gates = shape[0] / shape[1];
  const family = gates === 4 ? 'LSTM' : gates === 3 ? 'GRU' : gates === 1 ? 'RNN' : undefined;
  if (family === undefined) return '';
  const other = (isCellKind(kind) ? `${family}Cell` : family) as ArchitectureKind;
  if (other === kind) return '';
  return ` (its shape fits ${withArticle(other)}: use ${other}.fromStateDict)`;
}
