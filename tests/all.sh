#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the real Prometheus
# server and promtool, curl and openssl, from Debian's packages), then checks formatting and
# lints and runs every test. `.ci/run` calls this; so can you: `bash tests/all.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The real peers the tests use: Prometheus and promtool (tests/prometheus.rs, tests/web.rs),
# curl and openssl (TLS and basic-auth clients and certificates, tests/web.rs), logrotate
# (tests/logrotate.rs), and the compressors whose files are never to be read as text
# (tests/follow.rs, tests/inputs.rs).
missing=()
for tool in prometheus:prometheus promtool:prometheus curl:curl openssl:openssl logrotate:logrotate \
    gzip:gzip zstd:zstd bzip2:bzip2 xz:xz-utils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "tests/all.sh: installing Debian packages: ${missing[*]}"
    sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets 2>&1
