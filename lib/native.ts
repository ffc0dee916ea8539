// Loads the compiled addon (a prebuild when one matches, else build/Release).
import * as path from 'path';
import type * as Binding from '../binding';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;

export const native = nodeGypBuild(path.join(__dirname, '..')) as typeof Binding;
