//! Every fixture log under `fixtures/logs/` (found, not listed: a log added later is covered),
//! wrapped in each envelope errwatch reads, gives the same detections as the log itself:
//! - CRI (Kubernetes `/var/log/pods`), lines cut into chunks of 16 KiB (containerd), 8 KiB
//!   (CRI-O) and 300 bytes, cut at any byte (a character may be split), stdout and stderr
//!   interleaved: the next line's chunks on the other stream are written while a line is
//!   unfinished;
//! - Docker json-file, cut likewise (at character boundaries: Docker's JSON cannot hold half a
//!   character);
//! - journald JSON, `MESSAGE` as a string and, for some lines, as an array of bytes;
//! - syslog RFC 3164 and RFC 5424 (with structured data and a BOM on some lines).
//!
//! Each wrapped log is scanned with `--input-format auto`; its detections (provider, code,
//! category, and the line mapped back through the wrapper's own map of physical to original
//! lines) must equal the unwrapped log's (whose agreement with the log's manifest
//! `tests/fixtures.rs` checks). Times: a detection the log
//! dates keeps that time; one it does not is dated by the envelope of a line at or before it.
//!
//! No fixture line is near 8 KiB, so the runtimes' own chunk sizes cut none of them: a second
//! test pads real provider errors past 40 KiB, their bodies across the 8 and 16 KiB borders,
//! and holds every envelope to the unwrapped reading of those lines.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo, BIN};
use serde_json::{json, Value};

/// 2026-11-02T10:00:00Z: the envelope time of line `i` is this plus `i` seconds.
const BASE: i64 = 1_793_613_600;

fn logs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![repo("fixtures/logs")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "log") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A wrapped log and, for each of its physical lines (1-based), the original line it is of.
struct Wrapped {
    name: String,
    bytes: Vec<u8>,
    origin: Vec<usize>,
    /// Lines begun on one stream while the other stream's line was unfinished.
    interleaved: usize,
}

impl Wrapped {
    fn new(name: String) -> Wrapped {
        Wrapped { name, bytes: Vec::new(), origin: vec![0], interleaved: 0 }
    }

    fn push(&mut self, line: &[u8], original: usize) {
        self.bytes.extend_from_slice(line);
        self.bytes.push(b'\n');
        self.origin.push(original);
    }
}

fn rfc3339(i: usize) -> String {
    let t = BASE + i as i64;
    let (h, m, s) = (t % 86_400 / 3600, t % 3600 / 60, t % 60);
    format!("2026-11-02T{h:02}:{m:02}:{s:02}.{:09}Z", i * 7 % 1_000_000_000)
}

fn stream_of(i: usize) -> &'static str {
    // Not simply alternating: runs of both streams.
    if (i * 2_654_435_761) % 5 < 2 {
        "stderr"
    } else {
        "stdout"
    }
}

