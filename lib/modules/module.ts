// What every module shares with torch.nn.Module: a tree of child modules, parameters by
// dotted name, state dicts, train/eval and repr.
import type { StateDictLike } from '../validation/state-dict';
import { inspectCustom } from '../printing/inspect-symbol';
import type { PackedWeights } from '../../binding';
import { native } from '../native';
import { fillUniform } from '../random';
import { isFloatingDType } from '../dtype';
import { AnyTensor, Tensor, allocateFloats } from '../tensor';
import { checkParameterData, jsTypeHint, typeName } from '../validation/common';
import { LoadNode, checkChildName, checkMemberName, planStateDictLoad } from '../validation/state-dict';
import { moduleRepr } from './module-repr';

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
 * The base of every module, as `torch.nn.Module`: a tree of child modules, parameters by
 * torch's dotted names, state dicts, the training flag and torch's `repr`. Every layer of
 * this library extends it, and so does a model: a subclass that assigns modules to its own
 * properties has them as children, in assignment order, as torch registers them; the user
 * writes `forward`.
 *
 * - Children: any own property whose value is a Module (assigned in the constructor or as
 *   a class field), in the order the properties were first assigned, or one added by
 *   {@link Module.registerModule}. `namedChildren()`, `children()`, `namedModules()` and
 *   `modules()` list them as torch does (the tree in preorder, each module once).
 * - `training` is true after construction, as in torch. `train(mode = true)` sets it on
 *   the module and every descendant, and `eval()` clears it; both return the module. It
 *   changes what RNN, LSTM, GRU and Dropout compute and nothing else.
 * - `namedParameters()` gives `[name, tensor]` pairs in torch's order: the module's own
 *   parameters (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, ...), then each child's under
 *   its dotted name (`rnn.weight_ih_l0_reverse`), a shared tensor once; `parameters()` the
 *   same tensors without names. They are the modules' own, live tensors: writing into their
 *   `data` changes what the next forward computes. `parameterShapes()` gives `[name, shape]`
 *   pairs, no tensors.
 * - Speed: RNN, LSTM, GRU and the cells keep their weights packed for the native kernels
 *   between calls (the first forward packs them), so that short calls do not repack
 *   them each time: 0.38x the time for one step of a batch of 8 at H=256, 0.56x for two
 *   steps (`bench/cache-effect.js`). They do so only while their parameters cannot change unseen: once
 *   `namedParameters()` or `parameters()` (of the module or of a tree holding it) has handed
 *   out the live tensors, every call packs again from their current values (as before; the
 *   numbers are the same). `loadStateDict` and `resetParameters` start a new cache. Use
 *   `stateDict()` (copies) or `parameterShapes()` to read a module you serve.
 * - `stateDict()` gives copies, by the same dotted names: later changes to the module do
 *   not reach them, and changes to them do not reach the module.
 * - `loadStateDict(stateDict, { strict = true, prefix = '' })` copies checkpoint values
 *   into the parameters of the whole tree in place (the live tensors keep their identity).
 *   Every key and shape is checked before anything is copied, so a failed load changes
 *   nothing. Only keys starting with `prefix` count, with it stripped. With `strict`, a
 *   missing or an unexpected key is an error; without, both are returned as
 *   {@link LoadStateDictResult}. A shape mismatch is always an error. The error is an
 *   `Error` with torch's message: `Error(s) in loading state_dict for Classifier:` followed
 *   by a tab-indented line for each of `Missing key(s) in state_dict: "rnn.bias_hh_l0".`,
 *   `Unexpected key(s) in state_dict: "foo".` and `size mismatch for weight_ih_l0: copying a
 *   param with shape [32, 5] from checkpoint, the shape in current model is [32, 4].`, in
 *   that order.
 * - `String(module)` and `util.inspect(module)` are torch's `repr(module)`, nested for
 *   trees; a subclass may override {@link Module.extraRepr}, as torch's `extra_repr`.
 *
 * @example
 * class Classifier extends Module {
 *   embedding = new Embedding(1000, 64, { paddingIdx: 0 });
 *   rnn = new LSTM(64, 128, { numLayers: 2, batchFirst: true, bidirectional: true });
 *   head = new Linear(256, 5);
 *   forward(ids: Tensor<'int64'>): Tensor {
 *     const [, [hN]] = this.rnn.forward(this.embedding.forward(ids));
 *     return this.head.forward(cat([hN.select(0, -2), hN.select(0, -1)], 1));
 *   }
 * }
 * const model = new Classifier();
 * model.loadStateDict(safetensors.loadFile('classifier.safetensors'));
 * model.eval();
 * model.namedChildren().map(([name]) => name); // ['embedding', 'rnn', 'head']
 *
 * // One module's keys out of a larger model's checkpoint
 * const lstm = new LSTM(4, 8);
 * lstm.loadStateDict(checkpoint, { prefix: 'encoder.' });
 *
 * const { bias_hh_l0, ...partial } = lstm.stateDict();
 * lstm.loadStateDict(partial, { strict: false }); // { missingKeys: ['bias_hh_l0'], unexpectedKeys: [] }
 * lstm.loadStateDict(partial);
 * // Error: Error(s) in loading state_dict for LSTM:
 * //         Missing key(s) in state_dict: "bias_hh_l0".
 */
