"""The broadcast benchmark runs end to end on a few chats and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

KEYS = {
    "chats",
    "parts_per_chat",
    "latency_ms",
    "instances",
    "throughput_fraction",
    "lost_parts",
    "duplicate_parts",
    "p95_chat_complete_s",
    "peak_rss_mb",
}


def test_the_benchmark_delivers_every_part_once_and_ends_with_its_json_line() -> None:
    script = REPO / "benchmarks" / "broadcast.py"
    done = subprocess.run(
        [sys.executable, str(script), "--chats", "12", "--latency-ms", "20"],
        capture_output=True,
        text=True,
        timeout=300,  # bounds a hang only
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS
    assert (figures["chats"], figures["instances"], figures["latency_ms"]) == (12, 1, 20)
    assert (figures["lost_parts"], figures["duplicate_parts"]) == (0, 0)
    assert figures["parts_per_chat"] >= 2
    assert figures["peak_rss_mb"] > 0
