// Checks of Linear and Embedding, with PyTorch 2.x's wording.
import { Tensor, TensorLike, asAnyTensor, asTensor } from '../tensor';
import { MAX_DIMENSION, requireBool, requireInt, typeName, unexpectedKeywordError } from './common';

export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
}

export function parseLinearArguments(inFeatures: unknown, outFeatures: unknown, options: unknown): LinearConfig {
  const input = requireInt(inFeatures, 'in_features');
  const output = requireInt(outFeatures, 'out_features');
  if (input < 0 || output < 0) {
    throw new RangeError(`Trying to create tensor with negative dimension ${Math.min(input, output)}: [${output}, ${input}]`);
  }
  // The native sgemm takes 32-bit dimensions.
  if (input > MAX_DIMENSION || output > MAX_DIMENSION) {
    throw new RangeError(`in_features and out_features must be at most ${MAX_DIMENSION}, got [${output}, ${input}]`);
  }
  const { bias = true, ...rest } = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(rest)) throw unexpectedKeywordError('Linear', key, ['bias']);
  return { inFeatures: input, outFeatures: output, bias: requireBool(bias, 'bias') };
}

/** The input as a tensor whose last dimension is inFeatures: torch's matmul message otherwise. */
export function checkLinearInput(config: LinearConfig, raw: unknown): Tensor {
  const input = asTensor(raw as TensorLike, 'input');
  if (input.dim() === 0) throw new RangeError('both arguments to linear need to be at least 1D, but they are 0D and 2D');
  const features = input.size(-1);
  if (features !== config.inFeatures) {
    const rows = input.numel() / Math.max(features, 1);
    const mat1 = input.dim() === 1 ? `1x${features}` : `${rows}x${features}`;
    throw new RangeError(
      `mat1 and mat2 shapes cannot be multiplied (${mat1} and ${config.inFeatures}x${config.outFeatures})`,
    );
  }
  return input;
}

export interface EmbeddingConfig {
  numEmbeddings: number;
  embeddingDim: number;
  paddingIdx: number | null; // normalised to [0, numEmbeddings)
}

export function parseEmbeddingArguments(numEmbeddings: unknown, embeddingDim: unknown, options: unknown): EmbeddingConfig {
  const count = requireInt(numEmbeddings, 'num_embeddings');
  const dim = requireInt(embeddingDim, 'embedding_dim');
  if (count < 0 || dim < 0) {
    throw new RangeError(`Trying to create tensor with negative dimension ${Math.min(count, dim)}: [${count}, ${dim}]`);
  }
  // Indices are held in an Int32Array: a larger table could not be indexed.
  if (count > MAX_DIMENSION || dim > MAX_DIMENSION) {
    throw new RangeError(`num_embeddings and embedding_dim must be at most ${MAX_DIMENSION}, got [${count}, ${dim}]`);
  }
  const { paddingIdx = null, ...rest } = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(rest)) throw unexpectedKeywordError('Embedding', key, ['paddingIdx']);
  if (paddingIdx === null) return { numEmbeddings: count, embeddingDim: dim, paddingIdx: null };
  const index = requireInt(paddingIdx, 'padding_idx');
  if (index >= count) throw new RangeError('Padding_idx must be within num_embeddings');
  if (index < -count) throw new RangeError('Padding_idx must be within num_embeddings');
  return { numEmbeddings: count, embeddingDim: dim, paddingIdx: index < 0 ? index + count : index };
}

export interface CheckedIndices {
  indices: Int32Array;
  shape: number[];
}

/**
 * Indices as nested arrays of integers, an integer typed array (1-D), or a Tensor holding
 * whole numbers. Out-of-range indices get torch's message.
 */
/** torch's words, then what they leave out: which id, and the table's size. */
function indexOutOfRange(id: number | bigint, position: number, rows: number): RangeError {
  return new RangeError(
    `index out of range in self: id ${id} at position ${position}, but the table has ${rows} rows (ids must be in [0, ${rows}))`,
  );
}

