//! The command line as a person meets it, through the real binary: global options before the
//! subcommand, `--print` alone, times in the local zone or `--timezone`'s, seen times that are
//! times, failed inputs named, the report in Chinese throughout, the layout at the terminal's
//! width (a real pseudo-terminal too), errwatch's own log colored only on a terminal, a
//! tolerant `explain`, README and `--help` in agreement, and the test command's closing lines;
//! `watch` about paths that follow no file, `--listen` as exporters take it, values refused,
//! and per-source series from the moment a source is followed. Sections are numbered by the
//! items of issue 21.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, http_get, repo, wait_for, BIN};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const DEMO: &str = "fixtures/logs/demo/app.log";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self, what: &str) -> Run {
        assert_eq!(self.code, Some(0), "{what}: {}", self.stderr);
        self
    }
}

/// Runs errwatch to its end in the repository, UTC unless `env` says otherwise, no COLUMNS,
/// NO_COLOR or RUST_LOG from the caller. A deadline: a command that started the daemon by
/// mistake fails the test instead of hanging it.
fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(repo("")).args(args);
    for var in ["COLUMNS", "NO_COLOR", "RUST_LOG", "TZ"] {
        cmd.env_remove(var);
    }
    cmd.env("TZ", "UTC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("errwatch starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("errwatch {args:?} did not end: it runs the daemon instead of the command");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run { code: status.code(), stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

fn ok(args: &[&str]) -> String {
    run(args, &[], None).ok(&format!("{args:?}")).stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// A coze entry for a code the embedded catalog does not have.
fn user_catalog(dir: &Path) -> String {
    let path = dir.join("my.toml");
    fs::write(
        &path,
        "provider = \"coze\"\n[[entry]]\ncode = \"4027\"\napi = \"openapi\"\nmessage = \"插件调用失败\"\n\
         category = \"server_error\"\nretryable = true\nseverity = \"medium\"\naction = \"retry_later\"\n\
         description_zh = \"插件调用失败。\"\ndescription_en = \"A plugin call failed.\"\n\
         remedy_zh = \"稍后重试。\"\nremedy_en = \"Retry later.\"\n",
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

// 1 -----------------------------------------------------------------------------------------

#[test]
fn global_options_before_the_subcommand_run_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let my = user_catalog(dir.path());
    let explained = ok(&["--catalog", &my, "explain", "4027"]);
    assert!(explained.starts_with("coze 4027\n"), "{explained}");
    assert!(explained.contains("A plugin call failed."));
    let table = ok(&["--catalog", &my, "catalog", "--provider", "coze"]);
    assert!(table.lines().any(|l| l.starts_with("coze") && l.contains(" 4027 ")), "{table}");
    let report = ok(&["--log-level", "info", "report", DEMO]);
    assert!(report.starts_with("errwatch report — "), "{report}");
    let scanned = ok(&["--timezone", "UTC", "--max-line-bytes", "65536", "scan", DEMO]);
    assert_eq!(scanned.lines().count(), ok(&["scan", DEMO]).lines().count());
    // After the subcommand too.
    assert_eq!(ok(&["explain", "4027", "--catalog", &my]), explained);
    // watch's own options before another subcommand would be ignored: refused.
    let refused = run(&["--listen", "127.0.0.1:1", "scan", DEMO], &[], None);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(refused.stderr.contains("--listen belongs to `watch`"), "{}", refused.stderr);
}

#[test]
fn files_without_a_subcommand_are_still_watched() {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .current_dir(repo(""))
        .args(["--listen", &listen, "--poll-interval", "0.1", "--from-start", DEMO])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let scanned = ok(&["scan", DEMO]).lines().count() as f64;
    let counted = wait_for(Duration::from_secs(20), || {
        http_get(port, "/metrics")
            .map(|m| common::metric_sum(&m, "errwatch_errors_total", &[]))
            .filter(|n| *n == scanned)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(counted, Some(scanned), "errwatch FILE follows the file and serves /metrics");
}

// 2 -----------------------------------------------------------------------------------------

/// `errwatch watch` running in the background, its stderr collected; killed when dropped.
struct Watching {
    child: std::process::Child,
    port: u16,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Watching {
    fn start(listen: Option<&str>, args: &[&str]) -> Watching {
        let port = free_port();
        let listen = listen.map_or(format!("127.0.0.1:{port}"), |l| l.replace("PORT", &port.to_string()));
        let mut child = Command::new(BIN)
            .current_dir(repo(""))
            .args(["watch", "--listen", &listen, "--poll-interval", "0.1"])
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (mut pipe, collected) = (child.stderr.take().unwrap(), stderr.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                collected.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Watching { child, port, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `/healthz` once the reader has looked at every source (no longer "starting").
    fn health(&self) -> (u16, String) {
        wait_for(Duration::from_secs(20), || {
            common::http_answer(self.port, "/healthz").filter(|(_, body)| body != "starting\n")
        })
        .expect("errwatch answers /healthz")
    }

    fn metrics(&self) -> String {
        http_get(self.port, "/metrics").unwrap_or_default()
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn paths_that_follow_no_file_are_warned_about_and_unhealthy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let (missing, glob, dirs) = (format!("{d}/nope.log"), format!("{d}/logs/*.log"), format!("{d}/*.d"));
    fs::create_dir(dir.path().join("logs")).unwrap();
    fs::create_dir(dir.path().join("x.d")).unwrap();
    let w = Watching::start(None, &[&missing, &glob, &dirs]);
    assert_eq!(w.health(), (503, format!("no source followed: {missing}, {glob}, {dirs}\n")));
    assert_eq!(common::metric_sum(&w.metrics(), "errwatch_sources_followed", &[]), 0.0);
    let warned = wait_for(Duration::from_secs(10), || {
        let e = w.stderr();
        (e.contains(&format!("{dirs}: matches 1 path but follows none"))).then_some(e)
    })
    .expect("a warning for each path");
    assert!(
        warned
            .contains(&format!("WARN errwatch::daemon: {missing}: no such file; it is read once it appears")),
        "{warned}"
    );
    assert!(
        warned.contains(&format!("{glob}: no file matches it; files are read once they appear")),
        "{warned}"
    );
    // A file turns up: followed, healthy, and the paths still idle are not warned about at
    // each poll (once a minute at most).
    let log = dir.path().join("logs/app.log");
    fs::write(&log, "").unwrap();
    let ok =
        wait_for(Duration::from_secs(20), || common::http_answer(w.port, "/healthz").filter(|a| a.0 == 200));
    assert_eq!(ok, Some((200, "ok\n".to_string())));
    common::append(&log, &[common::zhipu_line(1, "1113")]);
    let counted = wait_for(Duration::from_secs(20), || {
        (common::metric_sum(&w.metrics(), "errwatch_errors_total", &[]) == 1.0).then_some(())
    });
    assert!(counted.is_some(), "the file that turned up is read from its start");
    let e = w.stderr();
    assert_eq!(e.matches(&format!("{missing}: no such file")).count(), 1, "{e}");
    assert_eq!(e.matches(&format!("{glob}: no file matches")).count(), 1, "{e}");
}

#[test]
fn plain_errwatch_on_a_terminal_says_it_reads_stdin() {
    let said = "errwatch: reading log lines from stdin (a terminal); Ctrl-D ends.";
    // Not on a pipe: a pipeline's stdin is what it is meant to read.
    let piped = run(&["--listen", "none"], &[], Some(b"")).ok("errwatch < pipe");
    assert!(!piped.stderr.contains(said), "{}", piped.stderr);
    // `script` ends the terminal's input when its own (null) ends: errwatch reads to the end.
    let Some(tty) = in_terminal(&format!("exec {BIN} --listen none"), &[]) else { return };
    assert!(tty.starts_with(said), "{tty:?}");
    let Some(tty) = in_terminal(&format!("exec {BIN} watch --listen none"), &[]) else { return };
    assert!(tty.starts_with(said), "{tty:?}");
}

// 3 -----------------------------------------------------------------------------------------

/// `(severity, provider, code label)` of each action item a text report shows.
fn text_actions(text: &str) -> Vec<(String, String, String)> {
    let re =
        regex::Regex::new(r"^  (CRITICAL|HIGH|MEDIUM|LOW) +\d+×  (\S+) (.+?)  \S+  (since|no timestamp)")
            .unwrap();
    text.lines()
        .filter_map(|l| re.captures(l))
        .map(|c| (c[1].to_lowercase(), c[2].to_string(), c[3].to_string()))
        .collect()
}

fn json_actions(r: &Value) -> Vec<(String, String, String)> {
    r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let label = match a["variant"].as_str() {
                Some(v) => format!("{} ({v})", a["code"].as_str().unwrap()),
                None => a["code"].as_str().unwrap().to_string(),
            };
            (a["severity"].as_str().unwrap().to_string(), a["provider"].as_str().unwrap().to_string(), label)
        })
        .collect()
}

#[test]
fn every_critical_and_high_action_is_listed_and_the_rest_counted() {
    let r = json(&["report", "--format", "json", DEMO]);
    let all = json_actions(&r);
    // JSON: one item per row, nothing left out.
    assert_eq!(all.len(), r["by_code"].as_array().unwrap().len());
    let rows: BTreeSet<(String, String)> = r["by_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["provider"].to_string(), format!("{} {}", row["code"], row["variant"])))
        .collect();
    let items: BTreeSet<(String, String)> = r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["provider"].to_string(), format!("{} {}", a["code"], a["variant"])))
        .collect();
    assert_eq!(items, rows);
    let urgent = all.iter().filter(|a| a.0 == "critical" || a.0 == "high").count();
    assert!(urgent > 10, "the demo has more urgent items ({urgent}) than the old cap of 10");
    let shown = urgent.max(10.min(all.len()));
    let wide = [("COLUMNS", "300")];
    let text = run(&["report", DEMO], &wide, None).ok("report").stdout;
    assert_eq!(text_actions(&text), all[..shown].to_vec());
    let more = format!("… {} more of medium or low severity: --all lists them", all.len() - shown);
    assert!(text.contains(&more), "{text}");
    let every = run(&["report", "--all", DEMO], &wide, None).ok("report --all").stdout;
    assert_eq!(text_actions(&every), all);
    assert!(!every.contains("more of medium or low"));
    let md = ok(&["report", "--format", "markdown", DEMO]);
    assert_eq!(md.lines().filter(|l| l.starts_with("1. **")).count(), shown);
    assert!(md.contains(&format!("{} more", all.len() - shown)));
    let md_all = ok(&["report", "--format", "markdown", "--all", DEMO]);
    assert_eq!(md_all.lines().filter(|l| l.starts_with("1. **")).count(), all.len());
}

// 4 -----------------------------------------------------------------------------------------

fn rfc3339(v: &Value) -> Option<jiff::Timestamp> {
    v.as_str().map(|s| s.parse::<jiff::Timestamp>().unwrap_or_else(|e| panic!("{s:?} is not a time: {e}")))
}

#[test]
fn seen_times_are_timestamps_or_null_and_first_is_not_after_last() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("seen.log");
    // Out of order in the file; one code never has a timestamp.
    fs::write(
        &log,
        "2026-11-02 10:00:09,000 ERROR app: coze call failed body={\"code\":4011,\"msg\":\"余额不足\",\"detail\":{\"logid\":\"x\"}}\n\
         coze call failed body={\"code\":4011,\"msg\":\"余额不足\",\"detail\":{\"logid\":\"y\"}}\n\
         2026-11-02 10:00:01,000 ERROR app: coze call failed body={\"code\":4011,\"msg\":\"余额不足\",\"detail\":{\"logid\":\"w\"}}\n\
         body={\"code\":4100,\"msg\":\"token invalid\",\"detail\":{\"logid\":\"z\"}}\n",
    )
    .unwrap();
    let log = log.to_str().unwrap();
    let r = json(&["report", "--format", "json", log]);
    let row =
        |code: &str| r["by_code"].as_array().unwrap().iter().find(|x| x["code"] == code).unwrap().clone();
    assert_eq!(row("4011")["first_seen"], "2026-11-02T10:00:01Z");
    assert_eq!(row("4011")["last_seen"], "2026-11-02T10:00:09Z");
    assert!(row("4100")["first_seen"].is_null() && row("4100")["last_seen"].is_null());
    let action = r["actions"].as_array().unwrap().iter().find(|a| a["code"] == "4100").unwrap();
    assert!(action["since"].is_null());
    let text = ok(&["report", log]);
    let line = text.lines().find(|l| l.contains(" 4100 ") && l.starts_with("    ")).unwrap();
    assert!(line.contains("no timestamp"), "{line}");
    assert!(text.contains("1×  coze 4100  auth  no timestamp"), "{text}");
    assert!(text.contains("10:00:01 → 10:00:09"), "{text}");
    let zh = ok(&["report", "--lang", "zh", log]);
    assert!(zh.contains("无时间戳"), "{zh}");
    // Every bundled log: each time null or RFC 3339, both or neither, first ≤ last.
    let mut logs = vec![repo(DEMO)];
    for d in ["fixtures/logs/sdk", "fixtures/logs/styles"] {
        logs.extend(
            fs::read_dir(repo(d))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "log")),
        );
    }
    for log in &logs {
        let r = json(&["report", "--format", "json", log.to_str().unwrap()]);
        for row in r["by_code"].as_array().unwrap() {
            let (first, last) = (rfc3339(&row["first_seen"]), rfc3339(&row["last_seen"]));
            assert_eq!(first.is_some(), last.is_some(), "{}: {row}", log.display());
            assert!(first <= last, "{}: {row}", log.display());
        }
        for a in r["actions"].as_array().unwrap() {
            rfc3339(&a["since"]);
        }
    }
}

// 5 -----------------------------------------------------------------------------------------

const CHINA_LINE: &str = "2026-11-02 10:00:06,002 ERROR app.llm: zhipu call failed: Error code: 429, with error text {\"error\":{\"code\":\"1113\",\"message\":\"余额不足或无可用资源包,请充值。\"}}\n";

#[test]
fn zoneless_timestamps_are_read_in_the_local_zone_or_the_given_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("china.log");
    fs::write(&log, CHINA_LINE).unwrap();
    let log = log.to_str().unwrap();
    let shanghai = [("TZ", "Asia/Shanghai")];
    let time_of = |args: &[&str], env: &[(&str, &str)]| -> Value {
        let out = run(args, env, None).ok("scan").stdout;
        serde_json::from_str::<Value>(out.lines().next().expect("one record")).unwrap()["timestamp"].clone()
    };
    assert_eq!(time_of(&["scan", log], &[]), "2026-11-02T10:00:06Z");
    assert_eq!(time_of(&["scan", log], &shanghai), "2026-11-02T02:00:06Z");
    // --timezone wins over TZ (New York is on standard time again on 2 November 2026).
    assert_eq!(time_of(&["--timezone", "America/New_York", "scan", log], &shanghai), "2026-11-02T15:00:06Z");
    // A written zone wins over both.
    let zoned = dir.path().join("zoned.log");
    fs::write(&zoned, CHINA_LINE.replace("10:00:06,002", "10:00:06.002+09:00")).unwrap();
    assert_eq!(time_of(&["scan", zoned.to_str().unwrap()], &shanghai), "2026-11-02T01:00:06Z");
    // The exported gauge is the real time.
    let prom = run(&["report", "--format", "prometheus", log], &shanghai, None).ok("prometheus").stdout;
    let gauge = common::metric_sum(&prom, "errwatch_last_error_timestamp_seconds", &["provider=\"zhipu\""]);
    assert_eq!(gauge, 1_793_584_806.002);
    // The report shows the zone, and times in it.
    let text = run(&["report", log], &shanghai, None).ok("report").stdout;
    assert!(text.contains("Times in Asia/Shanghai."), "{text}");
    assert!(text.contains("since 2026-11-02 10:00:06 +08:00"), "{text}");
    let md = run(&["report", "--format", "markdown", log], &shanghai, None).ok("md").stdout;
    assert!(md.contains("since 2026-11-02 10:00:06 +08:00"), "{md}");
    let bad = run(&["--timezone", "Mars/Olympus", "scan", log], &[], None);
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("Mars/Olympus") && bad.stderr.contains("IANA"), "{}", bad.stderr);
    // A TZ errwatch cannot read is reported, and UTC used.
    let odd = run(&["scan", log], &[("TZ", "Nowhere/Bogus")], None).ok("bad TZ");
    assert!(odd.stderr.contains("WARN") && odd.stderr.contains("Nowhere/Bogus"), "{}", odd.stderr);
    assert!(odd.stdout.contains("\"timestamp\":\"2026-11-02T10:00:06Z\""));
}

// 7 -----------------------------------------------------------------------------------------

#[test]
fn a_source_that_cannot_be_read_is_named_in_the_report() {
    for threads in ["1", "2"] {
        let r = run(&["report", "--threads", threads, "missing.log", DEMO], &[], None);
        assert_eq!(r.code, Some(1), "exit status 1 when an input failed");
        assert!(r.stderr.contains("cannot read missing.log"), "{}", r.stderr);
        assert!(r.stdout.contains("✗ cannot read missing.log: No such file or directory"), "{}", r.stdout);
        let j = run(&["report", "--threads", threads, "--format", "json", "missing.log", DEMO], &[], None);
        assert_eq!(j.code, Some(1));
        let j: Value = serde_json::from_str(&j.stdout).unwrap();
        let sources = j["sources"].as_array().unwrap();
        let missing = sources.iter().find(|s| s["source"] == "missing.log").expect("named in sources");
        assert!(missing["error"].as_str().unwrap().contains("No such file"), "{missing}");
        assert_eq!(missing["lines"], 0);
        let demo = sources.iter().find(|s| s["source"] == DEMO).unwrap();
        assert!(demo["error"].is_null() && demo["lines"].as_u64().unwrap() > 1000);
        let md = run(&["report", "--threads", threads, "--format", "markdown", "missing.log"], &[], None);
        assert!(md.stdout.contains("cannot read missing.log"), "{}", md.stdout);
    }
    // Alone, it does not look like a quiet log.
    let alone = run(&["report", "missing.log"], &[], None);
    assert_eq!(alone.code, Some(1));
    assert!(alone.stdout.contains("cannot read missing.log"), "{}", alone.stdout);
}

// 8 -----------------------------------------------------------------------------------------

/// What may stay in Latin letters in a Chinese report: names from the data (codes, providers,
/// categories, the catalog's own Chinese text, file names, messages from the log) and the
/// names of things errwatch is told with.
fn latin_words_left(text: &str, report: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        ["errwatch", "--catalog", "--all", "FILE", "UTF-8", "KiB", "MiB", "GiB", "UTC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    for row in report["by_code"].as_array().unwrap() {
        for f in ["provider", "category", "code", "variant", "description", "remedy"] {
            names.extend(row[f].as_str().map(str::to_string));
        }
    }
    for t in report["unknown_templates"].as_array().unwrap() {
        names.extend(["code", "example"].iter().filter_map(|f| t[*f].as_str().map(str::to_string)));
    }
    for s in report["sources"].as_array().unwrap() {
        names.push(s["source"].as_str().unwrap().to_string());
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut rest = text.to_string();
    for n in names.iter().filter(|n| !n.is_empty()) {
        rest = rest.replace(n.as_str(), " ");
    }
    rest.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1).map(str::to_string).collect()
}

#[test]
fn the_chinese_report_is_chinese_throughout() {
    let report = json(&["report", "--format", "json", "--lang", "zh", DEMO]);
    let wide = [("COLUMNS", "1000")];
    let text = run(&["report", "--lang", "zh", DEMO], &wide, None).ok("zh").stdout;
    assert_eq!(latin_words_left(&text, &report), Vec::<String>::new(), "{text}");
    let md = ok(&["report", "--format", "markdown", "--lang", "zh", DEMO]);
    assert_eq!(latin_words_left(&md, &report), Vec::<String>::new(), "{md}");
    // And the check can fail: the English report is full of English.
    let en = run(&["report", DEMO], &wide, None).ok("en").stdout;
    assert!(latin_words_left(&en, &report).len() > 20);
    for heading in ["## errwatch 报告", "### 优先处理", "### 按错误码", "### 时间分布", "### 未知错误码"]
    {
        assert!(md.contains(heading), "{heading}");
    }
}

// 9 -----------------------------------------------------------------------------------------

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

/// Every code label of the report appears whole on one line.
fn codes_whole(text: &str, report: &Value) {
    for row in report["by_code"].as_array().unwrap() {
        let label = match row["variant"].as_str() {
            Some(v) => format!("{} ({v})", row["code"].as_str().unwrap()),
            None => row["code"].as_str().unwrap().to_string(),
        };
        assert!(
            text.lines().any(|l| l.contains(&format!(" {label} ")) || l.ends_with(&format!(" {label}"))),
            "{label} cut:\n{text}"
        );
    }
}

#[test]
fn the_report_follows_the_terminal_width_and_never_cuts_a_code() {
    let report = json(&["report", "--format", "json", DEMO]);
    let mut heights = Vec::new();
    for cols in [80, 100, 120, 200] {
        for lang in ["en", "zh"] {
            let c = cols.to_string();
            let text = run(&["report", "--lang", lang, DEMO], &[("COLUMNS", &c)], None).ok("report").stdout;
            assert!(widest(&text) <= cols, "{lang} at {cols}: {} columns", widest(&text));
            codes_whole(&text, &report);
            if lang == "en" {
                heights.push(text.lines().count());
            }
        }
    }
    assert!(heights.windows(2).all(|w| w[0] >= w[1]) && heights[0] > heights[3], "{heights:?}");
    // Narrower than 80 is laid out at 80.
    let narrow = run(&["report", DEMO], &[("COLUMNS", "40")], None).ok("40").stdout;
    assert_eq!(narrow, run(&["report", DEMO], &[("COLUMNS", "80")], None).ok("80").stdout);
}

#[test]
fn the_catalog_table_follows_the_width_with_codes_whole_and_cuts_marked() {
    let entries: Value = json(&["catalog", "--format", "json"]);
    let entries = entries.as_array().unwrap();
    for cols in [80, 120, 200] {
        let c = cols.to_string();
        let table = run(&["catalog"], &[("COLUMNS", &c)], None).ok("catalog").stdout;
        assert!(widest(&table) <= cols, "{cols}: {}", widest(&table));
        for e in entries {
            let code = match e["variant"].as_str() {
                Some(v) => format!("{}#{v}", e["code"].as_str().unwrap()),
                None => e["code"].as_str().unwrap().to_string(),
            };
            assert!(table.lines().any(|l| l.split(' ').any(|w| w == code)), "{code} at {cols}");
            let message = e["message"].as_str().unwrap();
            let whole = table.contains(message);
            let chars: Vec<char> = message.chars().collect();
            let cut = (8..chars.len())
                .any(|n| table.contains(&format!("{}…", chars[..n].iter().collect::<String>())));
            assert!(whole || cut, "{message:?} neither whole nor marked cut at {cols}");
        }
    }
}

/// Runs a shell command under a real pseudo-terminal (util-linux `script`), for what only a
/// terminal shows: its size, and colors that depend on it. `None` where `script` is missing.
fn in_terminal(shell: &str, env: &[(&str, &str)]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var("CI").is_err(), "CI must have util-linux's script");
        eprintln!("skipped: util-linux's script is not installed");
        return None;
    }
    let mut cmd = Command::new("script");
    cmd.current_dir(repo("")).args(["-qec", shell, "/dev/null"]).stdin(Stdio::null());
    for var in ["COLUMNS", "LINES", "NO_COLOR", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd.env("TZ", "UTC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn on_a_terminal_the_report_takes_its_size() {
    let shell = format!("stty cols 132 rows 40; exec {BIN} report --color never {DEMO}");
    let Some(text) = in_terminal(&shell, &[]) else { return };
    let w = widest(&text);
    assert!(w <= 132 && w > 100, "laid out for 132 columns, got {w}");
    assert!(!text.contains('\x1b'));
    // And colored there by default, unless NO_COLOR is set and not empty.
    let shell = format!("stty cols 100; exec {BIN} report {DEMO}");
    assert!(in_terminal(&shell, &[]).unwrap().contains("\x1b["));
    assert!(!in_terminal(&shell, &[("NO_COLOR", "1")]).unwrap().contains('\x1b'));
    assert!(in_terminal(&shell, &[("NO_COLOR", "")]).unwrap().contains("\x1b["));
}

// 10 ----------------------------------------------------------------------------------------

#[test]
fn errwatchs_own_log_is_colored_only_on_a_terminal() {
    // A TZ errwatch cannot read makes it warn.
    let bogus = [("TZ", "Nowhere/Bogus")];
    let piped = run(&["scan", DEMO], &bogus, None).ok("scan");
    assert!(piped.stderr.contains("WARN"), "{}", piped.stderr);
    assert!(!piped.stderr.contains('\x1b'), "escape codes in a redirected stderr: {:?}", piped.stderr);
    // The same under a terminal: colored, unless NO_COLOR is set and not empty.
    let shell = format!("exec {BIN} scan {DEMO} >/dev/null");
    let Some(tty) = in_terminal(&shell, &bogus) else { return };
    assert!(tty.contains("WARN") && tty.contains("\x1b["), "{tty:?}");
    let no_color = in_terminal(&shell, &[bogus[0], ("NO_COLOR", "1")]).unwrap();
    assert!(no_color.contains("WARN") && !no_color.contains('\x1b'), "{no_color:?}");
    let empty = in_terminal(&shell, &[bogus[0], ("NO_COLOR", "")]).unwrap();
    assert!(empty.contains("\x1b["), "an empty NO_COLOR does not turn color off: {empty:?}");
}

// 11 ----------------------------------------------------------------------------------------

#[test]
fn print_alone_is_text_and_a_file_after_it_stays_a_file() {
    let log = "fixtures/logs/sdk/cozepy-chat-logger-error.log";
    let expected = ok(&["scan", "--format", "text", log]);
    let n = expected.lines().count();
    assert!(n > 0);
    let input = fs::read(repo(log)).unwrap();
    // From stdin: --print is text, --print=jsonl JSON lines.
    let text = run(&["--print", "--listen", "none"], &[], Some(&input)).ok("--print");
    let stdin_lines: Vec<&str> = text.stdout.lines().collect();
    assert_eq!(stdin_lines.len(), n);
    assert!(stdin_lines.iter().all(|l| l.starts_with("-:") && !l.starts_with('{')), "{}", text.stdout);
    let jsonl = run(&["--print=jsonl", "--listen", "none"], &[], Some(&input)).ok("--print=jsonl");
    assert_eq!(jsonl.stdout.lines().count(), n);
    for l in jsonl.stdout.lines() {
        serde_json::from_str::<Value>(l).expect("a JSON line");
    }
    // The spelling before `=`: a format word after --print is still the format.
    let spaced = run(&["--print", "jsonl", "--listen", "none"], &[], Some(&input)).ok("--print jsonl");
    assert_eq!(spaced.stdout, jsonl.stdout);
    // `--print FILE`: the file is followed and its errors printed as text.
    let mut child = Command::new(BIN)
        .current_dir(repo(""))
        .args(["--print", log, "--from-start", "--listen", "none", "--poll-interval", "0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while got.iter().filter(|b| **b == b'\n').count() < n {
            match out.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(k) => got.extend_from_slice(&buf[..k]),
            }
        }
        String::from_utf8(got).unwrap()
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !reader.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let printed = reader.join().unwrap();
    assert_eq!(printed, expected, "--print FILE prints FILE's errors as text");
}

// 12 ----------------------------------------------------------------------------------------

/// The local address of the TCP socket listening on `port`, as /proc/net/tcp writes it
/// (`00000000`: every interface; `0100007F`: 127.0.0.1).
fn listening_on(port: u16) -> Option<String> {
    let table = fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        let (addr, p) = f.get(1)?.split_once(':')?;
        (u16::from_str_radix(p, 16).ok()? == port && f.get(3) == Some(&"0A")).then(|| addr.to_string())
    })
}

#[test]
fn listen_takes_a_bare_port_and_a_host_name() {
    for (listen, bound) in
        [(":PORT", "00000000"), ("localhost:PORT", "0100007F"), ("127.0.0.1:PORT", "0100007F")]
    {
        let w = Watching::start(Some(listen), &[DEMO]);
        assert_eq!(w.health().0, 200, "{listen}: {}", w.stderr());
        assert!(http_get(w.port, "/metrics").unwrap().contains("errwatch_sources_followed 1"));
        assert_eq!(listening_on(w.port).as_deref(), Some(bound), "{listen}");
    }
    for bad in ["9847", ":99999", "localhost", "127.0.0.1:x"] {
        let r = run(&["watch", "--listen", bad, DEMO], &[], None);
        assert_eq!(r.code, Some(2), "{bad}");
        assert!(
            r.stderr.contains(&format!(
                "--listen {bad:?} is not an address like 127.0.0.1:9847, localhost:9847 or :9847"
            )),
            "{bad}: {}",
            r.stderr
        );
    }
    let r = run(&["watch", "--listen", "no-such-host.invalid:9847", DEMO], &[], None);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("cannot be resolved"), "{}", r.stderr);
}

