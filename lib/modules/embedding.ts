import { fillNormal } from '../random';
import { Tensor } from '../tensor';
import { EmbeddingConfig, checkEmbeddingIndices, parseEmbeddingArguments } from '../validation/layers';
import { Module } from './module';

export interface EmbeddingOptions {
  /** This row is zeros at initialisation (torch also keeps it out of training). */
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
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  private readonly config: EmbeddingConfig;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    super();
    this.config = parseEmbeddingArguments(numEmbeddings, embeddingDim, options);
    this.numEmbeddings = this.config.numEmbeddings;
    this.embeddingDim = this.config.embeddingDim;
    this.paddingIdx = this.config.paddingIdx;
    this.params.set('weight', new Tensor(new Float32Array(this.numEmbeddings * this.embeddingDim), [this.numEmbeddings, this.embeddingDim]));
    this.resetParameters();
  }

  resetParameters(): void {
    const weight = this.params.get('weight')!.data;
    fillNormal(weight);
    if (this.paddingIdx !== null) weight.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  forward(input: unknown): Tensor {
    const { indices, shape } = checkEmbeddingIndices(this.config, input);
    const H = this.embeddingDim;
    const weight = this.params.get('weight')!.data;
    const output = new Float32Array(indices.length * H);
    for (let i = 0; i < indices.length; i++) output.set(weight.subarray(indices[i] * H, (indices[i] + 1) * H), i * H);
    return new Tensor(output, [...shape, H]);
  }
}
