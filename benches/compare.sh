#!/usr/bin/env bash
# errwatch's throughput against its peers, from a fresh clone: `bash benches/compare.sh`.
#
# Installs mtail, ripgrep and GNU time if missing (apt-get, as root or through sudo), builds
# errwatch and examples/gen_corpus in release mode, generates under target/bench/ a mixed corpus
# (2% of lines are provider errors) and a dense one (every line is), reused when present, then
# for each corpus measures, as the median of RUNS runs from the page cache:
#   errwatch report --format json            (one thread, the default)
#   errwatch report --format json --threads 0 (one worker per core)
#   mtail --one_shot with benches/errwatch.mtail
#   rg -c code
#   rg -c -F -e code -e reason ... (errwatch's own trigger words, read from
#     the catalog's descriptors by examples/trigger_words: what finding merely the lines worth a look costs, with
#     ripgrep's engine, before any of them is parsed)
#   rg -c -F -e code -e reason -e logid (the body keys among them, without the hosts)
#   wc -l (counting lines, which anything that reports line numbers must do)
#   cat > /dev/null
# and prints wall time, MB/s, lines/s and peak RSS, the ratios, the targets and whether the
# counts of errwatch (and mtail) equal the generator's expected counts.
#
# A third corpus is the mixed one as a Kubernetes node stores it: every line wrapped as
# containerd writes CRI logs (`<time> stdout|stderr F <line>`, stdout and stderr interleaved,
# lines over 16 KiB cut into `P` chunks), made by wrap_cri below. errwatch must find the same
# errors in it as in the mixed corpus; it is measured against rg and cat on the same file.
#
# Environment: MIXED_MB (1024), DENSE_MB (256), RUNS (3), MTAIL_RUNS (RUNS), SEED (42),
# ERROR_SHARE (0.02), BENCH_DIR (target/bench), SKIP_MTAIL=1 to leave mtail out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MIXED_MB=${MIXED_MB:-1024}
DENSE_MB=${DENSE_MB:-256}
RUNS=${RUNS:-3}
MTAIL_RUNS=${MTAIL_RUNS:-$RUNS}
SEED=${SEED:-42}
ERROR_SHARE=${ERROR_SHARE:-0.02}
BENCH_DIR=${BENCH_DIR:-target/bench}
SKIP_MTAIL=${SKIP_MTAIL:-0}
TIME=/usr/bin/time

log() { printf '%s\n' "$*" >&2; }

