import type { StateDictLike } from '../validation/state-dict';
import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { GRUFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';

/**
 * Options of {@link GRU}: torch.nn.GRU's keyword arguments in camelCase, with its defaults
 * (numLayers=1, bias=true, batchFirst=false, dropout=0, bidirectional=false). Any other
 * key throws torch's `GRU.__init__() got an unexpected keyword argument`.
 */
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
  /** nn.GRU(10, 20, 2, batch_first=True) as new GRU(10, 20, 2, { batchFirst: true }); torch's later positional arguments (bias, batchFirst, dropout, bidirectional) are taken in its order too. */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options: GRUOptions);
  /** torch's positional order: nn.GRU(10, 20, 2, True, True) as new GRU(10, 20, 2, true, true). */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, bias: boolean, batchFirst?: boolean,
    dropout?: number, bidirectional?: boolean);
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
  static fromStateDict(stateDict: StateDictLike, options?: GRUFromStateDictOptions): GRU {
    return moduleFromStateDict(GRU, 'GRU', stateDict, options);
  }

  /**
   * Runs every layer over the whole sequence, as torch's `forward`, on the calling thread.
   * Every argument is checked first and errors carry torch's messages.
   * In training mode with `dropout > 0` and `numLayers > 1`, draws the dropout masks from
   * the global generator ({@link manualSeed}).
   *
   * @param input - (L, N, H_in), (N, L, H_in) with batchFirst, or (L, H_in) unbatched: a
   *   Tensor or nested arrays.
   * @param hx - h0: (D*numLayers, N, H_out), or (D*numLayers, H_out) for unbatched input,
   *   never batch-first; zeros when omitted or null.
   * @returns `[output, hN]`: output (L, N, D*H_out), the last layer's h_t for every t ((N, L,
   *   D*H_out) with batchFirst, (L, D*H_out) unbatched); hN (D*numLayers, N, H_out), every
   *   layer's final h ((D*numLayers, H_out) unbatched).
   */
  forward(input: TensorLike, hx?: TensorLike | null): [Tensor, Tensor];
  /**
   * Runs over a batch of sequences of different lengths, as torch does with a
   * PackedSequence: each sequence stops at its own length.
   * In training mode with `dropout > 0` and `numLayers > 1`, draws the dropout masks from
   * the global generator ({@link manualSeed}).
   *
   * @param input - a PackedSequence of (sum of lengths, H_in) data, from packPaddedSequence
   *   or packSequence.
   * @param hx - h0: (D*numLayers, N, H_out) in the original (unsorted) batch order; zeros
   *   when omitted or null.
   * @returns `[output, hN]`: output a PackedSequence of (sum of lengths, D*H_out) data with
   *   the input's batchSizes and indices; hN (D*numLayers, N, H_out), each sequence's
   *   state after its own last step, in the original batch order.
   */
  forward(input: PackedSequence, hx?: TensorLike | null): [PackedSequence, Tensor];
  /**
   * Either form, for an input whose type is the union (`x: Tensor | PackedSequence`): the
   * output is a PackedSequence exactly when the input is one.
   */
  forward(input: TensorLike | PackedSequence, hx?: TensorLike | null): [Tensor | PackedSequence, Tensor];
  forward(input: TensorLike | PackedSequence, hx?: TensorLike | null): [Tensor | PackedSequence, Tensor] {
    const { output, hN } = this.runSync(input, hx);
    return [output, hN];
  }

  /**
   * {@link GRU.forward} off the JavaScript thread, for a padded (or unbatched) input.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input and h0 (and, in training mode, the dropout masks)
   * are a snapshot taken at the call: editing them while the Promise is pending does not
   * change its result. A failure on the native side (RangeError when the workspace cannot be
   * allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: `[output, hN]`, shaped as there.
   */
  forwardAsync(input: TensorLike, hx?: TensorLike | null): Promise<[Tensor, Tensor]>;
  /**
   * {@link GRU.forward} off the JavaScript thread, for a PackedSequence.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input and h0 (and, in training mode, the dropout masks)
   * are a snapshot taken at the call: editing them while the Promise is pending does not
   * change its result. A failure on the native side (RangeError when the workspace cannot be
   * allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: `[output, hN]`, output a PackedSequence.
   */
  forwardAsync(input: PackedSequence, hx?: TensorLike | null): Promise<[PackedSequence, Tensor]>;
  /** Either form, for an input whose type is the union: see the union overload of forward(). */
  forwardAsync(input: TensorLike | PackedSequence, hx?: TensorLike | null): Promise<[Tensor | PackedSequence, Tensor]>;
  forwardAsync(input: TensorLike | PackedSequence, hx?: TensorLike | null): Promise<[Tensor | PackedSequence, Tensor]> {
    return this.runAsync(input, hx, this.forwardAsync).then(({ output, hN }) => [output, hN]);
  }
}
