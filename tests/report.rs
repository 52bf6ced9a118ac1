//! The report: golden files for each format over the bundled demo log (text at 80 and 120
//! columns in both languages), totals that agree with `scan`, a text layout within the width,
//! colors only when asked, no secret anywhere, the same report for any `--threads`.

mod common;

use std::fs;
use std::process::Command;

use common::{in_path, promtool_check_metrics, repo, BIN};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const DEMO: &str = "fixtures/logs/demo/app.log";

/// Runs errwatch in UTC, at `columns` when given, else at the width of a pipe.
fn errwatch_at(columns: Option<usize>, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(repo("")).args(args).env_remove("NO_COLOR").env_remove("COLUMNS").env("TZ", "UTC");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c.to_string());
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "errwatch {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn errwatch(args: &[&str]) -> String {
    errwatch_at(None, args)
}

fn golden(name: &str, got: &str) {
    let path = repo("fixtures/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, got).unwrap();
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing (UPDATE_GOLDEN=1)", path.display()));
    assert!(want == got, "{name} differs from its golden file; diff it with `UPDATE_GOLDEN=1 cargo test`");
}

#[test]
fn golden_reports_in_every_format() {
    for columns in [80, 120] {
        for lang in ["en", "zh"] {
            let text = errwatch_at(Some(columns), &["report", "--color", "never", "--lang", lang, DEMO]);
            golden(&format!("demo.report.{lang}.{columns}.txt"), &text);
        }
    }
    // With the times in another zone, and every action item.
    let shanghai = errwatch(&["--timezone", "Asia/Shanghai", "report", "--all", DEMO]);
    golden("demo.report.shanghai.all.txt", &shanghai);
    golden("demo.report.md", &errwatch(&["report", "--format", "markdown", DEMO]));
    golden("demo.report.zh.md", &errwatch(&["report", "--format", "markdown", "--lang", "zh", DEMO]));
    golden("demo.report.json", &errwatch(&["report", "--format", "json", DEMO]));
    golden("demo.report.prom", &errwatch(&["report", "--format", "prometheus", DEMO]));
}

#[test]
fn report_totals_equal_scan_records() {
    let mut logs: Vec<String> = vec![DEMO.to_string()];
    for dir in ["fixtures/logs/sdk", "fixtures/logs/styles"] {
        for e in fs::read_dir(repo(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "log") {
                logs.push(p.to_string_lossy().into_owned());
            }
        }
    }
    for log in &logs {
        let scanned = errwatch(&["scan", log]).lines().count() as u64;
        let report: Value = serde_json::from_str(&errwatch(&["report", "--format", "json", log])).unwrap();
        assert_eq!(report["errors"].as_u64(), Some(scanned), "{log}");
        let by_code: u64 =
            report["by_code"].as_array().unwrap().iter().map(|r| r["count"].as_u64().unwrap()).sum();
        assert_eq!(by_code, scanned, "{log}");
    }
}

#[test]
fn json_report_has_its_documented_fields() {
    let r: Value = serde_json::from_str(&errwatch(&["report", "--format", "json", DEMO])).unwrap();
    for field in [
        "version",
        "lines",
        "bytes",
        "errors",
        "unknown",
        "by_code",
        "actions",
        "unknown_templates",
        "timeline",
    ] {
        assert!(r.get(field).is_some(), "missing {field}");
    }
    let row = &r["by_code"][0];
    for field in ["provider", "category", "code", "count", "first_seen", "last_seen", "retryable", "severity"]
    {
        assert!(row.get(field).is_some(), "by_code lacks {field}");
    }
    assert!(r["errors"].as_u64().unwrap() > 50);
    assert!(r["unknown"].as_u64().unwrap() >= 1, "the demo has an undocumented code");
    assert!(!r["unknown_templates"].as_array().unwrap().is_empty());
}

#[test]
fn actions_put_traffic_stoppers_first() {
    let r: Value = serde_json::from_str(&errwatch(&["report", "--format", "json", DEMO])).unwrap();
    let actions = r["actions"].as_array().unwrap();
    assert!(!actions.is_empty());
    let first = &actions[0];
    assert_eq!(first["severity"], "critical");
    let severities: Vec<&str> = actions.iter().map(|a| a["severity"].as_str().unwrap()).collect();
    let rank = |s: &str| ["critical", "high", "medium", "low"].iter().position(|x| *x == s).unwrap();
    assert!(severities.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{severities:?}");
}

#[test]
fn text_report_fits_its_width_and_colors_only_when_asked() {
    // A pipe, with no COLUMNS: 100 columns.
    for lang in ["en", "zh"] {
        let text = errwatch(&["report", "--color", "never", "--lang", lang, DEMO]);
        for line in text.lines() {
            assert!(line.width() <= 100, "{} columns: {line}", line.width());
        }
        assert!(text.lines().any(|l| l.width() > 90), "laid out for 100 columns");
        assert!(!text.contains('\x1b'));
    }
    assert!(errwatch(&["report", "--color", "always", DEMO]).contains("\x1b["));
    // auto: stdout is a pipe here, so plain.
    assert!(!errwatch(&["report", DEMO]).contains('\x1b'));
}

#[test]
fn no_secret_appears_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("secret.log");
    let key = "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp";
    fs::write(
        &log,
        format!(
            "2026-11-02 10:00:01 ERROR url=https://api.coze.cn body={{\"code\":4100,\"msg\":\"token pat_OYDacMzM3WyOWV3Dtj2bHRMymzxP6NNi7E1y2HFsTYVCDF invalid\",\"detail\":{{\"logid\":\"x\"}}}}\n\
             2026-11-02 10:00:02 ERROR upstream body={{\"error\":{{\"code\":\"1399\",\"message\":\"bad key {key} Authorization: Bearer sk-abcdefghijklmnop1234\"}}}}\n"
        ),
    )
    .unwrap();
    let log = log.to_str().unwrap();
    for args in [
        vec!["scan", log],
        vec!["scan", "--format", "text", log],
        vec!["report", "--format", "json", log],
        vec!["report", "--format", "markdown", log],
        vec!["report", "--color", "never", log],
    ] {
        let out = errwatch(&args);
        assert!(out.contains("[REDACTED]") || args[0] == "report", "{args:?}");
        for secret in ["pat_OYDac", key, "sk-abcdefghijklmnop1234"] {
            assert!(!out.contains(secret), "{args:?} leaks {secret}");
        }
    }
}

#[test]
fn the_prometheus_format_passes_promtool() {
    let Some(promtool) = in_path("promtool") else {
        assert!(std::env::var("CI").is_err(), "CI must have promtool (tests/all.sh installs it)");
        eprintln!("skipped: promtool is not installed");
        return;
    };
    let text = errwatch(&["report", "--format", "prometheus", DEMO]);
    promtool_check_metrics(&promtool, "report --format prometheus", &text);
}

#[test]
fn threads_give_the_same_report_as_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let demo = fs::read(repo(DEMO)).unwrap();
    // Past the size at which a file is split among workers.
    let copies = (9 << 20) / demo.len() + 1;
    // The demo again and again: its times out of order within each copy, so a timeline laid
    // out as times came would differ between a whole pass and parts that start mid-copy.
    let repeated = dir.path().join("repeated.log");
    fs::write(&repeated, demo.repeat(copies)).unwrap();
    // And with an error after each copy further and further on: weeks in all.
    let spread = dir.path().join("spread.log");
    let mut content = Vec::new();
    for i in 0..copies {
        content.extend_from_slice(&demo);
        let t = 1_793_613_600 + 1_000 * i as i64 * i as i64;
        let at = jiff::Timestamp::from_second(t).unwrap().strftime("%Y-%m-%d %H:%M:%S");
        let line = format!(
            "{at} ERROR upstream call {i} failed body={{\"error\":{{\"code\":\"1302\",\"message\":\"m\"}}}}\n"
        );
        content.extend_from_slice(line.as_bytes());
    }
    fs::write(&spread, content).unwrap();
    for (log, errors) in [(&repeated, 81), (&spread, 82)] {
        let log = log.to_str().unwrap();
        let whole = |threads: &str| -> Vec<String> {
            let mut outputs = Vec::new();
            for args in [vec!["--format", "json"], vec!["--format", "markdown"], vec!["--lang", "zh"], vec![]]
            {
                let mut all = vec!["report", "--threads", threads];
                all.extend(args);
                all.push(log);
                outputs.push(errwatch_at(Some(120), &all));
            }
            outputs
        };
        let one = whole("1");
        assert_eq!(whole("2"), one, "{log}: 2 threads");
        assert_eq!(whole("0"), one, "{log}: one per core");
        let report: Value = serde_json::from_str(&one[0]).unwrap();
        assert_eq!(report["errors"].as_u64(), Some(errors * copies as u64), "{log}");
    }
}
