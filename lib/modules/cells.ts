// RNNCell, LSTMCell, GRUCell: one time step, run by the same native engine as a
// one-layer, one-step sequence.
import type { StateDictLike } from '../validation/state-dict';
import { Tensor, TensorLike, allocateFloats } from '../tensor';
import { checkParameterData } from '../validation/common';
import { CellConfig, CellMode, CellOptions, checkCellForward, nonlinearityText, parseCellArguments } from '../validation/recurrent';
import { runPlan, runPlanAsync } from './async-call';
import { ForwardPlan, nativeCall } from './forward-plan';
import { FromStateDictOptions, RNNCellFromStateDictOptions, moduleFromStateDict } from './infer-architecture';
import { Module } from './module';
import { fixedAfterConstruction } from './settings';

interface CellResult {
  h1: Tensor;
  c1: Tensor | null;
}

abstract class CellBase extends Module {
  /** The parameters as properties, as in torch (createParameter defines them): the live tensors. */
  [parameter: `weight_${string}` | `bias_${string}`]: Tensor;
  protected readonly config: CellConfig;
  /**
   * The parameters' arrays in the order the native call takes them (torch's order), read at
   * each call: registerParameter may have replaced a tensor (weights tied to another module's).
   */
  private get weightArrays(): Float32Array[] {
    return [...this.params.values()].map((tensor) => tensor.data);
  }

  protected constructor(mode: CellMode, args: unknown[]) {
    super();
    this.config = parseCellArguments(mode, args);
    const gateRows = (mode === 'LSTMCell' ? 4 : mode === 'GRUCell' ? 3 : 1) * this.hiddenSize;
    this.createParameter('weight_ih', [gateRows, this.inputSize]);
    this.createParameter('weight_hh', [gateRows, this.hiddenSize]);
    if (this.bias) {
      this.createParameter('bias_ih', [gateRows]);
      this.createParameter('bias_hh', [gateRows]);
    }
    this.resetParameters();
  }


  /** H_in: the features of each input, the size of the input's last dimension. Read-only. */
  get inputSize(): number {
    return this.config.inputSize;
  }
  /** H_out: the size of the hidden state h (and of an LSTMCell's cell state c). Read-only. */
  get hiddenSize(): number {
    return this.config.hiddenSize;
  }
  /** Whether the cell has the biases b_ih and b_hh (`bias_ih`, `bias_hh`). Default true. Read-only. */
  get bias(): boolean {
    return this.config.bias;
  }

  /** torch's extra_repr: `10, 20`, then `bias=False` and `nonlinearity=relu` when not the defaults. */
  extraRepr(): string {
    let text = `${this.config.inputSize}, ${this.config.hiddenSize}`;
    if (!this.config.bias) text += ', bias=False';
    if (this.config.mode === 'RNNCell' && this.config.nonlinearity !== 'tanh') text += `, nonlinearity=${nonlinearityText(this.config.nonlinearity)}`;
    return text;
  }

  /**
   * Draws every parameter again from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), as
   * torch's `reset_parameters()`, from the global generator that {@link manualSeed} seeds.
   * In place: the tensors of namedParameters() keep their identity and see the new values.
   */
  resetParameters(): void {
    this.resetUniform(this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0);
  }

