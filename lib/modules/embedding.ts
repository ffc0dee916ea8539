import type { StateDictLike } from '../validation/state-dict';
import { fillNormal } from '../random';
import { AnyTensor, NestedInput, Tensor, allocateFloats } from '../tensor';
import { checkParameterData } from '../validation/common';
import { EmbeddingConfig, checkEmbeddingIndices, checkLayerCheckpoint, parseEmbeddingArguments } from '../validation/layers';
import { asStateDict } from '../validation/state-dict';
import type { FromStateDictOptions } from './infer-architecture';
import { Module } from './module';
import { fixedAfterConstruction } from './settings';

/**
 * Options of {@link Embedding}: torch.nn.Embedding's keyword arguments in camelCase. Any
 * other key (torch's max_norm, sparse, ...) throws torch's `Embedding.__init__() got an
 * unexpected keyword argument`.
 */
export interface EmbeddingOptions {
  /**
   * This row is zeros at initialisation (torch also keeps it out of training). Negative
   * counts from the end, as in torch; it must lie in [-numEmbeddings, numEmbeddings),
   * else RangeError `Padding_idx must be within num_embeddings`. Default null (none).
   */
  paddingIdx?: number | null;
}

/**
 * Token ids as {@link Embedding.forward} takes them: an int64/int32 (or other integer)
 * Tensor, a 1-D integer typed array, or nested arrays of whole numbers.
 */
export type EmbeddingInput =
  | AnyTensor
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | readonly NestedInput[]
  | readonly bigint[];

/** Options of {@link Embedding.fromStateDict}: the prefix, and the padding row (weights cannot tell it). */
export interface EmbeddingFromStateDictOptions extends FromStateDictOptions {
  /** As the constructor's option; the row keeps the checkpoint's values. Default null. */
  paddingIdx?: number | null;
}

/**
 * A lookup table: row i of `weight` is the embedding of index i.
 *
 * Args: numEmbeddings (the table's size), embeddingDim (H), options paddingIdx.
 *
 * Input: integer indices of any shape (*): nested arrays, an Int32Array, or a Tensor of
 * whole numbers. Output: (*, H).
 *
 * Parameters: weight (numEmbeddings, H) from N(0, 1), with the paddingIdx row zeroed.
 *
 * @example
 * const embedding = new Embedding(10, 3, { paddingIdx: 0 });
 * embedding.forward([[1, 2, 0], [4, 3, 9]]).shape; // [2, 3, 3]
 * embedding.forward([0]).toArray(); // [[0, 0, 0]]: the padding row
 *
 * // Token ids into an LSTM: (L, N) indices give the (L, N, H_in) input
 * const lstm = new LSTM(3, 8);
 * const [output] = lstm.forward(embedding.forward([[1, 4], [2, 3], [0, 9]]));
 * output.shape; // [3, 2, 8]
 */
export class Embedding extends Module {
  /** torch's `weight`, (numEmbeddings, embeddingDim): the live tensor (createParameter defines it). */
  declare weight: Tensor;
  private readonly config: EmbeddingConfig;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    super();
    this.config = parseEmbeddingArguments(numEmbeddings, embeddingDim, options);
    this.createParameter('weight', [this.numEmbeddings, this.embeddingDim]);
    this.resetParameters();
  }

  /**
   * An Embedding shaped like a checkpoint, holding its weights: numEmbeddings and
   * embeddingDim from `weight` (numEmbeddings, H), loaded as `loadStateDict(sd, { strict:
   * true, prefix })` loads it. The padding row cannot be told from the weights: pass
   * `paddingIdx` (its row is loaded as the checkpoint has it, not zeroed).
   *
   * @param stateDict - tensors by torch's names, as `safetensors.loadFile()` returns them.
   * @param options - `prefix` ('embedding.'), and `paddingIdx` as for the constructor.
   * @example
   * const embedding = Embedding.fromStateDict(weights, { prefix: 'embedding.', paddingIdx: 0 });
   */
  static fromStateDict(stateDict: StateDictLike, options?: EmbeddingFromStateDictOptions): Embedding {
    const checkpoint = asStateDict(stateDict);
    const { prefix, moduleOptions, weightShape } = checkLayerCheckpoint('Embedding', checkpoint, options, ['paddingIdx']);
    const module = new Embedding(weightShape[0], weightShape[1], moduleOptions as EmbeddingOptions);
    module.loadStateDict(checkpoint, { prefix });
    return module;
  }

  /** The size of the table: valid indices are 0 to numEmbeddings - 1. Read-only. */
  get numEmbeddings(): number {
    return this.config.numEmbeddings;
  }
  /** H: the size of each embedding vector, the output's last dimension. Read-only. */
  get embeddingDim(): number {
    return this.config.embeddingDim;
  }
  /** The padding row, a negative option counted from the end already resolved; null when none. Read-only. */
  get paddingIdx(): number | null {
    return this.config.paddingIdx;
  }

  /** torch's extra_repr: `1000, 64`, then `padding_idx=0` when there is one. */
  extraRepr(): string {
    let text = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) text += `, padding_idx=${this.paddingIdx}`;
    return text;
  }

  /**
   * Draws weight again from N(0, 1), as torch's `reset_parameters()`, from the global
   * generator that {@link manualSeed} seeds, and zeroes the paddingIdx row. In place: the
   * tensor of namedParameters() sees the new values.
   */
  resetParameters(): void {
    const weight = this.params.get('weight')!.data;
    fillNormal(weight);
    if (this.paddingIdx !== null) weight.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  /**
   * Looks up each index's row of weight, on the calling thread; the output is a copy.
   *
   * @param input - integer indices of any shape (*): nested arrays, an integer typed array
   *   (1-D), or a Tensor of whole numbers.
   * @returns (*, H): the rows, in the indices' shape.
   * @throws RangeError `index out of range in self` (torch's message) for an index outside
   *   [0, numEmbeddings).
   * @throws TypeError for a value that is not a whole number, or an input of another type.
   */
  forward(input: EmbeddingInput): Tensor {
    checkParameterData('Embedding', this.params);
    const { indices, shape } = checkEmbeddingIndices(this.config, input);
    const H = this.embeddingDim;
    const weight = this.params.get('weight')!.data;
    const output = allocateFloats(indices.length * H);
    for (let i = 0; i < indices.length; i++) output.set(weight.subarray(indices[i] * H, (indices[i] + 1) * H), i * H);
    return new Tensor(output, [...shape, H]);
  }
}

fixedAfterConstruction(Embedding, ['numEmbeddings', 'embeddingDim', 'paddingIdx']);
