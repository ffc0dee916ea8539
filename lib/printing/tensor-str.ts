// torch's str(tensor), character for character (torch/_tensor_str.py with the default print
// options: precision 4, threshold 1000, edgeitems 3, linewidth 80).
import { DType, isFloatingDType, torchDTypeName } from '../dtype';
import type { AnyTensor } from '../tensor';
import { formatFixed, formatScientific } from './python-number';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** One element as Python holds it: a float (number), an int (bigint or number) or a bool. */
type Element = number | bigint | boolean;

/** A view of the tensor being printed: its shape and a way to read element i (row-major). */
interface Printable {
  shape: readonly number[];
  dtype: DType;
  at(index: number): Element;
}

function elementReader(t: AnyTensor): (index: number) => Element {
  const data = t.data as ArrayLike<number | bigint>;
  if (t.dtype === 'bool') return (i) => data[i] !== 0;
  return (i) => data[i];
}

/** torch's _Formatter: the width and mode (int, fixed, scientific) shared by every element. */
class Formatter {
  private readonly floating: boolean;
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(dtype: DType, values: Element[]) {
    this.floating = isFloatingDType(dtype);
    if (!this.floating) {
      for (const value of values) this.maxWidth = Math.max(this.maxWidth, pythonStr(value).length);
      return;
    }
    const finite = (values as number[]).filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    const magnitudes = finite.map(Math.abs);
    const smallest = Math.min(...magnitudes);
    const largest = Math.max(...magnitudes);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (largest / smallest > 1000 || largest > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatScientific(v, PRECISION).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (largest / smallest > 1000 || largest > 1e8 || smallest < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatScientific(v, PRECISION).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, PRECISION).length);
    }
  }

  width(): number {
    return this.maxWidth;
  }

  format(value: Element): string {
    let text: string;
    if (this.floating) {
      const v = value as number;
      if (this.sciMode) text = formatScientific(v, PRECISION);
      else if (this.intMode) text = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
      else text = formatFixed(v, PRECISION);
    } else {
      text = pythonStr(value);
    }
    return text.padStart(this.maxWidth);
  }
}

function pythonStr(value: Element): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** The sub-tensor at index i of the first dimension. */
function row(t: Printable, i: number): Printable {
  const stride = product(t.shape.slice(1));
  return { shape: t.shape.slice(1), dtype: t.dtype, at: (k) => t.at(i * stride + k) };
}

/** torch's get_summarized_data: the edge rows of every dimension, the elements the formatter sees. */
function summarizedElements(t: Printable): Element[] {
  if (t.shape.length === 0) return [t.at(0)];
  const size = t.shape[0];
  const rows = size > 2 * EDGE_ITEMS
    ? [...Array(EDGE_ITEMS).keys(), ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)]
    : [...Array(size).keys()];
  if (t.shape.length === 1) return rows.map((i) => t.at(i));
  return rows.flatMap((i) => summarizedElements(row(t, i)));
}

function vectorStr(t: Printable, indent: number, summarize: boolean, formatter: Formatter): string {
  const elementLength = formatter.width() + 2;
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elementLength));
  const size = t.shape[0];
  let data: string[];
  if (summarize && size > 2 * EDGE_ITEMS) {
    data = [
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => formatter.format(t.at(i))),
      ' ...',
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => formatter.format(t.at(size - EDGE_ITEMS + i))),
    ];
  } else {
    data = Array.from({ length: size }, (_, i) => formatter.format(t.at(i)));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStrWith(t: Printable, indent: number, summarize: boolean, formatter: Formatter): string {
  const dim = t.shape.length;
  if (dim === 0) return formatter.format(t.at(0));
  if (dim === 1) return vectorStr(t, indent, summarize, formatter);
  const size = t.shape[0];
  let slices: string[];
  if (summarize && size > 2 * EDGE_ITEMS) {
    slices = [
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => tensorStrWith(row(t, i), indent + 1, summarize, formatter)),
      '...',
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => tensorStrWith(row(t, size - EDGE_ITEMS + i), indent + 1, summarize, formatter)),
    ];
  } else {
    slices = Array.from({ length: size }, (_, i) => tensorStrWith(row(t, i), indent + 1, summarize, formatter));
  }
  return `[${slices.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

function addSuffixes(text: string, suffixes: string[], indent: number): string {
  const parts = [text];
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * torch's `str(t)`: `tensor([[0.1000, 2.0000], ...])`, with `dtype=torch.float64` (or any
 * dtype but float32, int64 and bool) and, for empty tensors, `size=(...)` after it.
 */
export function tensorStr(t: AnyTensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  const numel = product(t.shape);
  // torch shows the dtype unless a reader can tell it: the default (float32), int64 and bool.
  const showsDType = !(t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool');
  let body: string;
  if (numel === 0) {
    if (t.shape.length !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`);
    // No element tells an empty tensor's dtype, so torch names every one but the default.
    if (t.dtype !== 'float32') suffixes.push(`dtype=${torchDTypeName(t.dtype)}`);
    body = '[]';
  } else {
    if (showsDType) suffixes.push(`dtype=${torchDTypeName(t.dtype)}`);
    const printable: Printable = { shape: t.shape, dtype: t.dtype, at: elementReader(t) };
    const summarize = numel > THRESHOLD;
    const elements = summarize ? summarizedElements(printable) : Array.from({ length: numel }, (_, i) => printable.at(i));
    body = tensorStrWith(printable, indent, summarize, new Formatter(t.dtype, elements));
  }
  return addSuffixes(prefix + body, suffixes, indent);
}

/**
 * The tensor as nested arrays for JSON: numbers (int64 through Number, exact up to 2^53),
 * booleans for bool.
 */
export function tensorJSON(t: AnyTensor): unknown {
  const read = elementReader(t);
  const value = (i: number) => {
    const v = read(i);
    return typeof v === 'bigint' ? Number(v) : v;
  };
  if (t.shape.length === 0) return value(0);
  const build = (depth: number, offset: number): unknown[] => {
    const stride = product(t.shape.slice(depth + 1));
    return Array.from({ length: t.shape[depth] }, (_, i) =>
      depth === t.shape.length - 1 ? value(offset + i) : build(depth + 1, offset + i * stride));
  };
  return build(0, 0);
}
