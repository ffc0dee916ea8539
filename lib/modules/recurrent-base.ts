// The shared body of RNN, LSTM and GRU (torch.nn.RNNBase): parameters, init and forward.
import { checkParameterData, requireBool } from '../validation/common';
import { RecurrentConfig, RecurrentMode, checkDropout, parseRecurrentArguments } from '../validation/recurrent';
import { Tensor } from '../tensor';
import { runPlan, runPlanAsync } from './async-call';
import { ForwardPlan, RecurrentResult, planForward } from './forward-plan';
import { Module } from './module';
import { pythonFloat, pythonValue } from './module-repr';
import { fixedAfterConstruction } from './settings';

/** torch's `RNNBase.mode`: the recurrence a module runs, an RNN's named by its nonlinearity. */
export type RecurrentModuleMode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

export abstract class RecurrentBase extends Module {
  /** The parameters as properties, as in torch (createParameter defines them): the live tensors. */
  [parameter: `weight_${string}` | `bias_${string}`]: Tensor;
  protected readonly config: RecurrentConfig;
  /**
   * The parameters' arrays in the order the native call takes them (torch's order), read at
   * each call: registerParameter may have replaced a tensor (weights tied to another module's).
   */
  private get weightArrays(): Float32Array[] {
    return [...this.params.values()].map((tensor) => tensor.data);
  }

  protected constructor(mode: RecurrentMode, args: unknown[]) {
    super();
    const config = parseRecurrentArguments(mode, args);
    this.config = config;
    this.createParameters();
    this.resetParameters();
  }

  /** torch's `mode`: 'LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU'. Read-only. */
  get mode(): RecurrentModuleMode {
    const { mode, nonlinearity } = this.config;
    if (mode !== 'RNN') return mode;
    return nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
  }

  /**
   * torch's `all_weights`: the parameters of each layer and direction (layer 0, its reverse,
   * layer 1, ...), each as [weight_ih, weight_hh, bias_ih, bias_hh, weight_hr] where present.
   * The live tensors, as namedParameters() hands them out (the module then stops keeping its
   * weights packed).
   */
  get allWeights(): Tensor[][] {
    const { numLayers, bidirectional, bias, projSize } = this.config;
    const perDirection = 2 + (bias ? 2 : 0) + (projSize > 0 ? 1 : 0);
    const tensors = this.namedParameters('', false).map(([, tensor]) => tensor);
    const groups: Tensor[][] = [];
    for (let i = 0; i < numLayers * (bidirectional ? 2 : 1); i++) {
      groups.push(tensors.slice(i * perDirection, (i + 1) * perDirection));
    }
    return groups;
  }

  /**
   * torch's `flatten_parameters()`, which lays the weights out for cuDNN: nothing to do on
   * the CPU (torch does nothing there either); the kernels keep their own packed copy.
   */
  flattenParameters(): void {}

  /** H_in: the features of each input element, the size of the input's last dimension. Read-only. */
  get inputSize(): number {
    return this.config.inputSize;
  }
  /**
   * The features in the hidden state, torch's hidden_size: H_out for RNN and GRU; for an
   * LSTM, H_cell (the size of c), with H_out = projSize || hiddenSize the size of h. Read-only.
   */
  get hiddenSize(): number {
    return this.config.hiddenSize;
  }
  /** Recurrent layers stacked, each reading the previous one's output. Default 1. Read-only. */
  get numLayers(): number {
    return this.config.numLayers;
  }
  /** Whether the layers have the biases b_ih and b_hh (`bias_ih_l{k}`, `bias_hh_l{k}`). Default true. Read-only. */
  get bias(): boolean {
    return this.config.bias;
  }
  /** Whether a second direction reads the sequence backwards (D = 2), its outputs concatenated. Default false. Read-only. */
  get bidirectional(): boolean {
    return this.config.bidirectional;
  }
  /** LSTM: the size h is projected to by W_hr (H_out = projSize), 0 when none; always 0 for RNN and GRU. Read-only. */
  get projSize(): number {
    return this.config.projSize;
  }