export class Module {
  /** The training flag's value; read and written through {@link Module.training}. */
  private trainingMode = true;
  /** Parameters in torch's registration order. The tensors are live: edits reach forward. */
  protected readonly params = new Map<string, Tensor>();
  /**
   * Set once namedParameters() or parameters() has handed out the live tensors: from then
   * on their data may be edited in place at any time, unseen.
   */
  private parametersLent = false;
  /** The parameters packed by the native side for its GEMM kernel, kept between calls. */
  private packedWeights: PackedWeights | null = null;
  /** Children registered as null (torch's `add_module(name, None)`): shown by repr as `(name): None`, nothing else. */
  private readonly emptyChildren = new Set<string>();
  /** Parameters registered as null by registerParameter (torch's None): a slot a tensor may fill later. */
  private readonly absentParameters = new Set<string>();
  /** Buffers in registration order, null for torch's None (registered, holding nothing). */
  private readonly bufferSlots = new Map<string, AnyTensor | null>();
  /** Buffers registered with `persistent` false: no state dict key. */
  private readonly nonPersistentBuffers = new Set<string>();

  /**
   * True after construction, like torch; set by {@link Module.train} and
   * {@link Module.eval} (which also set it on every descendant). Assigning it changes this
   * module only, as in torch, and takes effect at the next forward. In training mode RNN,
   * LSTM, GRU and Dropout apply their dropout.
   *
   * @throws TypeError `training mode is expected to be boolean` when assigned anything else.
   */
  get training(): boolean {
    return this.trainingMode;
  }
  set training(mode: boolean) {
    if (typeof mode !== 'boolean') throw new TypeError(`training mode is expected to be boolean, got ${describeValue(mode)}`);
    this.trainingMode = mode;
  }

