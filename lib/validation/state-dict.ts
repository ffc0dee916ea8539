// loadStateDict's checks, worded as torch's Module.load_state_dict.
import { AnyTensor, Tensor, TensorLike, asAnyTensor } from '../tensor';
import { jsTypeHint, listShape, typeName } from './common';

/** One module of the tree as load_state_dict walks it. */
export interface LoadNode {
  /** The dotted path of the module with a trailing '.' ('' for the root, 'rnn.' for a child). */
  prefix: string;
  /**
   * What the module's state dict holds by local name: its parameters, then its persistent
   * buffers (torch's `_parameters` and persistent `_buffers`, None ones left out).
   */
  tensors: ReadonlyMap<string, AnyTensor>;
  /** The names of its direct children. */
  childNames: ReadonlySet<string>;
}

export interface LoadPlan {
  /** Parameter or buffer -> the checkpoint's values in its dtype, to copy into it. */
  assignments: Array<[AnyTensor, AnyTensor]>;
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Matches checkpoint keys under `prefix` to the tree's parameters, as torch's
 * `load_state_dict` does module by module (in preorder), and checks every shape before
 * anything is copied, so a failed load leaves the modules untouched. A key is unexpected
 * when, at the deepest module whose path it starts with, its next part names neither a
 * parameter nor a child (torch's rule).
 */
export function planStateDictLoad(
  moduleName: string,
  nodes: readonly LoadNode[],
  stateDict: unknown,
  strict: unknown,
  prefix: unknown,
): LoadPlan {
  const checkpoint = asStateDict(stateDict);
  if (typeof strict !== 'boolean') throw new TypeError(`strict should be of type bool, got: ${typeName(strict)}${jsTypeHint(strict)}`);
  requirePrefix(prefix);

  // Stripped key -> [key as written, value]; each value becomes a Tensor at most once.
  const entries = new Map<string, [string, unknown]>();
  for (const [fullKey, value] of Object.entries(checkpoint)) {
    if (fullKey.startsWith(prefix)) entries.set(fullKey.slice(prefix.length), [fullKey, value]);
  }
  const sizeErrors: string[] = [];
  const assignments: Array<[AnyTensor, AnyTensor]> = [];
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  for (const node of nodes) {
    for (const [name, target] of node.tensors) {
      const key = node.prefix + name;
      const entry = entries.get(key);
      if (!entry) {
        missingKeys.push(prefix + key);
        continue;
      }
      let source = asAnyTensor(entry[1] as TensorLike, `state_dict["${entry[0]}"]`);
      // torch's backward compatibility with 0.3: a 0-d tensor takes the first value of a 1-d one.
      if (target.shape.length === 0 && source.shape.length === 1 && source.shape[0] > 0) source = source.select(0, 0);
      const sameShape =
        source.shape.length === target.shape.length && source.shape.every((v, i) => v === target.shape[i]);
      if (!sameShape) {
        sizeErrors.push(
          `size mismatch for ${key}: copying a param with shape ${listShape(source.shape)} from checkpoint, ` +
            `the shape in current model is ${listShape(target.shape)}.`,
        );
        continue;
      }
      // torch's `param.copy_(input_param)`: the values in the target's dtype (float64 rounds to
      // float32, integers become floats, floats truncate into an integer buffer).
      assignments.push([target, source.to(target.dtype)]);
    }
    for (const [key, [fullKey]] of entries) {
      if (!key.startsWith(node.prefix)) continue;
      const first = key.slice(node.prefix.length).split('.', 1)[0];
      if (!node.childNames.has(first) && !node.tensors.has(first)) unexpectedKeys.push(fullKey);
    }
  }

  // torch's order: missing keys, then unexpected keys, then size mismatches (raised even when not strict).
  const messages: string[] = [];
  if (strict) {
    if (missingKeys.length) messages.push(`Missing key(s) in state_dict: ${quoteKeys(missingKeys)}. `);
    if (unexpectedKeys.length) messages.push(`Unexpected key(s) in state_dict: ${quoteKeys(unexpectedKeys)}. `);
  }
  messages.push(...sizeErrors);
  if (messages.length) {
    throw new Error(`Error(s) in loading state_dict for ${moduleName}:\n\t${messages.join('\n\t')}`);
  }
  return { assignments, missingKeys, unexpectedKeys };
}

/**
 * registerModule's checks, with torch's add_module messages (its KeyErrors are Errors here).
 */
export function checkChildName(owner: object, name: unknown, module: unknown, { allowNull = false } = {}): void {
  // Not imported: module.ts imports this file.
  const isModule = typeof module === 'object' && module !== null && typeof (module as { namedChildren?: unknown }).namedChildren === 'function';
  if (!isModule && !(allowNull && module === null)) throw new TypeError(`${typeName(module)} is not a Module subclass`);
  if (typeof name !== 'string') throw new TypeError(`module name should be a string. Got ${typeName(name)}${jsTypeHint(name)}`);
  if (name.includes('.')) throw new Error(`module name can't contain ".", got: ${name}`);
  if (name === '') throw new Error(`module name can't be empty string ""`);
  if (name in owner) {
    const current = (owner as Record<string, unknown>)[name];
    const isChild = Object.prototype.hasOwnProperty.call(owner, name) && typeof current === 'object' && current !== null &&
      typeof (current as { namedChildren?: unknown }).namedChildren === 'function';
    if (!isChild) throw new Error(`attribute '${name}' already exists`);
  }
}

/**
 * registerParameter's and registerBuffer's checks of the name, with torch's messages (its
 * KeyErrors are Errors here). `holds` tells whether the name is already this kind of member,
 * which may be registered again; an own property still undefined (a class field declared
 * for the types, `mean!: Tensor`) is free too.
 */
export function checkMemberName(kind: 'parameter' | 'buffer', owner: object, name: unknown, holds: boolean): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typeName(name)}${jsTypeHint(name)}`);
  if (name.includes('.')) throw new Error(`${kind} name can't contain "."`);
  if (name === '') throw new Error(`${kind} name can't be empty string ""`);
  // Read through the descriptor: a parameter's getter would hand out its live tensor.
  const own = Object.getOwnPropertyDescriptor(owner, name);
  const declaredOnly = own !== undefined && own.get === undefined && own.value === undefined;
  if (name in owner && !holds && !declaredOnly) throw new Error(`attribute '${name}' already exists`);
}

/** What loadStateDict and fromStateDict take: tensors (or nested arrays) by name, in an object or a Map. */
export type StateDictLike = Record<string, unknown> | ReadonlyMap<string, unknown>;

/**
 * A checkpoint as a plain object of tensors by name (torch: a dict, or any Mapping): a plain
 * object as is, a Map with string keys as an object of its entries, in their order.
 */
export function asStateDict(stateDict: unknown): Record<string, unknown> {
  if (stateDict instanceof Map) {
    const entries: Array<[string, unknown]> = [];
    for (const [key, value] of stateDict) {
      if (typeof key !== 'string') throw new TypeError(`state_dict keys must be strings, got ${typeName(key)}${jsTypeHint(key)}`);
      entries.push([key, value]);
    }
    return Object.fromEntries(entries);
  }
  if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict) || stateDict instanceof Tensor) {
    throw new TypeError(`Expected state_dict to be dict-like, got ${typeName(stateDict)}.${jsTypeHint(stateDict)}`);
  }
  return stateDict as Record<string, unknown>;
}

export function requirePrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new TypeError(`prefix should be of type str, got: ${typeName(prefix)}${jsTypeHint(prefix)}`);
}

function quoteKeys(keys: string[]): string {
  return keys.map((key) => `"${key}"`).join(', ');
}
