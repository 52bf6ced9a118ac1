//! The decoy fixture (`fixtures/logs/decoy/`, see its README): other LLM providers' errors and
//! lookalike bodies of payment, SMS, storage, database and Go services, interleaved with real
//! provider errors. Through the binary: no detection on any decoy line, and the provider errors
//! of each file (its manifest, written by the capture tool) all found, and nothing else.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo, BIN};
use serde_json::Value;

fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every `X.decoys.jsonl` of the fixture, found rather than listed.
fn decoy_manifests() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(repo("fixtures/logs/decoy"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".decoys.jsonl"))
        .collect();
    out.sort();
    out
}

fn sibling(decoys: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(decoys.to_string_lossy().replace(".decoys.jsonl", suffix))
}

fn scan(log: &Path) -> Vec<Value> {
    let out =
        Command::new(BIN).env("TZ", "UTC").args(["scan", "--format", "jsonl"]).arg(log).output().unwrap();
    assert!(out.status.success(), "{}: {}", log.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn no_detection_on_a_decoy_line_and_every_provider_error_found() {
    let manifests = decoy_manifests();
    assert!(manifests.len() >= 5, "decoy files are missing: {manifests:?}");
    let mut failures = Vec::new();
    let mut services = BTreeSet::new();
    for decoys in &manifests {
        let log = sibling(decoys, ".log");
        let name = log.file_name().unwrap().to_string_lossy().into_owned();
        let decoy_lines: BTreeSet<u64> = jsonl(decoys)
            .iter()
            .inspect(|d| {
                services.insert(d["service"].as_str().unwrap_or_default().to_string());
            })
            .map(|d| d["line"].as_u64().unwrap())
            .collect();
        let want = jsonl(&sibling(decoys, ".expect.jsonl"));
        let got = scan(&log);
        for g in got.iter().filter(|g| decoy_lines.contains(&g["line"].as_u64().unwrap_or(0))) {
            failures.push(format!("{name}: a decoy counted: {g}"));
        }
        // The provider errors, one for one and in order, on the fields the manifest gives.
        // (Not `evidence`: the capture tool's manifests say `message` for a code it did not see
        // inside an escaped JSON string, a fault of the tool's that tests/fixtures.rs reports.)
        if want.len() != got.len() {
            failures.push(format!("{name}: {} provider errors expected, {} found", want.len(), got.len()));
            continue;
        }
        for (w, g) in want.iter().zip(&got) {
            for field in ["provider", "code", "category", "http_status", "known", "line"] {
                if let Some(expected) = w.get(field) {
                    if g.get(field) != Some(expected) {
                        failures.push(format!("{name} line {}: {field} {expected} expected, {g}", w["line"]));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // What the fixture is for: other LLM providers and lookalike services both.
    for service in ["openai", "dashscope", "hunyuan", "minimax", "sms-gateway", "payment-webhook", "mysql"] {
        assert!(services.contains(service), "no decoy of {service}: {services:?}");
    }
}

/// The decoys are a test of attribution only if the lines before them name a provider: most
/// decoys follow a provider's request or error within the 20 lines errwatch looks back.
#[test]
fn decoys_follow_provider_lines() {
    let mut near = 0;
    let mut all = 0;
    for decoys in decoy_manifests() {
        let log = fs::read_to_string(sibling(&decoys, ".log")).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        let provider_lines: Vec<u64> = jsonl(&sibling(&decoys, ".expect.jsonl"))
            .iter()
            .map(|w| w["line"].as_u64().unwrap())
            .chain(
                lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        ["api.z.ai", "volces.com", "ppinfra.com", "bigmodel.cn"].iter().any(|h| l.contains(h))
                    })
                    .map(|(i, _)| i as u64 + 1),
            )
            .collect();
        for d in jsonl(&decoys).iter().filter(|d| d["kind"] == "lookalike") {
            let at = d["line"].as_u64().unwrap();
            all += 1;
            if provider_lines.iter().any(|&p| p < at && at - p <= 20) {
                near += 1;
            }
        }
    }
    assert!(all >= 20 && near * 2 >= all, "{near} of {all} lookalikes follow a provider line");
}
