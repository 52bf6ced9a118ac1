//! `watch --print=jsonl --state-dir` killed with SIGKILL at varied moments (right after its
//! start, a while after, the moment it prints) while a writer appends provider errors, restarted each time with the same state directory, its stdout
//! appended to one file. Records are printed before the checkpoint that covers them is saved,
//! so the printed feed holds every error written (a record printed just before a kill may be
//! printed again after the restart), and `/metrics`, restored from the checkpoint, counts each
//! exactly once.
//!
//! The errors are the single-line records of `fixtures/logs/demo/app.log` (Volcengine's JSON
//! lines and PPIO's bodies), each written with its own call number, an info line after each.
//! The truth is the writer's own list of (line number, code), checked against `errwatch scan`
//! of the file at the end.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{free_port, http_get, looked_at_every_source, metric_sum, repo, wait_for, Daemon, BIN};
use serde_json::Value;

const FIXTURE: &str = "fixtures/logs/demo/app.log";

/// The fixture's single-line error records, with the code each is counted under.
fn pool() -> Vec<(String, String)> {
    let text = fs::read_to_string(repo(FIXTURE)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let out = Command::new(BIN).args(["scan", "--format", "jsonl"]).arg(repo(FIXTURE)).output().unwrap();
    assert!(out.status.success());
    let mut pool = Vec::new();
    for record in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(record).unwrap();
        let line = lines[v["line"].as_u64().unwrap() as usize - 1];
        if line.starts_with('{') || line.contains(" ERROR app.llm: upstream ") {
            pool.push((line.to_string(), v["code"].as_str().unwrap().to_string()));
        }
    }
    // Only lines that are errors on their own: one named only by the lines before it is not
    // counted after a restart that resumes between the two.
    let dir = tempfile::tempdir().unwrap();
    pool.retain(|(line, code)| {
        let alone = dir.path().join("alone.log");
        fs::write(&alone, format!("{line}\n")).unwrap();
        let out = Command::new(BIN).args(["scan", "--format", "jsonl"]).arg(&alone).output().unwrap();
        let found: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        found.len() == 1 && found[0]["code"].as_str() == Some(code)
    });
    assert!(pool.len() >= 15, "single-line errors in {FIXTURE}: {}", pool.len());
    pool
}

/// A pool line made distinct from its other copies by its call number `n`.
fn distinct(line: &str, n: usize) -> String {
    if line.starts_with('{') {
        line.replacen("\"llm call failed\"", &format!("\"llm call failed (call {n})\""), 1)
    } else {
        line.replacen(" upstream ", &format!(" upstream call {n} "), 1)
    }
}

/// What the writer wrote: the line number and code of each error, and the number of lines.
#[derive(Default)]
struct Written {
    errors: Vec<(u64, String)>,
    lines: u64,
}