/// Pieces of at most `size` bytes; at character boundaries when `whole_chars`.
fn cut(line: &[u8], size: usize, whole_chars: bool) -> Vec<&[u8]> {
    if line.is_empty() {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let mut n = size.min(rest.len());
        while whole_chars && n < rest.len() && n > 1 && (rest[n] & 0xc0) == 0x80 {
            n -= 1;
        }
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// Chunked envelopes (CRI, Docker): `chunk(stream, text, final, i)` makes a physical line.
fn chunked(
    name: String,
    lines: &[&[u8]],
    size: usize,
    whole_chars: bool,
    chunk: impl Fn(&str, &[u8], bool, usize) -> Vec<u8>,
) -> Wrapped {
    let mut w = Wrapped::new(name);
    let pieces: Vec<Vec<&[u8]>> = lines.iter().map(|l| cut(l, size, whole_chars)).collect();
    // Lines whose chunks before the last were already written, during the line before.
    let mut started = vec![false; lines.len()];
    for (i, p) in pieces.iter().enumerate() {
        let n = i + 1;
        if !started[i] {
            for piece in &p[..p.len() - 1] {
                w.push(&chunk(stream_of(n), piece, false, n), n);
            }
        }
        // While this line is unfinished, the next one, on the other stream, begins.
        if let Some(next) = pieces.get(i + 1) {
            if p.len() > 1 && next.len() > 1 && stream_of(n + 1) != stream_of(n) {
                for piece in &next[..next.len() - 1] {
                    w.push(&chunk(stream_of(n + 1), piece, false, n + 1), n + 1);
                }
                started[i + 1] = true;
                w.interleaved += 1;
            }
        }
        w.push(&chunk(stream_of(n), p[p.len() - 1], true, n), n);
    }
    w
}

fn cri(lines: &[&[u8]], size: usize) -> Wrapped {
    chunked(format!("cri-{size}"), lines, size, false, |stream, text, last, i| {
        let mut l = format!("{} {stream} {} ", rfc3339(i), if last { "F" } else { "P" }).into_bytes();
        l.extend_from_slice(text);
        l
    })
}

fn docker(lines: &[&[u8]], size: usize) -> Wrapped {
    chunked(format!("docker-{size}"), lines, size, true, |stream, text, last, i| {
        let mut log = String::from_utf8_lossy(text).into_owned();
        if last {
            log.push('\n');
        }
        json!({"log": log, "stream": stream, "time": rfc3339(i)}).to_string().into_bytes()
    })
}

fn journald(lines: &[&[u8]]) -> Wrapped {
    let mut w = Wrapped::new("journald".into());
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        // journalctl writes a message that is not clean UTF-8 as an array of its bytes.
        let message = match std::str::from_utf8(line) {
            Ok(text) if n % 5 != 0 => json!(text),
            _ => json!(line.to_vec()),
        };
        let entry = json!({
            "__CURSOR": format!("s=0;i={n:x}"),
            "__REALTIME_TIMESTAMP": format!("{}", (BASE + n as i64) * 1_000_000 + 123),
            "_PID": "4127",
            "SYSLOG_IDENTIFIER": "app",
            "_SYSTEMD_UNIT": "app.service",
            "MESSAGE": message,
        });
        w.push(entry.to_string().as_bytes(), n);
    }
    w
}

fn rfc3164(lines: &[&[u8]]) -> Wrapped {
    let mut w = Wrapped::new("rfc3164".into());
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        let t = BASE + n as i64;
        let mut l =
            format!("Nov  2 {:02}:{:02}:{:02} web-1 app[4127]: ", t % 86_400 / 3600, t % 3600 / 60, t % 60)
                .into_bytes();
        l.extend_from_slice(line);
        w.push(&l, n);
    }
    w
}

fn rfc5424(lines: &[&[u8]]) -> Wrapped {
    let mut w = Wrapped::new("rfc5424".into());
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        let sd =
            if n % 3 == 0 { format!(r#"[origin@32473 seq="{n}" note="a \] b"]"#) } else { "-".to_string() };
        let bom = if n % 4 == 0 { "\u{feff}" } else { "" };
        let mut l = format!("<14>1 {} web-1 app 4127 - {sd} {bom}", rfc3339(n)).into_bytes();
        l.extend_from_slice(line);
        w.push(&l, n);
    }
    w
}

fn wrappers(lines: &[&[u8]]) -> Vec<Wrapped> {
    let mut out = Vec::new();
    for size in [16 * 1024, 8 * 1024, 300] {
        out.push(cri(lines, size));
        out.push(docker(lines, size));
    }
    out.push(journald(lines));
    out.push(rfc3164(lines));
    out.push(rfc5424(lines));
    out
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Detection {
    line: u64,
    provider: String,
    code: String,
    category: String,
    http_status: Option<u64>,
    known: bool,
}

fn detection(v: &Value, line: u64) -> Detection {
    Detection {
        line,
        provider: v["provider"].as_str().unwrap().to_string(),
        code: v["code"].as_str().unwrap().to_string(),
        category: v["category"].as_str().unwrap().to_string(),
        http_status: v["http_status"].as_u64(),
        known: v["known"].as_bool().unwrap(),
    }
}

/// `scan` over files, its records grouped by source, in the order printed.
fn scan(files: &[PathBuf]) -> BTreeMap<String, Vec<Value>> {
    let out = Command::new(BIN)
        .args(["scan", "--format", "jsonl", "--input-format", "auto"])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "scan: {}", String::from_utf8_lossy(&out.stderr));
    let mut by_source: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        by_source.entry(v["source"].as_str().unwrap().to_string()).or_default().push(v);
    }
    by_source
}

