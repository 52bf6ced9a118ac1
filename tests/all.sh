#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the real Prometheus
# server and promtool, curl and openssl, from Debian's packages), then checks formatting and
# lints and runs every test. `.ci/run` calls this; so can you: `bash tests/all.sh`.
#
# It ends with two lines of its own after cargo's: the totals over every test binary
# (`suite: N passed, N failed, N skipped`) and the verdict: the whole suite passed, or what
# failed (a step, or each failed test by binary). The exit status is 0 only when all passed.
#
# Tests start errwatch daemons whose own log (warnings about the faults a test injects: a
# full disk, an unreadable file, a truncated state file) shares the terminal with cargo's
# output. Those lines are marked as expected: a test that sees errwatch misbehave fails, and
# says so, on its own.
#
# `bash tests/all.sh --summarize LOG STATUS [FAILED_STEP]...` prints the closing lines for a
# saved `cargo test` log, `bash tests/all.sh --mark-expected` marks a log on stdin (how
# tests/cli.rs checks both).
set -uo pipefail
cd "$(dirname "$0")/.."

# errwatch's own log lines (tracing's format: time, level, target errwatch...), colored or not.
ERRWATCH_LOG='^(\x1b\[[0-9;]*m)*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?(\x1b\[[0-9;]*m)* +(\x1b\[[0-9;]*m)* *(TRACE|DEBUG|INFO|WARN|ERROR)'

mark_expected() {
    sed -u -E "/${ERRWATCH_LOG}/{s/\x1b\[[0-9;]*m//g;s/^/  (expected, from a test's errwatch) /}"
}

# The closing lines for a cargo test log: totals, then the verdict.
summarize() {
    local log="$1" status="$2"
    shift 2
    local failed_steps=("$@")
    awk -v status="$status" -v steps="$(IFS=';'; echo "${failed_steps[*]:-}")" '
        /^ +Running / { target = ($2 == "unittests") ? $3 : $2 }
        /^ +Doc-tests / { target = "doc-tests " $2 }
        /^test .* \.\.\. FAILED$/ { name = $2; failures[target] = failures[target] (failures[target] ? ", " : "") name }
        /^test result: / {
            for (i = 1; i <= NF; i++) {
                if ($(i + 1) ~ /^passed/) passed += $i
                if ($(i + 1) ~ /^failed/) failed += $i
                if ($(i + 1) ~ /^ignored/) ignored += $i
            }
            runs++
        }
        END {
            printf "suite: %d passed, %d failed, %d skipped\n", passed, failed, ignored
            what = ""
            if (steps != "") what = steps
            for (t in failures) what = what (what ? "; " : "") t ": " failures[t]
            if (status != 0 && failed == 0 && what == "") what = "cargo test exited with status " status " (a build error or a crashed test binary; see above)"
            if (runs == 0 && what == "") what = "no test ran"
            if (what == "") printf "tests/all.sh: the whole suite passed (%d test binaries, fmt and clippy clean)\n", runs
            else printf "tests/all.sh: FAILED: %s\n", what
        }' "$log"
}

if [ "${1:-}" = "--mark-expected" ]; then
    mark_expected
    exit 0
fi
if [ "${1:-}" = "--summarize" ]; then
    log="$2" status="$3"
    shift 3
    summarize "$log" "$status" "$@"
    exit 0
fi

# The real peers the tests use: Prometheus and promtool (tests/prometheus.rs, tests/web.rs),
# curl and openssl (TLS and basic-auth clients and certificates, tests/web.rs), logrotate
# (tests/logrotate.rs), chromium (headless, the browser of tests/html.rs), and the compressors
# whose files are never to be read as text (tests/follow.rs, tests/inputs.rs).
missing=()
for tool in prometheus:prometheus promtool:prometheus curl:curl openssl:openssl logrotate:logrotate chromium:chromium \
    gzip:gzip zstd:zstd bzip2:bzip2 xz:xz-utils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "tests/all.sh: installing Debian packages: ${missing[*]}"
    sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -qq || exit 1
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || exit 1
fi

failed_steps=()
cargo fmt --check || failed_steps+=("cargo fmt --check")
cargo clippy --all-targets --quiet -- -D warnings || failed_steps+=("cargo clippy")
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --all-targets 2>&1 | mark_expected | tee "$log"
status="${PIPESTATUS[0]}"
summarize "$log" "$status" "${failed_steps[@]}"
[ "$status" -eq 0 ] && [ "${#failed_steps[@]}" -eq 0 ]
