import type { StateDictLike } from '../validation/state-dict';
import { native } from '../native';
import { Tensor, TensorLike, allocateFloats } from '../tensor';
import { checkParameterData } from '../validation/common';
import { LinearConfig, checkLayerCheckpoint, checkLinearInput, parseLinearArguments } from '../validation/layers';
import { asStateDict } from '../validation/state-dict';
import type { FromStateDictOptions } from './infer-architecture';
import { Module } from './module';
import { fixedAfterConstruction } from './settings';

/**
 * Options of {@link Linear}: torch.nn.Linear's keyword arguments in camelCase. Any other key
 * throws torch's `Linear.__init__() got an unexpected keyword argument`.
 */
export interface LinearOptions {
  /** Whether the layer adds the bias b (parameter `bias`, (H_out)). Default true. */
  bias?: boolean;
}

/**
 * Applies an affine transformation to the last dimension of the input: y = x W^T + b.
 *
 * Args: inFeatures (H_in), outFeatures (H_out), options bias=true.
 *
 * Input: (*, H_in), any number of leading dimensions. Output: (*, H_out).
 *
 * Parameters: weight (H_out, H_in) and bias (H_out), both from U(-1/sqrt(H_in), 1/sqrt(H_in))
 * (PyTorch's kaiming_uniform with a = sqrt(5)).
 *
 * @example
 * const head = new Linear(128, 10);
 * head.forward(randn([32, 50, 128])).shape; // [32, 50, 10]
 *
 * // A classifier on an LSTM's outputs
 * const lstm = new LSTM(16, 128, { batchFirst: true });
 * const [features] = lstm.forward(randn([4, 7, 16])); // (N, L, 128)
 * head.forward(features).shape; // [4, 7, 10]
 * new Linear(3, 2, { bias: false }).namedParameters().map(([name]) => name); // ['weight']
 */
export class Linear extends Module {
  /** torch's `weight`, (outFeatures, inFeatures): the live tensor (createParameter defines it). */
  declare weight: Tensor;
  /** torch's `bias`, (outFeatures), or null when built with `bias: false` (torch: None). */
  declare bias: Tensor | null;
  private readonly config: LinearConfig;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions) {
    super();
    this.config = parseLinearArguments(inFeatures, outFeatures, options);
    this.createParameter('weight', [this.outFeatures, this.inFeatures]);
    this.createParameter('bias', this.config.bias ? [this.outFeatures] : null);
    this.resetParameters();
  }

  /**
   * A Linear shaped like a checkpoint, holding its weights: inFeatures and outFeatures from
   * `weight` (H_out, H_in), bias from whether a `bias` key is there; then loaded as
   * `loadStateDict(sd, { strict: true, prefix })` loads it (a stray key under the prefix is
   * an error).
   *
   * @param stateDict - tensors by torch's names, as `safetensors.loadFile()` returns them.
   * @param options - `prefix`: only keys starting with it count, with it stripped ('head.').
   * @example
   * const head = Linear.fromStateDict(safetensors.loadFile('model.safetensors'), { prefix: 'head.' });
   */
  static fromStateDict(stateDict: StateDictLike, options?: FromStateDictOptions): Linear {
    const checkpoint = asStateDict(stateDict);
    const { prefix, weightShape, hasBias } = checkLayerCheckpoint('Linear', checkpoint, options, []);
    const module = new Linear(weightShape[1], weightShape[0], { bias: hasBias });
    module.loadStateDict(checkpoint, { prefix });
    return module;
  }

  /** H_in: the size of each input's last dimension. Read-only. */
  get inFeatures(): number {
    return this.config.inFeatures;
  }
  /** H_out: the size of each output's last dimension. Read-only. */
  get outFeatures(): number {
    return this.config.outFeatures;
  }

  /** torch's extra_repr: `in_features=256, out_features=5, bias=True`. */
  extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.config.bias ? 'True' : 'False'}`;
  }

  /**
   * Draws weight and bias again from U(-1/sqrt(H_in), 1/sqrt(H_in)) (zeros when H_in is 0),
   * as torch's `reset_parameters()`, from the global generator that {@link manualSeed}
   * seeds. In place: the tensors of namedParameters() see the new values.
   */
  resetParameters(): void {
    this.resetUniform(this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0);
  }

  /**
   * y = x W^T + b over the last dimension, on the calling thread (one BLAS call).
   *
   * @param input - (*, H_in): any number of leading dimensions, at least one dimension in
   *   all; a Tensor or nested arrays.
   * @returns (*, H_out).
   * @throws RangeError `mat1 and mat2 shapes cannot be multiplied (2x5 and 4x3)` (torch's
   *   message) when the last dimension is not H_in.
   */
  forward(input: TensorLike): Tensor {
    checkParameterData('Linear', this.params);
    const x = checkLinearInput(this.config, input);
    // From the leading dimensions, not numel / inFeatures: with inFeatures 0 every row is the bias.
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const output = allocateFloats(rows * this.outFeatures);
    if (rows > 0 && this.outFeatures > 0) {
      native.linearForward({
        input: x.data,
        rows,
        inFeatures: this.inFeatures,
        weight: this.params.get('weight')!.data,
        bias: this.params.get('bias')?.data ?? null,
        outFeatures: this.outFeatures,
        output,
      });
    }
    return new Tensor(output, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}

fixedAfterConstruction(Linear, ['inFeatures', 'outFeatures']);
