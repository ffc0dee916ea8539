import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { RNNFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';

export interface RNNOptions extends Omit<RecurrentOptions, 'projSize'> {}

/**
 * Applies a multi-layer Elman RNN with tanh or ReLU non-linearity to an input sequence.
 * For each element in the input sequence, each layer computes:
 *
 *     h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
 *
 * (ReLU instead of tanh with `nonlinearity: 'relu'`). For layers after the first, x_t is
 * the previous layer's h_t (times a dropout mask in training mode when `dropout > 0`).
 *
 * Args: inputSize (H_in), hiddenSize (H_out), and options numLayers=1, nonlinearity='tanh',
 * bias=true, batchFirst=false, dropout=0, bidirectional=false (D = 2 when set).
 *
 * Inputs: `input` of shape (L, N, H_in), (N, L, H_in) with batchFirst, (L, H_in) unbatched,
 * or a PackedSequence; `hx` of shape (D*numLayers, N, H_out) or (D*numLayers, H_out), zeros
 * when omitted.
 *
 * Outputs: [output, hN]: output (L, N, D*H_out) (batch-first when batchFirst; a
 * PackedSequence for packed input), hN (D*numLayers, N, H_out).
 *
 * Parameters: weight_ih_l{k} (H_out, H_in) for k = 0 else (H_out, D*H_out),
 * weight_hh_l{k} (H_out, H_out), bias_ih_l{k} and bias_hh_l{k} (H_out), `_reverse` for
 * the second direction; all from U(-sqrt(1/H_out), sqrt(1/H_out)).
 *
 * @example
 * const rnn = new RNN(10, 20, 2);
 * const [output, hN] = rnn.forward(randn([5, 3, 10]), randn([2, 3, 20]));
 * output.shape; // [5, 3, 20]
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, numLayers?: number);
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  constructor(options: RNNOptions & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('RNN', args);
    this.nonlinearity = this.config.nonlinearity;
  }

  /**
   * An RNN shaped like a checkpoint, holding its weights. inputSize, hiddenSize, numLayers,
   * bidirectional and bias come from the keys and shapes that PyTorch's `state_dict()`
   * writes (weight_ih_l0 is (H_out, H_in), any `_reverse` key means two directions); the
   * values then load as `loadStateDict(sd, { strict: true, prefix })` loads them. `options`
   * give what weights cannot tell: nonlinearity (a ReLU RNN's weights look like a tanh
   * one's: pass `nonlinearity: 'relu'`), batchFirst, dropout, and `prefix`.
   *
   * @example
   * const rnn = RNN.fromStateDict(safetensors.loadFile('rnn.safetensors'), { nonlinearity: 'relu' });
   */
  static fromStateDict(stateDict: Record<string, unknown>, options?: RNNFromStateDictOptions): RNN {
    return moduleFromStateDict(RNN, 'RNN', stateDict, options);
  }

  forward(input: TensorLike, hx?: TensorLike | null): [Tensor, Tensor];
  forward(input: PackedSequence, hx?: TensorLike | null): [PackedSequence, Tensor];
  forward(input: TensorLike | PackedSequence, hx?: TensorLike | null): [Tensor | PackedSequence, Tensor] {
    const { output, hN } = this.runSync(input, hx);
    return [output, hN];
  }

  /** forward() off the JS thread: the same checks (bad arguments throw at once), math on the libuv pool. */
  forwardAsync(input: TensorLike, hx?: TensorLike | null): Promise<[Tensor, Tensor]>;
  forwardAsync(input: PackedSequence, hx?: TensorLike | null): Promise<[PackedSequence, Tensor]>;
  forwardAsync(input: TensorLike | PackedSequence, hx?: TensorLike | null): Promise<[Tensor | PackedSequence, Tensor]> {
    return this.runAsync(input, hx, this.forwardAsync).then(({ output, hN }) => [output, hN]);
  }
}
