// safetensors: Hugging Face's weight format, read and written in plain TypeScript.
//
// Re-exported by the package index as the `safetensors` namespace:
//
//   import { safetensors } from 'rnn-blas';
//   const weights = safetensors.loadFile('lstm.safetensors');   // { weight_ih_l0: Tensor, ... }
//   safetensors.saveFile(weights, 'lstm-f16.safetensors', { format: 'pt' }, { dtype: 'F16' });
//
// The pieces, one job each, live in lib/safetensors/: header.ts validates a header the way
// the reference implementation does, reader.ts and writer.ts convert tensor data,
// float-bits.ts holds the float16/bfloat16 roundings, dtypes.ts the dtype table.

import * as fs from 'fs';
import { AnyTensor, Tensor } from './tensor';
import { SAVE_DTYPES, SaveDtype } from './safetensors/dtypes';
import { readHeaderFromFile } from './safetensors/file';
import { ParsedHeader, quote, readHeader } from './safetensors/header';
import { LoadMode, checkLoadableDtypes, decodeTensor } from './safetensors/reader';
import { serialize } from './safetensors/writer';
import { refuseForeignFormat } from './formats/sniff';

export type { LoadableDtype, ReadableDtype, SaveDtype, WidenedDtype } from './safetensors/dtypes';

/** Options of {@link save} and {@link saveFile}. */
export interface SaveOptions {
  /**
   * How float32 tensors are stored: 'F32' (default, exact), or 'F16' / 'BF16', each
   * rounded to nearest, ties to even (as torch's `.half()` / `.bfloat16()`). Tensors of
   * other dtypes are stored as their own (float64 as F64, int64 as I64, bool as BOOL, ...).
   */
  dtype?: SaveDtype;
}

/** Options of {@link load} and {@link loadFile}. */
export interface LoadOptions {
  /**
   * `'float32'`: every float tensor (F32, F16, BF16, F64) as float32, and any other dtype
   * an error; the behaviour from before tensors had dtypes. Default: each in its own dtype.
   */
  dtype?: 'float32';
}

/**
 * The tensors of a safetensors file held in memory, keyed by name in file order.
 *
 * Every tensor loads in its own dtype: F32 as float32, F64 as float64, I64 as int64, I32,
 * I16, I8, U8 and BOOL likewise; F16 and BF16 widen to float32, exactly as torch's
 * `.float()`. Any other dtype (U16, U32, U64, F8, ...) throws, naming the tensor. With
 * `{ dtype: 'float32' }`, every float converts to float32 (F64 rounded to nearest even) and
 * any other dtype throws. The whole header is validated before any tensor is read, and
 * each returned tensor owns its data: `bytes` may be reused afterwards.
 *
 * @param bytes - the whole file, as a Uint8Array (a Node Buffer is one) or an ArrayBuffer.
 * @param options - `dtype: 'float32'` to convert every float to float32.
 * @returns name → Tensor, with the shapes stored in the file.
 * @throws Error if the file is malformed, is a torch.save file (use `pt.load`), or holds
 *   a dtype that cannot be read.
 *
 * @example
 * ```ts
 * const response = await fetch(url);
 * const weights = safetensors.load(new Uint8Array(await response.arrayBuffer()));
 * const lstm = LSTM.fromStateDict(weights).eval();
 * ```
 */
export function load(bytes: Uint8Array, options: LoadOptions & { dtype: 'float32' }): Record<string, Tensor>;
export function load(bytes: Uint8Array, options?: LoadOptions): Record<string, AnyTensor>;
export function load(bytes: Uint8Array, options?: LoadOptions): Record<string, AnyTensor> {
  return loadBytes(asBytes(bytes, 'safetensors.load'), loadMode(options, 'safetensors.load'), 'pt.load(bytes)');
}

function loadBytes(input: Uint8Array, mode: LoadMode, ptFunction: string): Record<string, AnyTensor> {
  refuseForeignFormat(input, 'safetensors', ptFunction);
  const header = readHeader(input);
  checkLoadableDtypes(header, mode);
  return decodeAll(input, header, mode);
}

