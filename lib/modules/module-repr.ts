// torch's Module.__repr__: the class name, its extra_repr, and each child indented below.

/** Indents every line but the first by `spaces`, as torch's `_addindent`. */
export function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const first = lines.shift()!;
  return `${first}\n${lines.map((line) => ' '.repeat(spaces) + line).join('\n')}`;
}

/**
 * `Name(extra)` for a leaf, or `Name(\n  extra\n  (child): ...\n)` for a tree, exactly as
 * torch's `Module.__repr__` lays it out.
 */
export function moduleRepr(name: string, extraRepr: string, children: ReadonlyArray<readonly [string, { toString(): string }]>): string {
  const extraLines = extraRepr ? extraRepr.split('\n') : [];
  const childLines = children.map(([key, child]) => `(${key}): ${addIndent(String(child), 2)}`);
  const lines = [...extraLines, ...childLines];
  let text = `${name}(`;
  if (lines.length) {
    if (extraLines.length === 1 && childLines.length === 0) text += extraLines[0];
    else text += `\n  ${lines.join('\n  ')}\n`;
  }
  return `${text})`;
}

/**
 * torch 2.x's ModuleList.__repr__: runs of children with the same repr are shown once,
 * as `(0-2): 3 x Linear(...)`.
 */
export function moduleListRepr(name: string, children: ReadonlyArray<{ toString(): string }>): string {
  if (children.length === 0) return `${name}()`;
  const reprs = children.map((child) => String(child));
  const blocks: Array<{ start: number; end: number; text: string }> = [];
  reprs.forEach((text, i) => {
    const last = blocks[blocks.length - 1];
    if (last && last.text === text) last.end = i;
    else blocks.push({ start: i, end: i, text });
  });
  const lines = blocks.map(({ start, end, text }) =>
    addIndent(start === end ? `(${start}): ${text}` : `(${start}-${end}): ${end - start + 1} x ${text}`, 2));
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}

/** A number as Python's repr prints a float: 0.2, 1.0, 1e-05, 1e+20, inf, nan. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0.0';
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  // Python switches to scientific notation below 1e-4 and from 1e16.
  if (value !== 0 && (exponent < -4 || exponent >= 16)) {
    const [mantissa, power] = value.toExponential().split('e');
    const sign = power.startsWith('-') ? '-' : '+';
    const digits = power.replace(/^[-+]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** A value as Python's repr prints it in an extra_repr: True/False, None, floats, ints, tuples. */
export function pythonValue(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return value.length === 1 ? `(${pythonValue(value[0])},)` : `(${value.map(pythonValue).join(', ')})`;
  return String(value);
}