/// Mismatches between one wrapped log's records and the unwrapped log's. (How the unwrapped
/// log's agree with its manifest is `tests/fixtures.rs`'s to say.)
fn compare(log: &Path, w: &Wrapped, plain: &[Value], wrapped: &[Value]) -> Vec<String> {
    let name = format!("{} in {}", log.file_name().unwrap().to_string_lossy(), w.name);
    let mut problems = Vec::new();
    let mapped: Vec<(Detection, &Value)> = wrapped
        .iter()
        .map(|v| {
            let physical = v["line"].as_u64().unwrap() as usize;
            (detection(v, w.origin[physical] as u64), v)
        })
        .collect();
    let mut got: Vec<Detection> = mapped.iter().map(|(d, _)| d.clone()).collect();
    let mut want: Vec<Detection> = plain.iter().map(|v| detection(v, v["line"].as_u64().unwrap())).collect();
    got.sort();
    want.sort();
    if got != want {
        problems.push(format!("{name}: detections differ\n  want {want:?}\n  got  {got:?}"));
        return problems;
    }
    // Times, matched up record by record in the order printed.
    for ((d, v), p) in mapped.iter().zip(plain) {
        let own = p["timestamp"].as_str();
        let time = v["timestamp"].as_str();
        match own {
            // Compared without the year: syslog's time has none and is read in the current one.
            Some(t) if time.map(|s| &s[5..]) != Some(&t[5..]) => {
                problems.push(format!("{name} line {}: time {time:?}, the log says {t}", d.line))
            }
            Some(_) => {}
            None => {
                let envelope =
                    time.and_then(|t| (1..=d.line as usize).find(|i| rfc3339(*i)[5..19] == t[5..19]));
                if envelope.is_none() {
                    problems.push(format!(
                        "{name} line {}: time {time:?} is no envelope time up to its line",
                        d.line
                    ));
                }
            }
        }
    }
    problems
}

/// One log through every wrapper: the mismatches, the unwrapped log's detections, and per
/// wrapper its chunks beyond one a line and its lines begun while the other stream's was
/// unfinished.
struct Checked {
    problems: Vec<String>,
    plain: Vec<Value>,
    chunks: BTreeMap<String, (usize, usize)>,
}

fn check(log: &Path, dir: &Path) -> Checked {
    let bytes = fs::read(log).unwrap();
    let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let stem = log.file_stem().unwrap().to_string_lossy().into_owned();
    let wrapped = wrappers(&lines);
    let mut files = vec![log.to_path_buf()];
    for w in &wrapped {
        let f = dir.join(format!("{stem}.{}.log", w.name));
        fs::write(&f, &w.bytes).unwrap();
        files.push(f);
    }
    let mut found = scan(&files);
    let plain = found.remove(&log.display().to_string()).unwrap_or_default();
    let mut problems = Vec::new();
    for (w, f) in wrapped.iter().zip(&files[1..]) {
        let got = found.remove(&f.display().to_string()).unwrap_or_default();
        problems.extend(compare(log, w, &plain, &got));
    }
    let chunks =
        wrapped.iter().map(|w| (w.name.clone(), (w.origin.len() - 1 - lines.len(), w.interleaved))).collect();
    Checked { problems, plain, chunks }
}

