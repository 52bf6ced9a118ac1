//! Hostile input: invalid UTF-8, NUL bytes, huge lines, truncated and deeply nested JSON,
//! unreadable files. Never a panic, nothing lost around the bad part, a clear error where one
//! is due. Plus a property test over arbitrary bytes (the short fuzz smoke of the suite).

mod common;

use std::fs;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::BIN;
use errwatch::catalog::Catalog;
use errwatch::pipeline::ErrorEvent;
use errwatch::source::Source;
use proptest::prelude::*;

const GOOD: &str = r#"2026-11-02 10:00:01 ERROR upstream body={"error":{"code":"1113","message":"欠费"}}"#;

fn scan_bytes(input: &[u8], extra: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .arg("scan")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn codes(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn invalid_utf8_and_nul_bytes_do_not_hide_errors() {
    let mut input = Vec::new();
    input.extend_from_slice(b"\xff\xfe garbage \x00\x00 more \xc3\x28\n");
    input.extend_from_slice(GOOD.as_bytes());
    input.extend_from_slice(b"\n\x00\x00\x00\n");
    input.extend_from_slice(b"prefix \xff ");
    // A second error, with the message its code is sent with: a body without a provider clue
    // counts only when its message fits its code.
    input.extend_from_slice(
        GOOD.replace("1113", "1302").replace("欠费", "Rate limit reached for requests").as_bytes(),
    );
    input.push(b'\n');
    let out = scan_bytes(&input, &[]);
    assert!(out.status.success());
    assert_eq!(codes(&out), ["1113", "1302"]);
}

#[test]
fn a_huge_line_is_capped_and_the_next_line_still_counts() {
    let mut input = vec![b'x'; 12 * 1024 * 1024];
    input.push(b'\n');
    input.extend_from_slice(GOOD.as_bytes());
    input.push(b'\n');
    let out = scan_bytes(&input, &[]);
    assert!(out.status.success());
    assert_eq!(codes(&out), ["1113"]);
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(line["line"], 2);
}

#[test]
fn an_error_at_the_start_of_a_huge_line_is_found() {
    let mut input = GOOD.as_bytes().to_vec();
    input.extend(std::iter::repeat_n(b' ', 3 * 1024 * 1024));
    input.push(b'\n');
    let out = scan_bytes(&input, &["--max-line-bytes", "65536"]);
    assert_eq!(codes(&out), ["1113"]);
}

#[test]
fn deep_and_truncated_json_are_survived() {
    let mut input = Vec::new();
    input.extend("{\"a\":".repeat(100_000).as_bytes());
    input.push(b'\n');
    input.extend("[".repeat(100_000).as_bytes());
    input.push(b'\n');
    input.extend(br#"body={"error":{"code":"1113","mess"#);
    input.push(b'\n');
    input.extend("{\\\"".repeat(50_000).as_bytes());
    input.push(b'\n');
    input.extend(GOOD.as_bytes());
    input.push(b'\n');
    let out = scan_bytes(&input, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(codes(&out), ["1113"]);
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.log");
    fs::write(&good, format!("{GOOD}\n")).unwrap();
    let missing = dir.path().join("missing.log");
    let out = Command::new(BIN).arg("scan").arg(&missing).arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&out), ["1113"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.log") && err.contains("No such file"), "{err}");
    let dir_out = Command::new(BIN).arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(dir_out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dir_out.stderr).contains("cannot read"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("many.log");
    let body: String = (0..20_000).map(|_| format!("{GOOD}\n")).collect();
    fs::write(&log, body).unwrap();
    let mut child = Command::new(BIN)
        .arg("scan")
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

fn catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

fn run_source(chunks: &[Vec<u8>], max_line: usize) -> Vec<ErrorEvent> {
    let catalog = catalog();
    let mut source = Source::new(max_line, 2026);
    let mut out = Vec::new();
    for c in chunks {
        source.feed(c, catalog, &mut out);
    }
    source.finish(catalog, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes, in arbitrary chunks, around a known error: no panic, and the error
    /// is still found exactly once.
    #[test]
    fn arbitrary_bytes_never_panic_or_hide_an_error(
        noise in proptest::collection::vec(any::<u8>(), 0..4096),
        split in 1usize..512,
    ) {
        let noise: Vec<u8> = noise.into_iter().map(|b| if b == b'\n' { b' ' } else { b }).collect();
        let mut input = noise.clone();
        input.push(b'\n');
        input.extend_from_slice(GOOD.as_bytes());
        input.push(b'\n');
        let chunks: Vec<Vec<u8>> = input.chunks(split).map(<[u8]>::to_vec).collect();
        let events = run_source(&chunks, 1 << 20);
        prop_assert_eq!(events.iter().filter(|e| e.detection.code == "1113").count(), 1);
    }

    /// Bracket soup shaped like the grammars errwatch parses.
    #[test]
    fn json_like_soup_never_panics(soup in "[{}\\[\\]\"':,\\\\ a-z0-9]{0,2000}") {
        let _ = run_source(&[soup.into_bytes()], 1 << 20);
    }
}

/// Every fixture log, fed through one reused buffer in chunks of many sizes, gives the same
/// errors as when fed whole: what the extractor keeps of a chunk's lines outlives the bytes
/// it was read from, and no line is split or seen twice at a chunk's edge.
#[test]
fn chunk_size_does_not_change_what_is_found() {
    let mut logs: Vec<_> = walk(std::path::Path::new("fixtures/logs"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    logs.sort();
    assert!(logs.len() > 40, "fixture logs not found");
    let mut checked = 0;
    for log in &logs {
        let bytes = fs::read(log).unwrap();
        let whole = run_source(std::slice::from_ref(&bytes), 1 << 20);
        for split in [1, 7, 64, 333, 4096] {
            let catalog = catalog();
            let mut source = Source::new(1 << 20, 2026);
            let mut out = Vec::new();
            let mut buffer = vec![0u8; split];
            for piece in bytes.chunks(split) {
                // The buffer is overwritten each time, as a reader's is.
                buffer.fill(b'#');
                buffer[..piece.len()].copy_from_slice(piece);
                source.feed(&buffer[..piece.len()], catalog, &mut out);
            }
            source.finish(catalog, &mut out);
            assert_eq!(out, whole, "{} in chunks of {split}", log.display());
        }
        checked += whole.len();
    }
    assert!(checked > 100, "only {checked} errors in the fixtures");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
