'use strict';
// The prebuilt binaries (npm run build:prebuild, build:prebuild:arm64) are self-contained:
// OpenBLAS and libstdc++ are inside them, hidden, and they need only glibc >= 2.34 and
// libgcc_s. The one for this machine loads and computes the same results on a machine
// without OpenBLAS: this one in a private mount namespace where every BLAS, LAPACK and
// libgfortran file is covered (test/support/hide-openblas.sh). The linux-arm64 one,
// cross-compiled on x64, is checked as an ELF file here and run under qemu-user with an
// arm64 Node (scripts/arm64/): it loads, names its kernel table, matches this machine's
// build and passes PyTorch parity suites. On CI (linux-x64) every check must run.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { smokeForward } = require('./support/prebuild-smoke');
const { maxRelativeError } = require('./support/numeric');

const root = path.join(__dirname, '..');
const onCi = process.env.CI === 'true' && process.platform === 'linux' && process.arch === 'x64';

function prebuildIn(target) {
  const dir = path.join(root, 'prebuilds', target);
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.node')) : [];
  return { dir, found, file: found.length === 1 ? path.join(dir, found[0]) : null };
}

const { found: prebuilds, file: prebuild } = prebuildIn(`${process.platform}-${process.arch}`);
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

/** ELF facts that readelf reads for any architecture. */
function elf(file) {
  const read = (...args) => {
    const result = run('readelf', [...args, '--wide', file]);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  const machine = read('--file-header').match(/Machine:\s+(.+)/)[1].trim();
  const needed = [...read('--dynamic').matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  // Defined global symbols of .dynsym: Num: Value Size Type Bind Vis Ndx Name.
  const symbols = read('--dyn-syms').split('\n').map((line) => line.trim().split(/\s+/)).filter((f) => f.length >= 8);
  const exported = symbols.filter((f) => f[6] !== 'UND' && /GLOBAL|WEAK/.test(f[4])).map((f) => f[7]).sort();
  const undefinedSymbols = symbols.filter((f) => f[6] === 'UND').map((f) => f[7]);
  const glibc = [...read('--version-info').matchAll(/Name: GLIBC_([\d.]+)/g)].map((m) => m[1]);
  const newestGlibc = glibc.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
  return { machine, needed, exported, undefinedSymbols, newestGlibc, sections: read('--section-headers') };
}

/** The checks every prebuild must pass, whatever machine it is for. */
function describeSelfContained(target, machine) {
  it(`is an ${machine} ELF that needs only glibc (>= 2.34 at most) and libgcc_s`, function () {
    const facts = elf(this.prebuild);
    assert.equal(facts.machine, machine);
    for (const library of facts.needed) {
      assert.match(library, /^(ld-linux[-\w]*\.so\.\d|lib(c|m|gcc_s)\.so\.\d)$/, `unexpected dependency ${library}`);
    }
    assert.ok(facts.newestGlibc, 'no GLIBC symbol version');
    assert.ok(facts.newestGlibc.localeCompare('2.34', 'en', { numeric: true }) <= 0,
      `needs GLIBC_${facts.newestGlibc}, newer than the 2.34 the README promises for ${target}`);
  });

  it('fits the 26 MB budget of a prebuild', function () {
    const { size } = fs.statSync(this.prebuild);
    assert.ok(size <= 26e6, `${(size / 1e6).toFixed(1)} MB`);
  });

  it('is stripped and exports only Node-API\'s two entry points, no BLAS or Fortran symbol', function () {
    const facts = elf(this.prebuild);
    assert.deepEqual(facts.exported, ['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
    for (const symbol of facts.undefinedSymbols) assert.doesNotMatch(symbol, /_gfortran|cblas_|sgemm|openblas/);
    assert.match(facts.sections, /\.dynsym/);
    assert.doesNotMatch(facts.sections, /\.symtab|\.debug_/, 'the prebuild is not stripped');
  });

  it('is named as node-gyp-build looks for it on that machine', function () {
    const [platform, arch] = target.split('-');
    const resolved = run(process.execPath, ['-p', `require('node-gyp-build').resolve(${JSON.stringify(root)})`], {
      // node-gyp-build takes the architecture from npm_config_arch where it is set.
      env: { ...process.env, PREBUILDS_ONLY: '1', npm_config_arch: arch, npm_config_platform: platform },
      cwd: root,
    });
    assert.equal(resolved.status, 0, resolved.stderr);
    assert.equal(resolved.stdout.trim(), this.prebuild);
  });
}

const hostMachine = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' }[process.arch] || process.arch;

describe('prebuilt binary', function () {
  before(function () {
    skipUnless(this, process.platform === 'linux', 'prebuild checks run on Linux only');
    skipUnless(this, prebuild !== null,
      `expected one binary in prebuilds/${process.platform}-${process.arch}, found ${prebuilds.length}: run npm run build:prebuild`);
    // A prebuild left over from older sources says nothing about these ones (CI builds it fresh).
    skipUnless(this, fs.statSync(prebuild).mtimeMs >= newestSourceTime(),
      'the prebuild is older than native/ or CMakeLists.txt: run npm run build:prebuild');
    this.prebuild = prebuild;
  });

  describeSelfContained(`${process.platform}-${process.arch}`, hostMachine);

  it('loads as a Node-API module', () => {
    const binding = require(prebuild);
    assert.equal(typeof binding.recurrentForward, 'function');
  });

  it('links no OpenBLAS, BLAS or Fortran runtime, directly or not (ldd)', () => {
    const ldd = run('ldd', [prebuild]);
    assert.equal(ldd.status, 0, ldd.stderr);
    const needed = ldd.stdout.split('\n').map((line) => path.basename(line.trim().split(/\s/)[0])).filter(Boolean);
    const allowed = /^(linux-vdso\.so|ld-linux[-\w]*\.so|lib(c|m|pthread|dl|rt|gcc_s|stdc\+\+)\.so)/;
    for (const library of needed) assert.match(library, allowed, `unexpected dependency ${library}`);
    assert.doesNotMatch(ldd.stdout, /blas|lapack|gfortran|quadmath/i);
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

describe('linux-arm64 prebuilt binary, cross-compiled on x64', function () {
  const target = prebuildIn('linux-arm64');
  before(function () {
    skipUnless(this, process.platform === 'linux' && process.arch === 'x64',
      'the cross-compiled arm64 prebuild is checked on linux-x64 (on arm64 the checks above apply)');
    if (!onCi) {
      skipUnless(this, target.file !== null,
        `expected one binary in prebuilds/linux-arm64, found ${target.found.length}: run npm run build:prebuild:arm64`);
      skipUnless(this, fs.statSync(target.file).mtimeMs >= newestSourceTime(),
        'the arm64 prebuild is older than native/ or CMakeLists.txt: run npm run build:prebuild:arm64');
    }
    assert.ok(target.file, `CI: expected one binary in prebuilds/linux-arm64, found ${target.found.length}`);
    assert.ok(fs.statSync(target.file).mtimeMs >= newestSourceTime(), 'CI: the arm64 prebuild is older than its sources');
    this.prebuild = target.file;
  });

  describeSelfContained('linux-arm64', 'AArch64');

  describe('under qemu-user with an arm64 Node (scripts/arm64/node.sh)', function () {
    const armNode = path.join(root, 'scripts', 'arm64', 'node.sh');
    // PREBUILDS_ONLY: node-gyp-build would otherwise prefer build/Release, this machine's x64 build.
    const armEnv = { ...process.env, PREBUILDS_ONLY: '1' };
    before(function () {
      const probe = run(armNode, ['-p', 'process.arch + " " + process.versions.napi'], { env: armEnv });
      if (!onCi) skipUnless(this, probe.status === 0, `no arm64 Node: run scripts/arm64/setup-toolchain.sh as root (${probe.stderr.trim()})`);
      assert.equal(probe.status, 0, `CI: the arm64 Node does not run:\n${probe.stderr}`);
      const [arch, napi] = probe.stdout.trim().split(' ');
      assert.equal(arch, 'arm64');
      assert.ok(Number(napi) >= 8, `the arm64 Node has Node-API ${napi}`);
    });

    it('loads through node-gyp-build, names its kernel table and matches the x64 build', async function () {
      this.timeout(120000);
      const smoke = run(armNode, [path.join(__dirname, 'support', 'prebuild-smoke.js')], { cwd: root, env: armEnv });
      assert.equal(smoke.status, 0, `smoke script failed under qemu:\n${smoke.stderr}`);
      const report = JSON.parse(smoke.stdout);
      assert.equal(report.arch, 'arm64');
      assert.equal(report.binary, target.file);
      // The x64 development build cannot load into an arm64 process.
      assert.equal(report.devBuild.loads, false);
      // NEON is part of AArch64 (qemu's CPU has it too): the neon kernel table is chosen.
      assert.equal(report.kernelSet, 'neon');
      console.log(`      (arm64 prebuild under qemu: kernelSet() ${report.kernelSet})`);
      // Same math, other BLAS kernels and summation orders: equal to float32 rounding.
      const reference = await smokeForward(require('..'));
      for (const key of ['output', 'hN', 'cN', 'asyncOutput']) {
        assert.deepEqual(report.result[key].shape, reference[key].shape, `${key} shape`);
        const error = maxRelativeError(report.result[key].data, reference[key].data);
        assert.ok(error <= 1e-5, `${key}: max relative error ${error} against the x64 build`);
      }
    });

    /** Runs mocha suites with the arm64 Node; returns how many passed (all must). */
    function paritySuitesUnderQemu(names, env = {}) {
      const suites = names.map((name) => `test/${name}.test.js`);
      const mocha = run(armNode, ['--expose-gc', path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config',
        '--timeout', '120000', '--reporter', 'dot', ...suites], { cwd: root, env: { ...armEnv, ...env } });
      const summary = `${mocha.stdout}\n${mocha.stderr}`;
      assert.equal(mocha.status, 0, `parity suites failed under qemu:\n${summary}`);
      assert.doesNotMatch(summary, /failing|pending/);
      const passing = Number((summary.match(/(\d+) passing/) || [])[1]);
      console.log(`      (arm64 prebuild under qemu: ${passing} tests of ${names.join(', ')} passed)`);
      return passing;
    }

    // test/21-kernel-tables' parity suites but the packed-weight cache's, which takes minutes
    // under emulation (these take about 60 s here, 2.5 ms each on x64). qemu runs the threads
    // with x64's stronger memory ordering: these runs show the arm64 code computes right,
    // not that its thread hand-offs are ordered right on a real arm64 CPU.
    it('passes the PyTorch parity suites on the neon table: modules, cells, packed, threaded, activations', function () {
      this.timeout(600000);
      const passing = paritySuitesUnderQemu(['02-module-parity', '03-cell-parity', '07-packed-modules',
        '09-threads-parity', '10-activations']);
      assert.ok(passing >= 540, `only ${passing} tests ran`);
    });

    it('propagates NaN and infinities as PyTorch does on the portable table (RNN_BLAS_MAX_ISA=portable)', function () {
      this.timeout(300000);
      assert.equal(paritySuitesUnderQemu(['20-nonfinite'], { RNN_BLAS_MAX_ISA: 'portable' }), 4);
    });

    it('propagates NaN and infinities as PyTorch does on the neon table', function () {
      this.timeout(300000);
      assert.equal(paritySuitesUnderQemu(['20-nonfinite']), 4);
    });
  });
});
