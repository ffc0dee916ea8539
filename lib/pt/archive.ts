// The zip format of torch.save (torch >= 1.6) and torch.jit.save: `<name>/data.pkl`, the
// pickle, and `<name>/data/<key>`, one record per storage, under an archive folder named
// after the file (any name). A TorchScript archive also holds `constants.pkl` and `code/`.

import { ByteSource, FileSource } from './source';
import { PtError, quoteName } from './errors';
import { ZipArchive, ZipEntry } from './zip';
import { unpickle } from './pickle';
import { StorageTable } from './storages';
import { LoadBudget, StorageReader, checkStorageBytes, ownedStorageBytes } from './tensors';
import { StorageRef } from './values';
import { MAX_SCRIPT_SOURCE_BYTES, ScriptMembers, declaredMembers, sourcePathOf } from './script-members';
import { dtypeBytes } from '../safetensors/dtypes';
import { swapElementBytes } from '../formats/byte-order';

/** The largest data.pkl read: the pickle of a state dict is small, its tensors are records. */
const MAX_PICKLE_BYTES = 1 << 30;

export interface Checkpoint {
  root: unknown;
  readStorage: StorageReader;
  torchScript: boolean;
  budget: LoadBudget;
  /** A TorchScript archive's declared parameters and buffers per class (absent otherwise). */
  scriptMembers?: ScriptMembers;
}

function findPickle(zip: ZipArchive): { prefix: string; entry: ZipEntry } {
  const candidates = [...zip.entries.values()].filter((entry) => /^[^/]+\/data\.pkl$/.test(entry.name));
  if (candidates.length === 0) {
    const names = [...zip.entries.keys()].slice(0, 5).map(quoteName).join(', ');
    if ([...zip.entries.keys()].some((name) => /^[^/]+\/model\.json$/.test(name))) {
      throw new PtError('this TorchScript archive is in the format of torch < 1.4 (model.json); re-save it with torch.jit.save from a recent torch');
    }
    throw new PtError(`the zip archive has no <name>/data.pkl, so torch.save did not write it (its first entries: ${names || 'none'})`);
  }
  if (candidates.length > 1) throw new PtError(`the zip archive holds ${candidates.length} data.pkl records in different folders`);
  const entry = candidates[0];
  return { prefix: entry.name.slice(0, -'/data.pkl'.length), entry };
}

/** A copy of `bytes` with each `width`-byte element's bytes reversed: big-endian storage to little. */
function swappedElements(bytes: Uint8Array, width: number): Uint8Array {
  if (width === 1) return bytes;
  const out = bytes.slice();
  swapElementBytes(out, width);
  return out;
}

export function readZipCheckpoint(source: ByteSource): Checkpoint {
  const zip = new ZipArchive(source);
  const { prefix, entry } = findPickle(zip);
  // torch >= 2.1 records the writer's byte order; a big-endian writer's storages are read
  // swapped, as torch's _load does (no record: little-endian, as every earlier torch wrote).
  const byteorder = zip.entries.get(`${prefix}/byteorder`);
  const order = byteorder === undefined ? 'little' : new TextDecoder().decode(zip.read(byteorder));
  if (order !== 'little' && order !== 'big') {
    throw new PtError(`the archive's byteorder record is ${quoteName(order)}, neither "little" nor "big"`);
  }
  const torchScript =
    zip.entries.has(`${prefix}/constants.pkl`) || [...zip.entries.keys()].some((name) => name.startsWith(`${prefix}/code/`));
  if (entry.size > MAX_PICKLE_BYTES) throw new PtError(`data.pkl is ${entry.size} bytes, more than the limit of ${MAX_PICKLE_BYTES}`);
  const storages = new StorageTable(false);
  const pickle = zip.read(entry);
  // torch writes protocol 2: a pickle that does not open with PROTO is not one torch wrote.
  if (pickle.length === 0 || pickle[0] !== 0x80) {
    throw new PtError(`${quoteName(entry.name)} is not a pickle (it does not begin with the PROTO opcode); the archive is damaged or torch.save did not write it`);
  }
  const { value: root } = unpickle(pickle, { persistentLoad: (pid) => storages.load(pid), torchScript });

  const cache = new Map<StorageRef, Uint8Array>();
  const budget = new LoadBudget();
  const readStorage = (storage: StorageRef): Uint8Array => {
    const cached = cache.get(storage);
    if (cached !== undefined) return cached;
    const name = `${prefix}/data/${storage.key}`;
    const record = zip.entries.get(name);
    if (record === undefined) throw new PtError(`storage ${quoteName(storage.key)} has no record ${quoteName(name)} in the archive`);
    const stored = zip.read(record);
    checkStorageBytes(storage, stored, `record ${quoteName(name)}`);
    const bytes = order === 'big' ? swappedElements(stored, dtypeBytes(storage.fileDtype)) : stored;
    if (source instanceof FileSource || record.method !== 0 || bytes !== stored) ownedStorageBytes.add(bytes);
    cache.set(storage, bytes);
    budget.storageRead(bytes.length);
    return bytes;
  };
  // Each class's source is read and parsed once, however many of its objects the tree holds.
  const sources = new Map<string, string | undefined>();
  const membersOf = new Map<string, ReadonlySet<string> | undefined>();
  const scriptMembers: ScriptMembers = (className) => {
    if (membersOf.has(className)) return membersOf.get(className);
    const where = sourcePathOf(className);
    if (where !== undefined && !sources.has(where.path)) {
      const record = zip.entries.get(`${prefix}/${where.path}`);
      const readable = record !== undefined && record.size <= MAX_SCRIPT_SOURCE_BYTES;
      sources.set(where.path, readable ? new TextDecoder().decode(zip.read(record)) : undefined);
    }
    const source = where === undefined ? undefined : sources.get(where.path);
    const members = source === undefined || where === undefined ? undefined : declaredMembers(source, where.name);
    membersOf.set(className, members);
    return members;
  };
  return { root, readStorage, torchScript, budget, scriptMembers: torchScript ? scriptMembers : undefined };
}
