// LayerNorm: torch.nn.LayerNorm over the last dimensions.
import { Tensor, TensorLike, asTensor } from '../tensor';
import { checkLayerNormInput, parseLayerNormArguments } from '../validation/simple-modules';
import { Module } from './module';
import { pythonFloat } from './module-repr';

/** Options of {@link LayerNorm}: torch's keyword arguments in camelCase, with its defaults. */
export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Whether the layer has `weight` (ones) and `bias` (zeros) of the normalized shape. Default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, whether there is a `bias` (torch 2.1+). Default true. */
  bias?: boolean;
}

/**
 * Normalizes over the last dimensions, as torch.nn.LayerNorm:
 *
 *     y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias
 *
 * with the mean and the biased variance over the last `normalizedShape.length` dimensions.
 *
 * Args: normalizedShape (a size, or the sizes of the last dimensions), options eps=1e-5,
 * elementwiseAffine=true, bias=true.
 *
 * Input: (*, normalizedShape). Output: the same shape.
 *
 * Parameters: weight (normalizedShape), ones; bias (normalizedShape), zeros.
 *
 * @example
 * const norm = new LayerNorm(256);
 * String(norm); // 'LayerNorm((256,), eps=1e-05, elementwise_affine=True)'
 */
export class LayerNorm extends Module {
  /** torch's `weight` and `bias` (normalizedShape), null without elementwiseAffine (bias: also with `bias: false`). */
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  /** The sizes of the normalized (last) dimensions. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether weight (and bias) are applied. */
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const { normalizedShape: shape, eps, elementwiseAffine, bias } = parseLayerNormArguments(normalizedShape, options);
    this.normalizedShape = shape;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.createParameter('weight', elementwiseAffine ? this.normalizedShape : null);
    this.createParameter('bias', elementwiseAffine && bias ? this.normalizedShape : null);
    this.resetParameters();
  }

  /** weight to ones and bias to zeros, as torch's `reset_parameters()`. */
  resetParameters(): void {
    this.params.get('weight')?.data.fill(1);
    this.params.get('bias')?.data.fill(0);
  }

  /** Normalizes each slice of the last dimensions. */
  forward(input: TensorLike): Tensor {
    const x = asTensor(input, 'input');
    checkLayerNormInput(this.normalizedShape, x);
    const width = this.normalizedShape.reduce((a, b) => a * b, 1);
    const rows = width === 0 ? 0 : x.numel() / width;
    const weight = this.params.get('weight')?.data;
    const bias = this.params.get('bias')?.data;
    const out = new Float32Array(x.numel());
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      let mean = 0;
      for (let i = 0; i < width; i++) mean += x.data[base + i];
      mean /= width;
      let variance = 0;
      for (let i = 0; i < width; i++) variance += (x.data[base + i] - mean) ** 2;
      variance /= width;
      const scale = 1 / Math.sqrt(variance + this.eps);
      for (let i = 0; i < width; i++) {
        let y = (x.data[base + i] - mean) * scale;
        if (weight) y *= weight[i];
        if (bias) y += bias[i];
        out[base + i] = y;
      }
    }
    return new Tensor(out, x.shape);
  }

  /** torch's extra_repr: `(256,), eps=1e-05, elementwise_affine=True`. */
  extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${pythonFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
  }
}
