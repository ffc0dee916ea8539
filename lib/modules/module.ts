// What every module shares with torch.nn.Module: parameters by name, state dicts, train/eval.
import type { PackedWeights } from '../../binding';
import { native } from '../native';
import { fillUniform } from '../random';
import { Tensor, allocateFloats } from '../tensor';
import { checkParameterData } from '../validation/common';
import { planStateDictLoad } from '../validation/state-dict';

/** Options of {@link Module.loadStateDict}: torch's `strict`, and a `prefix` of this library's own. */
export interface LoadStateDictOptions {
  /**
   * Default true: a parameter with no key in the state dict, or a key (under `prefix`) that
   * names no parameter, is an error, as in torch. With false both are only reported, in
   * {@link LoadStateDictResult}. A shape mismatch is an error either way.
   */
  strict?: boolean;
  /**
   * Only keys starting with this count, with the prefix stripped: 'encoder.rnn.'. Keys
   * outside it are ignored, neither loaded nor reported. Default '' (every key).
   */
  prefix?: string;
}

/** What {@link Module.loadStateDict} reports, as torch's `_IncompatibleKeys`. */
export interface LoadStateDictResult {
  /**
   * Parameters that the state dict had no key for, as the keys that were expected
   * (prefix included). Empty after a successful strict load.
   */
  missingKeys: string[];
  /**
   * Keys under the prefix that name no parameter, as written in the state dict (prefix
   * included). Empty after a successful strict load.
   */
  unexpectedKeys: string[];
}

/**
 * The base of every module, mirroring the part of `torch.nn.Module` that a module with
 * weights and no submodules has: parameters by torch's names, state dicts, and the
 * training flag. RNN, LSTM, GRU, the cells, Linear and Embedding extend it; it is not
 * constructed by itself.
 *
 * - `training` is true after construction, as in torch. `train(mode = true)` sets it and
 *   `eval()` clears it; both return the module. It changes what RNN, LSTM and GRU compute
 *   when `dropout > 0` (dropout between layers in training mode only) and nothing else.
 * - `namedParameters()` gives `[name, tensor]` pairs in torch's registration order, the
 *   order of its `state_dict()` keys (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, ...);
 *   `parameters()` the same tensors without names. They are the module's own, live
 *   tensors: writing into their `data` changes what the next forward computes.
 *   `parameterShapes()` gives `[name, shape]` pairs, no tensors.
 * - Speed: RNN, LSTM, GRU and the cells keep their weights packed for the native kernels
 *   between calls (the first forward packs them), so that short calls do not repack
 *   them each time: 0.38x the time for one step of a batch of 8 at H=256, 0.56x for two
 *   steps (`bench/cache-effect.js`). They do so only while their parameters cannot change unseen: once
 *   `namedParameters()` or `parameters()` has handed out the live tensors, every call
 *   packs again from their current values (as before; the numbers are the same).
 *   `loadStateDict` and `resetParameters` start a new cache. Use `stateDict()` (copies)
 *   or `parameterShapes()` to read a module you serve.
 * - `stateDict()` gives copies, by the same names: later changes to the module do not
 *   reach them, and changes to them do not reach the module.
 * - `loadStateDict(stateDict, { strict = true, prefix = '' })` copies checkpoint values
 *   into the parameters in place (the live tensors keep their identity). Every key and
 *   shape is checked before anything is copied, so a failed load changes nothing. Only
 *   keys starting with `prefix` count, with it stripped. With `strict`, a missing or an
 *   unexpected key is an error; without, both are returned as {@link LoadStateDictResult}.
 *   A shape mismatch is always an error. The error is an `Error` with torch's message:
 *   `Error(s) in loading state_dict for LSTM:` followed by a tab-indented line for each of
 *   `Missing key(s) in state_dict: "bias_hh_l0".`, `Unexpected key(s) in state_dict:
 *   "foo".` and `size mismatch for weight_ih_l0: copying a param with shape [32, 5] from
 *   checkpoint, the shape in current model is [32, 4].`, in that order.
 *
 * @example
 * const lstm = new LSTM(4, 8);
 * lstm.namedParameters().map(([name, p]) => `${name} [${p.shape}]`);
 * // ['weight_ih_l0 [32,4]', 'weight_hh_l0 [32,8]', 'bias_ih_l0 [32]', 'bias_hh_l0 [32]']
 * lstm.eval().training; // false: no dropout
 *
 * const copy = new LSTM(4, 8);
 * copy.loadStateDict(lstm.stateDict()); // { missingKeys: [], unexpectedKeys: [] }
 *
 * // One module's keys out of a larger model's checkpoint
 * const checkpoint = {
 *   'head.weight': zeros([2, 8]),
 *   ...Object.fromEntries(Object.entries(lstm.stateDict()).map(([name, value]) => [`encoder.${name}`, value])),
 * };
 * copy.loadStateDict(checkpoint, { prefix: 'encoder.' }); // { missingKeys: [], unexpectedKeys: [] }
 *
 * const { bias_hh_l0, ...partial } = lstm.stateDict();
 * copy.loadStateDict(partial, { strict: false }); // { missingKeys: ['bias_hh_l0'], unexpectedKeys: [] }
 * copy.loadStateDict(partial);
 * // Error: Error(s) in loading state_dict for LSTM:
 * //         Missing key(s) in state_dict: "bias_hh_l0".
 */
