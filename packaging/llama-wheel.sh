#!/usr/bin/env bash
# Build (once) the llama-cpp-python wheel Hearth ships and develops against, and print its path.
#
# Why: by default llama-cpp-python compiles llama.cpp with -march=native, so a wheel built on a machine
# with AVX-512 crashes with "illegal instruction" on most laptops. GGML_NATIVE=OFF targets the
# x86-64 AVX2/FMA/F16C baseline (Haswell, 2013, and newer; Apple Silicon keeps NEON and Metal).
# pip's wheel cache does not key on CMAKE_ARGS, so a native wheel could slip in from it: this script
# builds with the cache off, into a folder named by the version, the flags and the platform, and the
# dev venv installs the very same file, so a fresh machine compiles llama.cpp once.
#
# Usage: llama-wheel.sh PYTHON    (prints the wheel's path on stdout; progress goes to stderr)
set -euo pipefail
python=${1:?usage: llama-wheel.sh PYTHON}
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$here/../pyproject.toml")
[[ -n "$version" ]] || { echo "llama-wheel.sh: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }

flags="-DGGML_NATIVE=OFF"
platform=$("$python" -c 'import sys, sysconfig; print(f"{sysconfig.get_platform()}-cp{sys.version_info[0]}{sys.version_info[1]}")')
# A macOS wheel is built for the oldest macOS it must run on: that is part of what it is.
key=$(printf '%s %s %s %s' "$version" "$flags" "$platform" "${MACOSX_DEPLOYMENT_TARGET:-}" | sha256sum | cut -c1-12)
cache=${HEARTH_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-build}
dir="$cache/llama-cpp-python-$version-$key"

shopt -s nullglob
wheels=("$dir"/llama_cpp_python-*.whl)
if [[ ${#wheels[@]} -eq 0 ]]; then
    echo "Compiling llama.cpp $version ($flags) once for this machine; about 12 minutes on 2 cores." >&2
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/hearth-wheel.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc 2>/dev/null || echo 2) \
        "$python" -m pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
        --wheel-dir "$tmp" "llama-cpp-python==$version" >&2
    mkdir -p "$dir"
    mv "$tmp"/llama_cpp_python-*.whl "$dir"/
    wheels=("$dir"/llama_cpp_python-*.whl)
fi
echo "${wheels[0]}"
