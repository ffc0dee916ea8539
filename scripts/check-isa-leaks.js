'use strict';
// No vector instruction outside the ISA code: disassembles a built addon (or any ELF file
// of ours) and lists the functions that use a ymm or zmm register although they are not
// kernel-table code, i.e. whose name does not mention rnnblas::avx2::, rnnblas::avx512::
// or rnnblas::neon:: (the ISA units' namespaces, and the vector layers their templates are
// instantiated over). Such a function would run AVX instructions on a CPU without them:
// typically an inline or template function that an ISA unit and a neutral unit both
// emitted, with the linker keeping the ISA unit's copy.
//
//   node scripts/check-isa-leaks.js [build/Release/rnn_blas.node]    exit 1 when any leaks
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ISA_CODE = /rnnblas::(avx2|avx512|neon)::/;
const WIDE_REGISTER = /%[yz]mm\d+/;

/** Function name -> true when it uses a wide register, from `objdump -d -C` output. */
function wideRegisterUsers(disassembly) {
  const users = new Set();
  let current = null;
  for (const line of disassembly.split('\n')) {
    const header = line.match(/^[0-9a-f]+ <(.+)>:$/);
    if (header) {
      current = header[1];
      continue;
    }
    if (current && WIDE_REGISTER.test(line)) users.add(current);
  }
  return [...users];
}

function leaks(file) {
  const disassembly = execFileSync('objdump', ['-d', '-C', '--no-show-raw-insn', file],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return wideRegisterUsers(disassembly).filter((name) => !ISA_CODE.test(name));
}

module.exports = { leaks, wideRegisterUsers };

if (require.main === module) {
  const file = process.argv[2] || path.join(__dirname, '..', 'build', 'Release', 'rnn_blas.node');
  const found = leaks(file);
  if (found.length > 0) {
    console.error(`${found.length} function(s) outside the ISA units use ymm/zmm registers:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), file)}: no ymm/zmm outside the ISA units`);
}
