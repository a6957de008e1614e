#!/usr/bin/env bash
# Run Hearth's GPU offload path on a real GPU backend: llama.cpp built with Vulkan, on this machine's
# Vulkan device, or on Mesa's software one (lavapipe) where there is no GPU, as on CI machines.
#
# Why: Hearth ships a CPU build of llama.cpp, so the test suite checks the offload decisions on device
# lists made by hand. This builds the pinned llama-cpp-python with -DGGML_VULKAN=on into a venv of its
# own (never the project's), cached outside the checkout like llama-wheel.sh's build, and runs
# packaging/vulkan_check.py there: devices, plan, offload, and GPU output equal to the CPU's.
# Debian 12's Vulkan headers (1.3.239) predate VK_EXT_layer_settings, which this llama.cpp uses, so the
# headers of Debian 13's libvulkan-dev are unpacked into the cache (headers only; nothing is installed).
#
# Usage: vulkan-check.sh PYTHON    (the project venv's python: its versions of the shared packages are used)
set -euo pipefail
python=${1:?usage: vulkan-check.sh PYTHON}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
version=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$root/pyproject.toml")
[[ -n "$version" ]] || { echo "vulkan-check.sh: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }

# The loader, the shader compiler and lavapipe; vulkaninfo for whoever wants to look.
"$here/linux/system-deps.sh" libvulkan-dev glslc mesa-vulkan-drivers vulkan-tools

cache=${HEARTH_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-build}
include=/usr/include
if ! grep -qs LayerSettingEXT /usr/include/vulkan/vulkan_structs.hpp; then
    include="$cache/vulkan-headers/usr/include"
    if [[ ! -f "$include/vulkan/vulkan.hpp" ]]; then
        command -v apt-get >/dev/null 2>&1 ||
            { echo "vulkan-check.sh: needs Vulkan headers with VK_EXT_layer_settings (1.3.26x or newer)" >&2; exit 1; }
        echo "Unpacking newer Vulkan headers (Debian 13's libvulkan-dev) into $cache." >&2
        apt=$(mktemp -d "${TMPDIR:-/tmp}/hearth-apt.XXXXXX")
        trap 'rm -rf "$apt"' EXIT
        mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
            >"$apt/sources.list"
        # A private list and cache: the system's apt sources and state stay as they are.
        opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt/lists"
            -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
        apt-get "${opts[@]}" update -qq
        (cd "$apt" && apt-get "${opts[@]}" download -qq libvulkan-dev)
        mkdir -p "$cache/vulkan-headers"
        dpkg-deb -x "$apt"/libvulkan-dev_*.deb "$cache/vulkan-headers"
    fi
fi

flags="-DGGML_VULKAN=on -DGGML_NATIVE=OFF"
header_version=$(sed -n 's/^#define VK_HEADER_VERSION \([0-9]*\)$/\1/p' "$include/vulkan/vulkan_core.h")
key=$(printf '%s %s %s' "$version" "$flags" "$header_version" | sha256sum | cut -c1-12)
wheels="$cache/llama-cpp-python-$version-vulkan-$key"
venv="$cache/vulkan-venv-$version-$key"

shopt -s nullglob
built=("$wheels"/llama_cpp_python-*.whl)
if [[ ${#built[@]} -eq 0 ]]; then
    echo "Compiling llama.cpp $version with Vulkan once; about 20 minutes on 2 cores." >&2
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/hearth-vulkan-wheel.XXXXXX")
    CMAKE_ARGS="$flags -DVulkan_INCLUDE_DIR=$include" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc 2>/dev/null || echo 2) \
        "$python" -m pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
        --wheel-dir "$tmp" "llama-cpp-python==$version" >&2
    mkdir -p "$wheels"
    mv "$tmp"/llama_cpp_python-*.whl "$wheels"/
    rm -rf "$tmp"
    built=("$wheels"/llama_cpp_python-*.whl)
fi

if [[ ! -f "$venv/.ready" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    # The project's versions of what the check imports besides llama.cpp (pip takes no file URLs there).
    "$python" -m pip freeze --exclude-editable | grep -v ' @ ' >"$venv/constraints.txt"
    "$venv/bin/python" -m pip install --quiet --progress-bar off -c "$venv/constraints.txt" "${built[0]}" \
        gguf psutil platformdirs
    touch "$venv/.ready"
fi

# ggml-vulkan skips CPU-type devices such as lavapipe unless they are asked for by index.
GGML_VK_VISIBLE_DEVICES=${GGML_VK_VISIBLE_DEVICES:-0} PYTHONPATH="$root" \
    "$venv/bin/python" "$here/vulkan_check.py"
