"""`make bench`: run every benchmark and print its figures."""

from __future__ import annotations

import sys

from bench import (
    browser_bench,
    conversation_bench,
    documents_bench,
    download_bench,
    engine_bench,
    render_bench,
    repetition_bench,
    search_bench,
    store_bench,
    tool_loop_bench,
    ui_bench,
)


def main() -> int:
    engine_bench.main()
    repetition_bench.main()
    ui_bench.main()
    render_bench.main()
    store_bench.main()
    search_bench.main()
    conversation_bench.main()
    download_bench.main()
    documents_bench.main()
    browser_bench.main()
    tool_loop_bench.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
