// Telling the weight formats apart by their first bytes, so that a file given to the wrong
// reader is named for what it is (and the right reader), rather than called corrupt: a
// torch.save checkpoint read as safetensors used to fail with "header length
// 578712552184433488 is larger than the limit", which says nothing useful.

/** What the first bytes of a file say it is. */
export type SniffedFormat = 'zip' | 'torch-legacy' | 'pickle' | 'safetensors' | 'unknown';

/** torch.save's legacy format opens with a pickled magic number: protocol 2, LONG1 of 10 bytes. */
const TORCH_LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  // A local file header, or the end record of an empty archive.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, TORCH_LEGACY_MAGIC)) return 'torch-legacy';
  // safetensors: a u64 header length that fits, then the JSON object's opening brace.
  // Checked before a bare pickle: a header of 640 bytes also opens with 0x80 0x02.
  if (bytes.length >= 9 && bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0 && bytes[8] === 0x7b) {
    return 'safetensors';
  }
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return 'pickle';
  return 'unknown';
}

/**
 * Throws when `bytes` (a whole file or its first bytes) is plainly a torch.save file, for
 * the safetensors reader; `ptFunction` is the call that reads it ("pt.loadFile(path)").
 */
export function refuseForeignFormat(bytes: Uint8Array, reader: 'safetensors', ptFunction: string): void {
  const format = sniffFormat(bytes);
  if (format === 'zip') {
    throw new Error(
      `${reader}: this is not a safetensors file but a zip archive, as torch.save writes ` +
        `(a .pt/.pth checkpoint or a TorchScript archive): read it with ${ptFunction}`,
    );
  }
  if (format === 'torch-legacy' || format === 'pickle') {
    throw new Error(
      `${reader}: this is not a safetensors file but a Python pickle, as torch.save writes ` +
        `with _use_new_zipfile_serialization=False: read it with ${ptFunction}`,
    );
  }
}