export abstract class Module {
  /**
   * True after construction, like torch; set by {@link Module.train} and
   * {@link Module.eval}. In training mode RNN, LSTM and GRU apply their `dropout`.
   */
  training = true;
  /** Parameters in torch's registration order. The tensors are live: edits reach forward. */
  protected readonly params = new Map<string, Tensor>();
  /**
   * Set once namedParameters() or parameters() has handed out the live tensors: from then
   * on their data may be edited in place at any time, unseen.
   */
  private parametersLent = false;
  /** The parameters packed by the native side for its GEMM kernel, kept between calls. */
  private packedWeights: PackedWeights | null = null;

  /**
   * Sets training mode (`mode` true, the default) or evaluation mode (false), as torch's
   * `train()`. Returns the module, for chaining.
   *
   * @throws TypeError `training mode is expected to be boolean` when `mode` is not a boolean.
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`training mode is expected to be boolean`);
    this.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`, as torch's `eval()`. Returns the module. */
  eval(): this {
    return this.train(false);
  }

  /**
   * [name, tensor] pairs in torch's registration order, by torch's names. The tensors are
   * the module's own (live): writing into their `data` reaches the next forward. From now
   * on the module packs its weights at every call instead of keeping them packed (see
   * the class notes: speed).
   */
  namedParameters(): Array<[string, Tensor]> {
    this.lendParameters();
    return [...this.params.entries()];
  }

  /**
   * The tensors of {@link Module.namedParameters}, in the same order; live, not copies.
   * Like namedParameters, ends the module's packed-weight cache.
   */
  parameters(): Tensor[] {
    this.lendParameters();
    return [...this.params.values()];
  }

  /**
   * [name, shape] of every parameter, in torch's order: what namedParameters tells about
   * shapes, without handing out the tensors (so the packed-weight cache stays).
   */
  parameterShapes(): Array<[string, number[]]> {
    return [...this.params.entries()].map(([name, tensor]) => [name, [...tensor.shape]]);
  }

  /**
   * Copies of every parameter, by torch's names and in its order: a checkpoint that later
   * changes to the module do not reach. `safetensors.saveFile(module.stateDict(), path)`
   * writes what PyTorch's `load_file` + `load_state_dict` read.
   */
  stateDict(): Record<string, Tensor> {
    checkParameterData(this.constructor.name, this.params);
    const out: Record<string, Tensor> = {};
    for (const [name, tensor] of this.params) out[name] = tensor.clone();
    return out;
  }

  /**
   * Copies checkpoint values into the parameters (in place, as torch does). Every key and
   * shape is checked first: on error nothing is changed.
   *
   * @param stateDict - tensors (or nested arrays) by torch's parameter names, as
   *   `stateDict()` or `safetensors.loadFile()` return them.
   * @param options - `strict` (default true) and `prefix` (default ''): see {@link LoadStateDictOptions}.
   * @returns the missing and unexpected keys; both empty after a strict load.
   * @throws Error `Error(s) in loading state_dict for <Module>:` with torch's lines for
   *   missing keys (strict), unexpected keys (strict) and size mismatches (always).
   * @throws TypeError when `stateDict` is not an object, `strict` not a boolean or `prefix` not a string.
   */
  loadStateDict(stateDict: Record<string, unknown>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true, prefix = '' } = options ?? {};
    const plan = planStateDictLoad(this.constructor.name, this.params, stateDict, strict, prefix);
    checkParameterData(this.constructor.name, this.params);
    for (const [name, source] of plan.assignments) this.params.get(name)!.data.set(source.data);
    this.parametersChanged();
    return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
  }

  /** The parameters were replaced through the module: a packed copy of the old ones must go. */
  private parametersChanged(): void {
    this.packedWeights = null;
  }

  /** From now on the live tensors may be edited in place unseen: no packed copy can be kept. */
  private lendParameters(): void {
    this.parametersLent = true;
    this.packedWeights = null;
  }

  /**
   * The packed weights a native recurrent call may use (the native side fills them on first
   * use), or null. A module keeps them only while its parameters cannot change unseen:
   * until namedParameters() or parameters() hands out the live tensors, whose in-place
   * edits must reach the next forward (a packed copy would not see them). loadStateDict
   * and resetParameters change the parameters through the module and start a new cache.
   */
  protected packedWeightsForCall(): PackedWeights | null {
    if (this.parametersLent) return null;
    if (!this.packedWeights) this.packedWeights = native.createPackedWeights();
    return this.packedWeights;
  }

  /** Adds a parameter of `shape`, zero-filled, under torch's `name` (registration order is torch's). */
  protected registerParameter(name: string, shape: number[]): void {
    this.params.set(name, new Tensor(allocateFloats(shape.reduce((a, b) => a * b, 1)), shape));
  }

  /** Every parameter from U(-bound, bound), the init torch's recurrent modules and Linear use. */
  protected resetUniform(bound: number): void {
    for (const tensor of this.params.values()) fillUniform(tensor.data, -bound, bound);
    this.parametersChanged();
  }
}
