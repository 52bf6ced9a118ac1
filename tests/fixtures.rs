//! Every fixture log under `fixtures/logs/` against its manifest, from one table.
//!
//! A manifest (`X.expect.jsonl`, beside `X.log`) states what is in the log: written by the
//! tool that made the log (the SDK capture) or by hand, never by errwatch. Each record's
//! fields that the manifest gives (provider, code, category, http_status, known, line,
//! evidence) are matched with errwatch's `scan` records, and each directory's score held to
//! its card (`fixtures/logs/scorecard.json`): what errwatch finds exactly may only grow, what
//! it finds that is not there may only shrink. Beside it, `X.scan.jsonl` is the whole
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

/// How a directory of fixtures fares against its manifests.
#[derive(Default, Debug)]
struct Score {
    /// Manifest records.
    errors: usize,
    /// Manifest records errwatch reported on their line, with every field the manifest gives.
    exact: usize,
    /// errwatch's records that no manifest record of their line and provider is: another
    /// line's error reported on the wrong line, or an error that is not one.
    extra: usize,
}

/// A log's manifest against its scan. Manifests that place their records on lines are matched
/// line by line (`line`, `provider`, `code`, then the other fields); the others record by
/// record, in order, every record exact.
fn score(want: &[Value], got: &[Value], name: &str, problems: &mut Vec<String>) -> Score {
    let mut score = Score { errors: want.len(), ..Score::default() };
    let key = |v: &Value| (v.get("line").cloned(), v.get("provider").cloned(), v.get("code").cloned());
    let agrees = |w: &Value, g: &Value| {
        MANIFEST_FIELDS.iter().all(|f| w.get(*f).is_none_or(|expected| g.get(*f) == Some(expected)))
    };
    if want.iter().any(|w| w.get("line").is_none()) {
        if want.len() == got.len() && want.iter().zip(got).all(|(w, g)| agrees(w, g)) {
            score.exact = want.len();
        } else {
            problems.push(format!("{name}: {} records expected in order, {} found", want.len(), got.len()));
            score.extra = got.len();
        }
        return score;
    }
    let mut unmatched: Vec<&Value> = got.iter().collect();
    for w in want {
        match unmatched.iter().position(|g| key(g) == key(w)) {
            Some(i) if agrees(w, unmatched[i]) => {
                score.exact += 1;
                unmatched.remove(i);
            }
            Some(i) => {
                problems.push(format!("{name}: line {}: {w} expected, {} found", w["line"], unmatched[i]));
                unmatched.remove(i);
            }
            None => problems.push(format!("{name}: line {}: {w} expected, nothing found", w["line"])),
        }
    }
    for g in unmatched {
        let same_line = |w: &&Value| w.get("line") == g.get("line") && w.get("provider") == g.get("provider");
        if !want.iter().any(|w| same_line(&w)) {
            score.extra += 1;
            problems.push(format!("{name}: line {}: {g} found, not in the manifest", g["line"]));
        }
    }
    score
}

/// Every fixture directory against its manifests, and against `fixtures/logs/scorecard.json`:
/// the share of manifest errors found exactly may not fall below the directory's `exact`, and
/// the records the manifests do not hold may not rise above its `extra`. Directories at
/// `exact` = all and `extra` = 0 are held to exactness. Where errwatch does better, the test
/// says so, for the card to be raised; `V=1` lists every mismatch.
#[test]
fn every_fixture_directory_meets_its_scorecard() {
    let manifests = manifests();
    assert!(manifests.len() >= 30, "fixtures are missing: {}", manifests.len());
    let card: Value =
        serde_json::from_str(&fs::read_to_string(repo("fixtures/logs/scorecard.json")).unwrap())
            .expect("the scorecard is JSON");
    let mut scores: std::collections::BTreeMap<String, Score> = Default::default();
    let mut problems = Vec::new();
    for manifest in &manifests {
        let log = log_of(manifest);
        let dir = log.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let want = jsonl(&fs::read_to_string(manifest).unwrap());
        let got = jsonl(&scan(&log));
        let name = log.file_name().unwrap().to_string_lossy().into_owned();
        let s = score(&want, &got, &name, &mut problems);
        let total = scores.entry(dir).or_default();
        total.errors += s.errors;
        total.exact += s.exact;
        total.extra += s.extra;
    }
    let mut failures = Vec::new();
    for (dir, s) in &scores {
        let floor = &card[dir.as_str()];
        let (exact, extra) = (floor["exact"].as_u64(), floor["extra"].as_u64());
        let (Some(exact), Some(extra)) = (exact, extra) else {
            failures.push(format!(
                "{dir}: no scorecard entry (found {} of {}, {} extra)",
                s.exact, s.errors, s.extra
            ));
            continue;
        };
        println!(
            "{dir}: {} of {} errors exact, {} extra (card: {exact}, {extra})",
            s.exact, s.errors, s.extra
        );
        if (s.exact as u64) < exact || (s.extra as u64) > extra {
            failures.push(format!(
                "{dir}: {} of {} exact (card {exact}), {} extra (card {extra})",
                s.exact, s.errors, s.extra
            ));
        } else if (s.exact as u64) > exact || (s.extra as u64) < extra {
            println!("{dir}: better than its card: raise it in fixtures/logs/scorecard.json");
        }
    }
    if std::env::var_os("V").is_some() || !failures.is_empty() {
        println!("{}", problems.join("\n"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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

/// UTF-8 read as Latin-1 (`å\u{9b}¾ç\u{89}\u{87}` for `图片`): a lead byte of a multi-byte
/// sequence (U+00C2..U+00F4) followed by a continuation byte (U+0080..U+00BF), as characters.
fn mojibake(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .position(|w| ('\u{c2}'..='\u{f4}').contains(&w[0]) && ('\u{80}'..='\u{bf}').contains(&w[1]))
        .map(|at| chars[at.saturating_sub(10)..(at + 10).min(chars.len())].iter().collect())
}

/// No message errwatch reports from any fixture is UTF-8 read as Latin-1, however its body was
/// escaped (Python bytes' `\xNN`, JSON's `\u00NN`, escaped twice).
#[test]
fn no_reported_message_is_mojibake() {
    assert!(
        mojibake("å\u{9b}¾ç\u{89}\u{87}").is_some() && mojibake("图片 café").is_none(),
        "the check itself"
    );
    let mut found = Vec::new();
    for manifest in manifests() {
        let log = log_of(&manifest);
        for record in jsonl(&scan(&log)) {
            for field in ["message", "entry"] {
                if let Some(bad) = record[field].as_str().and_then(mojibake) {
                    found.push(format!("{}:{}: {bad:?}", log.display(), record["line"]));
                }
            }
        }
    }
    assert!(found.is_empty(), "messages read as Latin-1:\n{}", found.join("\n"));
}
