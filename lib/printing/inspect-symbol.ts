// util.inspect's hook, `util.inspect.custom`, which Node registers as this global symbol.
// Named here rather than imported from 'util', so that the published types do not need
// @types/node: a TypeScript user without it still compiles against them.
export const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');