# --- peers -------------------------------------------------------------------------------
missing=()
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[ "$SKIP_MTAIL" = 1 ] || command -v mtail >/dev/null 2>&1 || missing+=(mtail)
[ -x "$TIME" ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        log "compare.sh: need ${missing[*]} and cannot install them (not root, no sudo)"
        exit 1
    fi
    log "compare.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
        { "${SUDO[@]}" apt-get update >/dev/null && "${SUDO[@]}" apt-get install -y "${missing[@]}" >/dev/null; }
fi

# --- build -------------------------------------------------------------------------------
log "compare.sh: building errwatch and gen_corpus (release)"
cargo build --release --quiet --bin errwatch --example gen_corpus --example trigger_words
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
TARGET_DIR=${TARGET_DIR:-target}
ERRWATCH=$TARGET_DIR/release/errwatch
GEN=$TARGET_DIR/release/examples/gen_corpus

# --- corpora -----------------------------------------------------------------------------
mkdir -p "$BENCH_DIR"
MIXED=$BENCH_DIR/mixed-${MIXED_MB}mb-share${ERROR_SHARE}-seed${SEED}.log
DENSE=$BENCH_DIR/dense-${DENSE_MB}mb-seed${SEED}.log
gen() { # FILE ARGS...
    local f=$1
    shift
    if [ -s "$f" ] && [ -s "$f.expected.json" ]; then
        log "compare.sh: reusing $f"
    else
        log "compare.sh: generating $f"
        "$GEN" --out "$f.tmp" "$@" && mv "$f.tmp" "$f" && mv "$f.tmp.expected.json" "$f.expected.json"
    fi
}
gen "$MIXED" --mb "$MIXED_MB" --error-share "$ERROR_SHARE" --seed "$SEED"
gen "$DENSE" --mb "$DENSE_MB" --dense --seed "$SEED"

# wrap_cri IN OUT: IN's lines as containerd writes them under /var/log/pods: a time, the stream
# (one line in three on stderr), F, the line; a line over 16 KiB is cut into P chunks first.
wrap_cri() {
    LC_ALL=C awk 'BEGIN { max = 16384 }
    {
        s = (NR % 3 == 0) ? "stderr" : "stdout"
        t = sprintf("2026-11-02T10:%02d:%02d.%09dZ", int(NR / 60) % 60, NR % 60, (NR * 7919) % 1000000000)
        line = $0
        while (length(line) > max) { print t, s, "P", substr(line, 1, max); line = substr(line, max + 1) }
        print t, s, "F", line
    }' "$1" >"$2.tmp" && mv "$2.tmp" "$2"
}
CRI=${MIXED%.log}-cri.log
if [ -s "$CRI" ] && [ "$CRI" -nt "$MIXED" ]; then
    log "compare.sh: reusing $CRI"
else
    log "compare.sh: wrapping $MIXED as CRI lines"
    wrap_cri "$MIXED" "$CRI"
fi

json_num() { # FILE KEY: a top-level number of the expected file
    sed -n "s/^  \"$2\": \([0-9][0-9]*\),\{0,1\}$/\1/p" "$1" | head -n1
}

# --- machine -----------------------------------------------------------------------------
echo "## Machine"
echo
echo "- cores (nproc): $(nproc)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "- kernel: $(uname -r)"
echo "- errwatch: $("$ERRWATCH" --version 2>/dev/null || echo '?'); mtail: $(mtail --version 2>/dev/null | head -n1 | awk '{print $3}' || echo '-'); rg: $(rg --version | head -n1 | awk '{print $2}')"
echo "- runs: median of $RUNS (mtail: $MTAIL_RUNS), files read from the page cache (one cat first)"
echo

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure NAME RUNS OUTFILE CMD...: median wall seconds and the largest peak RSS (KB) of the runs;
# stdout of the last run kept in OUTFILE.
measure() {
    local name=$1 runs=$2 out=$3
    shift 3
    local walls=() rss=0 i t0 t1 r
    for ((i = 0; i < runs; i++)); do
        t0=$EPOCHREALTIME
        "$TIME" -f '%M' -o "$TMP/time" "$@" >"$out" 2>"$TMP/stderr" || {
            log "compare.sh: $name failed:"
            cat "$TMP/stderr" >&2
            return 1
        }
        t1=$EPOCHREALTIME
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')")
        r=$(tail -n1 "$TMP/time")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    echo "$name $median $rss"
}

# mtail's prometheus output -> "provider code count" lines.
mtail_counts() {
    awk '/^llm_provider_errors_total\{/ {
        match($0, /code="[^"]*"/); c = substr($0, RSTART + 6, RLENGTH - 7)
        match($0, /provider="[^"]*"/); p = substr($0, RSTART + 10, RLENGTH - 11)
        print p, c, $NF }' "$1"
}

# The trigger words, as errwatch derives them from the catalog's descriptors.
TRIGGER_ARGS=()
while read -r word; do
    TRIGGER_ARGS+=(-e "$word")
