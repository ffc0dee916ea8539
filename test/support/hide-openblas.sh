#!/usr/bin/env bash
# Usage: unshare --mount [--map-root-user] bash hide-openblas.sh SCRATCH_DIR COMMAND...
# Runs COMMAND as on a machine without OpenBLAS: every BLAS/LAPACK library, OpenBLAS's
# directories, libgfortran and libquadmath, and their /etc/alternatives links are covered
# with empty files and folders. Only ever run inside a private mount namespace (unshare
# --mount): the mounts vanish with it and the host is untouched. SCRATCH_DIR (empty, made
# and removed by the caller) holds the empty stand-ins.
set -euo pipefail
shopt -s nullglob
scratch=$1
shift

mount --make-rprivate / 2>/dev/null || true
mkdir -p "$scratch/empty-dir" "$scratch/alternatives"
: > "$scratch/empty-file"

libdirs=(/usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib)

# Directories that hold a BLAS: openblas-pthread/-openmp/-serial, the reference blas/lapack, atlas.
for dir in "${libdirs[@]}"; do
  for sub in "$dir"/openblas* "$dir"/blas "$dir"/lapack "$dir"/atlas; do
    [[ -d $sub && ! -L $sub ]] && mount --bind "$scratch/empty-dir" "$sub"
  done
done

# Library files themselves (a symlink's target, when it still resolves, is covered instead).
for dir in "${libdirs[@]}"; do
  for lib in "$dir"/lib{openblas,blas,cblas,lapack,gfortran,quadmath}*.so*; do
    target=$(readlink -f "$lib") || continue
    [[ -f $target && -s $target ]] && mount --bind "$scratch/empty-file" "$target"
  done
done

# update-alternatives' links for BLAS and LAPACK.
if [[ -d /etc/alternatives ]]; then
  cp -a /etc/alternatives/. "$scratch/alternatives/"
  rm -f "$scratch"/alternatives/*{blas,lapack,openblas}*
  mount --bind "$scratch/alternatives" /etc/alternatives
fi

exec "$@"
