'use strict';
// The prebuilt binary (npm run build:prebuild) is self-contained: OpenBLAS is inside it, hidden,
// and it loads and computes the same results on a machine without OpenBLAS. "A machine
// without OpenBLAS" is this one in a private mount namespace where every BLAS, LAPACK and
// libgfortran file is covered (test/support/hide-openblas.sh).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { smokeForward } = require('./support/prebuild-smoke');
const { maxRelativeError } = require('./support/numeric');

const root = path.join(__dirname, '..');
const prebuildDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const prebuilds = fs.existsSync(prebuildDir) ? fs.readdirSync(prebuildDir).filter((f) => f.endsWith('.node')) : [];
const prebuild = prebuilds.length === 1 ? path.join(prebuildDir, prebuilds[0]) : null;
const devBuild = path.join(root, 'build', 'Release', 'rnn_blas.node');

/** Newest modification time of the sources a prebuild is built from. */
function newestSourceTime() {
  const files = [path.join(root, 'CMakeLists.txt')];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else files.push(file);
    }
  };
  walk(path.join(root, 'native'));
  return Math.max(...files.map((file) => fs.statSync(file).mtimeMs));
}

function skipUnless(context, condition, reason) {
  if (condition) return;
  console.log(`      (skipped: ${reason})`);
  context.skip();
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.error) throw result.error;
  return result;
}

describe('prebuilt binary', function () {
  before(function () {
    skipUnless(this, process.platform === 'linux', 'prebuild checks run on Linux only');
    skipUnless(this, prebuild !== null,
      `expected one binary in prebuilds/${process.platform}-${process.arch}, found ${prebuilds.length}: run npm run build:prebuild`);
    // A prebuild left over from older sources says nothing about these ones (CI builds it fresh).
    skipUnless(this, fs.statSync(prebuild).mtimeMs >= newestSourceTime(),
      'the prebuild is older than native/ or CMakeLists.txt: run npm run build:prebuild');
  });

  it('is named as node-gyp-build looks for it and loads as a Node-API module', () => {
    const resolved = run(process.execPath, ['-p', `require('node-gyp-build').resolve(${JSON.stringify(root)})`], {
      env: { ...process.env, PREBUILDS_ONLY: '1' },
      cwd: root,
    });
    assert.equal(resolved.status, 0, resolved.stderr);
    assert.equal(resolved.stdout.trim(), prebuild);
    const binding = require(prebuild);
    assert.equal(typeof binding.recurrentForward, 'function');
  });

  it('links no OpenBLAS, BLAS or Fortran runtime: only glibc and libgcc_s', () => {
    const ldd = run('ldd', [prebuild]);
    assert.equal(ldd.status, 0, ldd.stderr);
    const needed = ldd.stdout.split('\n').map((line) => path.basename(line.trim().split(/\s/)[0])).filter(Boolean);
    const allowed = /^(linux-vdso\.so|ld-linux[-\w]*\.so|lib(c|m|pthread|dl|rt|gcc_s|stdc\+\+)\.so)/;
    for (const library of needed) assert.match(library, allowed, `unexpected dependency ${library}`);
    assert.doesNotMatch(ldd.stdout, /blas|lapack|gfortran|quadmath/i);
  });

  it('is stripped, exports only Node-API\'s entry points and needs no libgfortran symbol', function () {
    const defined = run('nm', ['-D', '--defined-only', prebuild]);
    skipUnless(this, defined.status === 0, 'nm (binutils) is not installed');
    const exported = defined.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).pop()).sort();
    assert.deepEqual(exported, ['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
    const undefinedSymbols = run('nm', ['-D', '--undefined-only', prebuild]).stdout;
    assert.doesNotMatch(undefinedSymbols, /_gfortran|cblas_|sgemm|openblas/);
    const sections = run('readelf', ['--section-headers', '--wide', prebuild]).stdout;
    assert.match(sections, /\.dynsym/);
    assert.doesNotMatch(sections, /\.symtab|\.debug_/, 'the prebuild is not stripped');
  });

  it('loads and matches the development build where OpenBLAS is not installed', async function () {
    this.timeout(60000);
    skipUnless(this, fs.existsSync(devBuild), 'no development build in build/Release (npm run build)');
    const unshareArgs = process.getuid() === 0 ? ['--mount'] : ['--mount', '--map-root-user'];
    const probe = run('unshare', [...unshareArgs, 'true']);
    skipUnless(this, probe.status === 0, `cannot make a mount namespace here (unshare: ${probe.stderr.trim()})`);

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-no-openblas-'));
    let smoke;
    try {
      smoke = run('unshare', [
        ...unshareArgs, 'bash', path.join(__dirname, 'support', 'hide-openblas.sh'), scratch,
        process.execPath, path.join(__dirname, 'support', 'prebuild-smoke.js'),
      ], { cwd: root, env: { ...process.env, PREBUILDS_ONLY: '1' } });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    assert.equal(smoke.status, 0, `smoke script failed:\n${smoke.stderr}`);
    const report = JSON.parse(smoke.stdout);

    // OpenBLAS really is gone there: the development build, linked to it, cannot load.
    assert.equal(report.devBuild.loads, false, 'the development build loaded: OpenBLAS was not hidden');
    assert.match(report.devBuild.error, /libopenblas\.so\.0: cannot open shared object file/);
    // The package picked the prebuild, and it computes what the development build computes.
    assert.equal(report.binary, prebuild);
    const expected = await smokeForward(require('..'));
    for (const key of ['output', 'hN', 'cN', 'asyncOutput']) {
      assert.deepEqual(report.result[key].shape, expected[key].shape, `${key} shape`);
      const error = maxRelativeError(report.result[key].data, expected[key].data);
      assert.ok(error <= 1e-6, `${key}: max relative error ${error} against the development build`);
    }
  });
});
