#!/usr/bin/env bash
# Soak run of the daemon (examples/soak.rs): minutes by default, longer with SECONDS_TO_RUN.
#   bash benches/soak.sh                  # 120 s
#   SECONDS_TO_RUN=3600 bash benches/soak.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet --bin errwatch --example soak
exec target/release/examples/soak --seconds "${SECONDS_TO_RUN:-120}" --files "${FILES:-3}" --rate "${RATE:-2000}" \
    --bin target/release/errwatch
