// torch.save's legacy format (`_use_new_zipfile_serialization=False`, and every file
// before torch 1.6): five pickles in a row (a magic number, the protocol version 1001,
// sys_info, the object, the list of storage keys), then each storage in that order as an
// int64 element count and its raw little-endian bytes (on any machine: torch's writer swaps
// on a big-endian one).

import { PtError, quoteName } from './errors';
import { describe } from './globals';
import { unpickle } from './pickle';
import { StorageTable } from './storages';
import { Checkpoint } from './archive';
import { LoadBudget, checkStorageBytes } from './tensors';
import { StorageRef } from './values';
import { dtypeBytes } from '../safetensors/dtypes';

const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

function noStorages(): never {
  throw new PtError('the header pickles of a legacy file name a storage');
}

export function readLegacyCheckpoint(bytes: Uint8Array): Checkpoint {
  let position = 0;
  const next = (persistentLoad: (pid: unknown) => unknown = noStorages): unknown => {
    const { value, end } = unpickle(bytes, { persistentLoad }, position);
    position = end;
    return value;
  };
  const magic = next();
  if (magic !== MAGIC_NUMBER) {
    throw new PtError('this is a Python pickle, but not one torch.save wrote (no torch magic number); rnn-blas reads only torch.save files');
  }
  const protocol = next();
  if (protocol !== PROTOCOL_VERSION) throw new PtError(`the legacy file has protocol version ${String(protocol)}, not ${PROTOCOL_VERSION}`);
  // sys_info (byte order, type sizes) is read past, as torch's _legacy_load does: the
  // writer stores every storage little-endian whatever the machine's order.
  next();
  const storages = new StorageTable(true);
  const root = next((pid) => storages.load(pid));
  const keys = next();
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) {
    throw new PtError(`the legacy file's storage keys must be a list of strings, got ${describe(keys)}`);
  }
  const data = new Map<StorageRef, Uint8Array>();
  for (const key of keys as string[]) {
    const storage = storages.byKey.get(key);
    if (storage === undefined) throw new PtError(`the legacy file stores storage ${quoteName(key)}, which its pickle never names`);
    if (position + 8 > bytes.length) throw new PtError(`the file ends before storage ${quoteName(key)} (is it truncated?)`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + position, 8);
    const count = view.getBigInt64(0, true);
    if (count !== BigInt(storage.numel)) {
      throw new PtError(`storage ${quoteName(key)} stores ${count} elements, but the pickle declares ${storage.numel}`);
    }
    position += 8;
    const size = storage.numel * dtypeBytes(storage.fileDtype);
    if (size > bytes.length - position) throw new PtError(`storage ${quoteName(key)} (${size} bytes) runs past the end of the file`);
    const slice = bytes.subarray(position, position + size);
    checkStorageBytes(storage, slice, `storage ${quoteName(key)}`);
    data.set(storage, slice);
    position += size;
  }
  const budget = new LoadBudget();
  const read = new Set<StorageRef>();
  const readStorage = (storage: StorageRef): Uint8Array => {
    const found = data.get(storage);
    if (found === undefined) throw new PtError(`storage ${quoteName(storage.key)} is named by the pickle but not stored in the file`);
    if (!read.has(storage)) {
      read.add(storage);
      budget.storageRead(found.length);
    }
    return found;
  };
  return { root, readStorage, torchScript: false, budget };
}