// 13 ----------------------------------------------------------------------------------------

#[test]
fn explain_takes_codes_as_people_copy_them_and_suggests_near_ones() {
    for (asked, first_line) in [
        ("ratelimitexceeded.endpointrpmexceeded", "volcengine RateLimitExceeded.EndpointRPMExceeded"),
        ("rate_limit_exceeded", "ppio RATE_LIMIT_EXCEEDED ("),
        (" 1113", "zhipu 1113"),
        ("429#balance_exhausted", "zhipu 429 (balance_exhausted)"),
        ("429 (balance_exhausted)", "zhipu 429 (balance_exhausted)"),
        ("zhipu:1113", "zhipu 1113"),
        ("invalidparameter.model", "volcengine InvalidParameter.{{Parameter}}"),
    ] {
        let out = run(&["explain", asked], &[], None).ok(asked).stdout;
        assert!(out.starts_with(first_line), "{asked:?}: {out}");
    }
    // Both rows of the variant-less code, only the asked one of a variant.
    let both = ok(&["explain", "RATE_LIMIT_EXCEEDED"]);
    assert_eq!(both.lines().filter(|l| l.starts_with("ppio RATE_LIMIT_EXCEEDED")).count(), 2);
    assert_eq!(
        ok(&["explain", "429#balance_exhausted"]).lines().filter(|l| l.starts_with("zhipu ")).count(),
        1
    );
    // Near misses, made from the catalog: one code per provider with a letter slipped in.
    let entries = json(&["catalog", "--format", "json"]);
    let mut providers = BTreeSet::new();
    for e in entries.as_array().unwrap() {
        let (p, code) = (e["provider"].as_str().unwrap(), e["code"].as_str().unwrap());
        if code.len() < 4 || code.contains("{{") || !providers.insert(p.to_string()) {
            continue;
        }
        let typo = format!("{}q{}", &code[..2], &code[2..]);
        let r = run(&["explain", &typo], &[], None);
        assert_eq!(r.code, Some(2), "{typo}");
        assert!(
            r.stderr.contains("did you mean:") && r.stderr.contains(&format!("{code} ({p})")),
            "{typo}: {}",
            r.stderr
        );
    }
    assert_eq!(providers.len(), 4, "{providers:?}");
    let none = run(&["explain", "zzzzzzzzzzzz"], &[], None);
    assert_eq!(none.code, Some(2));
    assert!(!none.stderr.contains("did you mean"), "{}", none.stderr);
}

