import type { StateDictLike } from '../validation/state-dict';
import { PackedSequence } from '../packing';
import { Tensor, TensorLike } from '../tensor';
import { RecurrentOptions } from '../validation/recurrent';
import { RNNFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { RecurrentBase } from './recurrent-base';
import { fixedAfterConstruction } from './settings';

/**
 * Options of {@link RNN}: torch.nn.RNN's keyword arguments in camelCase, with its defaults
 * (numLayers=1, nonlinearity='tanh', bias=true, batchFirst=false, dropout=0,
 * bidirectional=false). Any other key throws torch's `RNN.__init__() got an unexpected
 * keyword argument`.
 */
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
  /** 'tanh' (default) or 'relu': the activation of every layer. Read-only. */
  get nonlinearity(): 'tanh' | 'relu' {
    return this.config.nonlinearity;
  }

  constructor(inputSize: number, hiddenSize: number, numLayers?: number);
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  /** nn.RNN(10, 20, 2, batch_first=True) as new RNN(10, 20, 2, { batchFirst: true }); torch's later positional arguments (nonlinearity, bias, batchFirst, dropout, bidirectional) are taken in its order too. */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options: RNNOptions);
  /** torch's positional order: nn.RNN(10, 20, 2, 'relu', True, True) as new RNN(10, 20, 2, 'relu', true, true). */
  constructor(inputSize: number, hiddenSize: number, numLayers: number, nonlinearity: 'tanh' | 'relu', bias?: boolean,
    batchFirst?: boolean, dropout?: number, bidirectional?: boolean);
  constructor(options: RNNOptions & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('RNN', args);
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
  static fromStateDict(stateDict: StateDictLike, options?: RNNFromStateDictOptions): RNN {
    return moduleFromStateDict(RNN, 'RNN', stateDict, options);
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
   * {@link RNN.forward} off the JavaScript thread, for a padded (or unbatched) input.
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
   * {@link RNN.forward} off the JavaScript thread, for a PackedSequence.
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

fixedAfterConstruction(RNN, ['nonlinearity']);
