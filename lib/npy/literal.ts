// A reader for the one Python literal a .npy header holds: a dict of strings, booleans and
// tuples of ints. numpy reads it with ast.literal_eval; this accepts the same literals it
// could contain (strings, ints, True/False/None, tuples, lists, dicts) and nothing else,
// bounded in depth, so that a hostile header costs at most its own length to reject.

/** A parsed literal: tuples are arrays marked by `PythonTuple`. */
export type PythonLiteral = string | bigint | boolean | null | PythonLiteral[] | PythonTuple | PythonDict;
export class PythonTuple {
  constructor(readonly items: PythonLiteral[]) {}
}
export class PythonDict {
  constructor(readonly entries: Map<string, PythonLiteral>) {}
}

const MAX_DEPTH = 16;

export class LiteralSyntaxError extends Error {}

/** Parses `text` as one Python literal followed only by whitespace; throws LiteralSyntaxError otherwise. */
export function parsePythonLiteral(text: string): PythonLiteral {
  let at = 0;
  const fail = (): never => {
    throw new LiteralSyntaxError(`unexpected input at offset ${at}`);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r\f\v'.includes(text[at])) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail();
    at++;
  };

  const parseString = (): string => {
    const quote = text[at++];
    let out = '';
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\n') fail();
      if (text[at] === '\\') {
        const next = text[at + 1];
        if (next === undefined) fail();
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
        if (!(next in simple)) fail(); // \x, \u and octal escapes never occur in a header numpy wrote
        out += simple[next];
        at += 2;
      } else {
        out += text[at++];
      }
    }
    if (at >= text.length) fail();
    at++;
    return out;
  };

  const parseNumber = (): bigint => {
    const match = /^-?(0|[1-9][0-9]*)L?/.exec(text.slice(at, at + 40));
    if (!match || match[0].length >= 40) fail();
    at += match![0].length;
    // A float or an exponent would follow here: not an int, and a shape holds only ints.
    if (/[0-9.eEjJxXoObB_]/.test(text[at] ?? '')) fail();
    return BigInt(match![0].replace('L', ''));
  };

  // The items up to `close`, and whether a comma separated (or ended) them at this level.
  const parseSequence = (close: string, depth: number): { items: PythonLiteral[]; comma: boolean } => {
    const items: PythonLiteral[] = [];
    let comma = false;
    skipSpace();
    while (text[at] !== close) {
      items.push(parseValue(depth + 1));
      skipSpace();
      if (text[at] === ',') {
        comma = true;
        at++;
        skipSpace();
      } else if (text[at] !== close) {
        fail();
      }
    }
    at++;
    return { items, comma };
  };

  const parseValue = (depth: number): PythonLiteral => {
    if (depth > MAX_DEPTH) fail();
    skipSpace();
    const char = text[at];
    if (char === "'" || char === '"') return parseString();
    if (char === '-' || (char >= '0' && char <= '9')) return parseNumber();
    if (char === '(') {
      at++;
      const { items, comma } = parseSequence(')', depth);
      // (3) is the int 3, not a tuple: only a comma at this level (or emptiness) makes a
      // tuple; ((2,)) is (2,), as Python reads it.
      if (items.length === 1 && !comma) return items[0];
      return new PythonTuple(items);
    }
    if (char === '[') {
      at++;
      return parseSequence(']', depth).items;
    }
    if (char === '{') {
      at++;
      const entries = new Map<string, PythonLiteral>();
      skipSpace();
      while (text[at] !== '}') {
        const key = parseValue(depth + 1);
        if (typeof key !== 'string') fail(); // an int key is legal Python, but no header has one
        expect(':');
        entries.set(key as string, parseValue(depth + 1));
        skipSpace();
        if (text[at] === ',') at++;
        else if (text[at] !== '}') fail();
        skipSpace();
      }
      at++;
      return new PythonDict(entries);
    }
    for (const [word, value] of [['True', true], ['False', false], ['None', null]] as const) {
      if (text.startsWith(word, at) && !/[A-Za-z0-9_]/.test(text[at + word.length] ?? '')) {
        at += word.length;
        return value;
      }
    }
    return fail();
  };

  const value = parseValue(0);
  skipSpace();
  if (at !== text.length) fail();
  return value;
}

/** Python's repr of a literal, as numpy's error messages show the header's values. */
export function pythonRepr(value: PythonLiteral): string {
  if (typeof value === 'string') return stringRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  if (value instanceof PythonTuple) {
    const items = value.items.map(pythonRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (value instanceof PythonDict) {
    return `{${[...value.entries].map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
  }
  return `[${value.map(pythonRepr).join(', ')}]`;
}

/** Python's repr of a str: single quotes unless it holds one and no double quote; escapes as Python's. */
function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}
