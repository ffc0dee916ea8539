#!/usr/bin/env bash
# Checks the npm tarball as a user gets it (CI runs this after npm test, once
# npm run build:prebuild has written prebuilds/):
#   1. npm pack holds exactly what ships: compiled lib/, types, prebuilds, native sources,
#      CMakeLists.txt, scripts/install.js and build-from-source.js, README, LICENSE;
#   2. `npm install ./rnn-blas-x.y.z.tgz` in a new project uses the prebuild and adds at most
#      5 packages besides rnn-blas, and the package works through require, through import,
#      and from TypeScript (tsc --strict) with the types it ships;
#   3. a project that denies rnn-blas's install script (npm 11's allowScripts, strict) gets
#      a working package all the same;
#   4. without prebuilds the install fetches cmake-js and builds from source, and where CMake
#      is missing it fails naming the packages to install.
# The projects live in a temporary folder; they need nothing but the npm registry.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CHECKS="$REPO/scripts/package-check"
TSC=("$(command -v node)" "$REPO/node_modules/typescript/bin/tsc")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rnn-blas-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
NPM_INSTALL=(npm install --no-audit --no-fund --prefer-offline --foreground-scripts)

step() { printf '\n== check-package: %s\n' "$*"; }
fail() { printf 'check-package: FAILED: %s\n' "$*" >&2; exit 1; }

new_project() {
  mkdir -p "$1"
  printf '{ "name": "%s", "version": "1.0.0", "private": true }\n' "$(basename "$1")" > "$1/package.json"
}

# ---------------------------------------------------------------------------------------
step "npm pack"
compgen -G "$REPO/prebuilds/*/*.node" >/dev/null || fail "no prebuild in prebuilds/: run npm run build:prebuild first"
TARBALL="$WORK/$(cd "$REPO" && npm pack --silent --pack-destination "$WORK" | tail -n 1)"
[[ -f $TARBALL ]] || fail "npm pack wrote no tarball"
tar -tzf "$TARBALL" | sort > "$WORK/contents.txt"
echo "$(basename "$TARBALL"): $(du -h "$TARBALL" | cut -f1), $(wc -l < "$WORK/contents.txt") files"

shipped='^package/(LICENSE|README\.md|package\.json|CMakeLists\.txt|binding\.d\.ts|scripts/(install|build-from-source)\.js|lib/.+\.(js|d\.ts)|prebuilds/[^/]+/[^/]+\.node|native/.+\.(cpp|h))$'
if grep -Ev "$shipped" "$WORK/contents.txt" > "$WORK/unexpected.txt"; then
  cat "$WORK/unexpected.txt" >&2
  fail "the tarball holds files that should not ship (above)"
fi
grep -E '^package/lib/.+\.ts$' "$WORK/contents.txt" | grep -Ev '\.d\.ts$' && fail "TypeScript sources in the tarball"
for required in LICENSE README.md package.json CMakeLists.txt binding.d.ts scripts/install.js scripts/build-from-source.js \
  lib/index.js lib/index.d.ts native/binding/addon.cpp; do
  grep -qx "package/$required" "$WORK/contents.txt" || fail "the tarball lacks $required"
done
grep -Eq '^package/prebuilds/linux-x64/[^/]+\.node$' "$WORK/contents.txt" || fail "the tarball lacks the linux-x64 prebuild"
if [[ ${CI:-} == true ]]; then # CI builds both (npm run release)
  grep -Eq '^package/prebuilds/linux-arm64/[^/]+\.node$' "$WORK/contents.txt" || fail "the tarball lacks the linux-arm64 prebuild"
fi

# The results the installed package must reproduce, from the repository's own build.
node -e "
  require('$REPO/test/support/prebuild-smoke').smokeForward(require('$REPO'))
    .then((r) => require('fs').writeFileSync('$WORK/reference.json', JSON.stringify(r)));"

