"""The Windows setup program, compiled for real by makensis from a stub PyInstaller build, and its signing."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

WINDOWS = Path(__file__).resolve().parents[2] / "packaging" / "windows"
SCRIPT = WINDOWS / "hearth.nsi"
SIGN = WINDOWS / "sign.sh"
DATA_DIR = "$LOCALAPPDATA\\Hearth"
GUARD = re.compile(r"\$DeleteData\s*==\s*1\b")
Completed = subprocess.CompletedProcess[str]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} not found: install the Debian packages: apt-get install nsis osslsigncode openssl"
        )
    return path


def run(args: list[str], env: dict[str, str] | None = None) -> Completed:
    return subprocess.run(args, capture_output=True, text=True, check=False, env=env, timeout=120)


def make_payload(folder: Path) -> Path:
    """What PyInstaller's one-folder build leaves in dist\\Hearth, in miniature."""
    (folder / "_internal").mkdir(parents=True)
    (folder / "Hearth.exe").write_bytes(b"MZ stub gui " * 100)
    (folder / "hearth-cli.exe").write_bytes(b"MZ stub console " * 100)
    (folder / "_internal" / "some.dll").write_bytes(os.urandom(4096))
    return folder


def makensis(defines: dict[str, str], *flags: str, env: dict[str, str] | None = None) -> Completed:
    defined = [f"-D{name}={value}" for name, value in defines.items()]
    return run([tool("makensis"), "-V4", "-WX", *flags, *defined, str(SCRIPT)], env)


def build(folder: Path, version: str = "0.1.0") -> Path:
    out = folder / f"Hearth-{version}-win.exe"
    done = makensis({"VERSION": version, "PAYLOAD": str(make_payload(folder / "dist")), "OUTFILE": str(out)})
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("Hearth.exe", "hearth-cli.exe", "some.dll"):
        assert f'File: "{name}"' in done.stdout, f"{name} was not packed"
    return out


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("installer"))