  /**
   * Whether input and output are (N, L, *) rather than (L, N, *); never applies to h0/hN,
   * c0/cN. Default false. May be assigned, as in torch: the next forward reads it.
   *
   * @throws TypeError when assigned anything but a boolean.
   */
  get batchFirst(): boolean {
    return this.config.batchFirst;
  }
  set batchFirst(value: boolean) {
    this.config.batchFirst = requireBool(value, 'batch_first');
  }

  /**
   * Probability of zeroing each output element of every layer but the last, in training
   * mode only (kept elements scaled by 1 / (1 - dropout)). Default 0. May be assigned, as in
   * torch: the next forward uses it.
   *
   * @throws RangeError when assigned anything but a number in [0, 1] (the constructor's message).
   */
  get dropout(): number {
    return this.config.dropout;
  }
  set dropout(value: number) {
    this.config.dropout = checkDropout(value);
  }

  /** torch's extra_repr: `64, 128, num_layers=2, batch_first=True, bidirectional=True`. */
  extraRepr(): string {
    const c = this.config;
    let text = `${c.inputSize}, ${c.hiddenSize}`;
    if (c.projSize !== 0) text += `, proj_size=${c.projSize}`;
    if (c.numLayers !== 1) text += `, num_layers=${c.numLayers}`;
    if (c.bias !== true) text += `, bias=${pythonValue(c.bias)}`;
    if (c.batchFirst !== false) text += `, batch_first=${pythonValue(c.batchFirst)}`;
    if (c.dropout !== 0) text += `, dropout=${pythonFloat(c.dropout)}`;
    if (c.bidirectional !== false) text += `, bidirectional=${pythonValue(c.bidirectional)}`;
    return text;
  }

  /** torch's names and shapes: weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_*, weight_hr_l{k}. */
  private createParameters(): void {
    const { inputSize, hiddenSize, projSize, numLayers, bias, bidirectional } = this.config;
    const gateRows = gatesOf(this.config.mode) * hiddenSize;
    const outputSize = projSize > 0 ? projSize : hiddenSize;
    const directions = bidirectional ? 2 : 1;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
        const layerInput = layer === 0 ? inputSize : outputSize * directions;
        this.createParameter(`weight_ih${suffix}`, [gateRows, layerInput]);
        this.createParameter(`weight_hh${suffix}`, [gateRows, outputSize]);
        if (bias) {
          this.createParameter(`bias_ih${suffix}`, [gateRows]);
          this.createParameter(`bias_hh${suffix}`, [gateRows]);
        }
        if (projSize > 0) this.createParameter(`weight_hr${suffix}`, [projSize, hiddenSize]);
      }
    }
  }


  /**
   * Draws every parameter again from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), as
   * torch's `reset_parameters()`, from the global generator that {@link manualSeed} seeds.
   * In place: the tensors of namedParameters() keep their identity and see the new values.
   */
  resetParameters(): void {
    this.resetUniform(1 / Math.sqrt(this.config.hiddenSize));
  }

  protected planForward(input: unknown, hx: unknown): ForwardPlan<RecurrentResult> {
    checkParameterData(this.config.mode, this.params);
    return planForward(this.config, this.weightArrays, this.packedWeightsForCall(), input, hx, this.training);
  }

  protected runSync(input: unknown, hx: unknown): RecurrentResult {
    return runPlan(this.planForward(input, hx));
  }

  /**
   * Checks and allocates here, on the calling thread, before any native work; a bad
   * argument rejects the returned Promise (never a synchronous throw). Computes on the
   * libuv pool. `caller` anchors the stack of errors from the native side.
   */
  protected runAsync(input: unknown, hx: unknown, caller: Function): Promise<RecurrentResult> {
    return runPlanAsync(() => this.planForward(input, hx), caller);
  }
}

export function gatesOf(mode: RecurrentMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

fixedAfterConstruction(RecurrentBase, ['inputSize', 'hiddenSize', 'numLayers', 'bias', 'bidirectional', 'projSize']);
