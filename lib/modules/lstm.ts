import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { LSTMFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';

export interface LSTMOptions extends Omit<RecurrentOptions, 'nonlinearity'> {}
export type LSTMState = [TensorLike, TensorLike];

/**
 * Applies a multi-layer long short-term memory (LSTM) RNN to an input sequence. Each layer computes:
 *
 *     i_t = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *     f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *     g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *     o_t = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *     c_t = f_t * c_{t-1} + i_t * g_t
 *     h_t = o_t * tanh(c_t)            (then h_t = W_hr h_t when projSize > 0)
 *
 * Args: inputSize (H_in), hiddenSize (H_cell), options numLayers=1, bias=true,
 * batchFirst=false, dropout=0, bidirectional=false (D = 2), projSize=0
 * (H_out = projSize || hiddenSize).
 *
 * Inputs: `input` (L, N, H_in), (N, L, H_in) with batchFirst, (L, H_in) unbatched, or a
 * PackedSequence; `[h0, c0]`: h0 (D*numLayers, N, H_out), c0 (D*numLayers, N, H_cell),
 * zeros when omitted.
 *
 * Outputs: [output (L, N, D*H_out), [hN (D*numLayers, N, H_out), cN (D*numLayers, N, H_cell)]].
 *
 * Parameters: weight_ih_l{k} (4*H_cell, H_in) for k = 0 else (4*H_cell, D*H_out),
 * weight_hh_l{k} (4*H_cell, H_out), bias_ih_l{k}, bias_hh_l{k} (4*H_cell), weight_hr_l{k}
 * (H_out, H_cell) when projSize > 0; gate order i|f|g|o; `_reverse` for the second
 * direction; all from U(-sqrt(1/H_cell), sqrt(1/H_cell)).
 *
 * @example
 * const lstm = new LSTM(10, 20, 2);
 * const [output, [hN, cN]] = lstm.forward(randn([5, 3, 10]));
 * output.shape; // [5, 3, 20]
 * hN.shape;     // [2, 3, 20]
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, numLayers?: number);
  constructor(inputSize: number, hiddenSize: number, options?: LSTMOptions);
  constructor(options: LSTMOptions & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('LSTM', args);
  }

  /**
   * An LSTM shaped like a checkpoint, holding its weights. inputSize, hiddenSize, numLayers,
   * bidirectional, projSize and bias come from the keys and shapes that PyTorch's
   * `state_dict()` writes (weight_ih_l0 is (4*H_cell, H_in), weight_hr_l0 (H_out, H_cell), any
   * `_reverse` key means two directions); the values then load as `loadStateDict(sd,
   * { strict: true, prefix })` loads them. `options` give what weights cannot tell:
   * batchFirst, dropout, and `prefix` to take the LSTM out of a larger model's checkpoint.
   * The new module is in training mode, like any new module.
   *
   * @example
   * // Python: save_file(model.state_dict(), "model.safetensors"), model.encoder being an nn.LSTM
   * const lstm = LSTM.fromStateDict(safetensors.loadFile('model.safetensors'), {
   *   prefix: 'encoder.',
   *   batchFirst: true,
   * }).eval();
   */
  static fromStateDict(stateDict: Record<string, unknown>, options?: LSTMFromStateDictOptions): LSTM {
    return moduleFromStateDict(LSTM, 'LSTM', stateDict, options);
  }

  forward(input: TensorLike, hx?: LSTMState | null): [Tensor, [Tensor, Tensor]];
  forward(input: PackedSequence, hx?: LSTMState | null): [PackedSequence, [Tensor, Tensor]];
  forward(input: TensorLike | PackedSequence, hx?: LSTMState | null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const { output, hN, cN } = this.runSync(input, hx);
    return [output, [hN, cN!]];
  }

  /** forward() off the JS thread: the same checks (bad arguments throw at once), math on the libuv pool. */
  forwardAsync(input: TensorLike, hx?: LSTMState | null): Promise<[Tensor, [Tensor, Tensor]]>;
  forwardAsync(input: PackedSequence, hx?: LSTMState | null): Promise<[PackedSequence, [Tensor, Tensor]]>;
  forwardAsync(input: TensorLike | PackedSequence, hx?: LSTMState | null): Promise<[Tensor | PackedSequence, [Tensor, Tensor]]> {
    return this.runAsync(input, hx, this.forwardAsync).then(({ output, hN, cN }) => [output, [hN, cN!]]);
  }
}