// 14 ----------------------------------------------------------------------------------------

/// A one-entry coze catalog file, with `edit` applied to its text.
fn coze_catalog(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> String {
    let text = fs::read_to_string(user_catalog(dir)).unwrap();
    let path = dir.join(name);
    fs::write(&path, edit(text)).unwrap();
    path.to_string_lossy().into_owned()
}

fn refused(args: &[&str], says: &str) {
    let r = run(args, &[], None);
    assert_eq!(r.code, Some(2), "{args:?} is refused: {}", r.stderr);
    assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
}

#[test]
fn an_unknown_log_level_is_refused() {
    refused(&["--log-level", "loud", "scan", DEMO], "invalid value 'loud' for '--log-level <LEVEL>'");
    refused(&["--log-level", "loud", "scan", DEMO], "[possible values: error, warn, info, debug, trace]");
    ok(&["--log-level", "debug", "scan", DEMO]);
}

#[test]
fn a_line_cap_of_zero_is_refused() {
    refused(
        &["--max-line-bytes", "0", "scan", DEMO],
        "invalid value '0' for '--max-line-bytes <BYTES>': must be at least 1",
    );
    refused(&["report", "--max-line-bytes", "0", DEMO], "must be at least 1");
    ok(&["--max-line-bytes", "1", "scan", DEMO]);
}

#[test]
fn a_user_entry_of_another_providers_api_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ark = coze_catalog(dir.path(), "ark.toml", |t| t.replace("api = \"openapi\"", "api = \"ark\""));
    refused(
        &["--catalog", &ark, "catalog"],
        "coze:4027: api \"ark\" is not one of provider coze's (openapi)",
    );
    refused(&["--catalog", &ark, "scan", DEMO], "api \"ark\" is not one of provider coze's");
    // Without `api`: required, and said so with the file and line.
    let none = coze_catalog(dir.path(), "none.toml", |t| t.replace("api = \"openapi\"\n", ""));
    refused(&["--catalog", &none, "catalog"], &format!("{none}:2: missing field `api`"));
    let readme = fs::read_to_string(repo("src/catalog/README.md")).unwrap();
    assert!(readme.contains("- `api` (required)"), "the catalog README says `api` is required");
}

