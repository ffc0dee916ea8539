// npz: numpy's .npz archives (np.savez, np.savez_compressed): a zip of .npy files.
//
// The zip layer is fflate's (small, no dependencies, synchronous, reads the zip64 records
// that numpy writes for every member). Only what fflate trusts is checked here first:
// the entry count against the archive's size (a hostile count would loop for minutes) and
// each entry's declared sizes (a deflated entry's output buffer is allocated from the
// declared size), before any entry is inflated; each member is then an .npy validated by
// npy.load.
import * as fs from 'fs';
import { unzipSync, zipSync, Zippable } from 'fflate';
import { load as loadNpy, serialize } from './npy';
import { AnyTensor, Tensor } from './tensor';

/** The central directory entry's fixed part: no entry is smaller. */
const CENTRAL_ENTRY_BYTES = 46;
/** Deflate cannot expand data by more than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;
/** zip's 32-bit sizes: larger archives need zip64 writing, which fflate does not do. */
const MAX_ZIP32_BYTES = 0xffffffff;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * The arrays of an .npz file, by name (the member's name without `.npy`), in archive order,
 * as `numpy.load` gives them; each a Tensor of its own dtype, read as {@link npy.load}
 * reads a .npy. Stored (`np.savez`) and deflated (`np.savez_compressed`) members both load.
 *
 * @param pathOrBytes - a file path, or the whole archive as a Uint8Array.
 * @throws Error for a malformed archive, a member that is not a .npy, or a malformed member.
 *
 * @example
 * ```ts
 * // Python: np.savez('batch.npz', ids=ids, lengths=lengths)
 * const { ids, lengths } = npz.load('batch.npz');
 * ```
 */
export function load(pathOrBytes: string | Uint8Array): Record<string, AnyTensor> {
  let bytes: Uint8Array;
  if (typeof pathOrBytes === 'string') bytes = fs.readFileSync(pathOrBytes);
  else if (pathOrBytes instanceof Uint8Array) bytes = pathOrBytes;
  else throw new TypeError(`npz.load: expected a path or a Uint8Array, got ${describe(pathOrBytes)}`);

  const maxEntries = Math.floor(bytes.length / CENTRAL_ENTRY_BYTES);
  let entries = 0;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter(file) {
        if (++entries > maxEntries) throw new Error(`the archive declares more entries than its ${bytes.length} bytes can hold`);
        const { name, size, originalSize, compression } = file;
        if (!Number.isSafeInteger(size) || !Number.isSafeInteger(originalSize) || size < 0 || size > bytes.length) {
          throw new Error(`member '${name}' declares ${size} bytes, the archive holds ${bytes.length}`);
        }
        if (compression === 0 && originalSize !== size) throw new Error(`stored member '${name}' declares ${originalSize} bytes but holds ${size}`);
        if (compression === 8 && originalSize > size * MAX_DEFLATE_RATIO + 1024) {
          throw new Error(`deflated member '${name}' declares ${originalSize} bytes from ${size}, more than deflate can produce`);
        }
        if (compression !== 0 && compression !== 8) throw new Error(`member '${name}' uses compression method ${compression}; numpy writes only stored (0) and deflate (8)`);
        return true;
      },
    });
  } catch (error) {
    throw new Error(`npz: ${(error as Error).message === 'invalid zip data' ? 'not a zip archive (an .npz is one)' : (error as Error).message}`);
  }
  const out: Record<string, AnyTensor> = {};
  for (const [name, member] of Object.entries(members)) {
    if (name.endsWith('/')) continue; // a directory entry holds nothing
    if (!name.endsWith('.npy')) throw new Error(`npz: member '${name}' is not a .npy array`);
    try {
      out[name.slice(0, -4)] = loadNpy(member);
    } catch (error) {
      (error as Error).message = `npz: member '${name}': ${(error as Error).message.replace(/^npy: /, '')}`;
      throw error;
    }
  }
  return out;
}

/**
 * Writes tensors to an .npz file, as `numpy.savez(path, **tensors)`: each a `name.npy`
 * member, stored uncompressed, that `numpy.load` reads back with its dtype and shape.
 *
 * @param path - the file to write.
 * @param tensors - name → Tensor (any dtype).
 * @throws RangeError when the archive would exceed 4 GiB (zip64 is not written).
 */
export function save(path: string, tensors: Record<string, AnyTensor | Tensor>): void {
  if (typeof path !== 'string') throw new TypeError(`npz.save: path must be a string, got ${describe(path)}`);
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new TypeError(`npz.save: tensors must be an object of name → Tensor, got ${describe(tensors)}`);
  }
  const files: Zippable = {};
  let total = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (!(tensor instanceof Tensor)) throw new TypeError(`npz.save: '${name}' must be a Tensor, got ${describe(tensor)}`);
    const bytes = serialize(tensor);
    total += bytes.length;
    // A fixed date keeps the archive's bytes the same for the same tensors.
    files[`${name}.npy`] = [bytes, { level: 0, mtime: new Date(1980, 0, 1) }];
  }
  if (total > MAX_ZIP32_BYTES) throw new RangeError(`npz.save: ${total} bytes of arrays; archives over 4 GiB are not supported`);
  fs.writeFileSync(path, zipSync(files));
}
