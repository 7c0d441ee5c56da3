"""Benchmarks for a benchmark runner (plain functions, no pytest needed).

``bench_stv_largest_glasgow(path)`` times the Scottish STV count of the largest Glasgow 2007 ward
file (by number of ballot lines) in ``path`` - a folder of BLT files, e.g.
``shared/counting-reference/stv/glasgow-2007``, or one BLT file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .blt import read_blt
from .stv_meek import count_stv_meek
from .stv_scottish import count_stv_scottish


def _largest_blt(path: Path) -> Path:
    if path.is_file():
        return path
    files = sorted(path.glob("*.blt"))
    if not files:
        raise FileNotFoundError(f"no .blt files in {path}")
    return max(files, key=lambda f: (len(f.read_bytes().splitlines()), f.name))


def bench_stv_largest_glasgow(
    path: str | os.PathLike[str], repeat: int = 5, meek: bool = False
) -> dict[str, Any]:
    """Parse and count the largest ward file ``repeat`` times; report the best and mean times.

    Returns ``seconds`` (best total of parse + count, the number to compare with the 2 s budget),
    ``count_seconds`` and ``parse_seconds`` (best of each), ``mean_seconds``, the file, its size
    and the elected candidates (to check the count is the right one).
    """
    target = _largest_blt(Path(path))
    counter = count_stv_meek if meek else count_stv_scottish
    totals, parses, counts = [], [], []
    result = None
    profile = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        profile = read_blt(target)
        t1 = time.perf_counter()
        result = counter(profile)
        t2 = time.perf_counter()
        parses.append(t1 - t0)
        counts.append(t2 - t1)
        totals.append(t2 - t0)
    assert result is not None and profile is not None
    return {
        "seconds": min(totals),
        "mean_seconds": sum(totals) / len(totals),
        "parse_seconds": min(parses),
        "count_seconds": min(counts),
        "repeat": len(totals),
        "method": result.method,
        "file": str(target),
        "ballot_lines": len(profile.groups),
        "ballots": profile.total_ballots,
        "candidates": len(profile.candidates),
        "seats": profile.seats,
        "stages": len(result.stages),
        "elected": list(result.elected),
        "engine_version": result.engine_version,
    }
