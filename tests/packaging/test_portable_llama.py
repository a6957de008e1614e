"""The llama.cpp this venv runs is the portable build the installers ship: no AVX-512 instruction, so it
cannot crash with "illegal instruction" on a laptop without AVX-512 (packaging/llama-wheel.sh)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import llama_cpp
import pytest

from tests.fixtures.packaging_scripts import load_script

_check_deb = load_script("linux/check_deb.py")


def avx512_instructions(library: Path) -> int:
    count: int = _check_deb.avx512_instructions(library)
    return count


def test_the_installed_llama_cpp_has_no_avx512() -> None:
    if shutil.which("objdump") is None:
        pytest.fail("objdump not found: apt-get install binutils")
    libraries = sorted((Path(llama_cpp.__file__).parent / "lib").glob("libggml-cpu*.so*"))
    assert libraries, "llama_cpp ships no libggml-cpu"
    assert {lib.name: avx512_instructions(lib) for lib in libraries} == {lib.name: 0 for lib in libraries}


def test_the_scan_finds_avx512_where_there_is_some(tmp_path: Path) -> None:
    source = tmp_path / "add.c"
    source.write_text(
        "#include <immintrin.h>\n"
        "void add(int *a, const int *b) {\n"
        "    _mm512_storeu_si512(a, _mm512_add_epi32(_mm512_loadu_si512(a), _mm512_loadu_si512(b)));\n"
        "}\n"
    )
    library = tmp_path / "libadd.so"
    subprocess.run(
        ["gcc", "-O2", "-mavx512f", "-shared", "-fPIC", str(source), "-o", str(library)], check=True
    )
    assert avx512_instructions(library) >= 1
