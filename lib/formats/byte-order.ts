// The host's byte order, and elements' bytes turned around where a file's order is not the
// host's. Shared by the file formats: safetensors and .pt data are little-endian, a .npy
// header says which.

/** True on every platform Node runs on today (x64, arm64); the swaps are for a big-endian host or file. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Reverses the bytes of each `width`-byte element of `bytes`, in place. */
export function swapElementBytes(bytes: Uint8Array, width: number): void {
  if (width <= 1) return;
  for (let at = 0; at < bytes.length; at += width) {
    for (let low = at, high = at + width - 1; low < high; low++, high--) {
      const byte = bytes[low];
      bytes[low] = bytes[high];
      bytes[high] = byte;
    }
  }
}