#[test]
fn a_user_entry_of_category_unknown_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = coze_catalog(dir.path(), "unknown.toml", |t| {
        t.replace("category = \"server_error\"", "category = \"unknown\"")
    });
    refused(
        &["--catalog", &unknown, "explain", "4027"],
        "entry \"4027\": category \"unknown\" is not for catalog entries",
    );
    let other = coze_catalog(dir.path(), "other.toml", |t| t.replace("\"server_error\"", "\"bogus\""));
    refused(&["--catalog", &other, "catalog"], "unknown variant `bogus`");
}

// 15 ----------------------------------------------------------------------------------------

fn readme() -> String {
    fs::read_to_string(repo("README.md")).unwrap()
}

/// The README's text that documents `name`'s fields: from `` `name` ( `` (or `` `name`: ``) to the end of its
/// paragraph, lines joined.
fn documented(readme: &str, name: &str) -> String {
    let flat = readme.replace("\n\n", "\u{1}").replace('\n', " ");
    let start = [format!("`{name}` ("), format!("`{name}`:")]
        .iter()
        .filter_map(|head| flat.find(head.as_str()))
        .min()
        .unwrap_or_else(|| panic!("README documents {name}"));
    let rest = &flat[start..];
    rest[..rest.find('\u{1}').unwrap_or(rest.len())].to_string()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn the_readme_documents_every_output_field() {
    let readme = readme();
    let r: Value =
        serde_json::from_str(&run(&["report", "--format", "json", "missing.log", DEMO], &[], None).stdout)
            .unwrap();
    let report_doc = documented(&readme, "report --format json");
    for k in keys(&r) {
        assert!(report_doc.contains(&format!("`{k}`")), "report field {k} undocumented");
    }
    for (list, fields) in
        [("by_code", &r["by_code"][0]), ("actions", &r["actions"][0]), ("sources", &r["sources"][0])]
    {
        let doc = documented(&report_doc, list);
        for k in keys(fields) {
            assert!(doc.contains(&format!("`{k}`")), "{list}.{k} undocumented in {doc:?}");
        }
    }
    let scan: Value = serde_json::from_str(ok(&["scan", DEMO]).lines().next().unwrap()).unwrap();
    let scan_doc = documented(&readme, "scan --format jsonl");
    for k in keys(&scan) {
        assert!(scan_doc.contains(&format!("`{k}`")), "scan field {k} undocumented");
    }
    // `ambiguous`: a count per row, a flag per record, each documented as such.
    assert!(r["by_code"][0]["ambiguous"].is_u64() && scan["ambiguous"].is_boolean());
    assert!(documented(&report_doc, "by_code").contains("`ambiguous` (a number"));
    assert!(scan_doc.contains("`ambiguous` (boolean"), "{scan_doc}");
}

/// `--name`s of a help text, and the values it lists for them.
fn help_options(help: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z.-]*)").unwrap();
    re.captures_iter(help).map(|c| c[1].to_string()).filter(|o| o != "--help" && o != "--version").collect()
}

