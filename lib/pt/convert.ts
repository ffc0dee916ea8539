// From what the unpickler built to what users get: the whole object for loadObject, or a
// flat state dict (name -> Tensor) for load, picked by `key` from a checkpoint dict or
// gathered from a TorchScript module's attributes.

import type { AnyTensor } from '../tensor';
import { PtError, quoteName } from './errors';
import { describe } from './globals';
import { LoadBudget, StorageReader, materialize } from './tensors';
import { AllowedGlobal, DTypeValue, PyDict, ScriptObject, StorageRef, TensorRef } from './values';
import { StorageType } from './globals';
import type { ScriptMembers } from './script-members';

/** Nesting deeper than this is refused (Python's own recursion limit is 1000). */
export const MAX_DEPTH = 1000;

function depthError(): PtError {
  return new PtError(`the object nests deeper than ${MAX_DEPTH} levels (or refers to itself through a tuple)`);
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty: a key named "__proto__" stays an ordinary entry.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A string that JavaScript would reorder as an array index, which a plain object cannot keep in place. */
function isIndexLike(key: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** The whole object, as the public loadObject returns it. */
export function toPlainObject(root: unknown, readStorage: StorageReader, budget: LoadBudget): unknown {
  const seen = new Map<unknown, unknown>();
  const convert = (value: unknown, depth: number, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_DEPTH) throw depthError();
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (value instanceof Uint8Array) return value;
    if (value instanceof TensorRef) {
      const tensor = materialize(value, readStorage, path || '(root)', budget);
      seen.set(value, tensor);
      return tensor;
    }
    if (value instanceof StorageRef) {
      const tensor = materialize(new TensorRef(value, 0, [value.numel], [1]), readStorage, `storage ${value.key}`, budget);
      seen.set(value, tensor);
      return tensor;
    }
    if (value instanceof DTypeValue) return value.dtype ?? value.name;
    if (value instanceof AllowedGlobal) return value.qualifiedName;
    if (value instanceof StorageType) return `torch.${value.name}`;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      value.forEach((item, i) => out.push(convert(item, depth + 1, `${path}[${i}]`)));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      seen.set(value, out);
      for (const item of value) out.add(convert(item, depth + 1, `${path}{}`));
      return out;
    }
    if (value instanceof ScriptObject) {
      const out: Record<string, unknown> = {};
      seen.set(value, out);
      const state = value.state instanceof PyDict ? value.state : new PyDict(false);
      for (const [key, item] of state.map) {
        if (typeof key === 'string') define(out, key, convert(item, depth + 1, path ? `${path}.${key}` : key));
      }
      return out;
    }
    if (value instanceof PyDict) {
      const plain = [...value.map.keys()].every((key) => typeof key === 'string' && !isIndexLike(key));
      if (plain) {
        const out: Record<string, unknown> = {};
        seen.set(value, out);
        for (const [key, item] of value.map) define(out, key as string, convert(item, depth + 1, path ? `${path}.${String(key)}` : String(key)));
        return out;
      }
      const out = new Map<unknown, unknown>();
      seen.set(value, out);
      for (const [key, item] of value.map) out.set(convert(key, depth + 1, path), convert(item, depth + 1, `${path}[${String(key)}]`));
      return out;
    }
    throw new PtError(`the pickle built ${describe(value)}, which has no JavaScript counterpart`);
  };
  return convert(root, 0, '');
}

function isStateDict(value: unknown): value is PyDict {
  if (!(value instanceof PyDict)) return false;
  for (const [key, item] of value.map) if (typeof key !== 'string' || !(item instanceof TensorRef)) return false;
  return true;
}

/**
 * Tensors by their description: the same view of a storage named twice is one Tensor,
 * whether the pickle shares the tensor (`sd['a'] is sd['b']`) or describes it again (tied
 * weights: state_dict() gives each name its own view of the one storage), so that tying
 * neither copies the data again nor counts against the load budget again.
 */
class Materializer {
  private readonly made = new Map<StorageRef, Map<string, AnyTensor>>();
  constructor(
    private readonly readStorage: StorageReader,
    private readonly budget: LoadBudget,
  ) {}

  tensor(ref: TensorRef, name: string): AnyTensor {
    let views = this.made.get(ref.storage);
    if (views === undefined) this.made.set(ref.storage, (views = new Map()));
    const view = `${ref.offset}|${ref.size.join(',')}|${ref.stride.join(',')}`;
    let tensor = views.get(view);
    if (tensor === undefined) {
      tensor = materialize(ref, this.readStorage, name, this.budget);
      views.set(view, tensor);
    }
    return tensor;
  }
}