#[test]
fn every_fixture_in_every_envelope_gives_the_same_detections() {
    let logs = logs();
    assert!(logs.len() >= 40, "fixture logs are missing: {}", logs.len());
    let dir = tempfile::tempdir().unwrap();
    let problems = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let counted = std::sync::Mutex::new((0usize, 0usize, 0usize));
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(log) = logs.get(i) else { return };
                let checked = check(log, dir.path());
                let mut c = counted.lock().unwrap();
                c.0 += checked.plain.len();
                let (extra, interleaved) = checked.chunks["cri-300"];
                c.1 += extra;
                c.2 += interleaved;
                problems.lock().unwrap().extend(checked.problems);
            });
        }
    });
    let (detections, chunked_lines, interleaved) = *counted.lock().unwrap();
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
    // The matrix is not empty: errors were compared, and lines were cut into chunks.
    assert!(detections > 200, "{detections} detections");
    assert!(chunked_lines > 300, "{chunked_lines} extra chunks at 300 bytes");
    assert!(interleaved > 20, "{interleaved} lines begun while the other stream's was unfinished");
    eprintln!(
        "{detections} detections; at 300 bytes, {chunked_lines} extra chunks, {interleaved} interleavings"
    );
}

const FILLER: &str = "the quick brown fox jumps over the lazy dog and then sits down near the river bank; ";

fn filler(n: usize) -> String {
    FILLER.repeat(n / FILLER.len() + 1)[..n].to_string()
}

/// `head`, filler, then `tail`, its body (from `marker` on) starting 40 bytes before `border`
/// (so that a chunk ends inside it), then `filler(after)` and `end`.
fn straddling(head: &str, tail: &str, marker: &str, border: usize, after: usize, end: &str) -> String {
    let at = tail.find(marker).unwrap();
    let line = format!("{head}{}{tail}{}{end}", filler(border - 40 - head.len() - at), filler(after));
    assert_eq!(line.find(marker), Some(border - 40));
    line
}

