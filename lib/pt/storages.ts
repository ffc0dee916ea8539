// Persistent ids: how a torch.save pickle names the storages stored beside it. The zip
// format's are ('storage', StorageType, key, location, numel); the legacy format adds a
// view field. Each id becomes one StorageRef per key, shared by every tensor that uses it.

import { PtError, quoteName } from './errors';
import { describe, StorageType } from './globals';
import { StorageRef } from './values';

/** Storages per file at most: more keys than any checkpoint has tensors. */
const MAX_STORAGES = 1 << 20;

export class StorageTable {
  readonly byKey = new Map<string, StorageRef>();

  constructor(private readonly legacy: boolean) {}

  /** The unpickler's persistent_load. */
  load(pid: unknown): StorageRef {
    if (!Array.isArray(pid) || pid[0] !== 'storage') {
      throw new PtError(`a persistent id must be a ('storage', ...) tuple, got ${describe(pid)}`);
    }
    const expected = this.legacy ? 6 : 5;
    if (pid.length !== expected) throw new PtError(`a storage's persistent id has ${pid.length} fields, not ${expected}`);
    const [, type, key, , numel] = pid as unknown[];
    if (!(type instanceof StorageType)) throw new PtError(`a storage's type must be a torch storage class, got ${describe(type)}`);
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(key)) {
      throw new PtError(`a storage key must be a short name, got ${typeof key === 'string' ? quoteName(key) : describe(key)}`);
    }
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
      throw new PtError(`storage ${quoteName(key)} declares ${String(numel)} elements`);
    }
    if (this.legacy && pid[5] !== null) {
      throw new PtError(`storage ${quoteName(key)} is a view of another storage (torch < 1.0); re-save the file with a recent torch`);
    }
    const known = this.byKey.get(key);
    if (known !== undefined) {
      if (known.fileDtype !== type.fileDtype || known.numel !== numel) {
        throw new PtError(`storage ${quoteName(key)} is named twice with different types or sizes`);
      }
      return known;
    }
    if (this.byKey.size >= MAX_STORAGES) throw new PtError(`the file names more than ${MAX_STORAGES} storages`);
    const storage = new StorageRef(key, type.fileDtype, numel);
    this.byKey.set(key, storage);
    return storage;
  }
}
