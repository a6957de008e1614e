"""One way to show a size: decimal units, as file managers, browsers and the Hugging Face Hub count."""

from __future__ import annotations

import pytest

from app.units import GB, KB, MB, format_bytes


@pytest.mark.parametrize(
    ("n_bytes", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (53, "53 bytes"),
        (999, "999 bytes"),
        (1000, "1 KB"),
        (1499, "1 KB"),
        (1500, "2 KB"),
        (820_000, "820 KB"),
        (999_499, "999 KB"),
        (999_500, "1.0 MB"),  # rounds up into the next unit, never "1000 KB"
        (2_300_000, "2.3 MB"),
        (2_349_999, "2.3 MB"),
        (99_940_000, "99.9 MB"),
        (99_950_000, "100 MB"),  # a whole number once there are three digits, never "100.0 MB"
        (100 * MB, "100 MB"),
        (524 * MB, "524 MB"),
        (999_499_999, "999 MB"),
        (999_900_000, "1.0 GB"),  # 999.9 MB: whole MB above 100, and 1000 MB is 1.0 GB
        (12_100_000_000, "12.1 GB"),
        (12_149_999_999, "12.1 GB"),
        (12_150_000_001, "12.2 GB"),
        (60 * GB, "60.0 GB"),
        (999 * GB, "999 GB"),
        (2_000 * GB, "2.0 TB"),
        (5_000_000 * GB, "5,000 TB"),  # the largest unit has no ceiling
    ],
)
def test_format_bytes(n_bytes: int, shown: str) -> None:
    assert format_bytes(n_bytes) == shown


def test_units_are_decimal() -> None:
    assert (KB, MB, GB) == (1000, 1000**2, 1000**3)
    # What a "16 GB" laptop has (16 GiB) is shown in the same units as a file's size.
    assert format_bytes(16 * 1024**3) == "17.2 GB"
