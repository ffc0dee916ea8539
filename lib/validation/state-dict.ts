// loadStateDict's checks, worded as torch's Module.load_state_dict.
import { AnyTensor, Tensor, TensorLike, asAnyTensor } from '../tensor';
import { isFloatingDType } from '../dtype';
import { jsTypeHint, listShape, typeName } from './common';

/** One module of the tree as load_state_dict walks it. */
export interface LoadNode {
  /** The dotted path of the module with a trailing '.' ('' for the root, 'rnn.' for a child). */
  prefix: string;
  /** The module's own parameters by their local names. */
  parameters: ReadonlyMap<string, Tensor>;
  /** The names of its direct children. */
  childNames: ReadonlySet<string>;
}

export interface LoadPlan {
  /** Parameter tensor -> the checkpoint tensor to copy into it. */
  assignments: Array<[Tensor, Tensor]>;
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
  const assignments: Array<[Tensor, Tensor]> = [];
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  for (const node of nodes) {
    for (const [name, target] of node.parameters) {
      const key = node.prefix + name;
      const entry = entries.get(key);
      if (!entry) {
        missingKeys.push(prefix + key);
        continue;
      }
      const source = asAnyTensor(entry[1] as TensorLike, `state_dict["${entry[0]}"]`);
      const sameShape =
        source.shape.length === target.shape.length && source.shape.every((v, i) => v === target.shape[i]);
      if (!sameShape) {
        sizeErrors.push(
          `size mismatch for ${key}: copying a param with shape ${listShape(source.shape)} from checkpoint, ` +
            `the shape in current model is ${listShape(target.shape)}.`,
        );
        continue;
      }
      if (!isFloatingDType(source.dtype)) {
        sizeErrors.push(integerForFloatMessage(key, target, source));
        continue;
      }
      // float64 rounds to float32, as torch's `param.copy_(input_param)`.
      assignments.push([target, source.float()]);
    }
    for (const [key, [fullKey]] of entries) {
      if (!key.startsWith(node.prefix)) continue;
      const first = key.slice(node.prefix.length).split('.', 1)[0];
      if (!node.childNames.has(first) && !node.parameters.has(first)) unexpectedKeys.push(fullKey);
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

/**
 * torch 2.x's line for a parameter that cannot take the checkpoint's tensor: an integer or
 * bool tensor cannot become a float parameter (`nn.Parameter` of it raises "Only Tensors of
 * floating point and complex dtype can require gradients"), and `_load_from_state_dict`
 * reports the exception this way.
 */
export function integerForFloatMessage(key: string, target: AnyTensor, source: AnyTensor): string {
  return (
    `While copying the parameter named "${key}", whose dimensions in the model are ` +
    `torch.Size(${listShape(target.shape)}) and whose dimensions in the checkpoint are ` +
    `torch.Size(${listShape(source.shape)}), an exception occurred : ` +
    `('Only Tensors of floating point and complex dtype can require gradients',).`
  );
}

function quoteKeys(keys: string[]): string {
  return keys.map((key) => `"${key}"`).join(', ');
}
