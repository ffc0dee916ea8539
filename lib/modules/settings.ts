// Module settings that fix the shape of the weights: readable, never reassignable.

/**
 * Gives each named getter of `Owner.prototype` a setter that throws a TypeError: torch lets
 * `lstm.hidden_size = 64` through and then computes with weights of the old shape; here the
 * assignment is refused, with what to do instead. (A getter alone would throw too, in
 * strict code only and with V8's words.)
 */
export function fixedAfterConstruction(Owner: { prototype: object; name: string }, names: readonly string[]): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(Owner.prototype, name);
    if (!descriptor || !descriptor.get) throw new Error(`internal: ${Owner.name}.${name} has no getter`);
    Object.defineProperty(Owner.prototype, name, {
      ...descriptor,
      set(this: object) {
        throw new TypeError(
          `${this.constructor.name}.${name} cannot be changed after construction: it fixes the shape of the weights ` +
            `(construct a new ${this.constructor.name}, or use fromStateDict)`,
        );
      },
    });
  }
}