#[test]
fn readme_and_help_agree_option_by_option() {
    let readme = readme();
    let usage =
        &readme[readme.find("## Usage").unwrap()..readme.find("## How errors are recognized").unwrap()];
    let mut all_help = BTreeSet::new();
    let possible = regex::Regex::new(r"\[possible values: ([^\]]+)\]").unwrap();
    for sub in ["", "watch", "scan", "report", "explain", "catalog"] {
        let args: Vec<&str> = [sub, "--help"].into_iter().filter(|a| !a.is_empty()).collect();
        let help = ok(&args);
        for opt in help_options(&help) {
            assert!(usage.contains(&format!("`{opt}")), "{opt} (errwatch {sub} --help) is not in the README");
            all_help.insert(opt);
        }
        for values in possible.captures_iter(&help) {
            for v in values[1].split(", ") {
                assert!(usage.contains(v), "value {v} of errwatch {sub} is not in the README");
            }
        }
    }
    let mentioned = regex::Regex::new(r"`(--[a-z][a-z.-]*)").unwrap();
    for c in mentioned.captures_iter(usage) {
        assert!(all_help.contains(&c[1]), "the README's {} is in no --help", &c[1]);
    }
    // The log level's default, said the same way in both.
    assert!(ok(&["--help"]).contains("[default: warn]"));
    assert!(usage.contains("`warn` (the default"));
    assert!(!usage.contains("quiet by default"));
}