function flatten(dict: PyDict, tensors: Materializer): Record<string, AnyTensor> {
  const out: Record<string, AnyTensor> = {};
  for (const [key, ref] of dict.map) define(out, key as string, tensors.tensor(ref as TensorRef, quoteName(key as string)));
  return out;
}

/** More submodule names than any real model has: beyond, a shared-submodule tree is a bomb. */
const MAX_SCRIPT_MODULE_VISITS = 100_000;

/** A TorchScript module's parameters and buffers, under their state_dict() names. */
function scriptStateDict(root: ScriptObject, tensors: Materializer, members?: ScriptMembers): Record<string, AnyTensor> {
  const out: Record<string, AnyTensor> = {};
  // state_dict() names a submodule held twice under both names, as torch's does; a few
  // bytes of pickle can nest such sharing into 2^depth names, so the walk is bounded.
  let visits = 0;
  const walk = (object: ScriptObject, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw depthError();
    if (++visits > MAX_SCRIPT_MODULE_VISITS) {
      throw new PtError(
        `the TorchScript module tree names more than ${MAX_SCRIPT_MODULE_VISITS} submodules (submodules shared at every level?)`,
      );
    }
    if (!(object.state instanceof PyDict)) return;
    // A plain tensor attribute is no state_dict() key; without the class's source, every tensor counts.
    const declared = members?.(object.className);
    for (const [key, value] of object.state.map) {
      if (typeof key !== 'string') continue;
      if (value instanceof TensorRef) {
        if (declared === undefined || declared.has(key)) define(out, prefix + key, tensors.tensor(value, quoteName(prefix + key)));
      } else if (value instanceof ScriptObject) {
        walk(value, `${prefix}${key}.`, depth + 1);
      }
    }
  };
  walk(root, '', 0);
  return out;
}

function entryList(dict: PyDict): string {
  const keys = [...dict.map.keys()].map((key) => (typeof key === 'string' ? quoteName(key) : String(key)));
  return keys.length > 12 ? `${keys.slice(0, 12).join(', ')}, ... (${keys.length} entries)` : keys.join(', ');
}

function stateDictEntries(dict: PyDict): string[] {
  return [...dict.map.entries()]
    .filter(([key, value]) => typeof key === 'string' && isStateDict(value) && value.map.size > 0)
    .map(([key]) => key as string);
}

/** The flat state dict of a checkpoint: the root itself, the entry under `key`, or a TorchScript module's. */
export function toStateDict(
  root: unknown,
  readStorage: StorageReader,
  budget: LoadBudget,
  key: string | undefined,
  keyHint: (key: string) => string,
  scriptMembers?: ScriptMembers,
): Record<string, AnyTensor> {
  const tensors = new Materializer(readStorage, budget);
  if (key !== undefined) {
    if (!(root instanceof PyDict)) throw new PtError(`{ key: ${quoteName(key)} } needs a dict, but the file holds ${describe(root)}`);
    if (!root.map.has(key)) throw new PtError(`the file has no entry ${quoteName(key)}; its entries are ${entryList(root)}`);
    const value = root.map.get(key);
    if (!isStateDict(value)) {
      const hint = stateDictEntries(root);
      throw new PtError(
        `entry ${quoteName(key)} is ${describe(value)}, not a state dict (a dict of tensors by name)` +
          (hint.length > 0 ? `; the entries holding state dicts are ${hint.map(quoteName).join(', ')}` : ''),
      );
    }
    return flatten(value, tensors);
  }
  if (root instanceof ScriptObject) return scriptStateDict(root, tensors, scriptMembers);
  if (isStateDict(root)) return flatten(root, tensors);
  if (root instanceof PyDict) {
    const holders = stateDictEntries(root);
    if (holders.length > 0) {
      throw new PtError(
        `the file holds a dict of ${root.map.size} entries (${entryList(root)}), not a flat state dict of tensors; ` +
          `the entries holding state dicts are ${holders.map(quoteName).join(', ')}: pass the one to load, ` +
          keyHint(holders[0]),
      );
    }
    throw new PtError(
      `the file holds a dict of ${root.map.size} entries (${entryList(root)}), not a flat state dict of tensors, ` +
        `and none of its entries is one; pt.loadObject reads the whole object`,
    );
  }
  throw new PtError(`the file holds ${describe(root)}, not a state dict (a dict of tensors by name); pt.loadObject reads the whole object`);
}