  protected planStep(input: unknown, hx: unknown): ForwardPlan<CellResult> {
    checkParameterData(this.config.mode, this.params);
    const { input: x, unbatched, batch, h0, c0, nonlinearity } = checkCellForward(this.config, input, hx);
    const H = this.hiddenSize;
    const lstm = this.config.mode === 'LSTMCell';
    const h1 = allocateFloats(batch * H);
    const c1 = lstm ? allocateFloats(batch * H) : null;
    const stateShape = unbatched ? [H] : [batch, H];
    const finish = (): CellResult => ({
      h1: new Tensor(h1, stateShape),
      c1: c1 ? new Tensor(c1, stateShape) : null,
    });
    // hidden_size 0 (torch allows it for cells): the outputs are empty, nothing to compute.
    if (batch === 0 || H === 0) return { call: null, finish };
    // A cell is a one-layer, one-direction, one-step sequence of the same engine.
    const layer = {
      mode: lstm ? 'LSTM' : this.config.mode === 'GRUCell' ? 'GRU' : 'RNN',
      nonlinearity,
      inputSize: this.inputSize,
      hiddenSize: H,
      projSize: 0,
      numLayers: 1,
      bidirectional: false,
      bias: this.bias,
    } as const;
    const call = nativeCall(layer, this.weightArrays, {
      steps: 1,
      batch,
      batchFirst: false,
      batchSizes: null,
      input: x.data,
      h0: h0 ? h0.data : null,
      c0: c0 ? c0.data : null,
      // A one-step sequence's output is its final state: both land in h1.
      output: allocateFloats(batch * H),
      hN: h1,
      cN: c1,
      dropoutMasks: null,
      packedWeights: this.packedWeightsForCall(),
    });
    return { call, finish };
  }

  protected step(input: unknown, hx: unknown): CellResult {
    return runPlan(this.planStep(input, hx));
  }

  /** Checked on the calling thread; bad arguments reject the Promise. The step runs on the libuv pool. */
  protected stepAsync(input: unknown, hx: unknown, caller: Function): Promise<CellResult> {
    return runPlanAsync(() => this.planStep(input, hx), caller);
  }
}

/**
 * An Elman RNN cell with tanh or ReLU non-linearity: one time step of a one-layer RNN.
 *
 *     h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)
 *
 * (ReLU instead of tanh with `nonlinearity: 'relu'`).
 *
 * Args: inputSize (H_in), hiddenSize (H_out), options bias=true, nonlinearity='tanh'.
 *
 * Inputs: `input` (N, H_in), or (H_in) unbatched; `hx` (N, H_out), or (H_out) unbatched,
 * zeros when omitted.
 *
 * Outputs: h' (N, H_out), or (H_out) unbatched.
 *
 * Parameters: weight_ih (H_out, H_in), weight_hh (H_out, H_out), bias_ih and bias_hh
 * (H_out); all from U(-sqrt(1/H_out), sqrt(1/H_out)).
 *
 * @example
 * const cell = new RNNCell(10, 20);
 * const steps = [randn([3, 10]), randn([3, 10]), randn([3, 10])]; // L = 3 steps of (N, H_in)
 * let h = zeros([3, 20]);
 * for (const x of steps) h = cell.forward(x, h);
 * h.shape; // [3, 20]
 */
export class RNNCell extends CellBase {
  /**
   * 'tanh' (default) or 'relu': the cell's activation. Read-only. As in torch, any other
   * value is kept as given (and forward refuses it: 'Unknown nonlinearity: sigmoid').
   */
  get nonlinearity(): 'tanh' | 'relu' {
    const { nonlinearity } = this.config;
    return (typeof nonlinearity === 'string' ? nonlinearity : nonlinearity.unchecked) as 'tanh' | 'relu';
  }

  constructor(inputSize: number, hiddenSize: number, options?: CellOptions);
  /** torch's positional order: nn.RNNCell(10, 20, False, 'relu') as new RNNCell(10, 20, false, 'relu'). */
  constructor(inputSize: number, hiddenSize: number, bias: boolean, nonlinearity?: 'tanh' | 'relu');
  constructor(options: CellOptions & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('RNNCell', args);
  }

  /**
   * An RNNCell shaped like a checkpoint (weight_ih (H_out, H_in), weight_hh, bias_ih and bias_hh
   * when bias), loaded as `loadStateDict(sd, { strict: true, prefix })` loads it. `options`:
   * nonlinearity ('relu' cannot be told from the weights) and `prefix`.
   *
   * @example
   * const cell = RNNCell.fromStateDict(safetensors.loadFile('model.safetensors'), { prefix: 'cell.' });
   */
  static fromStateDict(stateDict: StateDictLike, options?: RNNCellFromStateDictOptions): RNNCell {
    return moduleFromStateDict(RNNCell, 'RNNCell', stateDict, options);
  }