  /**
   * The computation, written by the subclass, as torch's `forward`. The base throws
   * torch's `Module [Classifier] is missing the required "forward" function`.
   */
  forward(...args: any[]): any {
    void args;
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /**
   * Sets training mode (`mode` true, the default) or evaluation mode (false) on this module
   * and every descendant, as torch's `train()`. Returns the module, for chaining.
   *
   * @throws TypeError `training mode is expected to be boolean` when `mode` is not a boolean.
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`training mode is expected to be boolean, got ${describeValue(mode)}`);
    this.trainingMode = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`, as torch's `eval()`. Returns the module. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Adds `module` as a child named `name`, as torch's `register_module` / `add_module`: it
   * becomes the property `this[name]` and takes its place in the tree (after the children
   * already there). Assigning a module to a property does the same.
   *
   * `null` registers an empty slot, as torch's `add_module(name, None)`: repr shows it as
   * `(name): None`; it holds nothing, so no name, parameter or state dict key comes of it.
   *
   * @throws TypeError when `module` is neither a Module nor null, or `name` not a string.
   * @throws Error when `name` is empty, contains '.', or is already a property that is not
   *   a child module (torch's KeyError messages).
   */
  registerModule(name: string, module: Module | null): void {
    // An empty slot is one of torch's _modules: filling it again is allowed.
    const refilling = this.emptyChildren.has(name) && (this as Record<string, unknown>)[name] === null;
    checkChildName(refilling ? {} : this, name, module, { allowNull: true });
    if (module === null) this.emptyChildren.add(name);
    Object.defineProperty(this, name, { value: module, writable: true, enumerable: true, configurable: true });
  }

  /** `[name, module]` of the direct children, in registration order, as torch's `named_children()`. */
  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    return this.childEntries().filter(([, module]) => !seen.has(module) && (seen.add(module), true));
  }

  /** The direct children, in registration order, as torch's `children()`. */
  children(): Module[] {
    return this.namedChildren().map(([, module]) => module);
  }

