// Checks of Linear and Embedding, with PyTorch 2.x's wording.
import { Tensor, TensorLike, asAnyTensor, asTensor } from '../tensor';
import { MAX_DIMENSION, requireBool, requireInt, typeName } from './common';

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
  for (const key of Object.keys(rest)) throw new TypeError(`Linear.__init__() got an unexpected keyword argument '${key}'`);
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
  for (const key of Object.keys(rest)) throw new TypeError(`Embedding.__init__() got an unexpected keyword argument '${key}'`);
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
export function checkEmbeddingIndices(config: EmbeddingConfig, raw: unknown): CheckedIndices {
  let values: ArrayLike<number>;
  let shape: number[];
  if (raw instanceof Int32Array || raw instanceof Uint8Array || raw instanceof Uint16Array || raw instanceof Int16Array ||
      raw instanceof Uint32Array || raw instanceof Int8Array) {
    values = raw;
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
    if (value < 0 || value >= config.numEmbeddings) throw new RangeError('index out of range in self');
    indices[i] = value;
  }
  return { indices, shape };
}
