//! The daemon under load: a log file growing at a fixed rate while `errwatch watch` follows it
//! and `/metrics` is scraped many times a second. Run by `benches/daemon.sh`.
//!
//! ```text
//! daemon_bench --errwatch target/release/errwatch --corpus FILE [--rate 100000]
//!              [--scrape-ms 50] [--marker-ms 250] [--timeout 120]
//! ```
//!
//! FILE is a corpus from `gen_corpus` (with its `FILE.expected.json`). Its lines are appended,
//! all of them, at `--rate` lines per second (in batches every 5 ms) to a new file that
//! errwatch follows from its start. Every `--marker-ms` a marker error (Coze code 4999, in no
//! corpus) goes in between two records; a poller reads `/metrics` every 2 ms until the marker's
//! counter moves, which gives the delay from a line being written to its count being served.
//! A scraper reads `/metrics` every `--scrape-ms` for the whole run and times each request.
//! At the end: `errwatch_lines_read_total` must equal the lines written and the error counts
//! must equal the corpus's expected counts plus the markers.
//!
//! Loopback only; every loop is bounded in count and time; the child is stopped at the end.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const MARKER_CODE: &str = "4999";

struct Args {
    errwatch: String,
    corpus: String,
    rate: u64,
    scrape_ms: u64,
    marker_ms: u64,
    timeout: u64,
    dir: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        errwatch: "target/release/errwatch".into(),
        corpus: String::new(),
        rate: 100_000,
        scrape_ms: 50,
        marker_ms: 250,
        timeout: 120,
        dir: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |n: &str| it.next().ok_or_else(|| format!("{n} needs a value"));
        let num = |s: String, n: &str| s.parse::<u64>().map_err(|e| format!("{n}: {e}"));
        match arg.as_str() {
            "--errwatch" => a.errwatch = val("--errwatch")?,
            "--corpus" => a.corpus = val("--corpus")?,
            "--rate" => a.rate = num(val("--rate")?, "--rate")?,
            "--scrape-ms" => a.scrape_ms = num(val("--scrape-ms")?, "--scrape-ms")?,
            "--marker-ms" => a.marker_ms = num(val("--marker-ms")?, "--marker-ms")?,
            "--timeout" => a.timeout = num(val("--timeout")?, "--timeout")?,
            "--dir" => a.dir = Some(val("--dir")?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.corpus.is_empty() || a.rate == 0 || a.scrape_ms == 0 || a.marker_ms == 0 {
        return Err("usage: daemon_bench --corpus FILE [--errwatch PATH] [--rate N] [--scrape-ms N] [--marker-ms N] [--timeout S] [--dir D]".into());
    }
    Ok(a)
}

/// GET `path` over a new connection; the body, and how long the whole exchange took.
fn get(addr: SocketAddr, path: &str) -> Result<(String, Duration), String> {
    let t0 = Instant::now();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
    s.set_write_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut buf = Vec::with_capacity(16 * 1024);
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let took = t0.elapsed();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Err("no HTTP header".into());
    };
    if !head.starts_with("HTTP/1.1 200") {
        return Err(head.lines().next().unwrap_or("").to_string());
    }
    Ok((body.to_string(), took))
}

fn label<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let k = format!("{key}=\"");
    let at = line.find(&k)? + k.len();
    let end = line[at..].find('"')?;
    Some(&line[at..at + end])
}

#[derive(Default, Clone)]
struct Scrape {
    lines: u64,
    errors: BTreeMap<(String, String), u64>,
}

fn parse_metrics(body: &str) -> Scrape {
    let mut s = Scrape::default();
    for line in body.lines() {
        let value = || line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) as u64;
        if line.starts_with("errwatch_lines_read_total{") {
            s.lines += value();
        } else if line.starts_with("errwatch_errors_total{") {
            if let (Some(p), Some(c)) = (label(line, "provider"), label(line, "code")) {
                *s.errors.entry((p.to_string(), c.to_string())).or_default() += value();
            }
        }
    }
    s
}

/// The `q` quantile of `v` (nearest rank), as [`percentiles`] reports it.
fn quantile(v: &[f64], q: f64) -> Option<f64> {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (!v.is_empty()).then(|| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1])
}