/// Appends bursts of errors (each followed by an info line) until told to stop.
/// `progress`: the errors written so far.
fn writer(
    log: PathBuf,
    pool: Vec<(String, String)>,
    stop: Arc<AtomicBool>,
    progress: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<Written> {
    std::thread::spawn(move || {
        let mut w = Written::default();
        let mut f = OpenOptions::new().append(true).open(&log).unwrap();
        let mut burst = 0usize;
        while !stop.load(Ordering::SeqCst) {
            burst += 1;
            let mut text = String::new();
            for _ in 0..1 + burst * 7 % 60 {
                let n = w.errors.len();
                let (line, code) = &pool[n % pool.len()];
                text.push_str(&distinct(line, n));
                text.push('\n');
                w.errors.push((w.lines + 1, code.clone()));
                text.push_str(&format!(
                    "2026-11-02 10:00:00,000 INFO app.web: GET /healthz 200 1ms req={n}\n"
                ));
                w.lines += 2;
            }
            f.write_all(text.as_bytes()).unwrap();
            f.flush().unwrap();
            progress.store(w.errors.len(), Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis((burst * 13 % 25) as u64));
        }
        w
    })
}

/// `watch --print=jsonl` with its stdout appended to `feed`; `ready`: once it answers `/healthz`.
fn start(log: &Path, state: &Path, feed: &Path, ready: bool) -> Daemon {
    // A record cut off by the last kill ends there: the next run's first one starts a line.
    let bytes = fs::read(feed).unwrap_or_default();
    let mut out = OpenOptions::new().create(true).append(true).open(feed).unwrap();
    if bytes.last().is_some_and(|b| *b != b'\n') {
        out.write_all(b"\n").unwrap();
    }
    let port = free_port();
    let child = Command::new(BIN)
        .args(["watch", "--print=jsonl", "--poll-interval", "0.05", "--from-start"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--state-dir")
        .arg(state)
        .arg(log)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::inherit())
        .spawn()
        .expect("errwatch starts");
    let d = Daemon { child, port };
    if ready {
        wait_for(Duration::from_secs(10), || looked_at_every_source(port).then_some(()))
            .expect("errwatch answers /healthz");
    }
    d
}

/// SIGKILL (`Daemon`'s drop) the moment its printed records reach the feed (or after 2 s):
/// mid-commit.
fn kill_while_printing(d: Daemon, feed: &Path) {
    let before = fs::metadata(feed).map_or(0, |m| m.len());
    let limit = Instant::now() + Duration::from_secs(2);
    while fs::metadata(feed).map_or(0, |m| m.len()) == before && Instant::now() < limit {
        std::hint::spin_loop();
    }
    drop(d);
}

/// Scrapes `/metrics` on `port` as fast as it answers until told to stop; the most errors seen.
fn scraper(port: u16) -> (Arc<AtomicBool>, std::thread::JoinHandle<f64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let seen = std::thread::spawn(move || {
        let mut most = 0f64;
        while !stopped.load(Ordering::SeqCst) {
            if let Some(m) = http_get(port, "/metrics") {
                most = most.max(metric_sum(&m, "errwatch_errors_total", &[]));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        most
    });
    (stop, seen)
}

/// The errors the checkpoint in `state` holds.
fn checkpointed(state: &Path) -> f64 {
    let Ok(bytes) = fs::read(state.join("state.json")) else { return 0.0 };
    let saved: Value = serde_json::from_slice(&bytes).unwrap();
    saved["errors"].as_array().unwrap().iter().map(|e| e["count"].as_u64().unwrap()).sum::<u64>() as f64
}

#[derive(Clone, Copy)]
enum Kill {
    /// This many milliseconds after `/healthz` answers.
    After(u64),
    /// 20 ms after the start, before it has looked at anything.
    AtStart,
    /// Once it has caught up with the writer, the moment it prints (one burst's records).
    WhilePrinting,
    /// The moment it first prints: its first commit, catching up with what it has not read.
    AtFirstPrint,
}

/// What a writer wrote while errwatch was killed at each of `kills` and restarted, and what the
/// last run, let catch up and stopped with SIGTERM, said.
struct Killed {
    _dir: tempfile::TempDir,
    log: PathBuf,
    feed: PathBuf,
    written: Written,
    /// Per killed run: the most errors a scrape of it saw, and the checkpoint the kill left.
    scrapes: Vec<(f64, f64)>,
    /// The last run's `errwatch_errors_total` and `errwatch_lines_read_total`, once caught up.
    counted: f64,
    lines_read: f64,
    status: std::process::ExitStatus,
}

/// `scrape`: `/metrics` of each killed run is scraped all along.
fn kill_and_restart(kills: &[Kill], scrape: bool) -> Killed {
    let dir = tempfile::tempdir().unwrap();
    let (log, state, feed) = (dir.path().join("app.log"), dir.path().join("state"), dir.path().join("feed"));
    File::create(&log).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(AtomicUsize::new(0));
    let mut pool = Some(pool());
    let mut writing = None;
    let mut scrapes = Vec::new();
    for (i, kill) in kills.iter().enumerate() {
        let d = start(&log, &state, &feed, !matches!(kill, Kill::AtStart));
        let scraping = scrape.then(|| scraper(d.port));
        if i == 0 {
            writing = Some(writer(log.clone(), pool.take().unwrap(), stop.clone(), progress.clone()));
        }
        match *kill {
            Kill::After(ms) => {
                std::thread::sleep(Duration::from_millis(ms));
                drop(d);
            }
            Kill::AtStart => {
                std::thread::sleep(Duration::from_millis(20));
                drop(d);
            }
            Kill::WhilePrinting => {
                let behind = progress.load(Ordering::SeqCst) as f64;
                wait_for(Duration::from_secs(20), || (d.errors() >= behind).then_some(()))
                    .expect("errwatch catches up with the writer");
                kill_while_printing(d, &feed);
            }
            Kill::AtFirstPrint => kill_while_printing(d, &feed),
        }
        if let Some((scraped, seen)) = scraping {
            std::thread::sleep(Duration::from_millis(20));
            scraped.store(true, Ordering::SeqCst);
            scrapes.push((seen.join().unwrap(), checkpointed(&state)));
        }
    }
    stop.store(true, Ordering::SeqCst);
    let written = writing.unwrap().join().unwrap();
    let want = written.errors.len() as f64;
    assert!(want > 200.0, "{want} errors written");

    let mut last = start(&log, &state, &feed, true);
    wait_for(Duration::from_secs(30), || (last.errors() == want).then_some(()));
    let counted = last.settle_at(want);
    let lines_read = metric_sum(&last.metrics(), "errwatch_lines_read_total", &[]);
    last.signal("TERM");
    let status =
        wait_for(Duration::from_secs(5), || last.child.try_wait().unwrap()).expect("exits on SIGTERM");
    Killed { _dir: dir, log, feed, written, scrapes, counted, lines_read, status }
}

#[test]
fn print_never_loses_a_record_at_a_kill_and_metrics_count_each_once() {
    let started = Instant::now();
    use Kill::*;
    let kills =
        [After(0), WhilePrinting, After(130), AtFirstPrint, After(260), AtStart, WhilePrinting, After(40)];
    let Killed { _dir, log, feed, written, counted, lines_read, status, .. } =
        kill_and_restart(&kills, false);
    assert_eq!(counted, written.errors.len() as f64, "errors on /metrics");
    assert_eq!(lines_read, written.lines as f64, "every line read once");
    assert!(status.success(), "{status}");

    // The writer's truth is what errwatch finds in the file.
    let out = Command::new(BIN).args(["scan", "--format", "jsonl"]).arg(&log).output().unwrap();
    let scanned: Vec<(u64, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["line"].as_u64().unwrap(), v["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(scanned, written.errors, "scan of the written file");

    // The printed feed: every error at least once, nothing else; a record cut by a kill is
    // printed whole again by the next run.
    let text = String::from_utf8_lossy(&fs::read(&feed).unwrap()).into_owned();
    let mut printed: BTreeMap<(u64, String), usize> = BTreeMap::new();
    let mut torn = 0;
    for l in text.lines() {
        match serde_json::from_str::<Value>(l) {
            Ok(v) => {
                assert_eq!(v["source"].as_str(), log.to_str(), "{l}");
                let key = (v["line"].as_u64().unwrap(), v["code"].as_str().unwrap().to_string());
                *printed.entry(key).or_default() += 1;
            }
            Err(_) => torn += 1,
        }
    }
    let truth: BTreeSet<(u64, String)> = written.errors.iter().cloned().collect();
    let missing: Vec<_> = truth.iter().filter(|e| !printed.contains_key(e)).collect();
    let stray: Vec<_> = printed.keys().filter(|e| !truth.contains(e)).collect();
    assert!(missing.is_empty(), "{} of {} errors never printed: {missing:?}", missing.len(), truth.len());
    assert!(stray.is_empty(), "printed but never written: {stray:?}");
    assert!(torn <= kills.len(), "{torn} unreadable lines in the feed, for {} kills", kills.len());
    let again: usize = printed.values().map(|n| n - 1).sum();
    eprintln!(
        "{} errors written, each printed (again: {again}, cut off by a kill: {torn}), counted once; {:?}",
        truth.len(),
        started.elapsed()
    );
}

/// `/metrics` publishes counts only once the checkpoint holds them: whatever a scrape saw
/// before a kill, the restart restores at least, so a counter never goes back (which
/// Prometheus would take for a reset, and count everything again). Killed while it prints,
/// between publishing a commit's errors and saving its checkpoint if it did that.
#[test]
fn a_scrape_never_sees_counts_a_kill_takes_back() {
    let killed = kill_and_restart(
        &[Kill::AtFirstPrint, Kill::WhilePrinting, Kill::AtFirstPrint, Kill::WhilePrinting],
        true,
    );
    for (i, (seen, saved)) in killed.scrapes.iter().enumerate() {
        assert!(
            seen <= saved,
            "run {i}: a scrape saw {seen} errors, the checkpoint its kill left holds {saved}"
        );
    }
    assert_eq!(killed.counted, killed.written.errors.len() as f64, "errors on /metrics");
}
