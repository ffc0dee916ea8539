// Small checks shared by the validation modules.
import { Tensor, floatsHeld } from '../tensor';

/** The native side computes with 32-bit BLAS dimensions and refuses larger ones; so do the checks. */
export const MAX_DIMENSION = 2 ** 31 - 1;
/** hidden_size bound: the native side sizes up to 4 * hidden_size gate rows in 32 bits. */
export const MAX_HIDDEN_SIZE = Math.floor(MAX_DIMENSION / 4);
/** num_layers bound of the native side. */
export const MAX_LAYERS = 65536;

/**
 * Parameters are live tensors, so their buffers can be detached (transferred) or shrunk
 * behind the module's back; a module must then refuse to run rather than read nothing.
 */
export function checkParameterData(owner: string, parameters: ReadonlyMap<string, Tensor>): void {
  for (const [name, parameter] of parameters) {
    const count = parameter.shape.reduce((a, b) => a * b, 1);
    const held = floatsHeld(parameter.data);
    if (held !== count) {
      throw new RangeError(
        `${owner}: parameter ${name} holds ${held} values but its shape ` +
          `[${parameter.shape.join(', ')}] needs ${count} (was its ArrayBuffer detached or resized?)`,
      );
    }
  }
}

export function typeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** What a value is called in JavaScript, for hints: 'a string', 'null', 'the number 4.5'. */
function jsTypeWords(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : `the number ${value}`;
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return '';
}

/**
 * The hint added to torch's message where its Python words differ from JavaScript's: the
 * JavaScript type of `value` (torch says `str`, `NoneType`, `list`) and, when given, the
 * camelCase option that torch's snake_case name stands for. '' when nothing differs.
 */
export function jsTypeHint(value: unknown, jsName?: string, pythonName?: string): string {
  const parts: string[] = [];
  if (jsName !== undefined && jsName !== pythonName) parts.push(jsName);
  const words = jsTypeWords(value);
  if (words) parts.push(words);
  return parts.length ? ` (JavaScript: ${parts.join(', ')})` : '';
}

/** torch's snake_case name in camelCase: batch_first -> batchFirst. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** A camelCase option's torch name in snake_case: numLayers -> num_layers. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A whole number of `name` (torch: `TypeError: hidden_size should be of type int, got: float`). */
export function requireInt(value: unknown, name: string, jsName = camelCase(name)): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} should be of type int, got: ${typeName(value)}${jsTypeHint(value, jsName, name)}`);
  }
  return value;
}

export function requireBool(value: unknown, name: string, jsName = camelCase(name)): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} should be of type bool, got: ${typeName(value)}${jsTypeHint(value, jsName, name)}`);
  }
  return value;
}

/** Formats a shape like torch prints a list: [2, 3, 10]. */
export function listShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Formats a shape like torch prints a tuple: (2, 3, 10). */
export function tupleShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * torch's `LSTM.__init__() got an unexpected keyword argument 'batch_first'`, with the
 * option the caller likely meant: the camelCase spelling of a snake_case name, or an
 * allowed option that differs only in case.
 */
export function unexpectedKeywordError(owner: string, key: string, allowed: readonly string[]): TypeError {
  const meant = allowed.find((name) => name === camelCase(key) || name.toLowerCase() === key.toLowerCase());
  const hint = meant !== undefined ? ` (did you mean '${meant}'?)` : '';
  return new TypeError(`${owner}.__init__() got an unexpected keyword argument '${key}'${hint}`);
}