#[test]
fn scan_text_shows_the_lines_own_message_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("ark.log");
    let long = "x".repeat(400);
    fs::write(
        &log,
        format!(
            "2026-11-02 10:00:06 ERROR ark call failed: Error code: 400 - {{\"error\":{{\"code\":\"InvalidParameter.model\",\"message\":\"The specified parameter model is invalid. Request id: 021761123456789abcdef {long}\",\"param\":\"model\",\"type\":\"BadRequest\"}}}}\n"
        ),
    )
    .unwrap();
    let log = log.to_str().unwrap();
    let text = ok(&["scan", "--format", "text", log]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("The specified parameter model is invalid. Request id: 021761123456789abcdef"),
        "{text}"
    );
    assert!(text.contains(&long), "the message is not cut");
    assert!(!text.contains("{{Parameter}}"), "{text}");
    let printed =
        run(&["--print", "--listen", "none"], &[], Some(&fs::read(log).unwrap())).ok("--print").stdout;
    assert!(printed.contains(&long) && !printed.contains("{{Parameter}}"), "{printed}");
}

// 16 ----------------------------------------------------------------------------------------

const PER_SOURCE: [&str; 6] = [
    "errwatch_lines_read_total",
    "errwatch_bytes_read_total",
    "errwatch_long_lines_total",
    "errwatch_invalid_utf8_lines_total",
    "errwatch_read_errors_total",
    "errwatch_rotations_total",
];

