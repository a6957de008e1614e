#!/usr/bin/env bash
# Sign, notarize and package a frozen Hearth.app as dist/Hearth-VERSION-macos-ARCH.dmg.
#
# Usage: package.sh APP_PATH VERSION ARCH        (ARCH: arm64 or x86_64)
#
# Every step below is optional, and a skipped step prints one line saying what and why:
#   HEARTH_MACOS_IDENTITY   a "Developer ID Application: NAME (TEAMID)" identity in a keychain: sign the
#                           app inside-out with the hardened runtime and a secure timestamp, then the dmg
#   HEARTH_NOTARY_PROFILE   a `xcrun notarytool store-credentials` keychain profile, or else
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password): notarize and staple both
#   HEARTH_DRY_RUN=1        print each command ("+ " and the command, shell-quoted) instead of running it;
#                           needs no Apple tool, so it works on Linux (tests/packaging checks the order)
# The dmg's path is the last line printed. Compatible with macOS's own bash 3.2.
set -euo pipefail

usage() {
    echo "usage: package.sh APP_PATH VERSION ARCH   (ARCH: arm64 or x86_64)" >&2
    exit 2
}
[[ $# -eq 3 ]] || usage
app=${1%/}
version=$2
arch=$3
case $arch in
    arm64 | x86_64) ;;
    *) usage ;;
esac
if [[ ! $version =~ ^[0-9][0-9A-Za-z.+-]*$ ]]; then
    echo "package.sh: '$version' is not a version" >&2
    exit 2
fi
if [[ $app != *.app || ! -d $app/Contents/MacOS ]]; then
    echo "package.sh: $app is not an .app bundle" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
entitlements=$here/entitlements.plist
dist=$root/dist
dmg=$dist/Hearth-$version-macos-$arch.dmg
dry_run=${HEARTH_DRY_RUN:-0}
identity=${HEARTH_MACOS_IDENTITY:-}
tab=$'\t'

has_notary=1
if [[ -n ${HEARTH_NOTARY_PROFILE:-} ]]; then
    notary_auth=(--keychain-profile "$HEARTH_NOTARY_PROFILE")
elif [[ -n ${APPLE_ID:-} && -n ${APPLE_TEAM_ID:-} && -n ${APPLE_APP_PASSWORD:-} ]]; then
    notary_auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
else
    has_notary=0
fi

