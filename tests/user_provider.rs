//! A provider added with no Rust: `examples/catalogs/deepseek.toml`, loaded with `--catalog`,
//! makes DeepSeek's errors counted in every command (`scan`, `report`, `watch`, `explain`), by
//! the real binary. The lines are generated from the file's own entries (read as data through
//! `catalog --format json`), so a row added to the file is covered without a new test.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{metric_sum, repo, Daemon, BIN};
use serde_json::Value;

fn deepseek_catalog() -> PathBuf {
    repo("examples/catalogs/deepseek.toml")
}

fn errwatch(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("TZ", "UTC").output().expect("errwatch runs")
}

/// The entries of the example file, as `catalog --format json` gives them.
fn entries() -> Vec<Value> {
    let c = deepseek_catalog();
    let out = errwatch(&[
        "--catalog",
        c.to_str().unwrap(),
        "catalog",
        "--provider",
        "deepseek",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 7, "DeepSeek's table has seven rows");
    rows
}

/// The openai SDK's request line (as httpx logs it) naming DeepSeek's host.
fn request_line(n: usize, status: u64) -> String {
    format!(
        r#"2026-11-02 10:00:{:02},001 INFO httpx HTTP Request: POST https://api.deepseek.com/chat/completions "HTTP/1.1 {status} Error""#,
        n % 60
    )
}

/// The exception the openai SDK raises after it, as Python prints it: a dict, not JSON.
fn exception_line(n: usize, status: u64, message: &str, kind: &str) -> String {
    format!(
        "2026-11-02 10:00:{:02},002 ERROR app call failed: Error code: {status} - {{'error': {{'message': '{message}', 'type': '{kind}', 'param': None, 'code': 'invalid_request_error'}}}}",
        n % 60
    )
}

/// Every entry's status and message after the host line: the generated log and what it holds.
fn generated_log(dir: &Path) -> (PathBuf, Vec<(String, String)>) {
    let mut lines = Vec::new();
    let mut want = Vec::new();
    for (n, e) in entries().iter().enumerate() {
        let status = e["http_status"].as_u64().unwrap();
        let message = e["message"].as_str().unwrap();
        lines.push(request_line(n, status));
        lines.push(exception_line(n, status, message, "invalid_request_error"));
        want.push((e["code"].as_str().unwrap().to_string(), e["category"].as_str().unwrap().to_string()));
    }
    let log = dir.join("app.log");
    fs::write(&log, lines.join("\n") + "\n").unwrap();
    (log, want)
}

fn scan(catalog: Option<&Path>, log: &Path) -> Vec<Value> {
    let mut args: Vec<&str> = Vec::new();
    if let Some(c) = catalog {
        args.extend(["--catalog", c.to_str().unwrap()]);
    }
    args.extend(["scan", log.to_str().unwrap()]);
    let out = errwatch(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn scan_counts_the_402_after_a_line_naming_its_host_and_nothing_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with.log");
    let without = dir.path().join("without.log");
    let exception = exception_line(2, 402, "Insufficient Balance", "unknown_error");
    fs::write(&with, format!("{}\n{exception}\n", request_line(1, 402))).unwrap();
    fs::write(&without, format!("{exception}\n")).unwrap();
    let c = deepseek_catalog();

    let found = scan(Some(&c), &with);
    assert_eq!(found.len(), 1, "one error, the request line and the exception together: {found:?}");
    let d = &found[0];
    assert_eq!(
        (d["provider"].as_str(), d["code"].as_str(), d["category"].as_str(), d["known"].as_bool()),
        (Some("deepseek"), Some("402"), Some("billing"), Some(true))
    );
    assert_eq!(d["source"].as_str(), Some(with.to_str().unwrap()), "the file is named");
    assert_eq!(scan(Some(&c), &without), Vec::<Value>::new(), "OpenAI's body with no clue is no one's");
    assert_eq!(scan(None, &with), Vec::<Value>::new(), "without the file, DeepSeek is only recognized");
}

#[test]
fn scan_finds_every_row_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (log, want) = generated_log(dir.path());
    let found: Vec<(String, String)> = scan(Some(&deepseek_catalog()), &log)
        .iter()
        .map(|d| {
            assert_eq!(d["provider"].as_str(), Some("deepseek"), "{d}");
            (d["code"].as_str().unwrap().to_string(), d["category"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(found, want);
}

#[test]
fn report_lists_each_row_under_deepseek() {
    let dir = tempfile::tempdir().unwrap();
    let (log, want) = generated_log(dir.path());
    let c = deepseek_catalog();
    let out =
        errwatch(&["--catalog", c.to_str().unwrap(), "report", "--format", "json", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"].as_u64(), Some(want.len() as u64));
    let mut rows: Vec<(String, String)> = report["by_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!((r["provider"].as_str(), r["count"].as_u64()), (Some("deepseek"), Some(1)), "{r}");
            (r["code"].as_str().unwrap().to_string(), r["category"].as_str().unwrap().to_string())
        })
        .collect();
    rows.sort();
    let mut want = want;
    want.sort();
    assert_eq!(rows, want);
    let text = errwatch(&["--catalog", c.to_str().unwrap(), "report", log.to_str().unwrap()]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("deepseek 402  billing"), "the critical row is an action: {text}");
}

#[test]
fn watch_exports_deepseek_counters() {
    let dir = tempfile::tempdir().unwrap();
    let (log, want) = generated_log(dir.path());
    let c = deepseek_catalog();
    let d = Daemon::start(&["--catalog", c.to_str().unwrap(), "--from-start", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(want.len() as f64), want.len() as f64);
    let m = d.metrics();
    for (code, category) in &want {
        let labels =
            [r#"provider="deepseek""#, &format!("code=\"{code}\""), &format!("category=\"{category}\"")];
        assert_eq!(metric_sum(&m, "errwatch_errors_total", &labels), 1.0, "{code}: {m}");
    }
}

#[test]
fn watch_without_the_file_counts_nothing_of_deepseek() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = generated_log(dir.path());
    // A Zhipu error after them shows the daemon has read the file through.
    fs::write(&log, fs::read_to_string(&log).unwrap() + &common::zhipu_line(1, "1113") + "\n").unwrap();
    let d = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(1.0), 1.0);
    assert_eq!(metric_sum(&d.metrics(), "errwatch_errors_total", &[r#"provider="deepseek""#]), 0.0);
}

#[test]
fn explain_shows_a_row_of_the_file() {
    let c = deepseek_catalog();
    let out = errwatch(&["--catalog", c.to_str().unwrap(), "explain", "402", "--provider", "deepseek"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for want in ["deepseek 402", "billing", "critical", "top_up", "Insufficient Balance"] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    let without = errwatch(&["explain", "402", "--provider", "deepseek"]);
    assert_eq!(without.status.code(), Some(2), "not a counted provider without the file");
}

#[test]
fn the_file_makes_deepseek_a_provider_the_cli_knows() {
    let c = deepseek_catalog();
    let out = errwatch(&["--catalog", c.to_str().unwrap(), "catalog", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.iter().filter(|r| r["provider"] == "deepseek").count(), 7);
    let plain = errwatch(&["catalog", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(rows.iter().filter(|r| r["provider"] == "deepseek").count(), 0);
}

#[test]
fn the_descriptor_example_in_the_catalog_readme_loads() {
    let readme = fs::read_to_string(repo("src/catalog/README.md")).unwrap();
    let section = readme.split("## The provider descriptor").nth(1).expect("the section");
    let example = section.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).expect("its example");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("descriptor.toml");
    fs::write(&file, example).unwrap();
    let out = errwatch(&["--catalog", file.to_str().unwrap(), "catalog", "--provider", "deepseek"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // And a malformed descriptor is refused with its file and line.
    fs::write(&file, example.replace("code_form = \"lower_snake\"", "code_form = \"kebab\"")).unwrap();
    let bad = errwatch(&["--catalog", file.to_str().unwrap(), "catalog"]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("descriptor.toml:") && err.contains("kebab"), "{err}");
}