/// The value of each per-source series of `source`, `None` where it has no series.
fn per_source(metrics: &str, source: &str) -> Vec<Option<f64>> {
    PER_SOURCE
        .iter()
        .map(|name| {
            let head = format!("{name}{{source=\"{source}\"}} ");
            metrics.lines().find_map(|l| l.strip_prefix(&head)?.parse().ok())
        })
        .collect()
}

#[test]
fn per_source_series_exist_at_zero_from_the_moment_a_source_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let quiet = dir.path().join("quiet.log");
    fs::write(&quiet, "").unwrap();
    let later = dir.path().join("later.log");
    let (quiet_name, later_name) = (quiet.display().to_string(), later.display().to_string());
    let w = Watching::start(None, &[&quiet_name, &later_name]);
    assert_eq!(w.health().0, 200);
    let zeros = vec![Some(0.0); PER_SOURCE.len()];
    assert_eq!(per_source(&w.metrics(), &quiet_name), zeros, "a quiet followed file has its series");
    assert_eq!(per_source(&w.metrics(), &later_name), vec![None; PER_SOURCE.len()], "not followed yet");
    fs::write(&later, "").unwrap();
    let seen = wait_for(Duration::from_secs(20), || {
        let m = w.metrics();
        (per_source(&m, &later_name) == zeros).then_some(())
    });
    assert!(seen.is_some(), "a file that appears has its series once followed: {}", w.metrics());
    common::append(&later, &["one line".to_string()]);
    let read = wait_for(Duration::from_secs(20), || {
        let m = w.metrics();
        (per_source(&m, &later_name)[0] == Some(1.0)).then_some(m)
    })
    .expect("the line is counted");
    assert_eq!(per_source(&read, &quiet_name), zeros);
    // stdin is a source too.
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let m = wait_for(Duration::from_secs(20), || {
        http_get(port, "/metrics").filter(|m| m.contains("source=\"-\""))
    });
    drop(stdin);
    let _ = child.wait();
    assert_eq!(per_source(&m.expect("stdin's series"), "-"), zeros);
}

