// Checks of the modules without recurrence: Dropout, ReLU, Softmax, LogSoftmax, LayerNorm
// and the containers, with torch's wording where it has one.
import { Tensor } from '../tensor';
import { jsTypeHint, typeName, unexpectedKeywordError } from './common';

/** torch's `inplace` option of ReLU and Dropout; any other key is torch's unexpected keyword. */
export function checkInplace(owner: string, options: unknown): boolean {
  const { inplace = false, ...rest } = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(rest)) throw unexpectedKeywordError(owner, key, ['inplace']);
  if (typeof inplace !== 'boolean') {
    throw new TypeError(`inplace should be of type bool, got: ${typeName(inplace)}${jsTypeHint(inplace)}`);
  }
  return inplace;
}

/** Dropout's p, at construction or when assigned (torch's ValueError text). */
export function checkProbability(p: unknown): number {
  if (typeof p !== 'number') {
    throw new TypeError(`dropout probability has to be between 0 and 1, but got ${typeName(p)}${jsTypeHint(p)}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  return p;
}

/** Softmax's and LogSoftmax's dim: an integer, or null for torch's deprecated implicit choice. */
export function checkSoftmaxDim(dim: unknown): number | null {
  if (dim === undefined || dim === null) return null;
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new TypeError(`dim should be of type int or None, got: ${typeName(dim)}${jsTypeHint(dim)}`);
  }
  return dim;
}

export interface LayerNormConfig {
  normalizedShape: readonly number[];
  eps: number;
  elementwiseAffine: boolean;
  bias: boolean;
}

/** LayerNorm(normalizedShape, { eps, elementwiseAffine, bias }) with torch's defaults. */
export function parseLayerNormArguments(normalizedShape: unknown, options: unknown): LayerNormConfig {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || shape.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new TypeError('LayerNorm: normalized_shape must be a non-negative integer or an array of them');
  }
  const { eps = 1e-5, elementwiseAffine = true, bias = true, ...rest } = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(rest)) throw unexpectedKeywordError('LayerNorm', key, ['eps', 'elementwiseAffine', 'bias']);
  if (typeof eps !== 'number') throw new TypeError(`eps should be of type float, got: ${typeName(eps)}${jsTypeHint(eps)}`);
  if (typeof elementwiseAffine !== 'boolean') {
    throw new TypeError(`elementwise_affine should be of type bool, got: ${typeName(elementwiseAffine)}${jsTypeHint(elementwiseAffine, 'elementwiseAffine', 'elementwise_affine')}`);
  }
  if (typeof bias !== 'boolean') throw new TypeError(`bias should be of type bool, got: ${typeName(bias)}${jsTypeHint(bias)}`);
  return { normalizedShape: Object.freeze([...shape]), eps, elementwiseAffine, bias };
}

/** LayerNorm's input must end in the normalized shape (torch's message). */
export function checkLayerNormInput(normalizedShape: readonly number[], input: Tensor): void {
  const k = normalizedShape.length;
  if (k === 0) {
    // torch builds LayerNorm([]) and refuses it at forward (ATen's layer_norm check).
    throw new RangeError(
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []',
    );
  }
  const tail = input.shape.slice(input.dim() - k);
  if (input.dim() < k || tail.some((size, i) => size !== normalizedShape[i])) {
    throw new RangeError(
      `Given normalized_shape=[${normalizedShape.join(', ')}], expected input with shape [*, ${normalizedShape.join(', ')}], ` +
        `but got input of size[${input.shape.join(', ')}]`,
    );
  }
}

/** A container's element must be a Module (torch: `<type> is not a Module subclass`). */
export function checkModuleValue<M>(value: unknown, isModule: (value: unknown) => value is M, where: string): M {
  if (!isModule(value)) throw new TypeError(`${typeName(value)} is not a Module subclass (${where})`);
  return value;
}

/** A container index in [-length, length) as one in [0, length); torch's IndexError text otherwise. */
export function wrapContainerIndex(given: unknown, length: number): number {
  const index = containerIndexValue(given);
  if (index < -length || index >= length) throw new RangeError(`index ${index} is out of range`);
  return index < 0 ? index + length : index;
}

/** A container index as an integer: a 0-d integer tensor as its value (torch's __index__); anything else not an integer is a TypeError. */
export function containerIndexValue(given: unknown): number {
  let index = given;
  if (given instanceof Tensor && given.dim() === 0 && ['int64', 'int32', 'int16', 'int8', 'uint8'].includes(given.dtype)) {
    index = Number((given.data as ArrayLike<number | bigint>)[0]);
  }
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    const kind = typeof index === 'number' ? 'float' : typeName(index);
    throw new TypeError(`'${kind}' object cannot be interpreted as an integer`);
  }
  return index;
}
