#!/usr/bin/env bash
# errwatch watch under load: `bash benches/daemon.sh`.
#
# For each rate in RATES (lines per second), generates (or reuses) under target/bench/ a mixed
# corpus (2% errors) of about RATE x SECONDS lines, then runs examples/daemon_bench.rs: the
# corpus is appended to a file at that rate while `errwatch watch --listen 127.0.0.1:PORT`
# follows it and /metrics is scraped every SCRAPE_MS ms; marker errors written every
# MARKER_MS ms measure the delay from write to count. Prints one table per rate; exits 1 if a
# line was lost or a count differs from the expected one.
#
# The defaults are the issue's targets: about 100 MB/s appended (950,000 lines/s of the mixed
# corpus, 106 bytes a line) scraped 50 times a second, after a tenth of that rate.
#
# Environment: RATES ("95000 950000"), RUN_SECONDS (10), SCRAPE_MS (20), MARKER_MS (250),
# SEED (42), BENCH_DIR (target/bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RATES=${RATES:-"95000 950000"}
SECONDS_PER_RUN=${RUN_SECONDS:-10}
SCRAPE_MS=${SCRAPE_MS:-20}
MARKER_MS=${MARKER_MS:-250}
SEED=${SEED:-42}
BENCH_DIR=${BENCH_DIR:-target/bench}
# Lines per MB of gen_corpus's mixed corpus (2% errors): about 9,480.
LINES_PER_MB=9480

echo "daemon.sh: building errwatch, gen_corpus and daemon_bench (release)" >&2
cargo build --release --quiet --bin errwatch --example gen_corpus --example daemon_bench
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
TARGET_DIR=${TARGET_DIR:-target}
mkdir -p "$BENCH_DIR"

echo "## Daemon benchmark"
echo
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "- errwatch watch --listen 127.0.0.1:PORT --from-start FILE (default --poll-interval 1; file change events wake it)"
echo "- writer: batches every 5 ms; scrape every $SCRAPE_MS ms; a marker error every $MARKER_MS ms"
echo
status=0
for rate in $RATES; do
    mb=$(((rate * SECONDS_PER_RUN + LINES_PER_MB - 1) / LINES_PER_MB))
    corpus=$BENCH_DIR/daemon-${mb}mb-seed${SEED}.log
    if ! [ -s "$corpus" ] || ! [ -s "$corpus.expected.json" ]; then
        "$TARGET_DIR/release/examples/gen_corpus" --out "$corpus.tmp" --mb "$mb" --seed "$SEED" &&
            mv "$corpus.tmp" "$corpus" && mv "$corpus.tmp.expected.json" "$corpus.expected.json"
    fi
    cat "$corpus" >/dev/null
    timeout $((SECONDS_PER_RUN * 4 + 120)) "$TARGET_DIR/release/examples/daemon_bench" \
        --errwatch "$TARGET_DIR/release/errwatch" --corpus "$corpus" --rate "$rate" \
        --scrape-ms "$SCRAPE_MS" --marker-ms "$MARKER_MS" --timeout $((SECONDS_PER_RUN * 4 + 60)) || status=1
done
exit $status
