// torch.nn's containers: Sequential, ModuleList and ModuleDict. Their children are kept in
// order in a Map (torch's `_modules`), named '0', '1', ... or by the dict's keys.
import { Module } from './module';
import { moduleListRepr } from './module-repr';
import { checkModuleValue, containerIndexValue, wrapContainerIndex } from '../validation/simple-modules';
import { typeName } from '../validation/common';
import { checkChildName } from '../validation/state-dict';

function requireModule(value: unknown, where: string): Module {
  return checkModuleValue(value, (v): v is Module => v instanceof Module, where);
}

/**
 * The shared body of the ordered containers: children in order under their names (torch's
 * `_modules`), '0', '1', ... for appended ones; any registered by name (registerModule, a
 * named Sequential) or assigned as properties count too, as torch's setattr adds them.
 */
abstract class IndexedContainer extends Module {
  private readonly named = new Map<string, Module>();

  /** The number of modules held. */
  get length(): number {
    return this.childEntries().length;
  }

  /** The module at `index`; negative counts from the end (`at(-1)` is the last), as torch's `[index]`. */
  at(index: number): Module {
    const entries = this.childEntries();
    return entries[wrapContainerIndex(index, entries.length)][1];
  }

  /** Adds `module` at the end under the name of its position, as torch's `append`. Returns the container. */
  append(module: Module): this {
    this.named.set(String(this.length), requireModule(module, `${this.constructor.name}.append`));
    return this;
  }

  /** Adds `module` under `name`, after the modules held (torch's `add_module` on a container). */
  registerModule(name: string, module: Module): void {
    checkChildName(this, name, module);
    this.named.set(name, module);
  }

  /** Replaces the module at `index`, keeping its name, as torch's `container[index] = module`. */
  set(index: number, module: Module): this {
    const [name] = this.childEntries()[wrapContainerIndex(index, this.length)];
    this.named.set(name, requireModule(module, `${this.constructor.name}.set`));
    return this;
  }

  /** Removes the module at `index`; the rest are numbered again from 0, as torch's `del container[index]`. */
  delete(index: number): void {
    const modules = this.childEntries().map(([, module]) => module);
    modules.splice(wrapContainerIndex(index, modules.length), 1);
    this.renumber(modules);
  }

  /** Removes the module at `index` (default the last) and returns it, as torch's `pop`. */
  pop(index = -1): Module {
    const module = this.at(index);
    this.delete(index);
    return module;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.childEntries().map(([, module]) => module)[Symbol.iterator]();
  }

  protected childEntries(): Array<[string, Module]> {
    const own = super.childEntries().filter(([name]) => !this.named.has(name));
    return [...this.named.entries(), ...own];
  }

  /** The entries from `start` to `end` (slice's rules), for the subclasses' slices. */
  protected sliceEntries(start?: number, end?: number): Array<[string, Module]> {
    return this.childEntries().slice(start, end);
  }

  /** Inserts before position `index` and numbers every module from 0 again. */
  protected insertAt(index: number, module: Module): void {
    const modules = this.childEntries().map(([, held]) => held);
    const position = index < 0 ? Math.max(0, index + modules.length) : Math.min(index, modules.length);
    modules.splice(position, 0, requireModule(module, `${this.constructor.name}.insert`));
    this.renumber(modules);
  }

  private renumber(modules: Module[]): void {
    for (const [name] of super.childEntries()) delete (this as Record<string, unknown>)[name];
    this.named.clear();
    modules.forEach((module, i) => this.named.set(String(i), module));
  }

  /** Appends every module of `modules`, as torch's `extend`. */
  protected extendWith(modules: unknown): void {
    if (modules === null || typeof modules !== 'object' || !(Symbol.iterator in modules)) {
      throw new TypeError(`${this.constructor.name}.extend should be called with an iterable, but got ${typeName(modules)}`);
    }
    for (const module of modules as Iterable<Module>) this.append(module);
  }
}

function isNamedModules(value: unknown): value is Map<string, Module> | Record<string, Module> {
  if (value instanceof Map) return true;
  return typeof value === 'object' && value !== null && !(value instanceof Module) && Object.getPrototypeOf(value) === Object.prototype;
}

