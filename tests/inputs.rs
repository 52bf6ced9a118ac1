//! Logs as production stores them, through the real binary: rotated sets with gzip and zstd
//! members read by `scan` and `report` (bzip2 and xz refused per file), journald's JSON on
//! stdin, a CRI line whose chunks straddle a SIGKILL counted once, and `--input-format` forcing
//! CRI or Docker on a file auto-detection reads as plain (an unknown format refused).

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{repo, Daemon, BIN};
use serde_json::Value;

const LOG: &str = "fixtures/logs/sdk/zhipuai-logging-exception.log";

fn scan(args: &[&str], dir: &Path) -> (i32, Vec<Value>, String) {
    let out = Command::new(BIN).current_dir(dir).arg("scan").args(args).output().unwrap();
    let records =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (out.status.code().unwrap_or(-1), records, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The records without their source.
fn detections(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("source");
            r
        })
        .collect()
}

fn compress(tool: &str, from: &Path, to: &Path) -> bool {
    match Command::new(tool).arg("-c").arg(from).output() {
        Ok(out) if out.status.success() => {
            fs::write(to, out.stdout).unwrap();
            true
        }
        _ => {
            eprintln!("{tool} is not installed: not tried");
            false
        }
    }
}

#[test]
fn scan_and_report_read_gzip_and_zstd_whatever_the_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo(LOG), dir.path().join("app.log")).unwrap();
    let (code, plain, _) = scan(&["app.log"], dir.path());
    assert_eq!(code, 0);
    assert!(plain.len() > 5);
    // A rotated set: plain, gzip and zstd members, one named for neither.
    assert!(compress("gzip", &dir.path().join("app.log"), &dir.path().join("app.log.2.gz")));
    let zstd = compress("zstd", &dir.path().join("app.log"), &dir.path().join("app.log.3"));
    for name in ["app.log.2.gz"].into_iter().chain(zstd.then_some("app.log.3")) {
        let (code, got, err) = scan(&[name], dir.path());
        assert_eq!((code, detections(&got)), (0, detections(&plain)), "{name}: {err}");
    }
    let mut set = vec!["app.log", "app.log.2.gz"];
    if zstd {
        set.push("app.log.3");
    }
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .args(["report", "--format", "json"])
        .args(&set)
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"].as_u64(), Some((plain.len() * set.len()) as u64));
    assert_eq!(report["invalid_utf8_lines"].as_u64(), Some(0));
    // A concatenation of gzip members is one stream.
    let gz = fs::read(dir.path().join("app.log.2.gz")).unwrap();
    fs::write(dir.path().join("twice.gz"), [gz.clone(), gz].concat()).unwrap();
    assert_eq!(scan(&["twice.gz"], dir.path()).1.len(), plain.len() * 2);
}

