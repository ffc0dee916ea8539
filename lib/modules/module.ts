// What every module shares with torch.nn.Module: parameters by name, state dicts, train/eval.
import { Tensor } from '../tensor';
import { planStateDictLoad } from '../validation/state-dict';

export interface LoadStateDictOptions {
  strict?: boolean;
  /** Only keys starting with this count, with the prefix stripped: 'encoder.rnn.'. */
  prefix?: string;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export abstract class Module {
  /** True after construction, like torch; switches dropout on. */
  training = true;
  /** Parameters in torch's registration order. The tensors are live: edits reach forward. */
  protected readonly params = new Map<string, Tensor>();

  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`training mode is expected to be boolean`);
    this.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** [name, tensor] pairs in torch's order. The tensors are the module's own (live). */
  namedParameters(): Array<[string, Tensor]> {
    return [...this.params.entries()];
  }

  parameters(): Tensor[] {
    return [...this.params.values()];
  }

  /** Copies of every parameter, by torch's names. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, tensor] of this.params) out[name] = tensor.clone();
    return out;
  }

  /**
   * Copies checkpoint values into the parameters (in place, as torch does). Every key and
   * shape is checked first: on error nothing is changed.
   */
  loadStateDict(stateDict: Record<string, unknown>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true, prefix = '' } = options ?? {};
    const plan = planStateDictLoad(this.constructor.name, this.params, stateDict, strict, prefix);
    for (const [name, source] of plan.assignments) this.params.get(name)!.data.set(source.data);
    this.parametersChanged();
    return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
  }

  /** Hook for modules that cache anything derived from their parameters. */
  protected parametersChanged(): void {}
}
