#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the real Prometheus
# server and promtool, from Debian's packages), then checks formatting and lints and runs every
# test. `.ci/run` calls this; so can you: `bash tests/all.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
    echo "tests/all.sh: installing Debian's prometheus package (for tests/prometheus.rs)"
    sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets 2>&1