#[test]
fn bzip2_and_xz_are_refused_per_file_and_the_others_still_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo(LOG), dir.path().join("app.log")).unwrap();
    let (_, plain, _) = scan(&["app.log"], dir.path());
    for (tool, name) in [("bzip2", "app.log.1.bz2"), ("xz", "app.log.1")] {
        if !compress(tool, &dir.path().join("app.log"), &dir.path().join(name)) {
            continue;
        }
        let (code, got, err) = scan(&[name, "app.log"], dir.path());
        assert_eq!(code, 1, "{tool}: {err}");
        assert!(err.contains(&format!("cannot read {name}: compressed with {tool}")), "{err}");
        assert_eq!(detections(&got), detections(&plain), "{tool}: the other file is still read");
        let out =
            Command::new(BIN).current_dir(dir.path()).args(["report", name, "app.log"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn journald_json_on_stdin() {
    let text = fs::read_to_string(repo(LOG)).unwrap();
    let mut journal = String::new();
    for (i, line) in text.lines().enumerate() {
        let entry = serde_json::json!({
            "__CURSOR": format!("s=1;i={i}"),
            "__REALTIME_TIMESTAMP": format!("{}", 1_793_613_600_000_000u64 + i as u64),
            "MESSAGE": line,
        });
        journal.push_str(&entry.to_string());
        journal.push('\n');
    }
    let mut child =
        Command::new(BIN).args(["scan", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(journal.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let got: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo(LOG), dir.path().join("app.log")).unwrap();
    let (_, plain, _) = scan(&["app.log"], dir.path());
    assert_eq!(detections(&got), detections(&plain));
}

fn cri(stream: &str, tag: &str, text: &str) -> String {
    format!("2026-11-02T10:00:00.000000000Z {stream} {tag} {text}\n")
}

fn error(code: &str, n: usize) -> String {
    format!(
        r#"2026-11-02 10:00:{:02} ERROR call {n} body={{"error":{{"code":"{code}","message":"m"}}}}"#,
        n % 60
    )
}

/// A line's first chunks on stdout, then whole lines on stderr, a checkpoint, a SIGKILL; the
/// line's last chunk arrives while errwatch is down. The restart resumes at the line's first
/// chunk, joins it whole, and skips the stderr lines it had counted.
#[test]
fn a_chunked_line_cut_by_a_sigkill_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("0.log"), dir.path().join("state"));
    let long = error("1113", 0);
    let (head, tail) = long.split_at(40);
    fs::write(&log, "").unwrap();
    let args = ["--state-dir", state.to_str().unwrap(), log.to_str().unwrap()];
    let d = Daemon::start(&args);
    let mut body = cri("stdout", "P", head);
    for n in 1..=3 {
        body.push_str(&cri("stderr", "F", &error("1302", n)));
    }
    common::append(&log, &[body.trim_end().to_string()]);
    // The stderr errors are counted: committed, with a checkpoint inside the unfinished line.
    assert_eq!(d.settle_at(3.0), 3.0);
    drop(d);
    common::append(&log, &[cri("stdout", "F", tail).trim_end().to_string()]);
    let d = Daemon::start(&args);
    assert_eq!(d.settle_at(4.0), 4.0);
    let m = d.metrics();
    assert_eq!(common::metric_sum(&m, "errwatch_errors_total", &[r#"code="1113""#]), 1.0);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(d.errors(), 4.0);
}

/// (line, provider, code) of each record.
fn found(records: &[Value]) -> Vec<(u64, String, String)> {
    records
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (r["line"].as_u64().unwrap(), s("provider"), s("code"))
        })
        .collect()
}

/// A file whose first line is no envelope's (a runtime's own message) is read as plain text
/// unless `--input-format` says what the rest is: then a line cut into chunks, with the other
/// stream's lines between, is joined and read whole, and keeps its first chunk's number.
#[test]
fn input_format_forced_on_the_command_line_reads_a_file_auto_detection_reads_as_plain() {
    let dir = tempfile::tempdir().unwrap();
    let zhipu = |time: &str, code: &str, message: &str| {
        format!(
            r#"{time} ERROR app.llm: POST https://open.bigmodel.cn/api/paas/v4/chat/completions failed: {{"error":{{"code":"{code}","message":"{message}"}}}}"#
        )
    };
    let cut =
        zhipu("2026-11-02 10:00:01,093", "1113", "Your account is in arrears, please recharge and try again");
    let (head, tail) = cut.split_at(cut.find("\"11").unwrap() + 3);
    let whole = zhipu(
        "2026-11-02 10:00:03,000",
        "1302",
        "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits",
    );
    let mut text = String::from(
        "I1102 10:00:00.000000    4127 kuberuntime_container.go:809] \"Container started\" containerName=\"app\"\n",
    );
    text += &cri("stderr", "P", head);
    text += &cri("stdout", "F", "2026-11-02 10:00:01,400 INFO app.web: GET /healthz 200 1ms");
    text += &cri("stderr", "F", tail);
    text += &cri("stderr", "F", &whole);
    fs::write(dir.path().join("0.log"), text).unwrap();
    let record = |line: u64, provider: &str, code: &str| (line, provider.to_string(), code.to_string());

    let (code, auto, err) = scan(&["0.log"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (_, plain, _) = scan(&["--input-format", "plain", "0.log"], dir.path());
    assert_eq!(found(&auto), found(&plain), "decided from the first line: plain");
    assert_eq!(found(&auto), [record(5, "zhipu", "1302")], "the cut line's chunks read apart");
    let (code, forced, err) = scan(&["--input-format", "cri", "0.log"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(found(&forced), [record(2, "zhipu", "1113"), record(5, "zhipu", "1302")]);
    // The joined line's text is the application's: its own time, not the envelope's.
    assert_eq!(forced[0]["timestamp"].as_str(), Some("2026-11-02T10:00:01Z"));

    // Docker's json-file: a `log` without its "\n" goes on in the stream's next entry.
    let body = r#"2026-11-02 10:00:06,333 ERROR app.llm: upstream 403 url=https://api.ppinfra.com/v3/openai/chat/completions body={"code":403,"reason":"NOT_ENOUGH_BALANCE","message":"余额不足","metadata":{}}"#;
    let (head, tail) = body.split_at(body.find("\"reason\"").unwrap() + 5);
    let entry = |log: &str, stream: &str| {
        serde_json::json!({"log": log, "stream": stream, "time": "2026-11-02T10:00:06.333000000Z"})
            .to_string()
    };
    let text = [
        "dockerd: container 4f2a started".to_string(),
        entry(head, "stderr"),
        entry("2026-11-02 10:00:06,400 INFO app.web: GET /healthz 200 1ms\n", "stdout"),
        entry(&format!("{tail}\n"), "stderr"),
    ]
    .join("\n");
    fs::write(dir.path().join("c-json.log"), text + "\n").unwrap();
    let (_, auto, _) = scan(&["c-json.log"], dir.path());
    assert!(!found(&auto).iter().any(|r| r.2 == "NOT_ENOUGH_BALANCE"), "read as plain text: {auto:?}");
    let (code, forced, err) = scan(&["--input-format", "docker", "c-json.log"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(found(&forced), [record(2, "ppio", "NOT_ENOUGH_BALANCE")]);
    assert_eq!(forced[0]["http_status"].as_u64(), Some(403));
}

#[test]
fn an_input_format_errwatch_does_not_know_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo(LOG), dir.path().join("app.log")).unwrap();
    for args in
        [&["scan", "--input-format", "xml", "app.log"][..], &["--input-format=json", "report", "app.log"]]
    {
        let out = Command::new(BIN).current_dir(dir.path()).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing read");
        let value = args.iter().find_map(|a| a.strip_prefix("--input-format=")).unwrap_or("xml");
        assert!(err.contains(&format!("invalid value '{value}' for '--input-format <FORMAT>'")), "{err}");
        assert!(err.contains("[possible values: auto, plain, cri, docker, journald, syslog]"), "{err}");
    }
}