// 17 ----------------------------------------------------------------------------------------

fn summarize(log: &str, status: &str, steps: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cargo-test.log");
    fs::write(&path, log).unwrap();
    let out = Command::new("bash")
        .arg(repo("tests/all.sh"))
        .args(["--summarize", path.to_str().unwrap(), status])
        .args(steps)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

const PASSING: &str = "     Running unittests src/lib.rs (target/debug/deps/errwatch-1)\n\nrunning 2 tests\n\
test a ... ok\ntest b ... ok\n\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\n\
     Running tests/faults.rs (target/debug/deps/faults-2)\n\nrunning 2 tests\ntest full_disk ... ok\ntest slow ... ignored\n\n\
test result: ok. 1 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.00s\n\n\
     Running unittests examples/soak.rs (target/debug/examples/soak-3)\n\nrunning 0 tests\n\n\
test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";

#[test]
fn the_test_command_ends_with_the_totals_and_the_verdict() {
    let lines = summarize(PASSING, "0", &[]);
    let n = lines.len();
    assert_eq!(lines[n - 2], "suite: 3 passed, 0 failed, 1 skipped");
    assert!(lines[n - 1].starts_with("tests/all.sh: the whole suite passed"), "{lines:?}");
    let failing = PASSING
        .replace("test b ... ok", "test b ... FAILED")
        .replace("ok. 2 passed; 0 failed", "FAILED. 1 passed; 1 failed");
    let lines = summarize(&failing, "101", &[]);
    assert_eq!(lines[lines.len() - 2], "suite: 2 passed, 1 failed, 1 skipped");
    assert_eq!(lines[lines.len() - 1], "tests/all.sh: FAILED: src/lib.rs: b");
    let lines = summarize(PASSING, "0", &["cargo clippy"]);
    assert_eq!(lines[lines.len() - 1], "tests/all.sh: FAILED: cargo clippy");
    let lines = summarize("error[E0425]: cannot find value `x`\n", "101", &[]);
    assert!(lines[lines.len() - 1].contains("cargo test exited with status 101"), "{lines:?}");
}

#[test]
fn errwatch_warnings_in_the_test_output_are_marked_expected() {
    let log = "test full_disk ... ok\n\
               2026-11-02T10:00:00.123456Z  WARN errwatch::daemon: cannot save the checkpoint\n\
               \x1b[2m2026-11-02T10:00:00.123456Z\x1b[0m \x1b[33m WARN\x1b[0m \x1b[2merrwatch::daemon\x1b[0m: x\n\
               test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s\n";
    let mut child = Command::new("bash")
        .arg(repo("tests/all.sh"))
        .arg("--mark-expected")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(log.as_bytes()).unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "test full_disk ... ok");
    for l in &lines[1..3] {
        assert!(
            l.starts_with(
                "  (expected, from a test's errwatch) 2026-11-02T10:00:00.123456Z  WARN errwatch::daemon"
            ),
            "{l:?}"
        );
        assert!(!l.contains('\x1b'), "{l:?}");
    }
    assert!(lines[3].starts_with("test result: ok."));
}

// 18 ----------------------------------------------------------------------------------------

#[test]
fn subtotals_sit_under_their_columns_and_the_timeline_is_labelled() {
    for (lang, count_header, since) in [("en", "count", "since"), ("zh", "次数", "始于")] {
        let text = run(&["report", "--lang", lang, DEMO], &[("COLUMNS", "120")], None).ok("report").stdout;
        let lines: Vec<&str> = text.lines().collect();
        let first_column = if lang == "en" { "  provider/category " } else { "  服务商/类别 " };
        let header = lines.iter().find(|l| l.starts_with(first_column)).unwrap();
        let count_end = header[..header.find(count_header).unwrap() + count_header.len()].width();
        let report = json(&["report", "--format", "json", DEMO]);
        let mut totals = std::collections::BTreeMap::<String, u64>::new();
        for row in report["by_code"].as_array().unwrap() {
            *totals.entry(row["provider"].as_str().unwrap().to_string()).or_default() +=
                row["count"].as_u64().unwrap();
        }
        for (provider, total) in &totals {
            let row = lines.iter().find(|l| l.starts_with(&format!("  {provider} "))).unwrap();
            let at = row.find(&format!(" {total} ")).unwrap() + 1 + total.to_string().len();
            assert_eq!(
                row[..at].width(),
                count_end,
                "{lang}: {provider}'s total under the count column:\n{header}\n{row}"
            );
            // Its sparkline is on a labelled line of the timeline.
            assert!(lines.iter().any(|l| l.starts_with(&format!("  {provider} ")) && l.contains('|')));
        }
        let label = if lang == "en" { "OVER TIME (one mark per " } else { "时间分布（每格 " };
        assert!(text.contains(label), "{text}");
        let re = regex::Regex::new(&format!(
            r"{since} \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}:\d{{2}} [+-]\d{{2}}:\d{{2}}"
        ))
        .unwrap();
        assert!(re.is_match(&text), "since with year and zone");
    }
}