fn percentiles(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "| - | - | - | - | - |".into();
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    format!("| {} | {:.2} | {:.2} | {:.2} | {:.2} |", v.len(), p(0.5), p(0.9), p(0.99), v[v.len() - 1])
}

type Counts = BTreeMap<(String, String), u64>;

fn expected_counts(path: &str) -> Result<(u64, Counts), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let mut m = BTreeMap::new();
    for r in v["by_code"].as_array().into_iter().flatten() {
        let k =
            (r["provider"].as_str().unwrap_or("").to_string(), r["code"].as_str().unwrap_or("").to_string());
        *m.entry(k).or_default() += r["count"].as_u64().unwrap_or(0);
    }
    Ok((v["lines"].as_u64().unwrap_or(0), m))
}

/// May a marker go in before this line? Only between records: not inside a traceback, a
/// pretty-printed body or an SSE block, and not between an HTTP client's status line and
/// the exception after it (a marker is Coze's; statuses here are other providers').
fn record_start(prev: &[u8], line: &[u8]) -> bool {
    line.first().is_some_and(u8::is_ascii_digit) && !prev.trim_ascii_end().ends_with(b"{")
}

struct Child2(Child);

impl Drop for Child2 {
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..50 {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(a: Args) -> Result<bool, String> {
    let corpus = std::fs::read(&a.corpus).map_err(|e| format!("{}: {e}", a.corpus))?;
    let (corpus_lines, mut want) = expected_counts(&format!("{}.expected.json", a.corpus))?;
    if want.contains_key(&("coze".to_string(), MARKER_CODE.to_string())) {
        return Err(format!("the corpus holds coze/{MARKER_CODE}, the marker's code"));
    }
    // Line starts.
    let mut starts = vec![0usize];
    starts.extend(memchr_iter(b'\n', &corpus).map(|i| i + 1));
    if starts.last() == Some(&corpus.len()) {
        starts.pop();
    }
    let n_lines = starts.len() as u64;
    if n_lines != corpus_lines {
        return Err(format!("{} has {n_lines} lines, its expected file says {corpus_lines}", a.corpus));
    }
    let line_at = |i: usize| -> &[u8] {
        let end = starts.get(i + 1).copied().unwrap_or(corpus.len());
        &corpus[starts[i]..end]
    };

    let dir = match &a.dir {
        Some(d) => std::path::PathBuf::from(d),
        None => std::env::temp_dir().join(format!("errwatch-daemon-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let log_path = dir.join("app.log");
    let _ = std::fs::remove_file(&log_path);
    let mut log = OpenOptions::new().create(true).append(true).open(&log_path).map_err(|e| e.to_string())?;

    let port =
        TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let child = Command::new(&a.errwatch)
        .args(["watch", "--listen", &addr.to_string(), "--from-start"])
        .arg(&log_path)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{}: {e}", a.errwatch))?;
    let child = Child2(child);
    let ready = Instant::now();
    loop {
        if get(addr, "/healthz").is_ok() {
            break;
        }
        if ready.elapsed() > Duration::from_secs(15) {
            return Err("errwatch did not answer /healthz within 15 s".into());
        }
        thread::sleep(Duration::from_millis(20));
    }
    let rss_of = |pid: u32| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    };
    let pid = child.0.id();

    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.timeout);

    // Scraper: every scrape_ms, timed.
    let scraper = {
        let (stop, written) = (stop.clone(), written.clone());
        let every = Duration::from_millis(a.scrape_ms);
        thread::spawn(move || {
            let (mut lat, mut failures, mut max_lag) = (Vec::new(), 0u64, 0u64);
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let w = written.load(Ordering::Relaxed);
                match get(addr, "/metrics") {
                    Ok((body, took)) => {
                        lat.push(took.as_secs_f64() * 1000.0);
                        max_lag = max_lag.max(w.saturating_sub(parse_metrics(&body).lines));
                    }
                    Err(_) => failures += 1,
                }
                next += every;
                let now = Instant::now();
                if next > now {
                    thread::sleep(next - now);
                } else {
                    next = now;
                }
            }
            (lat, failures, max_lag)
        })
    };

    // Marker poller: for each marker (k, written at), poll until the counter reaches k.
    let (marker_tx, marker_rx) = mpsc::channel::<(u64, Instant)>();
    let seen_markers = Arc::new(Mutex::new(0u64));
    let poller = {
        let seen_markers = seen_markers.clone();
        thread::spawn(move || {
            let mut delays = Vec::new();
            let mut missed = 0u64;
            let key = ("coze".to_string(), MARKER_CODE.to_string());
            while let Ok((k, at)) = marker_rx.recv_timeout(Duration::from_secs(a.timeout)) {
                let mut ok = false;
                for _ in 0..2500 {
                    if let Ok((body, _)) = get(addr, "/metrics") {
                        let n = parse_metrics(&body).errors.get(&key).copied().unwrap_or(0);
                        *seen_markers.lock().unwrap() = n;
                        if n >= k {
                            delays.push(at.elapsed().as_secs_f64() * 1000.0);
                            ok = true;
                            break;
                        }
                    }
                    if at.elapsed() > Duration::from_secs(5) {
                        break;
                    }
                    thread::sleep(Duration::from_millis(2));
                }
                if !ok {
                    missed += 1;
                }
            }
            (delays, missed)
        })
    };

    // Writer.
    let t0 = Instant::now();
    let tick = Duration::from_millis(5);
    let marker_every = Duration::from_millis(a.marker_ms);
    let mut next_marker = t0 + marker_every;
    let (mut i, mut markers, mut behind_max) = (0usize, 0u64, 0u64);
    let mut batch = Vec::with_capacity(1 << 20);
    while i < starts.len() {
        if Instant::now() > deadline {
            return Err("writer ran past --timeout".into());
        }
        let due = ((t0.elapsed().as_secs_f64() * a.rate as f64) as usize).min(starts.len());
        behind_max = behind_max.max(due.saturating_sub(i) as u64);
        let mut j = due.max(i);
        let marker_due = Instant::now() >= next_marker;
        if marker_due {
            // Up to the next record start at or after `j`, then the marker.
            while j < starts.len() && j > 0 && !record_start(line_at(j - 1), line_at(j)) {
                j += 1;
            }
        }
        batch.clear();
        for k in i..j {
            batch.extend_from_slice(line_at(k));
        }
        let mut marker_line = false;
        if marker_due && j < starts.len() {
            markers += 1;
            writeln!(
                batch,
                "2026-11-02 23:59:59,000 ERROR app.bot: coze chat failed status=200 body={{\"code\":{MARKER_CODE},\"msg\":\"bench marker {markers}\",\"detail\":{{\"logid\":\"20261102235959{markers:020X}\"}}}}"
            )
            .expect("vec write");
            marker_line = true;
            next_marker += marker_every;
        }
        if !batch.is_empty() {
            log.write_all(&batch).map_err(|e| e.to_string())?;
        }
        let at = Instant::now();
        i = j;
        written.store(i as u64 + markers, Ordering::Relaxed);
        if marker_line {
            let _ = marker_tx.send((markers, at));
        }
        let next = t0 + tick * ((t0.elapsed().as_nanos() / tick.as_nanos()) as u32 + 1);
        let now = Instant::now();
        if next > now && i < starts.len() {
            thread::sleep(next - now);
        }
    }
    let write_secs = t0.elapsed().as_secs_f64();
    drop(marker_tx);
    let total_lines = n_lines + markers;
    *want.entry(("coze".to_string(), MARKER_CODE.to_string())).or_default() += markers;

    // Wait until every line is read, then for held evidence to settle (idle flush).
    let mut caught_up = None;
    let mut last = Scrape::default();
    while Instant::now() < deadline {
        if let Ok((body, _)) = get(addr, "/metrics") {
            last = parse_metrics(&body);
            if last.lines >= total_lines && caught_up.is_none() {
                caught_up = Some(t0.elapsed().as_secs_f64());
            }
            if caught_up.is_some_and(|c| t0.elapsed().as_secs_f64() > c + 3.0) && last.errors == want {
                break;
            }
            if caught_up.is_some_and(|c| t0.elapsed().as_secs_f64() > c + 10.0) {
                break;
            }
        }
        thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let (scrape_lat, scrape_failures, max_lag) = scraper.join().map_err(|_| "scraper panicked")?;
    let (delays, missed) = poller.join().map_err(|_| "poller panicked")?;
    let peak_rss_kb = rss_of(pid);
    drop(child);
    let _ = std::fs::remove_file(&log_path);
    if a.dir.is_none() {
        let _ = std::fs::remove_dir(&dir);
    }

    let got_total: u64 = last.errors.values().sum();
    let want_total: u64 = want.values().sum();
    let lines_ok = last.lines == total_lines;
    // Documented codes are served from zero on: compare the codes that were seen.
    let seen = |m: &BTreeMap<(String, String), u64>| -> BTreeMap<(String, String), u64> {
        m.iter().filter(|(_, v)| **v > 0).map(|(k, v)| (k.clone(), *v)).collect()
    };
    let errors_ok = seen(&last.errors) == seen(&want);
    let mb = corpus.len() as f64 / 1048576.0;
    println!("### Daemon: {} lines/s target, {} lines ({:.0} MB) + {markers} markers", a.rate, n_lines, mb);
    println!();
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| write time s | {write_secs:.2} |");
    println!("| lines/s written (achieved) | {:.0} |", total_lines as f64 / write_secs);
    println!("| MB/s written | {:.1} |", mb / write_secs);
    println!("| writer's worst backlog (lines due, not yet written) | {behind_max} |");
    println!("| errwatch's worst lag at a scrape (lines written, not yet counted) | {max_lag} |");
    match caught_up {
        Some(c) => println!("| all lines counted after s (writer done at {write_secs:.2}) | {c:.2} |"),
        None => println!("| all lines counted | NO (timeout) |"),
    }
    println!(
        "| lines_read_total / lines written | {} / {} {} |",
        last.lines,
        total_lines,
        if lines_ok { "OK" } else { "MISMATCH" }
    );
    println!(
        "| errors_total / expected | {got_total} / {want_total} {} |",
        if errors_ok { "OK" } else { "MISMATCH" }
    );
    println!("| markers seen / written | {} / {markers} (missed {missed}) |", *seen_markers.lock().unwrap());
    println!("| scrapes failed | {scrape_failures} |");
    println!("| errwatch peak RSS MB | {:.1} |", peak_rss_kb as f64 / 1024.0);
    println!();
    println!("| ms | n | p50 | p90 | p99 | max |");
    println!("|---|---:|---:|---:|---:|---:|");
    let delay_p99 = quantile(&delays, 0.99);
    println!("| /metrics scrape latency (every {} ms) {}", a.scrape_ms, percentiles(scrape_lat));
    println!("| write -> count on /metrics {}", percentiles(delays));
    println!();
    // The issue's targets, for this run.
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let nothing_lost = lines_ok && errors_ok && missed == 0 && caught_up.is_some();
    let rate_mb = mb / write_secs;
    if rate_mb >= 100.0 {
        println!(
            "- target: {rate_mb:.1} MB/s appended (100 MB/s asked), scraped {:.0} times a second (50 asked), nothing lost: {}",
            1000.0 / a.scrape_ms as f64,
            verdict(nothing_lost && a.scrape_ms <= 20)
        );
    } else {
        println!(
            "- nothing lost at {rate_mb:.1} MB/s (below the 100 MB/s of the target): {}",
            verdict(nothing_lost)
        );
    }
    println!(
        "- target: line-to-metric delay p99 under 250 ms: {} ({})",
        verdict(delay_p99.is_some_and(|d| d < 250.0)),
        delay_p99.map_or("no marker seen".to_string(), |d| format!("{d:.2} ms"))
    );
    println!();
    if !errors_ok {
        let keys: std::collections::BTreeSet<_> = want.keys().chain(last.errors.keys()).collect();
        for k in keys {
            let (w, g) = (want.get(k).copied().unwrap_or(0), last.errors.get(k).copied().unwrap_or(0));
            if w != g {
                println!("- {}/{}: expected {w}, got {g}", k.0, k.1);
            }
        }
        println!();
    }
    Ok(lines_ok && errors_ok)
}

fn memchr_iter(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(needle, hay)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("daemon_bench: {e}");
            ExitCode::FAILURE
        }
    }
}
