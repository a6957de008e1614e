#!/usr/bin/env bash
# Authenticode-sign a Windows program (the Hearth setup program, Hearth.exe ...) in place, then verify it.
#
#   packaging/windows/sign.sh FILE
#
# Environment:
#   HEARTH_SIGN_PFX            the code-signing certificate and its private key (.pfx / .p12). Unset or
#                              empty: nothing is signed, one line says so, and the exit status is 0, so
#                              builds without the certificate (forks, pull requests) still work.
#   HEARTH_SIGN_PASSWORD       the .pfx password (may be empty).
#   HEARTH_SIGN_TIMESTAMP_URL  an RFC 3161 timestamp server; when set the signature is timestamped and
#                              stays valid after the certificate expires.
#   HEARTH_SIGN_REQUIRE_TRUST  1: also fail when this machine's CA store does not trust the certificate
#                              chain (for release builds). Otherwise that is a warning: the signature and
#                              the file's digest are still checked, so a self-signed test certificate works.
#
# Uses osslsigncode (Debian/Ubuntu: apt-get install osslsigncode; it also runs on Windows and macOS) and,
# on Windows without it, signtool from the Windows SDK. The password reaches osslsigncode on its standard
# input, never on a command line; signtool has no such option.
set -euo pipefail

die() {
    echo "sign.sh: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || { echo "usage: sign.sh FILE" >&2; exit 2; }
file=$1
[[ -f $file ]] || die "no such file: $file"

if [[ -z ${HEARTH_SIGN_PFX:-} ]]; then
    echo "sign.sh: signing skipped for $file: HEARTH_SIGN_PFX is not set (no code-signing certificate)"
    exit 0
fi
pfx=$HEARTH_SIGN_PFX
[[ -f $pfx ]] || die "HEARTH_SIGN_PFX=$pfx: no such file"
password=${HEARTH_SIGN_PASSWORD:-}
timestamp_url=${HEARTH_SIGN_TIMESTAMP_URL:-}
require_trust=${HEARTH_SIGN_REQUIRE_TRUST:-0}

untrusted() {
    if [[ $require_trust == 1 ]]; then
        die "$file is signed, but this machine does not trust the certificate chain (HEARTH_SIGN_REQUIRE_TRUST=1)"
    fi
    echo "sign.sh: warning: $file is signed, but this machine does not trust the certificate chain" \
        "(a self-signed or test certificate, or a .pfx without its intermediate certificates)"
}

sign_with_osslsigncode() {
    local signed=$file.signing.tmp
    local args=(sign -pkcs12 "$pfx" -readpass - -h sha256 -n Hearth)
    if [[ -n $timestamp_url ]]; then
        args+=(-ts "$timestamp_url")
    fi
    rm -f "$signed"
    # An already signed file gets its signature replaced, so signing twice is harmless.
    if ! printf '%s' "$password" | osslsigncode "${args[@]}" -in "$file" -out "$signed" >/dev/null; then
        rm -f "$signed"
        die "osslsigncode could not sign $file (wrong password, or not a code-signing .pfx?)"
    fi
    mv -f "$signed" "$file"

    local report
    if report=$(osslsigncode verify -in "$file" 2>&1); then
        echo "sign.sh: signed and verified $file"
        return
    fi
    # The chain may be untrusted here; the signature must still be there and match the file's bytes.
    local current calculated
    current=$(sed -n 's/^Current message digest *: *\([0-9A-Fa-f]*\).*/\1/p' <<<"$report" | head -n 1)
    calculated=$(sed -n 's/^Calculated message digest *: *\([0-9A-Fa-f]*\).*/\1/p' <<<"$report" | head -n 1)
    if [[ -z $current || $current != "$calculated" ]]; then
        echo "$report" >&2
        die "verification failed: the signature of $file does not match its contents"
    fi
    untrusted
}

sign_with_signtool() {
    local signtool=$1
    local args=(sign /f "$pfx" /p "$password" /fd SHA256)
    if [[ -n $timestamp_url ]]; then
        args+=(/tr "$timestamp_url" /td SHA256)
    fi
    "$signtool" "${args[@]}" "$file" >/dev/null || die "signtool could not sign $file"
    if "$signtool" verify /pa "$file" >/dev/null; then
        echo "sign.sh: signed and verified $file"
    else
        untrusted
    fi
}

if command -v osslsigncode >/dev/null 2>&1; then
    sign_with_osslsigncode
elif command -v signtool >/dev/null 2>&1; then
    sign_with_signtool signtool
elif command -v signtool.exe >/dev/null 2>&1; then
    sign_with_signtool signtool.exe
else
    die "cannot sign $file: install osslsigncode (Debian/Ubuntu: apt-get install osslsigncode)" \
        "or, on Windows, the Windows SDK's signtool"
fi
