import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { GRUFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';

export interface GRUOptions extends Omit<RecurrentOptions, 'projSize' | 'nonlinearity'> {}

/**
 * Applies a multi-layer gated recurrent unit (GRU) RNN to an input sequence. Each layer computes:
 *
 *     r_t = sigmoid(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *     z_t = sigmoid(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *     n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
 *     h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 *
 * Args: inputSize (H_in), hiddenSize (H_out), options numLayers=1, bias=true,
 * batchFirst=false, dropout=0, bidirectional=false (D = 2 when set).
 *
 * Inputs: `input` (L, N, H_in), (N, L, H_in) with batchFirst, (L, H_in) unbatched, or a
 * PackedSequence; `hx` (D*numLayers, N, H_out) or (D*numLayers, H_out), zeros when omitted.
 *
 * Outputs: [output (L, N, D*H_out), hN (D*numLayers, N, H_out)].
 *
 * Parameters: weight_ih_l{k} (3*H_out, H_in) for k = 0 else (3*H_out, D*H_out),
 * weight_hh_l{k} (3*H_out, H_out), bias_ih_l{k}, bias_hh_l{k} (3*H_out); gate order r|z|n;
 * `_reverse` for the second direction; all from U(-sqrt(1/H_out), sqrt(1/H_out)).
 *
 * @example
 * const gru = new GRU(10, 20, { numLayers: 2, bidirectional: true });
 * const [output, hN] = gru.forward(randn([5, 3, 10]));
 * output.shape; // [5, 3, 40]
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, numLayers?: number);
  constructor(inputSize: number, hiddenSize: number, options?: GRUOptions);
  constructor(options: GRUOptions & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('GRU', args);
  }

  /**
   * A GRU shaped like a checkpoint, holding its weights. inputSize, hiddenSize, numLayers,
   * bidirectional and bias come from the keys and shapes that PyTorch's `state_dict()`
   * writes (weight_ih_l0 is (3*H_out, H_in), any `_reverse` key means two directions); the
   * values then load as `loadStateDict(sd, { strict: true, prefix })` loads them. `options`
   * give what weights cannot tell: batchFirst, dropout, and `prefix`.
   *
   * @example
   * const gru = GRU.fromStateDict(safetensors.loadFile('gru.safetensors'), { batchFirst: true });
   * const [output, hN] = gru.forward(randn([3, 5, gru.inputSize]));
   */
  static fromStateDict(stateDict: Record<string, unknown>, options?: GRUFromStateDictOptions): GRU {
    return moduleFromStateDict(GRU, 'GRU', stateDict, options);
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
