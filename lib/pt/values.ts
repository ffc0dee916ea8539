// What the unpickler builds: plain JavaScript values for Python's plain data, and inert
// records for the few torch objects it knows (storages, tensors not yet read, dtypes,
// TorchScript objects). Nothing here has behaviour: a record is only data.

import type { DType } from '../dtype';

/** A Python dict or OrderedDict, insertion order kept; keys may be any hashable value. */
export class PyDict {
  readonly map = new Map<unknown, unknown>();
  /** Attributes a BUILD set on it (a state dict's `_metadata`): not items. */
  attributes: unknown = undefined;
  constructor(readonly ordered: boolean) {}
}

/** A Python tuple (a frozen array once built). */
export type PyTuple = readonly unknown[];

/** A storage named by a persistent id: its bytes are read only when a tensor needs them. */
export class StorageRef {
  constructor(
    readonly key: string,
    /** The storage's element type, or undefined for an UntypedStorage (bytes). */
    readonly fileDtype: FileDtype,
    /** Elements declared by the pickle. */
    readonly numel: number,
  ) {}
  /** How many tensors the pickle builds on it: a storage only one tensor uses can become its data. */
  uses = 0;
}

/** The storage dtypes of torch.save, as their safetensors names, which the decoder knows. */
export type FileDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** A tensor described by `_rebuild_tensor_v2`: read from its storage when it is used. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** `torch.float32` and the like, pickled as globals. */
export class DTypeValue {
  constructor(
    readonly name: string,
    readonly dtype: DType | undefined,
  ) {}
}

/** A global the unpickler knows and may call (its name is all it keeps). */
export class AllowedGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A global that is not allowed: kept inert so that the error can name it (and say what it was). */
export class RefusedGlobal {
  constructor(readonly qualifiedName: string) {}
}

/** What calling a refused global would have made: nothing, a record of the call. */
export class RefusedObject {
  constructor(readonly global: RefusedGlobal) {}
}

/** A TorchScript object (`__torch__.*` class): its class name and the attributes BUILD gave it. */
export class ScriptObject {
  state: unknown = undefined;
  constructor(readonly className: string) {}
}
