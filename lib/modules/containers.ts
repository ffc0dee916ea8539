// torch.nn's containers: Sequential, ModuleList and ModuleDict. Their children are kept in
// order in a Map (torch's `_modules`), named '0', '1', ... or by the dict's keys.
import { Module } from './module';
import { moduleListRepr } from './module-repr';
import { checkModuleValue, wrapContainerIndex } from '../validation/simple-modules';
import { checkChildName } from '../validation/state-dict';

function requireModule(value: unknown, where: string): Module {
  return checkModuleValue(value, (v): v is Module => v instanceof Module, where);
}

/** The shared body of the ordered containers: children by position, named '0', '1', .... */
abstract class IndexedContainer extends Module {
  private readonly items: Module[] = [];

  /** The number of modules held. */
  get length(): number {
    return this.items.length;
  }

  /** The module at `index`; negative counts from the end (`at(-1)` is the last), as torch's `[index]`. */
  at(index: number): Module {
    return this.items[wrapContainerIndex(index, this.items.length)];
  }

  /** Adds `module` at the end, as torch's `append`. Returns the container. */
  append(module: Module): this {
    this.items.push(requireModule(module, `${this.constructor.name}.append`));
    return this;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  protected childEntries(): Array<[string, Module]> {
    return this.items.map((module, i) => [String(i), module]);
  }

  protected insertAt(index: number, module: Module): void {
    const position = index < 0 ? Math.max(0, index + this.items.length) : Math.min(index, this.items.length);
    this.items.splice(position, 0, requireModule(module, `${this.constructor.name}.insert`));
  }
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
  constructor(...modules: Module[]) {
    super();
    modules.forEach((module, i) => this.append(requireModule(module, `Sequential argument ${i}`)));
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
    for (const module of modules) this.append(module);
  }

  /** Appends every module of `modules`, as torch's `extend`. Returns the list. */
  extend(modules: Iterable<Module>): this {
    for (const module of modules) this.append(module);
    return this;
  }

  /** Inserts `module` before position `index`, as torch's `insert`. */
  insert(index: number, module: Module): void {
    this.insertAt(index, module);
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

  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> = {}) {
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

  /** Adds every entry of `modules` (an object or [key, module] pairs), as torch's `update`. */
  update(modules: Record<string, Module> | Iterable<readonly [string, Module]>): this {
    const entries = Symbol.iterator in Object(modules)
      ? [...(modules as Iterable<readonly [string, Module]>)]
      : Object.entries(modules as Record<string, Module>);
    for (const [key, module] of entries) this.set(key, module);
    return this;
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
