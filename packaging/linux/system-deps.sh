#!/usr/bin/env bash
# Install the Debian/Ubuntu libraries Qt needs, when we are root and have apt; otherwise say what is missing.
# Usage: system-deps.sh PACKAGE...
set -euo pipefail
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not a Debian-like system: nothing to check

missing=()
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system libraries: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "Note: these system libraries seem to be missing: ${missing[*]}" >&2
    echo "      install them with: sudo apt-get install ${missing[*]}" >&2
fi