/** The [name, module] entries of a Map or a plain object, in their order. */
function namedEntries(value: Map<string, Module> | Record<string, Module>): Array<[string, unknown]> {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

/**
 * Modules run one after another, each on the previous one's output, as torch.nn.Sequential.
 * Its children are named '0', '1', ...; their parameters `0.weight`, `1.bias`, ... as in
 * torch.
 *
 * @example
 * const head = new Sequential(new Linear(256, 64), new ReLU(), new Dropout(0.1), new Linear(64, 5));
 * head.forward(features).shape; // [N, 5]
 * head.stateDict(); // { '0.weight', '0.bias', '3.weight', '3.bias' }
 */
export class Sequential extends IndexedContainer {
  /**
   * The modules in order (named '0', '1', ...), or one object or Map of them by name, as
   * torch's `Sequential(OrderedDict(...))` (names kept: `fc1.weight`).
   */
  constructor(...modules: Module[]);
  constructor(named: Record<string, Module> | ReadonlyMap<string, Module>);
  constructor(...modules: unknown[]) {
    super();
    if (modules.length === 1 && isNamedModules(modules[0])) {
      for (const [name, module] of namedEntries(modules[0])) this.registerModule(name, module as Module);
      return;
    }
    modules.forEach((module, i) => this.append(requireModule(module, `Sequential argument ${i}`)));
  }

  /** Inserts `module` before position `index` (-length..length), as torch's `insert`. */
  insert(index: number, module: Module): this {
    const n = this.length;
    const at = containerIndexValue(index);
    if (at < -n || at > n) throw new RangeError(`Index out of range: ${at}`);
    this.insertAt(at, module);
    return this;
  }

  /** Appends every module of `modules`, as torch's `extend`. Returns the Sequential. */
  extend(modules: Iterable<Module>): this {
    this.extendWith(modules);
    return this;
  }

  /** A Sequential of the modules from `start` to `end` (slice's rules), their names kept, as torch's `seq[start:end]`. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(new Map(this.sliceEntries(start, end)));
  }

  /** Runs every module in order on `input`, each taking the previous output; returns the last one's. */
  forward(input: any): any {
    let value = input;
    for (const module of this) value = module.forward(value);
    return value;
  }
}

/**
 * A list of modules that are children of the model, as torch.nn.ModuleList: a model that
 * holds its layers in a ModuleList has them in its state dict (`layers.0.weight`); a plain
 * array would not. It has no forward: the model iterates it.
 *
 * @example
 * class Stack extends Module {
 *   layers = new ModuleList([new GRU(8, 8), new GRU(8, 8)]);
 *   forward(x: Tensor) {
 *     for (const layer of this.layers) [x] = (layer as GRU).forward(x);
 *     return x;
 *   }
 * }
 */
export class ModuleList extends IndexedContainer {
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extendWith(modules);
  }

  /** Appends every module of `modules`, as torch's `extend`. Returns the list. */
  extend(modules: Iterable<Module>): this {
    this.extendWith(modules);
    return this;
  }

  /** Inserts `module` before position `index`, as torch's `insert`. */
  insert(index: number, module: Module): void {
    this.insertAt(index, module);
  }

  /** A ModuleList of the modules from `start` to `end` (slice's rules), as torch's `list[start:end]`. */
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList(this.sliceEntries(start, end).map(([, module]) => module));
  }

  /** torch 2.x's repr: runs of identical modules shown once, `(0-2): 3 x Linear(...)`. */
  toString(): string {
    return moduleListRepr(this.constructor.name, [...this]);
  }
}

/**
 * Modules by name, children of the model in insertion order, as torch.nn.ModuleDict.
 *
 * @example
 * const heads = new ModuleDict({ sentiment: new Linear(256, 2), topic: new Linear(256, 10) });
 * heads.get('topic');
 * heads.keys(); // ['sentiment', 'topic']
 */
export class ModuleDict extends Module {
  private readonly items = new Map<string, Module>();

  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> | ModuleDict = {}) {
    super();
    this.update(modules);
  }

  /** The module under `key`; throws torch's KeyError text (as an Error) when there is none. */
  get(key: string): Module {
    const module = this.items.get(key);
    if (!module) throw new Error(`'${key}'`);
    return module;
  }

  /** Adds or replaces the module under `key` (a replaced one keeps its place, as in a dict). */
  set(key: string, module: Module): this {
    checkChildName({}, key, module);
    this.items.set(key, module);
    return this;
  }

  /** Whether there is a module under `key`. */
  has(key: string): boolean {
    return this.items.has(key);
  }

  /** Removes the module under `key` and returns it, as torch's `pop`. */
  pop(key: string): Module {
    const module = this.get(key);
    this.items.delete(key);
    return module;
  }

  /**
   * Adds every entry of `modules` (another ModuleDict, a Map, an object, or [key, module]
   * pairs), as torch's `update`, with its errors for anything else.
   */
  update(modules: Record<string, Module> | Iterable<readonly [string, Module]> | ModuleDict): this {
    let entries: unknown[];
    if (modules instanceof ModuleDict) entries = modules.entries();
    else if (isNamedModules(modules)) entries = namedEntries(modules);
    else if (typeof modules === 'object' && modules !== null && !(modules instanceof Module) && Symbol.iterator in modules) {
      entries = [...(modules as Iterable<unknown>)];
    } else {
      throw new TypeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${typeName(modules)}`);
    }
    entries.forEach((entry, i) => {
      if (!Array.isArray(entry)) {
        throw new TypeError(`ModuleDict update sequence element #${i} should be Iterable; is${typeName(entry)}`);
      }
      if (entry.length !== 2) {
        throw new RangeError(`ModuleDict update sequence element #${i} has length ${entry.length}; 2 is required`);
      }
    });
    for (const [key, module] of entries as Array<[string, Module]>) this.set(key, module);
    return this;
  }

  /** Removes every module, as torch's `clear`. */
  clear(): void {
    this.items.clear();
  }

  /** Removes the module under `key`, as torch's `del module_dict[key]`. */
  delete(key: string): void {
    this.pop(key);
  }

  /** The number of modules held. */
  get size(): number {
    return this.items.size;
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this.items.values()];
  }

  /** [key, module] pairs, in insertion order. */
  entries(): Array<[string, Module]> {
    return [...this.items.entries()];
  }

  /** The keys, in insertion order, as torch's `for key in module_dict`. */
  [Symbol.iterator](): Iterator<string> {
    return this.items.keys();
  }

  protected childEntries(): Array<[string, Module]> {
    return this.entries();
  }
}
