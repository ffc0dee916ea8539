// Small checks shared by the validation modules.

export function typeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** A whole number of `name` (torch: `TypeError: hidden_size should be of type int, got: float`). */
export function requireInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} should be of type int, got: ${typeName(value)}`);
  }
  return value;
}

export function requireBool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} should be of type bool, got: ${typeName(value)}`);
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