  /**
   * `[dotted name, module]` of every module in the tree, this one first (named `prefix`,
   * '' by default), in preorder, each module once: torch's `named_modules()`. With
   * `removeDuplicate` false, a module held twice is listed under each of its names.
   */
  namedModules(prefix = '', removeDuplicate = true): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const visit = (module: Module, name: string, depth: number): void => {
      if (removeDuplicate && seen.has(module)) return;
      if (depth > MAX_TREE_DEPTH) throw new RangeError(`the module tree is deeper than ${MAX_TREE_DEPTH} levels (a module holds its own ancestor?)`);
      seen.add(module);
      out.push([name, module]);
      for (const [childName, child] of module.childEntries()) visit(child, name ? `${name}.${childName}` : childName, depth + 1);
    };
    visit(this, prefix, 0);
    return out;
  }

  /** `registerModule`, under torch's other name for it (`add_module`). */
  addModule(name: string, module: Module): void {
    this.registerModule(name, module);
  }

  /**
   * The module at a dotted path (`'encoder.rnn'`; '' is this one), as torch's
   * `get_submodule`, with its messages for a missing name or one that is not a module.
   */
  getSubmodule(target: string): Module {
    if (typeof target !== 'string') throw new TypeError(`get_submodule(): target must be a string, got ${describeValue(target)}`);
    if (target === '') return this;
    let module: Module = this;
    for (const item of target.split('.')) {
      const child = module.childEntries().find(([name]) => name === item);
      if (!child) {
        const value = (module as unknown as Record<string, unknown>)[item];
        if (value !== undefined && !(value instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
        throw new Error(`${module.constructor.name} has no attribute \`${item}\``);
      }
      module = child[1];
    }
    return module;
  }

  /** The parameter at a dotted path (`'rnn.weight_ih_l0'`), as torch's `get_parameter`. Live, as namedParameters hands it out. */
  getParameter(target: string): Tensor {
    if (typeof target !== 'string') throw new TypeError(`get_parameter(): target must be a string, got ${describeValue(target)}`);
    const cut = target.lastIndexOf('.');
    const module = this.getSubmodule(cut < 0 ? '' : target.slice(0, cut));
    const name = target.slice(cut + 1);
    const tensor = module.params.get(name);
    if (!tensor) throw new Error(module.memberMissing(name, 'an nn.Parameter'));
    module.lendParameters();
    return tensor;
  }

  /** The buffer at a dotted path (`'norm.running_mean'`), as torch's `get_buffer`, with its messages; null for one registered as null. */
  getBuffer(target: string): AnyTensor | null {
    if (typeof target !== 'string') throw new TypeError(`get_buffer(): target must be a string, got ${describeValue(target)}`);
    const cut = target.lastIndexOf('.');
    const module = this.getSubmodule(cut < 0 ? '' : target.slice(0, cut));
    const name = target.slice(cut + 1);
    // A buffer registered as None is one: torch returns its None.
    if (!module.bufferSlots.has(name)) throw new Error(module.memberMissing(name, 'a buffer'));
    return module.bufferSlots.get(name) ?? null;
  }

  /** torch's AttributeError for a name that is no such member: none at all, or something else. */
  private memberMissing(name: string, kind: string): string {
    if (!hasAttribute(this, name)) return `${this.constructor.name} has no attribute \`${name}\``;
    return `\`${name}\` is not ${kind}`;
  }

  /** Calls `fn` on every child's tree, then on this module, as torch's `apply`; returns this module. */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') throw new TypeError(`apply(): fn must be a function, got ${describeValue(fn)}`);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Every module in the tree, this one first, in preorder, each once: torch's `modules()`. */
  modules(): Module[] {
    return this.namedModules().map(([, module]) => module);
  }

  /**
   * [dotted name, tensor] pairs of every parameter in the tree, in torch's order (a module's
   * own, then its children's), a shared tensor once. The tensors are the modules' own
   * (live): writing into their `data` reaches the next forward. From now on the modules pack
   * their weights at every call instead of keeping them packed (see the class notes: speed).
   *
   * @param prefix - put before every name, with a '.': torch's `prefix`. Default ''.
   * @param recurse - false: this module's own parameters only. Default true.
   * @param removeDuplicate - false: a tensor held twice is listed under each name. Default true.
   */
  namedParameters(prefix = '', recurse = true, removeDuplicate = true): Array<[string, Tensor]> {
    const modules: Array<[string, Module]> = recurse ? this.namedModules(prefix, removeDuplicate) : [[prefix, this]];
    const seen = new Set<Tensor>();
    const out: Array<[string, Tensor]> = [];
    for (const [moduleName, module] of modules) {
      module.lendParameters();
      for (const [name, tensor] of module.params) {
        if (removeDuplicate && seen.has(tensor)) continue;
        seen.add(tensor);
        out.push([moduleName ? `${moduleName}.${name}` : name, tensor]);
      }
    }
    return out;
  }

  /**
   * The tensors of {@link Module.namedParameters}, in the same order; live, not copies.
   * Like namedParameters, ends the modules' packed-weight cache.
   */
  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, tensor]) => tensor);
  }

  /**
   * [dotted name, tensor] of every buffer in the tree (see {@link Module.registerBuffer}), in
   * torch's order (a module's own, then its children's), non-persistent ones included, None
   * ones left out, a shared tensor once: torch's `named_buffers()`. The tensors are the
   * modules' own.
   *
   * @param prefix - put before every name, with a '.'. Default ''.
   * @param recurse - false: this module's own buffers only. Default true.
   * @param removeDuplicate - false: a tensor held twice is listed under each name. Default true.
   */
  namedBuffers(prefix = '', recurse = true, removeDuplicate = true): Array<[string, AnyTensor]> {
    const modules: Array<[string, Module]> = recurse ? this.namedModules(prefix, removeDuplicate) : [[prefix, this]];
    const seen = new Set<AnyTensor>();
    const out: Array<[string, AnyTensor]> = [];
    for (const [moduleName, module] of modules) {
      for (const [name, tensor] of module.bufferSlots) {
        if (!tensor || (removeDuplicate && seen.has(tensor))) continue;
        seen.add(tensor);
        out.push([moduleName ? `${moduleName}.${name}` : name, tensor]);
      }
    }
    return out;
  }

  /** The tensors of {@link Module.namedBuffers}, in the same order: torch's `buffers()`. */
  buffers(recurse = true): AnyTensor[] {
    return this.namedBuffers('', recurse).map(([, tensor]) => tensor);
  }

  /**
   * Adds a buffer, as torch's `register_buffer`: state that is no parameter (a running
   * mean, a normalisation constant, a count), of any dtype. It becomes the property
   * `this[name]` (assigning a Tensor or null there replaces it, as in torch) and, when
   * `persistent` (the default), a key of `stateDict()` after the module's parameters, which
   * `loadStateDict` fills (converting to the buffer's dtype, as torch's `copy_`). `null`
   * registers torch's None: no key, no entry in `namedBuffers()`.
   *
   * @throws TypeError `cannot assign 'list' object to buffer 'mean' (torch Tensor or None required)`
   *   when `tensor` is neither a Tensor nor null; `buffer name should be a string`.
   * @throws Error when `name` is empty, contains '.', or is already another member (torch's KeyErrors).
   *
   * @example
   * class Normalised extends Module {
   *   declare mean: Tensor;
   *   rnn = new GRU(40, 64);
   *   constructor() {
   *     super();
   *     this.registerBuffer('mean', zeros([40]));
   *   }
   * }
   * new Normalised().stateDict(); // keys 'mean', 'rnn.weight_ih_l0', ...
   */
  registerBuffer(name: string, tensor: AnyTensor | null, persistent = true): void {
    checkMemberName('buffer', this, name, this.bufferSlots.has(name));
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)${jsTypeHint(tensor)}`);
    }
    this.bufferSlots.set(name, tensor);
    if (persistent) this.nonPersistentBuffers.delete(name);
    else this.nonPersistentBuffers.add(name);
    Object.defineProperty(this, name, {
      get: () => this.bufferSlots.get(name),
      set: (value: unknown) => {
        if (value !== null && !(value instanceof Tensor)) {
          throw new TypeError(`cannot assign '${typeName(value)}' as buffer '${name}' (torch.Tensor or None expected)${jsTypeHint(value)}`);
        }
        this.bufferSlots.set(name, value);
      },
      enumerable: false,
      configurable: true,
    });
  }

  /**
   * Adds (or replaces) a parameter, as torch's `register_parameter`: a float tensor the
   * module's own `forward` uses, kept as given (not copied), listed by namedParameters() and
   * stateDict() after those registered before it. It becomes the property `this[name]`.
   * `null` registers torch's None: no key; registering a tensor under that name later fills
   * it. Replacing a parameter of this library's layers (tying `head.weight` to
   * `embedding.weight`) takes a float32 tensor of the same shape, which the layer then reads.
   *
   * @throws TypeError `cannot assign 'list' object to parameter 'scale' (torch.nn.Parameter or
   *   None required)` for anything but a Tensor or null; for an integer or bool tensor,
   *   torch's `Only Tensors of floating point and complex dtype can require gradients`.
   * @throws RangeError when a replacement's shape or dtype differs from the parameter it replaces.
   * @throws Error when `name` is empty, contains '.', or is already another member.
   */
  registerParameter(name: string, param: Tensor | null): void {
    checkMemberName('parameter', this, name, this.params.has(name) || this.absentParameters.has(name));
    const value = param as unknown;
    if (value !== null && !(value instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(value)}' object to parameter '${name}' (torch.nn.Parameter or None required)${jsTypeHint(value)}`);
    }
    if (value instanceof Tensor && !isFloatingDType(value.dtype)) {
      throw new TypeError('Only Tensors of floating point and complex dtype can require gradients');
    }
    const current = this.params.get(name);
    if (current) {
      const tensor = value as Tensor | null;
      const same = tensor && tensor.dtype === current.dtype && tensor.shape.length === current.shape.length &&
        tensor.shape.every((v, i) => v === current.shape[i]);
      if (!same) {
        const given = tensor ? `a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}]` : 'null';
        throw new RangeError(`cannot replace parameter '${name}' (float32, shape [${current.shape.join(', ')}]) of this ${this.constructor.name} with ${given}`);
      }
    }
    if (value === null) {
      this.absentParameters.add(name);
      Object.defineProperty(this, name, {
        get: () => null,
        set: (next: Tensor | null) => this.registerParameter(name, next),
        enumerable: false,
        configurable: true,
      });
      return;
    }
    this.absentParameters.delete(name);
    this.defineParameter(name, value as Tensor);
    this.parametersChanged();
  }

  /**
   * [dotted name, shape] of every parameter, in torch's order: what namedParameters tells
   * about shapes, without handing out the tensors (so the packed-weight cache stays).
   */
  parameterShapes(): Array<[string, number[]]> {
    const seen = new Set<Tensor>();
    const out: Array<[string, number[]]> = [];
    for (const [moduleName, module] of this.namedModules()) {
      for (const [name, tensor] of module.params) {
        if (seen.has(tensor)) continue;
        seen.add(tensor);
        out.push([moduleName ? `${moduleName}.${name}` : name, [...tensor.shape]]);
      }
    }
    return out;
  }

  /**
   * Copies of every parameter and persistent buffer of the tree, by torch's dotted names and
   * in its order (each module's parameters, then its buffers, then its children's): a
   * checkpoint that later changes to the modules do not reach. `safetensors.saveFile(
   * model.stateDict(), path)` writes what PyTorch's `load_file` + `load_state_dict` read.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const { prefix, module, tensors } of this.loadNodes()) {
      checkParameterData(module.constructor.name, module.params);
      // Typed as float32, the dtype of every parameter; a buffer keeps its own.
      for (const [name, tensor] of tensors) out[prefix + name] = tensor.clone() as Tensor;
    }
    return out;
  }

  /**
   * Copies checkpoint values into the parameters and persistent buffers of the whole tree
   * (in place, converted to each one's dtype, as torch's `copy_`). Every key and shape is
   * checked first: on error nothing is changed.
   *
   * @param stateDict - tensors (or nested arrays) by torch's dotted parameter names, as
   *   `stateDict()` or `safetensors.loadFile()` return them.
   * @param options - `strict` (default true) and `prefix` (default ''): see {@link LoadStateDictOptions}.
   * @returns the missing and unexpected keys; both empty after a strict load.
   * @throws Error `Error(s) in loading state_dict for <Module>:` with torch's lines for
   *   missing keys (strict), unexpected keys (strict) and size mismatches (always).
   * @throws TypeError when `stateDict` is not an object, `strict` not a boolean or `prefix` not a string.
   */
  loadStateDict(stateDict: StateDictLike, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true, prefix = '' } = options ?? {};
    const nodes = this.loadNodes();
    const plan = planStateDictLoad(this.constructor.name, nodes, stateDict, strict, prefix);
    for (const { module } of nodes) checkParameterData(module.constructor.name, module.params);
    // Each source is already in its target's dtype.
    for (const [target, source] of plan.assignments) (target.data as Float32Array).set(source.data as Float32Array);
    for (const { module } of nodes) module.parametersChanged();
    return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
  }

  /**
   * The extra text torch's `repr` puts between the parentheses, as `extra_repr()`: the
   * constructor's arguments (`64, 128, num_layers=2`). '' by default; override it in a
   * subclass to show its settings.
   */
  extraRepr(): string {
    return '';
  }

  /** torch's `repr(module)`: `LSTM(64, 128, batch_first=True)`, nested for trees. */
  toString(): string {
    return moduleRepr(this.constructor.name, this.extraRepr(), this.reprEntries());
  }

  /** The children as repr lists them: childEntries, with the null-registered ones as `None` in their places. */
  private reprEntries(): Array<[string, { toString(): string }]> {
    if (this.emptyChildren.size === 0) return this.childEntries();
    const out: Array<[string, { toString(): string }]> = [];
    for (const key of Object.keys(this)) {
      const value = (this as Record<string, unknown>)[key];
      if (value instanceof Module) out.push([key, value]);
      else if (value === null && this.emptyChildren.has(key)) out.push([key, 'None']);
    }
    return out;
  }

  /** util.inspect and console.log show torch's `repr(module)`, not the internals. */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * The direct children with their names, as registered (a module held twice appears
   * twice, as in torch's `_modules`). The containers keep theirs in a list or a dict.
   * @internal
   */
  protected childEntries(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    for (const key of Object.keys(this)) {
      const value = (this as Record<string, unknown>)[key];
      if (value instanceof Module) out.push([key, value]);
    }
    return out;
  }

  /** The tree as load_state_dict walks it: every module under its key prefix, in preorder. */
  private loadNodes(): Array<LoadNode & { module: Module }> {
    const nodes: Array<LoadNode & { module: Module }> = [];
    const visit = (module: Module, prefix: string, depth: number): void => {
      // torch recurses without a memo too; this bound only stops a module that holds its own ancestor.
      if (depth > MAX_TREE_DEPTH) throw new RangeError(`${this.constructor.name}: the module tree is more than ${MAX_TREE_DEPTH} levels deep (does a module hold its own ancestor?)`);
      const children = module.childEntries();
      nodes.push({ prefix, module, tensors: module.stateTensors(), childNames: new Set(children.map(([name]) => name)) });
      for (const [name, child] of children) visit(child, `${prefix}${name}.`, depth + 1);
    };
    visit(this, '', 0);
    return nodes;
  }

  /** What this module's state dict holds by local name: parameters, then persistent buffers that hold a tensor. */
  private stateTensors(): Map<string, AnyTensor> {
    const out = new Map<string, AnyTensor>(this.params);
    for (const [name, tensor] of this.bufferSlots) if (tensor && !this.nonPersistentBuffers.has(name)) out.set(name, tensor);
    return out;
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

  /**
   * Adds one of a layer's own parameters under torch's `name` (registration order is
   * torch's): zero-filled of `shape`; null marks one the layer was built without (Linear's
   * bias with `bias: false`, torch's None), which cannot be assigned.
   *
   * The parameter is also the property `this[name]`, as in torch (`lstm.weight_ih_l0`,
   * `linear.bias`): see defineParameter.
   */
  protected createParameter(name: string, shape: readonly number[] | null): void {
    if (shape === null) {
      this.absentParameters.add(name);  // registerParameter may still fill it, as torch's register_parameter
      Object.defineProperty(this, name, {
        get: () => null,
        set: () => {
          throw new TypeError(`cannot assign '${name}': this ${this.constructor.name} was built without it`);
        },
        enumerable: false,
        configurable: true,
      });
      return;
    }
    this.defineParameter(name, new Tensor(allocateFloats(shape.reduce((a, b) => a * b, 1)), shape));
  }

  /**
   * Holds `tensor` as the parameter `name` and defines the property: reading it hands out the
   * live tensor, as namedParameters() does (the module stops keeping its weights packed);
   * assigning a Tensor or nested arrays of its shape copies them in, as loadStateDict does
   * (torch's size-mismatch message otherwise). The property is not enumerable: it is no
   * child module and no option.
   */
  private defineParameter(name: string, tensor: Tensor): void {
    this.params.set(name, tensor);
    Object.defineProperty(this, name, {
      get: () => {
        this.lendParameters();
        return this.params.get(name);
      },
      set: (value: unknown) => {
        this.loadStateDict({ [name]: value as Tensor }, { strict: false });
      },
      enumerable: false,
      configurable: true,
    });
  }

  /** Every parameter from U(-bound, bound), the init torch's recurrent modules and Linear use. */
  protected resetUniform(bound: number): void {
    for (const tensor of this.params.values()) fillUniform(tensor.data, -bound, bound);
    this.parametersChanged();
  }
}

/** Deeper trees are refused: only a cycle makes one this deep. */
const MAX_TREE_DEPTH = 1000;

/**
 * torch's hasattr, without reading the attribute: a parameter's getter would hand out the
 * live tensor (and end the packed-weight cache). An own field still undefined is no attribute.
 */
function hasAttribute(owner: object, name: string): boolean {
  if (!(name in owner)) return false;
  const own = Object.getOwnPropertyDescriptor(owner, name);
  return own === undefined || own.get !== undefined || own.value !== undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}