  /**
   * One time step, as torch's `forward`, on the calling thread. Every argument is checked
   * first and errors carry torch's messages.
   *
   * @param input - (N, H_in), or (H_in) unbatched: a Tensor or nested arrays.
   * @param hx - h: (N, H_out), or (H_out) unbatched; zeros when omitted or null.
   * @returns h': (N, H_out), or (H_out) unbatched.
   */
  forward(input: TensorLike, hx?: TensorLike | null): Tensor {
    return this.step(input, hx).h1;
  }

  /**
   * {@link RNNCell.forward} off the JavaScript thread.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input and hx are a snapshot taken at the call: editing
   * them while the Promise is pending does not change its result. A failure on the native
   * side (RangeError when the workspace cannot be allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: h' (N, H_out), or (H_out) unbatched.
   */
  forwardAsync(input: TensorLike, hx?: TensorLike | null): Promise<Tensor> {
    return this.stepAsync(input, hx, this.forwardAsync).then(({ h1 }) => h1);
  }
}

/**
 * A gated recurrent unit (GRU) cell, PyTorch's variant: one time step of a one-layer GRU.
 *
 *     r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *     z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *     n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *     h' = (1 - z) * n + z * h
 *
 * Args: inputSize (H_in), hiddenSize (H_out), options bias=true.
 *
 * Inputs: `input` (N, H_in), or (H_in) unbatched; `hx` (N, H_out), or (H_out) unbatched,
 * zeros when omitted.
 *
 * Outputs: h' (N, H_out), or (H_out) unbatched.
 *
 * Parameters: weight_ih (3*H_out, H_in), weight_hh (3*H_out, H_out), bias_ih and bias_hh
 * (3*H_out); gate order r|z|n; all from U(-sqrt(1/H_out), sqrt(1/H_out)).
 *
 * @example
 * const cell = new GRUCell(10, 20);
 * const h1 = cell.forward(randn([3, 10]));
 * h1.shape; // [3, 20]
 */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<CellOptions, 'nonlinearity'>);
  /** torch's positional order: bias third. */
  constructor(inputSize: number, hiddenSize: number, bias: boolean);
  constructor(options: Omit<CellOptions, 'nonlinearity'> & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('GRUCell', args);
  }

  /**
   * A GRUCell shaped like a checkpoint (weight_ih (3*H_out, H_in), weight_hh, bias_ih and bias_hh
   * when bias), loaded as `loadStateDict(sd, { strict: true, prefix })` loads it.
   *
   * @example
   * const cell = GRUCell.fromStateDict(safetensors.loadFile('gru_cell.safetensors'));
   */
  static fromStateDict(stateDict: StateDictLike, options?: FromStateDictOptions): GRUCell {
    return moduleFromStateDict(GRUCell, 'GRUCell', stateDict, options);
  }

  /**
   * One time step, as torch's `forward`, on the calling thread. Every argument is checked
   * first and errors carry torch's messages.
   *
   * @param input - (N, H_in), or (H_in) unbatched: a Tensor or nested arrays.
   * @param hx - h: (N, H_out), or (H_out) unbatched; zeros when omitted or null.
   * @returns h': (N, H_out), or (H_out) unbatched.
   */
  forward(input: TensorLike, hx?: TensorLike | null): Tensor {
    return this.step(input, hx).h1;
  }

  /**
   * {@link GRUCell.forward} off the JavaScript thread.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input and hx are a snapshot taken at the call: editing
   * them while the Promise is pending does not change its result. A failure on the native
   * side (RangeError when the workspace cannot be allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: h' (N, H_out), or (H_out) unbatched.
   */
  forwardAsync(input: TensorLike, hx?: TensorLike | null): Promise<Tensor> {
    return this.stepAsync(input, hx, this.forwardAsync).then(({ h1 }) => h1);
  }
}

