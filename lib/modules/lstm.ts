import type { StateDictLike } from '../validation/state-dict';
import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { LSTMFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';

/**
 * Options of {@link LSTM}: torch.nn.LSTM's keyword arguments in camelCase, with its
 * defaults (numLayers=1, bias=true, batchFirst=false, dropout=0, bidirectional=false,
 * projSize=0). Any other key throws torch's `LSTM.__init__() got an unexpected keyword
 * argument`.
 */
export interface LSTMOptions extends Omit<RecurrentOptions, 'nonlinearity'> {}
/**
 * An LSTM's state `[h, c]`, as forward() takes it (h0, c0) and returns it (hN, cN):
 * h (D*numLayers, N, H_out) and c (D*numLayers, N, H_cell), or (D*numLayers, H_out) and
 * (D*numLayers, H_cell) for unbatched input; never batch-first. Tensors or nested arrays.
 */
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
  /** nn.LSTM(10, 20, 2, batch_first=True) as new LSTM(10, 20, 2, { batchFirst: true }); torch's later positional arguments (bias, batchFirst, dropout, bidirectional, projSize) are taken in its order too. */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options: LSTMOptions);
  /** torch's positional order: nn.LSTM(10, 20, 1, True, True, 0, False, 5) as new LSTM(10, 20, 1, true, true, 0, false, 5). */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, bias: boolean, batchFirst?: boolean,
    dropout?: number, bidirectional?: boolean, projSize?: number);
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
  static fromStateDict(stateDict: StateDictLike, options?: LSTMFromStateDictOptions): LSTM {
    return moduleFromStateDict(LSTM, 'LSTM', stateDict, options);
  }

  /**
   * Runs every layer over the whole sequence, as torch's `forward`, on the calling thread.
   * Every argument is checked first and errors carry torch's messages.
   * In training mode with `dropout > 0` and `numLayers > 1`, draws the dropout masks from
   * the global generator ({@link manualSeed}).
   *
   * @param input - (L, N, H_in), (N, L, H_in) with batchFirst, or (L, H_in) unbatched: a
   *   Tensor or nested arrays.
   * @param hx - `[h0, c0]`: h0 (D*numLayers, N, H_out) and c0 (D*numLayers, N, H_cell), or
   *   (D*numLayers, H_out) and (D*numLayers, H_cell) for unbatched input, never
   *   batch-first; zeros when omitted or null.
   * @returns `[output, [hN, cN]]`: output (L, N, D*H_out), the last layer's h_t for every t
   *   ((N, L, D*H_out) with batchFirst, (L, D*H_out) unbatched); hN (D*numLayers, N, H_out)
   *   and cN (D*numLayers, N, H_cell), every layer's final states (without N unbatched).
   */
  forward(input: TensorLike, hx?: LSTMState | null): [Tensor, [Tensor, Tensor]];
  /**
   * Runs over a batch of sequences of different lengths, as torch does with a
   * PackedSequence: each sequence stops at its own length.
   * In training mode with `dropout > 0` and `numLayers > 1`, draws the dropout masks from
   * the global generator ({@link manualSeed}).
   *
   * @param input - a PackedSequence of (sum of lengths, H_in) data, from packPaddedSequence
   *   or packSequence.
   * @param hx - `[h0, c0]`: (D*numLayers, N, H_out) and (D*numLayers, N, H_cell) in the
   *   original (unsorted) batch order; zeros when omitted or null.
   * @returns `[output, [hN, cN]]`: output a PackedSequence of (sum of lengths, D*H_out) data
   *   with the input's batchSizes and indices; hN (D*numLayers, N, H_out) and cN
   *   (D*numLayers, N, H_cell), each sequence's states after its own last step, in the
   *   original batch order.
   */
  forward(input: PackedSequence, hx?: LSTMState | null): [PackedSequence, [Tensor, Tensor]];
  /**
   * Either form, for an input whose type is the union (`x: Tensor | PackedSequence`): the
   * output is a PackedSequence exactly when the input is one.
   */
  forward(input: TensorLike | PackedSequence, hx?: LSTMState | null): [Tensor | PackedSequence, [Tensor, Tensor]];
  forward(input: TensorLike | PackedSequence, hx?: LSTMState | null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const { output, hN, cN } = this.runSync(input, hx);
    return [output, [hN, cN!]];
  }

  /**
   * {@link LSTM.forward} off the JavaScript thread, for a padded (or unbatched) input.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input, h0 and c0 (and, in training mode, the dropout
   * masks) are a snapshot taken at the call: editing them while the Promise is pending does
   * not change its result. A failure on the native side (RangeError when the workspace
   * cannot be allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: `[output, [hN, cN]]`, shaped as there.
   */
  forwardAsync(input: TensorLike, hx?: LSTMState | null): Promise<[Tensor, [Tensor, Tensor]]>;
  /**
   * {@link LSTM.forward} off the JavaScript thread, for a PackedSequence.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input, h0 and c0 (and, in training mode, the dropout
   * masks) are a snapshot taken at the call: editing them while the Promise is pending does
   * not change its result. A failure on the native side (RangeError when the workspace
   * cannot be allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: `[output, [hN, cN]]`, output a PackedSequence.
   */
  forwardAsync(input: PackedSequence, hx?: LSTMState | null): Promise<[PackedSequence, [Tensor, Tensor]]>;
  /** Either form, for an input whose type is the union: see the union overload of forward(). */
  forwardAsync(input: TensorLike | PackedSequence, hx?: LSTMState | null): Promise<[Tensor | PackedSequence, [Tensor, Tensor]]>;
  forwardAsync(input: TensorLike | PackedSequence, hx?: LSTMState | null): Promise<[Tensor | PackedSequence, [Tensor, Tensor]]> {
    return this.runAsync(input, hx, this.forwardAsync).then(({ output, hN, cN }) => [output, [hN, cN!]]);
  }
}
