#!/usr/bin/env python3
"""Latency of `tail -f app.log | errwatch --print`: the time from a provider error line being
written to errwatch's stdin to its record appearing on errwatch's stdout. Prints percentiles.

Usage: python3 benches/print_latency.py [path/to/errwatch] [lines]
"""
import json
import os
import select
import statistics
import subprocess
import sys
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/errwatch"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
LINE = '2026-11-02 10:00:01 ERROR upstream body={"error":{"code":"1302","message":"m %d"}}\n'
FILLER = "2026-11-02 10:00:01 INFO app: request ok status=200 path=/v1/chat\n"

proc = subprocess.Popen([BIN, "--print", "jsonl", "--listen", "none"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
latencies = []
buf = b""
for i in range(N):
    proc.stdin.write((FILLER * 20).encode())
    sent = time.perf_counter()
    proc.stdin.write((LINE % i).encode())
    deadline = sent + 5
    while b"\n" not in buf and time.perf_counter() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            buf += os.read(proc.stdout.fileno(), 65536)
    line, _, buf = buf.partition(b"\n")
    if not line:
        sys.exit(f"line {i} did not appear within 5 s")
    latencies.append(time.perf_counter() - sent)
    assert json.loads(line)["code"] == "1302"
    time.sleep(0.01)
proc.stdin.close()
proc.wait(timeout=10)
ms = sorted(x * 1000 for x in latencies)
pct = lambda p: ms[min(len(ms) - 1, int(p / 100 * len(ms)))]
print(f"print latency over {N} errors: p50 {pct(50):.2f} ms, p90 {pct(90):.2f} ms, "
      f"p99 {pct(99):.2f} ms, max {ms[-1]:.2f} ms, mean {statistics.mean(ms):.2f} ms")
