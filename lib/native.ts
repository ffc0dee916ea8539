// Loads the compiled addon (a prebuild when one matches, else build/Release).
//
// RNN_BLAS_BINARY=/abs/path/to/rnn_blas.node loads that file instead: the sanitizer build
// of `npm run test:asan` (build-asan/Release/rnn_blas.node), a debug build, a prebuild under
// test. The variable is read once, when the package is first required.
import * as path from 'path';
import type * as Binding from '../binding';
import { checkKernelCap, chooseOpenblasCore } from './native-environment';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;

function loadBinding(): unknown {
  checkKernelCap();
  chooseOpenblasCore(); // before OpenBLAS initialises, which happens as the addon loads
  const override = process.env.RNN_BLAS_BINARY;
  if (override) return require(path.resolve(override));
  return nodeGypBuild(path.join(__dirname, '..'));
}

export const native = loadBinding() as typeof Binding;
