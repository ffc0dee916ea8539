// Modules without weights that a recurrent model needs around it: ReLU, Tanh, Sigmoid,
// Softmax, LogSoftmax, Identity and Dropout, as torch.nn has them.
import { randomDouble } from '../random';
import { AnyTensor, Tensor, TensorLike, asAnyTensor } from '../tensor';
import { logSoftmax, relu, sigmoid, softmax, tanh } from '../ops';
import { implicitSoftmaxDim } from '../ops/reduce';
import { checkInplace, checkProbability, checkSoftmaxDim } from '../validation/simple-modules';
import { Module } from './module';
import { pythonFloat } from './module-repr';

/** Options of {@link ReLU} and {@link Dropout}: torch's `inplace`. */
export interface InplaceOptions {
  /** Write the result into the input's own data (and return the input). Default false. */
  inplace?: boolean;
}

/** A float32 or float64 input (torch's dropout takes either and keeps it); others refused as asTensor refuses them. */
function floatingInput(input: TensorLike): AnyTensor {
  const t = asAnyTensor(input, 'input');
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new TypeError(`input must have the type torch.float32 or torch.float64, got type torch.${t.dtype === 'bool' ? 'bool' : t.dtype}`);
  }
  return t;
}

/** The result written into `input`'s data when inplace (input must then be a Tensor). */
function intoInput(input: TensorLike, result: Tensor, inplace: boolean): Tensor {
  if (!inplace || !(input instanceof Tensor)) return result;
  input.data.set(result.data);
  return input;
}

/**
 * max(x, 0) element-wise, as torch.nn.ReLU. Input (*), output (*), same shape.
 *
 * @example
 * new ReLU().forward([[-1, 2]]).toArray(); // [[0, 2]]
 */
export class ReLU extends Module {
  /** Whether forward writes into its input. Default false. */
  readonly inplace: boolean;

  constructor(options?: InplaceOptions) {
    super();
    this.inplace = checkInplace('ReLU', options);
  }

  /** max(x, 0) of every element. */
  forward(input: TensorLike): Tensor {
    return intoInput(input, relu(input), this.inplace);
  }

  /** torch's extra_repr: '' or `inplace=True`. */
  extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** tanh(x) element-wise, as torch.nn.Tanh. Input (*), output (*). */
export class Tanh extends Module {
  /** tanh of every element. */
  forward(input: TensorLike): Tensor {
    return tanh(input);
  }
}

/** 1 / (1 + exp(-x)) element-wise, as torch.nn.Sigmoid. Input (*), output (*). */
export class Sigmoid extends Module {
  /** sigmoid of every element. */
  forward(input: TensorLike): Tensor {
    return sigmoid(input);
  }
}

/** The input itself, as torch.nn.Identity (a placeholder where a layer is switched off). */
export class Identity extends Module {
  /** Returns `input` unchanged (the same object, as torch does). */
  forward<T>(input: T): T {
    return input;
  }
}

/**
 * exp(x_i) / sum_j exp(x_j) along `dim`, as torch.nn.Softmax. Input (*), output (*), each
 * slice along `dim` summing to 1.
 *
 * @example
 * new Softmax(-1).forward([[1, 1]]).toArray(); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
  /** The dimension the values sum to 1 along; null: torch's deprecated implicit choice. */
  readonly dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = checkSoftmaxDim(dim);
  }

  /** softmax along dim, in the input's floating dtype (float32 or float64). */
  forward(input: TensorLike): Tensor {
    const t = asAnyTensor(input, 'input');
    return softmax(t, this.dim ?? implicitSoftmaxDim('softmax', t.dim())) as Tensor;
  }

  /** torch's extra_repr: `dim=1`. */
  extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** log(softmax(x)) along `dim`, as torch.nn.LogSoftmax, computed stably. Input (*), output (*). */
export class LogSoftmax extends Module {
  /** The dimension of the softmax; null: torch's deprecated implicit choice. */
  readonly dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = checkSoftmaxDim(dim);
  }

  /** log_softmax along dim, in the input's floating dtype (float32 or float64). */
  forward(input: TensorLike): Tensor {
    const t = asAnyTensor(input, 'input');
    return logSoftmax(t, this.dim ?? implicitSoftmaxDim('log_softmax', t.dim())) as Tensor;
  }

  /** torch's extra_repr: `dim=1`. */
  extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** Options of {@link Dropout}: torch's `inplace`. */
export type DropoutOptions = InplaceOptions;

/**
 * In training mode, zeroes each element with probability `p` and scales the rest by
 * 1 / (1 - p), as torch.nn.Dropout; in evaluation mode, returns the input itself. The
 * masks come from the global generator ({@link manualSeed}), as torch's bernoulli_ draws
 * them. float32 and float64 inputs keep their dtype.
 *
 * @example
 * const dropout = new Dropout(0.2);
 * dropout.eval().forward(x) === x; // true
 */
export class Dropout extends Module {
  private probability: number;
  /** Whether forward writes into its input. Default false. */
  readonly inplace: boolean;

  constructor(p?: number, options?: DropoutOptions);
  constructor(options: DropoutOptions & { p?: number });
  constructor(p: number | (DropoutOptions & { p?: number }) = 0.5, options?: DropoutOptions) {
    super();
    if (typeof p === 'object' && p !== null) {
      const { p: probability = 0.5, ...rest } = p;
      [p, options] = [probability, rest];
    }
    this.probability = checkProbability(p);
    this.inplace = checkInplace('Dropout', options);
  }

  /** The probability of zeroing an element, in [0, 1]. May be assigned: the next forward uses it. */
  get p(): number {
    return this.probability;
  }
  set p(value: number) {
    this.probability = checkProbability(value);
  }

  /** The input with dropout applied in training mode; the input itself in evaluation mode or with p = 0. */
  forward(input: TensorLike): Tensor {
    const t = floatingInput(input);
    if (!this.training || this.probability === 0) return (input instanceof Tensor ? input : t) as Tensor;
    const double = t.dtype === 'float64';
    const out = double ? new Float64Array(t.numel()) : new Float32Array(t.numel());
    if (this.probability < 1) {
      // torch's dropout: input * (bernoulli_(1 - p) / (1 - p)), the divisor in the input's dtype.
      const keepProbability = 1 - this.probability;
      const keep = double ? 1 / keepProbability : Math.fround(1 / Math.fround(keepProbability));
      const x = t.data as Float32Array | Float64Array;
      for (let i = 0; i < out.length; i++) out[i] = randomDouble() < keepProbability ? x[i] * keep : 0;
    }
    const result = new Tensor(out as never, t.shape, t.dtype as never) as unknown as Tensor;
    return intoInput(input, result, this.inplace);
  }

  /** torch's extra_repr: `p=0.5, inplace=False`. */
  extraRepr(): string {
    return `p=${pythonFloat(this.probability)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

