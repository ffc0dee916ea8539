// JSON.parse keeps the last of repeated keys without a word. A safetensors header with a
// tensor named twice is ambiguous (and the reference's serde rejects repeated fields), so
// the header is scanned once more, cheaply, for a tensor, field or metadata key repeated.

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * The first key repeated within the top-level object of `json` or one of its object
 * values, or undefined.
 * `json` must already have been accepted by JSON.parse: the scan relies on its being
 * well formed (yet stays in bounds whatever it is given).
 */
export function findDuplicateKey(json: string): string | undefined {
  // One entry per open container: the keys seen so far in an object, null for an array.
  const open: (Set<string> | null)[] = [];
  const length = json.length;
  let i = 0;
  while (i < length) {
    const code = json.charCodeAt(i);
    if (code === 0x22 /* " */) {
      const start = i++;
      let hasEscape = false;
      while (i < length) {
        const inner = json.charCodeAt(i);
        if (inner === 0x5c /* \ */) {
          hasEscape = true;
          i += 2;
        } else if (inner === 0x22) {
          break;
        } else {
          i++;
        }
      }
      i++; // past the closing quote
      const keys = open.length > 0 ? open[open.length - 1] : null;
      if (keys !== null) {
        // Inside an object, a string is a key exactly when a colon follows it.
        let next = i;
        while (next < length && isJsonWhitespace(json.charCodeAt(next))) next++;
        if (json.charCodeAt(next) === 0x3a /* : */) {
          const raw = json.slice(start, i);
          const key = hasEscape ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          if (keys.has(key)) return key;
          keys.add(key);
        }
      }
      continue;
    }
    // Only the header object and its entries (tensors, __metadata__) are checked: a
    // deeper object is invalid anyway, and skipping it bounds the work on hostile input.
    if (code === 0x7b /* { */) open.push(open.length < 2 ? new Set() : null);
    else if (code === 0x5b /* [ */) open.push(null);
    else if (code === 0x7d /* } */ || code === 0x5d /* ] */) open.pop();
    i++;
  }
  return undefined;
}