function loadMode(options: unknown, where: string): LoadMode {
  if (options === undefined || options === null) return 'native';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${kindOf(options)}`);
  }
  const dtype = (options as LoadOptions).dtype;
  if (dtype === undefined) return 'native';
  if (dtype !== 'float32') {
    throw new RangeError(`${where}: dtype must be 'float32' (or left out), got ${typeof dtype === 'string' ? `'${dtype}'` : kindOf(dtype)}`);
  }
  return 'float32';
}

/**
 * The tensors of a safetensors file, as `safetensors.torch.load_file`: {@link load} of the
 * file's content, read once (F32 data is copied once, out of the read buffer).
 *
 * @param path - the file to read.
 * @param options - `dtype: 'float32'` to convert every float to float32.
 * @returns name → Tensor, with the shapes stored in the file.
 * @throws Error if the file cannot be read, is malformed, is a torch.save file (use
 *   `pt.loadFile`), or holds a dtype that cannot be read.
 *
 * @example
 * ```ts
 * // Python: save_file(lstm.state_dict(), "lstm.safetensors")
 * const lstm = new LSTM(10, 20, 2);
 * lstm.loadStateDict(safetensors.loadFile('lstm.safetensors'));
 * ```
 */
export function loadFile(path: string, options: LoadOptions & { dtype: 'float32' }): Record<string, Tensor>;
export function loadFile(path: string, options?: LoadOptions): Record<string, AnyTensor>;
export function loadFile(path: string, options?: LoadOptions): Record<string, AnyTensor> {
  checkPath(path, 'safetensors.loadFile');
  const mode = loadMode(options, 'safetensors.loadFile');
  return loadBytes(fs.readFileSync(path), mode, 'pt.loadFile(path)');
}

/**
 * The safetensors bytes of `tensors`, sorted by name, with optional string metadata
 * (the `__metadata__` entry; PyTorch checkpoints carry `{ format: 'pt' }`), as
 * `safetensors.torch.save`.
 *
 * @param tensors - name → Tensor; names must be well-formed Unicode and not `__metadata__`.
 * @param metadata - string keys and values, stored in the header.
 * @param options - `dtype`: how float32 tensors are stored, 'F32' (default), 'F16' or 'BF16';
 *   other dtypes are stored as their own.
 * @throws TypeError for a value that is not a Tensor or a metadata value that is not a string.
 *
 * @example
 * ```ts
 * const bytes = safetensors.save(lstm.stateDict(), { format: 'pt' });
 * const copy = LSTM.fromStateDict(safetensors.load(bytes));
 * ```
 */
export function save(
  tensors: Record<string, AnyTensor>,
  metadata?: Record<string, string>,
  options?: SaveOptions,
): Uint8Array {
  const where = 'safetensors.save';
  checkTensors(tensors, where);
  const checkedMetadata = checkMetadata(metadata, where);
  return serialize(tensors, checkedMetadata, checkDtype(options, where));
}

/**
 * {@link save} to a file, as `safetensors.torch.save_file`; Python reads it back with
 * `load_file`.
 *
 * @param tensors - name → Tensor.
 * @param path - the file to write (replaced if it exists).
 * @param metadata - string keys and values, stored in the header.
 * @param options - `dtype`: 'F32' (default), 'F16' or 'BF16'.
 *
 * @example
 * ```ts
 * safetensors.saveFile(lstm.stateDict(), 'lstm.safetensors', { format: 'pt' });
 * safetensors.saveFile(lstm.stateDict(), 'lstm-f16.safetensors', { format: 'pt' }, { dtype: 'F16' });
 * ```
 */
export function saveFile(
  tensors: Record<string, AnyTensor>,
  path: string,
  metadata?: Record<string, string>,
  options?: SaveOptions,
): void {
  const where = 'safetensors.saveFile';
  checkTensors(tensors, where);
  checkPath(path, where);
  const checkedMetadata = checkMetadata(metadata, where);
  fs.writeFileSync(path, serialize(tensors, checkedMetadata, checkDtype(options, where)));
}

/**
 * The `__metadata__` of a file (a path) or of file bytes, `{}` when there is none. The
 * header is fully validated; from a path only the header is read.
 *
 * @param pathOrBytes - a file path, or the file's bytes.
 * @throws Error if the header is malformed.
 *
 * @example
 * ```ts
 * safetensors.metadata('lstm.safetensors'); // { format: 'pt' }
 * ```
 */
export function metadata(pathOrBytes: string | Uint8Array): Record<string, string> {
  if (typeof pathOrBytes === 'string') return readHeaderFromFile(pathOrBytes).metadata;
  const value: unknown = pathOrBytes;
  if (!(value instanceof Uint8Array) && !(value instanceof ArrayBuffer)) {
    throw new TypeError(`safetensors.metadata: expected a path or a Uint8Array, got ${kindOf(pathOrBytes)}`);
  }
  const bytes = asBytes(pathOrBytes, 'safetensors.metadata');
  refuseForeignFormat(bytes, 'safetensors', 'pt.load(bytes)');
  return readHeader(bytes).metadata;
}

function decodeAll(bytes: Uint8Array, header: ParsedHeader, mode: LoadMode): Record<string, AnyTensor> {
  const tensors: Record<string, AnyTensor> = {};
  for (const entry of header.tensors) {
    // defineProperty: a tensor named "__proto__" stays an ordinary entry.
    Object.defineProperty(tensors, entry.name, {
      value: decodeTensor(bytes, header, entry, mode),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return tensors;
}

// ---- argument checks: TypeError for wrong types, RangeError for bad values ----

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function asBytes(bytes: unknown, where: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new TypeError(`${where}: bytes must be a Uint8Array, got ${kindOf(bytes)}`);
}

function checkPath(path: unknown, where: string): void {
  if (typeof path !== 'string') throw new TypeError(`${where}: path must be a string, got ${kindOf(path)}`);
}

/** Matches an unpaired UTF-16 surrogate, which UTF-8 (and the reference) cannot encode. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, what: string, where: string): void {
  if (LONE_SURROGATE.test(text)) {
    throw new RangeError(`${where}: ${what} ${quote(text)} is not well-formed Unicode (it holds a lone surrogate)`);
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Tensor);
}

function checkTensors(tensors: unknown, where: string): void {
  if (!isPlainRecord(tensors)) {
    throw new TypeError(`${where}: tensors must be an object mapping names to Tensors, got ${kindOf(tensors)}`);
  }
  for (const name of Object.keys(tensors)) {
    if (!(tensors[name] instanceof Tensor)) {
      throw new TypeError(`${where}: tensors[${quote(name)}] must be a Tensor, got ${kindOf(tensors[name])}`);
    }
    if (name === '__metadata__') {
      throw new RangeError(`${where}: "__metadata__" is reserved for the file's metadata and cannot name a tensor`);
    }
    checkText(name, 'tensor name', where);
  }
}

function checkMetadata(metadata: unknown, where: string): Record<string, string> | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isPlainRecord(metadata)) {
    throw new TypeError(`${where}: metadata must be an object of strings, got ${kindOf(metadata)}`);
  }
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    if (typeof value !== 'string') {
      throw new TypeError(`${where}: metadata[${quote(key)}] must be a string, got ${kindOf(value)}`);
    }
    checkText(key, 'metadata key', where);
    checkText(value, 'metadata value', where);
  }
  return metadata as Record<string, string>;
}

function checkDtype(options: unknown, where: string): SaveDtype {
  if (options === undefined || options === null) return 'F32';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${kindOf(options)}`);
  }
  const dtype = (options as SaveOptions).dtype;
  if (dtype === undefined) return 'F32';
  if (!(SAVE_DTYPES as readonly unknown[]).includes(dtype)) {
    const choices = SAVE_DTYPES.map((name) => `'${name}'`).join(', ');
    throw new RangeError(`${where}: dtype must be one of ${choices}, got ${typeof dtype === 'string' ? `'${dtype}'` : kindOf(dtype)}`);
  }
  return dtype;
}