/**
 * A long short-term memory (LSTM) cell: one time step of a one-layer LSTM, without projection.
 *
 *     i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
 *     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *     g = tanh(W_ig x + b_ig + W_hg h + b_hg)
 *     o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *     c' = f * c + i * g
 *     h' = o * tanh(c')
 *
 * Args: inputSize (H_in), hiddenSize (H_out), options bias=true.
 *
 * Inputs: `input` (N, H_in), or (H_in) unbatched; `[h0, c0]` each (N, H_out), or (H_out)
 * unbatched, zeros when omitted.
 *
 * Outputs: [h1, c1], each (N, H_out), or (H_out) unbatched.
 *
 * Parameters: weight_ih (4*H_out, H_in), weight_hh (4*H_out, H_out), bias_ih and bias_hh
 * (4*H_out); gate order i|f|g|o; all from U(-sqrt(1/H_out), sqrt(1/H_out)).
 *
 * @example
 * const cell = new LSTMCell(10, 20);
 * let [h, c] = cell.forward(randn([3, 10]));
 * [h, c] = cell.forward(randn([3, 10]), [h, c]);
 * h.shape; // [3, 20]
 */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<CellOptions, 'nonlinearity'>);
  /** torch's positional order: bias third. */
  constructor(inputSize: number, hiddenSize: number, bias: boolean);
  constructor(options: Omit<CellOptions, 'nonlinearity'> & { inputSize: number; hiddenSize: number });
  constructor(...args: unknown[]) {
    super('LSTMCell', args);
  }

  /**
   * An LSTMCell shaped like a checkpoint (weight_ih (4*H_out, H_in), weight_hh, bias_ih and
   * bias_hh when bias), loaded as `loadStateDict(sd, { strict: true, prefix })` loads it.
   *
   * @example
   * const cell = LSTMCell.fromStateDict(safetensors.loadFile('model.safetensors'), { prefix: 'decoder.cell.' });
   */
  static fromStateDict(stateDict: StateDictLike, options?: FromStateDictOptions): LSTMCell {
    return moduleFromStateDict(LSTMCell, 'LSTMCell', stateDict, options);
  }

  /**
   * One time step, as torch's `forward`, on the calling thread. Every argument is checked
   * first and errors carry torch's messages.
   *
   * @param input - (N, H_in), or (H_in) unbatched: a Tensor or nested arrays.
   * @param hx - `[h0, c0]`, each (N, H_out), or (H_out) unbatched; zeros when omitted or null.
   * @returns `[h1, c1]`, each (N, H_out), or (H_out) unbatched.
   */
  forward(input: TensorLike, hx?: [TensorLike, TensorLike] | null): [Tensor, Tensor] {
    const { h1, c1 } = this.step(input, hx);
    return [h1, c1!];
  }

  /**
   * {@link LSTMCell.forward} off the JavaScript thread.
   * Runs the same checks as forward(), on the calling thread before any native work
   * starts; it never throws: a bad argument rejects the returned Promise, with forward()'s message. The math then runs on the
   * libuv thread pool. The weights, input, h0 and c0 are a snapshot taken at the call:
   * editing them while the Promise is pending does not change its result. A failure on the
   * native side (RangeError when the workspace cannot be allocated) rejects the Promise.
   *
   * @returns a Promise of what forward() returns: `[h1, c1]`, each (N, H_out), or (H_out) unbatched.
   */
  forwardAsync(input: TensorLike, hx?: [TensorLike, TensorLike] | null): Promise<[Tensor, Tensor]> {
    return this.stepAsync(input, hx, this.forwardAsync).then(({ h1, c1 }) => [h1, c1!]);
  }
}

fixedAfterConstruction(CellBase, ['inputSize', 'hiddenSize', 'bias']);
fixedAfterConstruction(RNNCell, ['nonlinearity']);