# ---------------------------------------------------------------------------------------
step "install the tarball into a new project: the prebuild is used"
APP="$WORK/app"
new_project "$APP"
(cd "$APP" && "${NPM_INSTALL[@]}" "$TARBALL") 2>&1 | tee "$WORK/install.log"
grep -q 'rnn-blas: using the prebuilt binary' "$WORK/install.log" || fail "the install did not use the prebuild"
[[ ! -e $APP/node_modules/rnn-blas/build ]] || fail "the install built from source although a prebuild is shipped"
added=$(node -p "Object.keys(require('$APP/node_modules/.package-lock.json').packages)
  .filter((p) => p !== 'node_modules/rnn-blas').join(' ')")
echo "packages installed besides rnn-blas ($(wc -w <<< "$added")): $added"
# The library needs node-gyp-build alone; the command line adds commander, fflate and
# progress, none of which depends on anything: 4, within the target of 5.
(( $(wc -w <<< "$added") <= 5 )) || fail "the install added more than 5 packages besides rnn-blas"

step "a project that denies rnn-blas's install script (allowScripts, strict) still works"
APP_DENY="$WORK/app-deny"
mkdir -p "$APP_DENY"
# A tarball's identity in allowScripts is its file: spec (a registry package's is its name).
printf '{ "name": "app-deny", "version": "1.0.0", "private": true, "allowScripts": { "file:%s": false } }\n' \
  "$TARBALL" > "$APP_DENY/package.json"
(cd "$APP_DENY" && "${NPM_INSTALL[@]}" --strict-allow-scripts "$TARBALL") 2>&1 | tee "$WORK/deny.log"
grep -q 'rnn-blas: using the prebuilt binary' "$WORK/deny.log" && fail "the denied install script ran"
cp "$CHECKS/use-require.cjs" "$APP_DENY/"
(cd "$APP_DENY" && node use-require.cjs "$WORK/reference.json" prebuild)

step "require('rnn-blas')"
cp "$CHECKS/use-require.cjs" "$CHECKS/use-import.mjs" "$APP/"
(cd "$APP" && node use-require.cjs "$WORK/reference.json" prebuild)

step "import { LSTM } from 'rnn-blas'"
(cd "$APP" && node use-import.mjs)

step "npx rnn-blas --help: the package's bin, from the project that depends on it"
(cd "$APP" && npx --no -- rnn-blas --help | grep -q '^Usage: rnn-blas') || fail "npx rnn-blas --help does not run"

step "tsc --strict against the shipped types (CommonJS and Node16 ESM resolution)"
# The shipped types name Node's own (util.inspect.custom on Tensor and Module), so the
# project has @types/node, as a TypeScript project on Node does; the version is ours.
types_node=$(node -p "require('$REPO/package.json').devDependencies['@types/node']")
(cd "$APP" && "${NPM_INSTALL[@]}" --no-save "@types/node@$types_node" >/dev/null)
cp "$CHECKS/use-types.ts" "$APP/use-types.ts"
cp "$CHECKS/use-types.ts" "$APP/use-types.mts"
(cd "$APP" && "${TSC[@]}" --strict --noEmit --target es2020 --module commonjs --moduleResolution node10 use-types.ts)
(cd "$APP" && "${TSC[@]}" --strict --noEmit --target es2022 --module node16 --moduleResolution node16 use-types.mts)
(cd "$APP" && "${TSC[@]}" --strict --target es2020 --module commonjs --moduleResolution node10 --outDir out use-types.ts \
  && node out/use-types.js)
echo "types check out"

# ---------------------------------------------------------------------------------------
# The same tarball without prebuilds/, as on a platform we ship no binary for.
mkdir "$WORK/unpacked"
tar -xzf "$TARBALL" -C "$WORK/unpacked"
rm -rf "$WORK/unpacked/package/prebuilds"
SOURCE_TARBALL="$WORK/source-only/$(basename "$TARBALL")"
mkdir -p "$(dirname "$SOURCE_TARBALL")"
tar -czf "$SOURCE_TARBALL" -C "$WORK/unpacked" package

step "source fallback without CMake: the install fails and names the packages"
NO_CMAKE_BIN="$WORK/path-without-cmake"
mkdir "$NO_CMAKE_BIN"
IFS=: read -ra path_dirs <<< "$PATH"
for dir in "${path_dirs[@]}"; do
  for tool in "$dir"/*; do
    name=$(basename "$tool")
    case $name in cmake | cmake3 | ccmake | cpack | ctest) continue ;; esac
    [[ -x $tool && ! -e $NO_CMAKE_BIN/$name ]] && ln -s "$tool" "$NO_CMAKE_BIN/$name"
  done
done
PATH="$NO_CMAKE_BIN" command -v cmake >/dev/null && fail "could not hide cmake from PATH"
new_project "$WORK/app-no-cmake"
if (cd "$WORK/app-no-cmake" && PATH="$NO_CMAKE_BIN" "${NPM_INSTALL[@]}" "$SOURCE_TARBALL") > "$WORK/no-cmake.log" 2>&1; then
  cat "$WORK/no-cmake.log"
  fail "the install succeeded without prebuilds and without CMake"
fi
grep -m1 'ERR!' "$WORK/no-cmake.log" | grep -i cmake || { cat "$WORK/no-cmake.log"; fail "cmake-js did not fail for want of CMake"; }
grep -A6 "building from source failed" "$WORK/no-cmake.log" || { cat "$WORK/no-cmake.log"; fail "no explanation of the failed build"; }
grep -q 'apt-get install -y build-essential cmake libopenblas-dev' "$WORK/no-cmake.log" \
  || fail "the failure does not name the Debian packages"

step "source fallback with CMake and OpenBLAS: the install fetches cmake-js and builds"
APP_SOURCE="$WORK/app-source"
new_project "$APP_SOURCE"
(cd "$APP_SOURCE" && "${NPM_INSTALL[@]}" "$SOURCE_TARBALL") > "$WORK/source.log" 2>&1 \
  || { cat "$WORK/source.log"; fail "the install from source failed"; }
grep -E "fetching cmake-js and node-addon-api to build from source" "$WORK/source.log" \
  || fail "the source build did not fetch its tools"
grep -E "Linking CXX shared library" "$WORK/source.log" || fail "cmake-js did not build the addon"
[[ -f $APP_SOURCE/node_modules/rnn-blas/build/Release/rnn_blas.node ]] || fail "no binary built from source"
cp "$CHECKS/use-require.cjs" "$APP_SOURCE/"
(cd "$APP_SOURCE" && node use-require.cjs "$WORK/reference.json" source)

step "all package checks passed"
