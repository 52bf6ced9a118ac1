#!/usr/bin/env python3
"""Regenerates fuzz/seeds/extract/ from the log fixtures (run from the repository root).

Each seed is a short excerpt of one fixture log (the lines around its first error), prefixed
with the extract target's header: a control byte (number of cuts, max_line choice) and the
little-endian u16 cut positions, so the excerpt is fed to the Source in a few chunks.
"""
import glob
import os
import re
import struct

OUT = "fuzz/seeds/extract"
MAX_BYTES = 4096
TS = re.compile(rb"^\d{4}-\d\d-\d\d[ T]")
ERR = re.compile(rb"ERROR|WARNING|Error code|event: ?error|error")


def header(i, payload):
    cuts = i % 3 + 1  # 1..=3 cuts; max_line choice 0 (the 1 MiB default)
    n = len(payload)
    pos = [n * (k + 1) // (cuts + 1) for k in range(cuts)]
    return bytes([cuts]) + b"".join(struct.pack("<H", p % 65536) for p in pos)


def excerpt(path, whole_if_small):
    data = open(path, "rb").read()
    if whole_if_small and len(data) <= MAX_BYTES:
        return data
    lines = data.split(b"\n")
    first = next((i for i, l in enumerate(lines) if ERR.search(l)), 0)
    start = max(first - 1, 0)  # the status line the exception may claim
    end = first + 1
    while end < len(lines) and not TS.match(lines[end]) and end - start < 40:
        end += 1
    end = min(end + 1, len(lines))  # and the next record
    out = b"\n".join(lines[start:end]) + b"\n"
    return out[:MAX_BYTES]


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in glob.glob(os.path.join(OUT, "*")):
        os.remove(f)
    styles = sorted(glob.glob("fixtures/logs/styles/*.log"))
    sdk = sorted(glob.glob("fixtures/logs/sdk/*.log"))
    picked = [(p, True) for p in styles] + [(p, False) for i, p in enumerate(sdk) if (i // 4 + i) % 2 == 0]
    for i, (path, whole) in enumerate(picked):
        payload = excerpt(path, whole)
        name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
        with open(os.path.join(OUT, name), "wb") as fh:
            fh.write(header(i, payload) + payload)
    print(f"{len(picked)} seeds in {OUT}")


if __name__ == "__main__":
    main()
