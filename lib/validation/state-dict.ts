// loadStateDict's checks, worded as torch's Module.load_state_dict.
import { AnyTensor, Tensor, TensorLike, asAnyTensor } from '../tensor';
import { isFloatingDType } from '../dtype';
import { listShape, typeName } from './common';

export interface LoadPlan {
  /** Parameter name -> the checkpoint tensor to copy into it. */
  assignments: Array<[string, Tensor]>;
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Matches checkpoint keys under `prefix` to the module's parameters and checks every
 * shape before anything is copied, so a failed load leaves the module untouched.
 */
export function planStateDictLoad(
  moduleName: string,
  parameters: ReadonlyMap<string, Tensor>,
  stateDict: unknown,
  strict: unknown,
  prefix: unknown,
): LoadPlan {
  requireStateDict(stateDict);
  if (typeof strict !== 'boolean') throw new TypeError(`strict should be of type bool, got: ${typeName(strict)}`);
  requirePrefix(prefix);

  const entries = Object.entries(stateDict as Record<string, unknown>).filter(([key]) => key.startsWith(prefix));
  const sizeErrors: string[] = [];
  const assignments: Array<[string, Tensor]> = [];
  const seen = new Set<string>();
  const unexpectedKeys: string[] = [];
  for (const [fullKey, value] of entries) {
    const key = fullKey.slice(prefix.length);
    const target = parameters.get(key);
    if (!target) {
      unexpectedKeys.push(fullKey);
      continue;
    }
    seen.add(key);
    const source = asAnyTensor(value as TensorLike, `state_dict["${fullKey}"]`);
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
    assignments.push([key, source.float()]);
  }
  const missingKeys = [...parameters.keys()].filter((key) => !seen.has(key)).map((key) => prefix + key);

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

/** A checkpoint is a plain object of tensors by name (torch: a dict). */
export function requireStateDict(stateDict: unknown): asserts stateDict is Record<string, unknown> {
  if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict) || stateDict instanceof Tensor) {
    throw new TypeError(`Expected state_dict to be dict-like, got ${typeName(stateDict)}.`);
  }
}

export function requirePrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new TypeError(`prefix should be of type str, got: ${typeName(prefix)}`);
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