@pytest.fixture(scope="module")
def pfx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway self-signed code-signing certificate (password "pa ss"); its cert.pem lies beside it."""
    openssl, folder = tool("openssl"), tmp_path_factory.mktemp("cert")
    key, cert, pfx = folder / "key.pem", folder / "cert.pem", folder / "sign.pfx"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Hearth Test"]
    usage = ["-addext", "extendedKeyUsage=codeSigning", "-addext", "keyUsage=critical,digitalSignature"]
    subprocess.run(
        [openssl, *request, *usage, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True
    )
    export = ["pkcs12", "-export", "-inkey", str(key), "-in", str(cert), "-out", str(pfx), "-passout"]
    subprocess.run([openssl, *export, "pass:pa ss"], check=True, capture_output=True)
    return pfx


def signing_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_SIGN_")}
    return env | values


def sign(exe: Path, env: dict[str, str]) -> Completed:
    return run(["bash", str(SIGN), str(exe)], env)


def osslsigncode_verify(exe: Path, *flags: str) -> Completed:
    return run([tool("osslsigncode"), "verify", *flags, "-in", str(exe)])


def digests(report: str) -> tuple[str, str]:
    current = re.search(r"^Current message digest\s*:\s*([0-9A-F]+)", report, re.MULTILINE)
    calculated = re.search(r"^Calculated message digest\s*:\s*([0-9A-F]+)", report, re.MULTILINE)
    assert current and calculated, report
    return current[1], calculated[1]


def version_resource(exe: bytes) -> tuple[tuple[int, ...], dict[str, str]]:
    """(FileVersion numbers, StringFileInfo strings) from the VS_VERSIONINFO resource of a PE file."""
    key = "VS_VERSION_INFO".encode("utf-16-le")
    assert exe.count(key) == 1, "expected one version resource"
    strings: dict[str, str] = {}

    def block(pos: int, depth: int) -> tuple[int, ...]:
        length, value_len, kind = struct.unpack_from("<HHH", exe, pos)
        end = pos + length
        name_end = pos + 6
        while exe[name_end : name_end + 2] != b"\0\0":
            name_end += 2
        name = exe[pos + 6 : name_end].decode("utf-16-le")
        value = (name_end + 2 + 3) & ~3
        size = value_len * 2 if kind == 1 else value_len
        fixed: tuple[int, ...] = ()
        if depth == 0:
            signature, _, ms, ls = struct.unpack_from("<4I", exe, value)
            assert signature == 0xFEEF04BD
            fixed = (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
        elif depth == 3:
            strings[name] = exe[value : value + size].decode("utf-16-le").rstrip("\0")
        child = (value + size + 3) & ~3
        while child < end:
            child_len = struct.unpack_from("<H", exe, child)[0]
            block(child, depth + 1)
            child = (child + child_len + 3) & ~3
        return fixed

    return block(exe.find(key) - 6, 0), strings


def unguarded_data_removals(script: str) -> list[str]:
    """Lines removing the user's data folder outside the uninstaller or without `$DeleteData == 1` holding.

    Reads the script as NSIS does: `\\` continues a line, `!define`s are substituted, and LogicLib blocks
    nest; an ${OrIf} or an ${Else} branch is no guard.
    """
    defines: dict[str, str] = {}
    guards: list[bool] = []  # per open ${If}: does its branch require $DeleteData == 1?
    where = ""
    problems: list[str] = []
    for raw in script.replace("\\\n", " ").splitlines():
        line = raw.strip()
        if match := re.match(r'!define\s+(\w+)\s+"([^"]*)"', line):
            defines[match[1]] = match[2]
        line = re.sub(r"\$\{(\w+)\}", lambda m: defines.get(m[1], m[0]), line)
        if match := re.match(r'(Section|Function)\s+(?:/o\s+)?"?([^"\s]*)', line):
            where = match[2]
        elif re.match(r"\$\{(If|IfNot|Unless)\}", line):
            guards.append(line.startswith("${If}") and bool(GUARD.search(line)))
        elif line.startswith("${AndIf}") and guards:
            guards[-1] = guards[-1] or bool(GUARD.search(line))
        elif re.match(r"\$\{(OrIf|Else|ElseIf)\}", line) and guards:
            guards[-1] = False
        elif line.startswith("${EndIf}") and guards:
            guards.pop()
        elif match := re.match(r'(RMDir|Delete)\s+(?:/\w+\s+)*"([^"]+)"', line):
            target = match[2].lower()
            if target == DATA_DIR.lower() or target.startswith(DATA_DIR.lower() + "\\"):
                uninstaller = where.lower() == "uninstall" or where.startswith("un.")
                if not uninstaller or not any(guards):
                    problems.append(f"{where}: {line}")
    return problems


def test_installer_compiles_to_a_windows_program(installer: Path) -> None:
    data = installer.read_bytes()
    assert data[:2] == b"MZ"
    pe_offset = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe_offset : pe_offset + 4] == b"PE\0\0"
    assert 100_000 < len(data) < 3_000_000


@pytest.mark.parametrize("missing", ["VERSION", "PAYLOAD", "OUTFILE"])
def test_a_missing_define_stops_the_build_with_a_clear_message(tmp_path: Path, missing: str) -> None:
    payload = make_payload(tmp_path / "dist")
    defines = {"VERSION": "0.1.0", "PAYLOAD": str(payload), "OUTFILE": str(tmp_path / "o.exe")}
    del defines[missing]
    done = makensis(defines)
    assert done.returncode != 0
    assert f"{missing} is not defined: pass -D{missing}=" in done.stdout + done.stderr
    assert not (tmp_path / "o.exe").exists()


def test_a_payload_without_hearth_exe_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = makensis(
        {"VERSION": "0.1.0", "PAYLOAD": str(tmp_path / "empty"), "OUTFILE": str(tmp_path / "o.exe")}
    )
    assert done.returncode != 0
    assert "has no Hearth.exe" in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("0.2.0rc1", (0, 2, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.3.4.dev5", (2, 3, 4, 0)),
    ],
)
def test_version_resource(tmp_path: Path, version: str, numbers: tuple[int, ...]) -> None:
    fixed, strings = version_resource(build(tmp_path, version).read_bytes())
    assert fixed == numbers
    assert strings["ProductName"] == "Hearth"
    assert strings["ProductVersion"] == version
    assert strings["FileVersion"] == version
    assert strings["FileDescription"] == "Hearth Setup"
    assert strings["CompanyName"]
    assert "Hearth" in strings["LegalCopyright"]


def test_uninstaller_deletes_the_data_folder_only_when_asked() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    assert unguarded_data_removals(script) == []
    assert re.search(r'RMDir\s+/r\s+"\$\{DATA_DIR\}"', script), "the delete-my-data option is missing"
    assert not re.search(r'RMDir\s+/r\s+"\$INSTDIR"', script), "never delete the install folder wholesale"
    # $DeleteData starts at 0 and becomes 1 only from the /DELETEDATA switch or the (unticked) box.
    setters = re.findall(r"Function (\S+)\n(.*?)FunctionEnd", script, re.DOTALL)
    on_init = next(body for name, body in setters if name == "un.onInit")
    assert on_init.index("StrCpy $DeleteData 0") < on_init.index('"/DELETEDATA"')
    for name, body in setters:
        if "StrCpy $DeleteData 1" in body:
            assert name == "un.onInit" or "${NSD_GetState} $DataCheckbox" in body, name
    assert "Also delete my conversations, settings and downloaded models" in script
    assert re.search(r"\$\{If\} \$DeleteData == 1\s+\$\{NSD_Check\} \$DataCheckbox", script)


def test_the_data_guard_check_catches_an_unguarded_removal() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    broken = script.replace('Section "Uninstall"\n', 'Section "Uninstall"\n  RMDir /r "${DATA_DIR}"\n')
    assert len(unguarded_data_removals(broken)) == 1
    in_else = script.replace(
        '    DetailPrint "Kept your',
        '    RMDir /r "$LOCALAPPDATA\\Hearth\\models"\n    DetailPrint "Kept your',
    )
    assert len(unguarded_data_removals(in_else)) == 1
    in_setup = script.replace("  File /r", '  RMDir /r "${DATA_DIR}\\logs"\n  File /r')
    assert len(unguarded_data_removals(in_setup)) == 1


def test_sign_signs_in_place_and_the_signature_matches(installer: Path, pfx: Path, tmp_path: Path) -> None:
    exe = tmp_path / "Hearth-setup.exe"
    shutil.copy(installer, exe)
    done = sign(exe, signing_env(HEARTH_SIGN_PFX=str(pfx), HEARTH_SIGN_PASSWORD="pa ss"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "does not trust the certificate chain" in done.stdout  # self-signed: a warning, not a failure
    assert exe.stat().st_size > installer.stat().st_size
    # Against the system's CA store the chain fails, but the signature covers exactly the file's bytes.
    report = osslsigncode_verify(exe)
    assert report.returncode != 0
    assert "Subject: /CN=Hearth Test" in report.stdout
    current, calculated = digests(report.stdout)
    assert current == calculated
    trusted = osslsigncode_verify(exe, "-CAfile", str(pfx.parent / "cert.pem"))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert "Signature verification: ok" in trusted.stdout
    data = bytearray(exe.read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "tampered.exe").write_bytes(data)
    current, calculated = digests(osslsigncode_verify(tmp_path / "tampered.exe").stdout)
    assert current != calculated


def test_sign_fails_on_a_wrong_password(installer: Path, pfx: Path, tmp_path: Path) -> None:
    exe = tmp_path / "Hearth-setup.exe"
    shutil.copy(installer, exe)
    done = sign(exe, signing_env(HEARTH_SIGN_PFX=str(pfx), HEARTH_SIGN_PASSWORD="wrong"))
    assert done.returncode == 1
    assert "could not sign" in done.stderr
    assert exe.read_bytes() == installer.read_bytes()


def test_sign_without_a_certificate_skips_and_leaves_the_file_alone(installer: Path, tmp_path: Path) -> None:
    exe = tmp_path / "Hearth-setup.exe"
    shutil.copy(installer, exe)
    done = sign(exe, signing_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert "signing skipped" in done.stdout
    assert "HEARTH_SIGN_PFX is not set" in done.stdout
    assert exe.read_bytes() == installer.read_bytes()


def test_makensis_signs_uninstaller_and_setup_with_sign_cmd(pfx: Path, tmp_path: Path) -> None:
    env = signing_env(HEARTH_SIGN_PFX=str(pfx), HEARTH_SIGN_PASSWORD="pa ss")
    out, payload = tmp_path / "signed.exe", make_payload(tmp_path / "dist")
    defines = {"VERSION": "0.1.0", "PAYLOAD": str(payload), "OUTFILE": str(out)}
    done = makensis(defines, f'-DSIGN_CMD=bash "{SIGN}"', env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "UninstFinalize command: bash" in done.stdout
    assert done.stdout.count("sign.sh: warning:") == 2  # the uninstaller, then the setup program
    trusted = osslsigncode_verify(out, "-CAfile", str(pfx.parent / "cert.pem"))
    assert "Signature verification: ok" in trusted.stdout, trusted.stdout + trusted.stderr