/// Lines past 40 KiB (a prompt or a `messages` field making them long) with real provider
/// bodies (from `fixtures/logs/demo/app.log`) across the borders where containerd (16 KiB),
/// CRI-O (8 KiB) and Docker (16 KiB) cut them, between long lines of neither: in every
/// envelope, cut at every size, the same detections as unwrapped, on the same lines; and the
/// lines were cut, and the streams' chunks interleaved, at 16 and 8 KiB.
#[test]
fn lines_longer_than_the_runtimes_chunks_give_the_same_detections() {
    let volc = |ts: &str, body: &str, border: usize, after: usize| {
        straddling(
            &format!(
                r#"{{"ts": "{ts}", "level": "error", "logger": "app.llm", "msg": "llm call failed", "messages": ""#
            ),
            &format!(r#"", "err": "{body}", "trace": ""#),
            "{'error'",
            border,
            after,
            r#"", "provider_url": "http://ark.cn-beijing.volces.com/api/v3"}"#,
        )
    };
    let errors = [
        (
            3,
            "AccountOverdueError",
            volc(
                "2026-11-02T10:00:08.324Z",
                "Error code: 403 - {'error': {'code': 'AccountOverdueError', 'message': 'The request failed because your account has an overdue balance. Request ID: 2026110210000864e752c22474af110c4921', 'param': '', 'type': 'Forbidden'}}, request_id: 20261102100008T0sh4IFlACL6vkjSNOGC",
                16 * 1024,
                26_000,
            ),
        ),
        (
            4,
            "1113",
            straddling(
                "2026-11-02 10:00:11,093 ERROR app.llm: POST https://open.bigmodel.cn/api/paas/v4/chat/completions messages=",
                r#" failed: zhipuai.core._errors.APIReachLimitError: Error code: 429, with error text {"error":{"code":"1113","message":"Your account is in arrears, please recharge and try again"}}"#,
                r#"{"error""#,
                48 * 1024,
                0,
                "",
            ),
        ),
        (
            5,
            "NOT_ENOUGH_BALANCE",
            straddling(
                "2026-11-02 10:00:06,333 ERROR app.llm: upstream 403 url=https://api.ppinfra.com/v3/openai/chat/completions prompt=",
                r#" body={"code":403,"reason":"NOT_ENOUGH_BALANCE","message":"余额不足","metadata":{}}"#,
                r#"{"code""#,
                32 * 1024,
                9_000,
                "",
            ),
        ),
        (
            8,
            "ILLEGAL_PROMPT",
            straddling(
                "2026-11-02 10:00:15,219 ERROR app.img: upstream 400 url=https://api.ppinfra.com/v3/async/txt2img prompt=",
                r#" body={"code":400,"reason":"ILLEGAL_PROMPT","message":"Prompt 含不适宜内容","metadata":{}}"#,
                r#"{"code""#,
                40 * 1024,
                0,
                "",
            ),
        ),
        (
            10,
            "SensitiveContentDetected",
            volc(
                "2026-11-02T10:00:20.332Z",
                "Error code: 400 - {'error': {'code': 'SensitiveContentDetected', 'message': 'The request failed because the input text may contain sensitive information.', 'param': '', 'type': 'BadRequest'}}, request_id: 20261102100020j5N3QSFHLycbSaC6H3Pk",
                24 * 1024,
                18_000,
            ),
        ),
        (
            12,
            "4011",
            straddling(
                "2026-11-02 10:00:04,350 ERROR app.llm: POST https://api.coze.cn/v3/chat conversation=",
                " failed: code: 4011, msg: 当前账户的 Coze Token 余额不足, logid: 2026110210000440C32637FF79311B32D1",
                "code: 4011",
                40 * 1024,
                0,
                "",
            ),
        ),
    ];
    let mut lines: Vec<String> = vec![
        "2026-11-02 10:00:00,001 INFO app.web: worker started".into(),
        format!(
            r#"{{"ts": "2026-11-02T10:00:01.000Z", "level": "info", "logger": "app.llm", "msg": "chat request", "messages": "{}"}}"#,
            filler(20_000)
        ),
    ];
    let info =
        |t: &str, n: usize| format!("2026-11-02 10:00:{t},000 INFO app.llm: chat ok prompt={}", filler(n));
    for (line, _, text) in &errors {
        while lines.len() + 1 < *line {
            let n = lines.len() + 1;
            lines.push(info(&format!("{:02}", 10 + n), [30_000, 40, 17_000][n % 3]));
        }
        assert!(text.len() > 40 * 1024, "line {line}: {} bytes", text.len());
        lines.push(text.clone());
    }
    lines.push("2026-11-02 10:00:30,000 INFO app.web: GET /healthz 200 1ms".into());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("long.log");
    fs::write(&log, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();

    let checked = check(&log, dir.path());
    assert!(
        checked.problems.is_empty(),
        "{} mismatches:\n{}",
        checked.problems.len(),
        checked.problems.join("\n")
    );
    let found: Vec<(u64, &str)> =
        checked.plain.iter().map(|v| (v["line"].as_u64().unwrap(), v["code"].as_str().unwrap())).collect();
    let want: Vec<(u64, &str)> = errors.iter().map(|(line, code, _)| (*line as u64, *code)).collect();
    assert_eq!(found, want, "the unwrapped log's detections");
    for name in ["cri-16384", "cri-8192", "docker-16384", "docker-8192"] {
        let (extra, interleaved) = checked.chunks[name];
        assert!(extra >= errors.len() * 2, "{name}: {extra} chunks beyond one a line");
        assert!(
            interleaved >= 2,
            "{name}: {interleaved} lines begun while the other stream's was unfinished"
        );
    }
}
