# Cross-compiles rnn-blas for linux-arm64 (aarch64, glibc) on a Debian x64 machine, with
# Debian's cross compiler and its arm64 multiarch packages (scripts/arm64/setup-toolchain.sh
# installs them): npm run build:prebuild:arm64 passes this file to CMake.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_STRIP aarch64-linux-gnu-strip)

# Libraries and headers for arm64 only: the cross compiler's own root, and / where Debian
# keeps arm64 packages under lib/aarch64-linux-gnu and include/aarch64-linux-gnu. Programs
# (pkg-config, node) are the build machine's.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads arm64's .pc files (libopenblas-dev:arm64's openblas.pc), never x64's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