tmp=$(mktemp -d -t hearth-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Print a command as "+ cmd args", shell-quoted, with the value after --password masked.
show() {
    local arg line="+" hide=0
    for arg in "$@"; do
        if ((hide)); then
            line+=" ***"
            hide=0
        else
            line+=" $(printf '%q' "$arg")"
        fi
        if [[ $arg == --password ]]; then hide=1; fi
    done
    echo "$line"
}

run() {
    show "$@"
    [[ $dry_run == 1 ]] || "$@"
}

# Sort paths read from stdin deepest first (then by name), so contents are signed before containers.
deepest_first() {
    awk -F/ '{ print NF "\t" $0 }' | sort -t "$tab" -k1,1nr -k2 | cut -f2-
}

# "exe" for a Mach-O executable, "lib" for other Mach-O code (dylib, bundle, .so), nothing otherwise.
# Read from the header rather than with file(1) so that the dry run behaves like the real one.
macho_kind() {
    local file=$1 offset=${2:-0} header nfat arch_offset filetype
    header=$(od -A n -t x1 -j "$offset" -N 24 "$file" 2>/dev/null | tr -d ' \n')
    case ${header:0:8} in
        cffaedfe | cefaedfe) filetype=${header:24:2} ;; # little-endian: filetype's low byte at byte 12
        feedfacf | feedface) filetype=${header:30:2} ;; # big-endian: at byte 15
        cafebabe | cafebabf)                             # universal: look at the first architecture
            nfat=$((16#${header:8:8}))
            # Java class files share the magic; their "count" (the class version) is 45 or more.
            if ((offset != 0 || nfat < 1 || nfat > 30)); then return 0; fi
            if [[ ${header:6:2} == bf ]]; then # 64-bit fat header: the offset is 8 bytes
                arch_offset=$((16#${header:32:16}))
            else
                arch_offset=$((16#${header:32:8}))
            fi
            if ((arch_offset > 0)); then macho_kind "$file" "$arch_offset"; fi
            return 0
            ;;
        *) return 0 ;;
    esac
    if [[ $filetype == 02 ]]; then echo exe; else echo lib; fi
}

is_main() {
    local main
    for main in "${mains[@]}"; do
        if [[ $main == "$1" ]]; then return 0; fi
    done
    return 1
}

sign() { # sign [--entitlements] PATH
    local extra=()
    if [[ $1 == --entitlements ]]; then
        extra=(--entitlements "$entitlements")
        shift
    fi
    run codesign --force --sign "$identity" --options runtime --timestamp ${extra[@]+"${extra[@]}"} "$1"
}

# is dotted version $1 newer than $2?
version_gt() {
    local a b i
    IFS=. read -r -a a <<<"$1"
    IFS=. read -r -a b <<<"$2"
    for i in 0 1 2; do
        if ((${a[i]:-0} > ${b[i]:-0})); then return 0; fi
        if ((${a[i]:-0} < ${b[i]:-0})); then return 1; fi
    done
    return 1
}

# The main executable must hold ARCH, and no bundled binary may need a newer macOS than Info.plist's
# LSMinimumSystemVersion (a newer PySide6 or llama.cpp can raise it silently; then the app would crash
# on launch on the oldest macOS it claims to support, instead of being refused with a clear message).
check_bundle() {
    local main=$1 declared file minos
    if [[ $dry_run == 1 ]]; then
        echo "Dry run: not checking the architecture and minimum macOS of the binaries (needs the real bundle)."
        return 0
    fi
    show lipo -archs "$main"
    if [[ " $(lipo -archs "$main") " != *" $arch "* ]]; then
        echo "package.sh: $main does not contain $arch" >&2
        exit 1
    fi
    declared=$(/usr/libexec/PlistBuddy -c "Print :LSMinimumSystemVersion" "$app/Contents/Info.plist")
    echo "Checking that no binary needs a macOS newer than $declared."
    while IFS= read -r file; do
        [[ -n $(macho_kind "$file") ]] || continue
        for minos in $(otool -arch "$arch" -l "$file" 2>/dev/null | awk '
            /cmd LC_BUILD_VERSION/ { build = 1 } /cmd LC_VERSION_MIN_MACOSX/ { old = 1 }
            build && $1 == "minos" { print $2; build = 0 } old && $1 == "version" { print $2; old = 0 }'); do
            if version_gt "$minos" "$declared"; then
                echo "package.sh: ${file#"$app/"} needs macOS $minos but Info.plist says $declared;" \
                    "raise MINIMUM_MACOS in packaging/macos/bundle_info.py or pin an older library" >&2
                exit 1
            fi
        done
    done < <(find "$app/Contents" -type f)
}

notarize() { # notarize FILE (a zip or a dmg): submit, wait, and fail unless Apple accepted it
    local file=$1 out id
    show xcrun notarytool submit "$file" "${notary_auth[@]}" --wait --output-format json
    [[ $dry_run != 1 ]] || return 0
    # notarytool can exit 0 with an "Invalid" status, so read the status it reports.
    if ! out=$(xcrun notarytool submit "$file" "${notary_auth[@]}" --wait --output-format json); then
        echo "$out"
        echo "package.sh: notarytool could not submit $file" >&2
        exit 1
    fi
    echo "$out"
    if ! grep -Eq '"status" *: *"Accepted"' <<<"$out"; then
        id=$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' <<<"$out")
        if [[ -n $id ]]; then run xcrun notarytool log "$id" "${notary_auth[@]}" || true; fi
        echo "package.sh: Apple did not accept $file for notarization (the log above says why)" >&2
        exit 1
    fi
}

echo "Packaging $app ($arch, version $version) as $dmg"

# Regular files only (find does not follow symlinks): PyInstaller links Contents/Frameworks and
# Contents/Resources to each other, and a symlink is sealed by its bundle's signature, not signed.
mains=()
while IFS= read -r file; do
    kind=$(macho_kind "$file")
    if [[ -z $kind && -x $file ]]; then kind=exe; fi
    if [[ $kind == exe ]]; then mains+=("$file"); fi
done < <(find "$app/Contents/MacOS" -maxdepth 1 -type f | deepest_first)
if [[ ${#mains[@]} -eq 0 ]]; then
    echo "package.sh: no executable in $app/Contents/MacOS" >&2
    exit 1
fi
check_bundle "${mains[0]}"

signed=0
if [[ -n $identity ]]; then
    # Inside-out, never --deep (which would give every library the executables' entitlements and hide
    # what was signed): first each piece of nested code, deepest first, entitlements only on executables;
    while IFS= read -r file; do
        if is_main "$file"; then continue; fi
        kind=$(macho_kind "$file")
        case $file in *.dylib | *.so) kind=${kind:-lib} ;; esac
        case $kind in
            exe) sign --entitlements "$file" ;;
            lib) sign "$file" ;;
        esac
    done < <(find "$app/Contents" -type f | deepest_first)
    # then the bundles nested in it (Qt's frameworks), deepest first, sealing what was signed above;
    while IFS= read -r bundle; do
        case $bundle in
            *.app) sign --entitlements "$bundle" ;;
            *) sign "$bundle" ;;
        esac
    done < <(find "$app/Contents" -type d \( -name '*.framework' -o -name '*.app' \) | deepest_first)
    # then the main executable(s), then the app, whose signature is its main executable's again: so the
    # app gets the same entitlements, or signing it would drop them.
    for file in "${mains[@]}"; do sign --entitlements "$file"; done
    sign --entitlements "$app"
    run codesign --verify --strict --deep --verbose=2 "$app"
    signed=1
else
    echo "Not signing: HEARTH_MACOS_IDENTITY is not set; Gatekeeper will warn users."
fi

notarized=0
if ((signed && has_notary)); then
    run ditto -c -k --keepParent "$app" "$tmp/Hearth.zip"
    notarize "$tmp/Hearth.zip"
    run xcrun stapler staple "$app"
    run xcrun stapler validate "$app"
    run spctl -a -vv -t exec "$app"
    notarized=1
elif ((signed)); then
    echo "Not notarizing: neither HEARTH_NOTARY_PROFILE nor APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD" \
        "are set; Gatekeeper will block the app until it is notarized."
    run spctl -a -vv -t exec "$app" || echo "(spctl rejects a signed app that is not notarized: expected.)"
else
    echo "Not notarizing: the app is not signed."
fi

staging=$tmp/dmg
run mkdir -p "$dist" "$staging"
run ditto "$app" "$staging/Hearth.app"
run ln -s /Applications "$staging/Applications"
create=(hdiutil create -volname "Hearth $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg")
show "${create[@]}"
if [[ $dry_run != 1 ]]; then
    # On CI machines hdiutil sometimes fails with "Resource busy" while a scanner holds the image.
    for attempt in 1 2 3 4 5; do
        "${create[@]}" && break
        if ((attempt == 5)); then exit 1; fi
        echo "hdiutil create failed (attempt $attempt of 5); trying again."
        sleep $((attempt * 5))
    done
fi

if ((signed)); then
    run codesign --force --sign "$identity" --timestamp "$dmg"
else
    echo "Not signing the disk image: HEARTH_MACOS_IDENTITY is not set."
fi
if ((notarized)); then
    notarize "$dmg"
    run xcrun stapler staple "$dmg"
    run xcrun stapler validate "$dmg"
    run spctl -a -vv -t open --context context:primary-signature "$dmg"
elif ((signed)); then
    echo "Not notarizing the disk image: no notarization credentials are set."
else
    echo "Not notarizing the disk image: it is not signed."
fi
echo "$dmg"