done < <("$TARGET_DIR/release/examples/trigger_words")
[ ${#TRIGGER_ARGS[@]} -gt 0 ] || { log "compare.sh: examples/trigger_words printed no trigger words"; exit 1; }

declare -A WALL RSS
STATUS=0
run_corpus() { # LABEL FILE
    local label=$1 f=$2
    local bytes lines
    bytes=$(stat -c %s "$f")
    lines=$(json_num "$f.expected.json" lines)
    cat "$f" >/dev/null
    log "compare.sh: measuring $label ($((bytes / 1048576)) MB)"
    local rows=()
    rows+=("$(measure errwatch-1t "$RUNS" "$TMP/ew1.json" "$ERRWATCH" report --format json "$f")")
    rows+=("$(measure errwatch-all "$RUNS" "$TMP/ewall.json" "$ERRWATCH" report --format json --threads 0 "$f")")
    if [ "$SKIP_MTAIL" != 1 ]; then
        rows+=("$(measure mtail "$MTAIL_RUNS" "$TMP/mtail.prom" mtail --one_shot --one_shot_format prometheus --logtostderr=false --progs benches/errwatch.mtail --logs "$f")")
    fi
    rows+=("$(measure rg "$RUNS" "$TMP/rg.out" rg -c code "$f")")
    rows+=("$(measure rg-triggers "$RUNS" "$TMP/rgt.out" rg -c -F "${TRIGGER_ARGS[@]}" "$f")")
    rows+=("$(measure rg-keys "$RUNS" "$TMP/rgk.out" rg -c -F -e code -e reason -e logid "$f")")
    rows+=("$(measure wc-l "$RUNS" "$TMP/wc.out" wc -l "$f")")
    rows+=("$(measure cat "$RUNS" /dev/null cat "$f")")

    echo "## $label corpus: $(basename "$f")"
    echo
    echo "$((bytes / 1048576)) MB, $lines lines, $(json_num "$f.expected.json" errors) provider errors (expected)."
    echo
    echo "| tool | wall s (median) | MB/s | lines/s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|"
    local row name wall rss
    for row in "${rows[@]}"; do
        read -r name wall rss <<<"$row"
        WALL[$label/$name]=$wall
        RSS[$label/$name]=$rss
        awk -v n="$name" -v w="$wall" -v r="$rss" -v b="$bytes" -v l="$lines" 'BEGIN {
            printf "| %s | %.3f | %.1f | %.0f | %.1f |\n", n, w, b / 1048576 / w, l / w, r / 1024 }'
    done
    echo
    local c
    c=$("$GEN" --check "$f.expected.json" --report "$TMP/ew1.json") || STATUS=1
    echo "- errwatch (1 thread) counts: $c"
    c=$("$GEN" --check "$f.expected.json" --report "$TMP/ewall.json") || STATUS=1
    echo "- errwatch (--threads 0) counts: $c"
    if [ "$SKIP_MTAIL" != 1 ]; then
        mtail_counts "$TMP/mtail.prom" >"$TMP/mtail.tsv"
        c=$("$GEN" --check "$f.expected.json" --counts "$TMP/mtail.tsv" | sed 's/^/    /; 1s/^    //') || true
        echo "- mtail counts: $c"
    fi
    echo
}

run_corpus mixed "$MIXED"
run_corpus dense "$DENSE"

# The CRI-wrapped mixed corpus: the same errors, behind containerd's prefix.
run_cri_corpus() { # FILE EXPECTED
    local f=$1 expected=$2
    local bytes lines
    bytes=$(stat -c %s "$f")
    lines=$(json_num "$expected" lines)
    cat "$f" >/dev/null
    log "compare.sh: measuring cri ($((bytes / 1048576)) MB)"
    local rows=()
    rows+=("$(measure errwatch-1t "$RUNS" "$TMP/cri.json" "$ERRWATCH" report --format json "$f")")
    rows+=("$(measure errwatch-forced "$RUNS" "$TMP/cri-forced.json" "$ERRWATCH" report --format json --input-format cri "$f")")
    rows+=("$(measure rg "$RUNS" "$TMP/rg.out" rg -c code "$f")")
    rows+=("$(measure cat "$RUNS" /dev/null cat "$f")")
    echo "## cri corpus: $(basename "$f")"
    echo
    echo "The mixed corpus wrapped as containerd's CRI lines: $((bytes / 1048576)) MB, $lines lines, $(json_num "$expected" errors) provider errors (expected)."
    echo "A file in an envelope is read by one worker (--threads would not split it)."
    echo
    echo "| tool | wall s (median) | MB/s | lines/s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|"
    local row name wall rss
    for row in "${rows[@]}"; do
        read -r name wall rss <<<"$row"
        WALL[cri/$name]=$wall
        RSS[cri/$name]=$rss
        awk -v n="$name" -v w="$wall" -v r="$rss" -v b="$bytes" -v l="$lines" 'BEGIN {
            printf "| %s | %.3f | %.1f | %.0f | %.1f |\n", n, w, b / 1048576 / w, l / w, r / 1024 }'
    done
    echo
    local c
    c=$("$GEN" --check "$expected" --report "$TMP/cri.json") || STATUS=1
    echo "- errwatch (auto) counts: $c"
    c=$("$GEN" --check "$expected" --report "$TMP/cri-forced.json") || STATUS=1
    echo "- errwatch (--input-format cri) counts: $c"
    echo
}
run_cri_corpus "$CRI" "$MIXED.expected.json"

