//! Every fixture log under `fixtures/logs/` against its manifest, from one table.
//!
//! A manifest (`X.expect.jsonl`, beside `X.log`) states what is in the log: written by the
//! tool that made the log (the SDK capture) or by hand, never by errwatch. Each record's
//! fields that the manifest gives (provider, code, category, http_status, known, line,
//! evidence) must match
//! errwatch's `scan` records one for one, in order. Beside it, `X.scan.jsonl` is the whole
//! `scan` output, compared exactly; `UPDATE_GOLDEN=1 cargo test` rewrites those after a
//! deliberate change (and the manifests still have to agree).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo, BIN};
use serde_json::Value;

const MANIFEST_FIELDS: [&str; 7] =
    ["provider", "code", "category", "http_status", "known", "line", "evidence"];

fn manifests() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![repo("fixtures/logs")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(".expect.jsonl") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn log_of(manifest: &Path) -> PathBuf {
    PathBuf::from(manifest.to_string_lossy().replace(".expect.jsonl", ".log"))
}

fn scan(log: &Path) -> String {
    let rel = log.strip_prefix(repo("")).unwrap();
    // In UTC: the golden scans hold the times of lines that carry no zone.
    let out = Command::new(BIN)
        .current_dir(repo(""))
        .env("TZ", "UTC")
        .args(["scan", "--format", "jsonl"])
        .arg(rel)
        .output()
        .unwrap();
    assert!(out.status.success(), "scan {}: {}", rel.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn every_fixture_matches_its_manifest() {
    let manifests = manifests();
    assert!(manifests.len() >= 30, "fixtures are missing: {}", manifests.len());
    let mut failures = Vec::new();
    for manifest in &manifests {
        let log = log_of(manifest);
        let want = jsonl(&fs::read_to_string(manifest).unwrap());
        let got = jsonl(&scan(&log));
        let name = log.file_name().unwrap().to_string_lossy().into_owned();
        if want.len() != got.len() {
            failures.push(format!("{name}: {} errors expected, {} found", want.len(), got.len()));
            continue;
        }
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            for field in MANIFEST_FIELDS {
                if let Some(expected) = w.get(field) {
                    if g.get(field) != Some(expected) {
                        failures.push(format!(
                            "{name} #{}: {field} {expected} expected, {:?} found",
                            i + 1,
                            g.get(field)
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_fixture_matches_its_golden_scan() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for manifest in manifests() {
        let log = log_of(&manifest);
        let golden = PathBuf::from(manifest.to_string_lossy().replace(".expect.jsonl", ".scan.jsonl"));
        let got = scan(&log);
        if update {
            fs::write(&golden, &got).unwrap();
        } else if fs::read_to_string(&golden).ok().as_deref() != Some(got.as_str()) {
            stale.push(golden.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(stale.is_empty(), "scan output differs from (or lacks) its golden file: {stale:?}");
}

#[test]
fn sdk_captures_cover_every_provider_and_every_style() {
    let names: Vec<String> =
        manifests().iter().map(|m| m.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for sdk in [
        "zhipuai",
        "zai-sdk",
        "volcengine-ark",
        "cozepy-chat",
        "cozepy-stream",
        "openai-zhipu",
        "openai-ark",
        "openai-ppio",
    ] {
        for style in ["logging-exception", "logger-error", "jsonl", "repr"] {
            let want = format!("{sdk}-{style}.expect.jsonl");
            assert!(names.contains(&want), "missing {want}");
        }
    }
    let providers: std::collections::BTreeSet<String> = manifests()
        .iter()
        .flat_map(|m| jsonl(&fs::read_to_string(m).unwrap()))
        .filter_map(|v| v["provider"].as_str().map(str::to_string))
        .collect();
    assert_eq!(providers.len(), 4, "{providers:?}");
}

#[test]
fn the_noise_fixture_is_large_and_yields_nothing() {
    let noise = repo("fixtures/logs/noise/noise.log");
    let text = fs::read_to_string(&noise).unwrap();
    assert!(text.lines().count() >= 2000);
    assert_eq!(scan(&noise), "", "ordinary lines were taken for provider errors");
}
