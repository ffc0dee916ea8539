// pt: the files torch.save and torch.jit.save write (.pt, .pth), read without Python and
// without running any of the pickle inside them.
//
// Re-exported by the package index as the `pt` namespace:
//
//   import { pt, LSTM } from 'rnn-blas';
//   const lstm = LSTM.fromStateDict(pt.loadFile('model.pt'));          // torch.save(model.state_dict(), ...)
//   const sd = pt.loadFile('checkpoint.pt', { key: 'model_state_dict' });
//
// The pieces, one job each, live in lib/pt/: zip.ts reads the archive, pickle.ts interprets
// the pickle against the allowlist of globals.ts, storages.ts and tensors.ts rebuild the
// tensors, archive.ts and legacy.ts know the two file layouts, convert.ts shapes the result.

import * as fs from 'fs';
import type { AnyTensor } from './tensor';
import { Checkpoint, readZipCheckpoint } from './pt/archive';
import { readLegacyCheckpoint } from './pt/legacy';
import { FileSource, MemorySource } from './pt/source';
import { PtError, quoteName } from './pt/errors';
import { toPlainObject, toStateDict } from './pt/convert';
import { sniffFormat } from './formats/sniff';

/** Options of {@link load} and {@link loadFile}. */
export interface PtLoadOptions {
  /**
   * The entry of a checkpoint dict that holds the state dict, such as `'model_state_dict'`
   * for `torch.save({'epoch': 3, 'model_state_dict': model.state_dict(), ...}, path)`.
   */
  key?: string;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function checkOptions(options: unknown, where: string): string | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object, got ${kindOf(options)}`);
  const key = (options as PtLoadOptions).key;
  if (key !== undefined && typeof key !== 'string') throw new TypeError(`${where}: key must be a string, got ${kindOf(key)}`);
  return key;
}

function asBytes(bytes: unknown, where: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new TypeError(`${where}: bytes must be a Uint8Array, got ${kindOf(bytes)}`);
}

/** What the first bytes say, as the reader for it (or the error naming the right function). */
function readCheckpoint(head: Uint8Array, fromFile: boolean, openZip: () => Checkpoint, wholeFile: () => Uint8Array): Checkpoint {
  const format = sniffFormat(head);
  if (format === 'zip') return openZip();
  if (format === 'torch-legacy' || format === 'pickle') return readLegacyCheckpoint(wholeFile());
  if (format === 'safetensors') {
    throw new PtError(
      `this is a safetensors file, not one torch.save wrote: read it with ${fromFile ? 'safetensors.loadFile(path)' : 'safetensors.load(bytes)'}`,
    );
  }
  throw new PtError('this is not a file torch.save writes (neither a zip archive nor a pickle)');
}

function fromBytes(bytes: Uint8Array): Checkpoint {
  return readCheckpoint(bytes, false, () => readZipCheckpoint(new MemorySource(bytes)), () => bytes);
}

function withFile<T>(path: string, use: (checkpoint: Checkpoint) => T): T {
  const fd = fs.openSync(path, 'r');
  try {
    const source = new FileSource(fd);
    const head = source.read(0, Math.min(source.length, 16));
    const checkpoint = readCheckpoint(head, true, () => readZipCheckpoint(source), () => source.read(0, source.length));
    // Tensors are read from the file as they are materialized: it stays open until then.
    return use(checkpoint);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The state dict in a file that `torch.save` wrote, as `torch.load(path, weights_only=True)`
 * reads it: name → Tensor, each tensor in its own dtype (float16 and bfloat16 widened to
 * float32), contiguous whatever its strides in the file.
 *
 * Reads the zip format (torch >= 1.6), the legacy format (`_use_new_zipfile_serialization=False`)
 * and TorchScript archives (`torch.jit.save`: the module's parameters and buffers under
 * their `state_dict()` names). The file is read where needed (its directory, its pickle,
 * each storage once), never whole.
 *
 * Nothing in the file is run. Its pickle is interpreted against torch's `weights_only`
 * allowlist (tensors, parameters, OrderedDict, plain containers, dtypes); any other global
 * (`os.system`, a model class from `torch.save(model)`) is an Error that names it.
 *
 * @param path - the file.
 * @param options - `key`: the entry of a checkpoint dict holding the state dict.
 * @returns name → Tensor.
 * @throws Error if the file is not a torch.save file (naming safetensors.loadFile for a
 *   safetensors file), is damaged, names a global outside the allowlist, or holds no flat
 *   state dict (naming the entries that hold one, to pass as `key`).
 *
 * @example
 * ```ts
 * // Python: torch.save(model.state_dict(), 'model.pt')
 * const encoder = LSTM.fromStateDict(pt.loadFile('model.pt'), { prefix: 'encoder.' });
 * // Python: torch.save({'epoch': 3, 'model_state_dict': model.state_dict()}, 'checkpoint.pt')
 * const weights = pt.loadFile('checkpoint.pt', { key: 'model_state_dict' });
 * ```
 */
export function loadFile(path: string, options?: PtLoadOptions): Record<string, AnyTensor> {
  if (typeof path !== 'string') throw new TypeError(`pt.loadFile: path must be a string, got ${kindOf(path)}`);
  const key = checkOptions(options, 'pt.loadFile');
  return loadFileStateDict(path, key, keyOptionHint('pt.loadFile'));
}

/** How a caller names the key to pass, in the message of a file that holds no flat state dict. */
const keyOptionHint = (loader: string) => (key: string) => `${loader}(path, { key: ${quoteName(key).replace(/"/g, "'")} })`;

/**
 * {@link loadFile} with the hint of another caller (the CLI names its `--key` option).
 * @internal
 */
export function loadFileStateDict(path: string, key: string | undefined, keyHint: (key: string) => string): Record<string, AnyTensor> {
  return withFile(path, (checkpoint) => toStateDict(checkpoint.root, checkpoint.readStorage, checkpoint.budget, key, keyHint, checkpoint.scriptMembers));
}

/**
 * {@link loadFile} of a file's bytes held in memory (any Uint8Array view, at any byte
 * offset; a Node Buffer is one). The tensors never alias `bytes`.
 *
 * @param bytes - the whole file.
 * @param options - `key`: the entry of a checkpoint dict holding the state dict.
 * @returns name → Tensor.
 *
 * @example
 * ```ts
 * const response = await fetch(url);
 * const weights = pt.load(new Uint8Array(await response.arrayBuffer()));
 * ```
 */
export function load(bytes: Uint8Array, options?: PtLoadOptions): Record<string, AnyTensor> {
  const input = asBytes(bytes, 'pt.load');
  const key = checkOptions(options, 'pt.load');
  const checkpoint = fromBytes(input);
  return toStateDict(checkpoint.root, checkpoint.readStorage, checkpoint.budget, key, keyOptionHint('pt.load'), checkpoint.scriptMembers);
}

/**
 * The whole object in a torch.save file (a path, or the file's bytes): dicts and
 * OrderedDicts as plain objects in insertion order (or Maps, when a key is not a string or
 * would be reordered as an array index, such as an optimizer state's `0`), lists and
 * tuples as arrays, sets as Sets, ints as numbers (bigints beyond 2^53), floats, strings,
 * bytes as Uint8Array, booleans, None as null, tensors as Tensors, dtypes as their names.
 * A state dict's `_metadata` attribute is not an item. A TorchScript archive gives its
 * module's attributes. The same safety as {@link loadFile}: nothing is run.
 *
 * @param pathOrBytes - a file path, or the file's bytes.
 * @returns the unpickled object.
 *
 * @example
 * ```ts
 * const checkpoint = pt.loadObject('checkpoint.pt') as { epoch: number };
 * checkpoint.epoch; // 3
 * ```
 */
export function loadObject(pathOrBytes: string | Uint8Array): unknown {
  if (typeof pathOrBytes === 'string') {
    return withFile(pathOrBytes, (checkpoint) => toPlainObject(checkpoint.root, checkpoint.readStorage, checkpoint.budget));
  }
  const checkpoint = fromBytes(asBytes(pathOrBytes, 'pt.loadObject'));
  return toPlainObject(checkpoint.root, checkpoint.readStorage, checkpoint.budget);
}