# --- ratios and targets ------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; } # speed of a vs b = time b / time a
check() { # DESCRIPTION VALUE OP LIMIT
    if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {exit !((op == ">=") ? v >= l : v < l)}'; then
        echo "| $1 | $2 | $3 $4 | PASS |"
    else
        echo "| $1 | $2 | $3 $4 | FAIL |"
    fi
}
echo "## Ratios (throughput of the first over the second; > 1: the first is faster)"
echo
echo "| corpus | errwatch 1t / rg | errwatch 1t / rg-triggers | rg-triggers / rg | rg-keys / rg | wc-l / rg | cat / rg | errwatch 1t / mtail | errwatch 1t / cat | all cores / 1t |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in mixed dense; do
    m=-
    [ "$SKIP_MTAIL" = 1 ] || m=$(ratio "${WALL[$c/errwatch-1t]}" "${WALL[$c/mtail]}")
    echo "| $c | $(ratio "${WALL[$c/errwatch-1t]}" "${WALL[$c/rg]}") | $(ratio "${WALL[$c/errwatch-1t]}" "${WALL[$c/rg-triggers]}") | $(ratio "${WALL[$c/rg-triggers]}" "${WALL[$c/rg]}") | $(ratio "${WALL[$c/rg-keys]}" "${WALL[$c/rg]}") | $(ratio "${WALL[$c/wc-l]}" "${WALL[$c/rg]}") | $(ratio "${WALL[$c/cat]}" "${WALL[$c/rg]}") | $m | $(ratio "${WALL[$c/errwatch-1t]}" "${WALL[$c/cat]}") | $(ratio "${WALL[$c/errwatch-all]}" "${WALL[$c/errwatch-1t]}") |"
done
echo
echo "rg-triggers: ripgrep counting the lines that hold one of errwatch's $((${#TRIGGER_ARGS[@]} / 2)) trigger words."
echo "rg-triggers / rg: what looking for those words, rather than one, costs ripgrep itself."
echo "rg-keys / rg, wc-l / rg, cat / rg: the same for the three body keys alone, for counting lines, and"
echo "for reading the file through read(2): each is part of what errwatch must do, and each is a ceiling"
echo "on its ratio to rg."
echo
echo "## Targets"
echo
echo "| target | value | needed | |"
echo "|---|---:|---:|---|"
check "mixed: errwatch 1 thread vs rg (throughput)" "$(ratio "${WALL[mixed/errwatch-1t]}" "${WALL[mixed/rg]}")" ">=" 0.5
if [ "$SKIP_MTAIL" != 1 ]; then
    check "mixed: errwatch 1 thread vs mtail (throughput)" "$(ratio "${WALL[mixed/errwatch-1t]}" "${WALL[mixed/mtail]}")" ">=" 20
fi
check "mixed: all cores vs 1 thread" "$(ratio "${WALL[mixed/errwatch-all]}" "${WALL[mixed/errwatch-1t]}")" ">=" 1.7
check "dense: all cores vs 1 thread" "$(ratio "${WALL[dense/errwatch-all]}" "${WALL[dense/errwatch-1t]}")" ">=" 1.7
check "dense: errwatch 1 thread MB/s" "$(awk -v b="$(stat -c %s "$DENSE")" -v w="${WALL[dense/errwatch-1t]}" 'BEGIN {printf "%.1f", b / 1048576 / w}')" ">=" 150
echo "| cri: errwatch 1 thread vs rg (throughput) | $(ratio "${WALL[cri/errwatch-1t]}" "${WALL[cri/rg]}") | (for the record) | |"
echo "| cri: errwatch 1 thread MB/s vs mixed (same lines, plus their prefix) | $(awk -v c="$(stat -c %s "$CRI")" -v m="$(stat -c %s "$MIXED")" -v wc="${WALL[cri/errwatch-1t]}" -v wm="${WALL[mixed/errwatch-1t]}" 'BEGIN {printf "%.2f", (c / wc) / (m / wm)}') | (for the record) | |"
for k in mixed/errwatch-1t mixed/errwatch-all dense/errwatch-1t dense/errwatch-all cri/errwatch-1t; do
    check "$k peak RSS MB" "$(awk -v r="${RSS[$k]}" 'BEGIN {printf "%.1f", r / 1024}')" "<" 32
done
echo
echo "(--threads 0 used $(nproc) workers on this machine.)"
exit "$STATUS"