export function checkEmbeddingIndices(config: EmbeddingConfig, raw: unknown): CheckedIndices {
  let values: ArrayLike<number>;
  let shape: number[];
  if (raw instanceof Int32Array || raw instanceof Uint8Array || raw instanceof Uint16Array || raw instanceof Int16Array ||
      raw instanceof Uint32Array || raw instanceof Int8Array) {
    values = raw;
    shape = [raw.length];
  } else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    // int64 ids as JavaScript holds them (an int64 tensor's data); those past the table are
    // refused here, by their exact value, before any is rounded to a number.
    const ids = raw as ArrayLike<bigint>;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0n || ids[i] >= BigInt(config.numEmbeddings)) throw indexOutOfRange(ids[i], i, config.numEmbeddings);
    }
    values = Array.from(ids, Number);
    shape = [raw.length];
  } else if (raw instanceof Tensor || Array.isArray(raw) || typeof raw === 'number') {
    // Indices may be a Tensor of any dtype (torch takes int64 and int32); int64 ids
    // beyond 2^53 cannot index an embedding table anyway.
    const tensor = asAnyTensor(raw as TensorLike, 'input');
    values = tensor.dtype === 'int64' ? Array.from(tensor.data as BigInt64Array, Number) : (tensor.data as ArrayLike<number>);
    shape = [...tensor.shape];
  } else {
    throw new TypeError(`embedding(): argument 'indices' must be Tensor or integer array, not ${typeName(raw)}`);
  }
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value)) {
      throw new TypeError(`Expected tensor for argument #1 'indices' to have integer values, but got ${value}`);
    }
    if (value < 0 || value >= config.numEmbeddings) throw indexOutOfRange(value, i, config.numEmbeddings);
    indices[i] = value;
  }
  return { indices, shape };
}

/**
 * The options of Linear.fromStateDict / Embedding.fromStateDict, and the 2-D `weight` their
 * sizes are read from: [rows, columns]. `allowed` are the constructor options weights
 * cannot tell (Embedding's paddingIdx).
 */
export function checkLayerCheckpoint(
  kind: 'Linear' | 'Embedding',
  stateDict: Record<string, unknown>,
  options: unknown,
  allowed: readonly string[],
): { prefix: string; moduleOptions: Record<string, unknown>; weightShape: [number, number]; hasBias: boolean } {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor)) {
    throw new TypeError(`${kind}.fromStateDict: options must be an object, got ${typeName(options)}`);
  }
  const { prefix = '', ...moduleOptions } = (options ?? {}) as Record<string, unknown>;
  if (typeof prefix !== 'string') throw new TypeError(`prefix should be of type str, got: ${typeName(prefix)}`);
  for (const [key, value] of Object.entries(moduleOptions)) {
    if (value !== undefined && !allowed.includes(key)) {
      const inferred = kind === 'Linear' ? 'inFeatures, outFeatures and bias' : 'numEmbeddings and embeddingDim';
      throw new TypeError(`${kind}.fromStateDict: unexpected option '${key}': ${inferred} come from the weights` +
        (allowed.length ? ` (options: prefix, ${allowed.join(', ')})` : ' (options: prefix)'));
    }
  }
  const key = `${prefix}weight`;
  if (!Object.prototype.hasOwnProperty.call(stateDict, key)) {
    const elsewhere = Object.keys(stateDict).filter((name) => name.endsWith('.weight'));
    const hint = elsewhere.length ? ` Found ${elsewhere.slice(0, 3).map((name) => `"${name}"`).join(', ')}${elsewhere.length > 3 ? ', ...' : ''}: pass its prefix, e.g. { prefix: "${elsewhere[0].slice(0, -'weight'.length)}" }.` : '';
    throw new Error(`${kind}.fromStateDict: no "${key}" in the state dict.${hint}`);
  }
  const weight = asTensor(stateDict[key] as TensorLike, `state_dict["${key}"]`);
  if (weight.dim() !== 2) {
    throw new RangeError(`${kind}.fromStateDict: "${key}" must be 2-D (${kind === 'Linear' ? 'out_features, in_features' : 'num_embeddings, embedding_dim'}), got shape [${weight.shape.join(', ')}]`);
  }
  const hasBias = kind === 'Linear' && Object.prototype.hasOwnProperty.call(stateDict, `${prefix}bias`);
  return { prefix, moduleOptions, weightShape: [weight.shape[0], weight.shape[1]], hasBias };
}
