//! Soak run of the daemon: steady writers on several files, rotation every few seconds
//! (alternating rename+create and copytruncate), `/metrics` scraped continuously, SIGHUP
//! reloads, and one SIGKILL restart half-way. At the end every error written must be counted
//! exactly once, the resident memory must not have grown after warm-up, and no file
//! descriptor may have leaked. Exits 1 when any of that fails.
//!
//! `cargo run --release --example soak -- [--seconds 120] [--files 3] [--rate 2000] [--bin PATH]`
//! (`benches/soak.sh` does that; `--seconds 3600` for a long run). Loopback only.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

struct Args {
    seconds: u64,
    files: usize,
    rate: u64,
    bin: PathBuf,
    kill: bool,
    rotate: String,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 120,
        files: 3,
        rate: 2000,
        bin: PathBuf::from("target/release/errwatch"),
        kill: true,
        rotate: "both".to_string(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => a.seconds = value.parse().expect("--seconds N"),
            "--files" => a.files = value.parse().expect("--files N"),
            "--rate" => a.rate = value.parse().expect("--rate LINES_PER_SECOND_PER_FILE"),
            "--bin" => a.bin = PathBuf::from(value),
            "--kill" => a.kill = value.parse().expect("--kill true|false"),
            "--rotate" => a.rotate = value,
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// Starts errwatch; run `k` prints every error it counts to `dir/run-k.jsonl` and logs to
/// `dir/run-k.log`, so a miscount can be traced to the lines read twice or never.
fn start(bin: &Path, port: u16, dir: &Path, pattern: &str, k: u64) -> Child {
    let out = fs::File::create(dir.join(format!("run-{k}.jsonl"))).expect("trace file");
    let log = fs::File::create(dir.join(format!("run-{k}.log"))).expect("log file");
    Command::new(bin)
        .args([
            "watch",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--poll-interval",
            "0.2",
            "--print",
            "jsonl",
        ])
        .arg("--state-dir")
        .arg(dir.join("state"))
        .arg(pattern)
        .env("RUST_LOG", "errwatch=debug")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(log)
        .spawn()
        .expect("errwatch starts")
}

/// For a miscount: the errors (named by their unique message) that a run printed more than
/// once, and those no run printed. Printing is at-least-once across a SIGKILL (errors read
/// after the last checkpoint are read again), so duplicates are only reported within a run.
fn trace_miscount(dir: &Path, runs: u64, written: u64) {
    let mut seen = std::collections::BTreeSet::new();
    for k in 0..runs {
        let text = fs::read_to_string(dir.join(format!("run-{k}.jsonl"))).unwrap_or_default();
        let mut in_run: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for line in text.lines() {
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let message = v["message"].as_str().unwrap_or_default().to_string();
            let at = format!("{}:{}", v["source"].as_str().unwrap_or_default(), v["line"]);
            in_run.entry(message.clone()).or_default().push(at);
            seen.insert(message);
        }
        let twice: Vec<_> = in_run.iter().filter(|(_, at)| at.len() > 1).collect();
        println!("run {k}: {} errors printed, {} more than once", in_run.len(), twice.len());
        for (message, at) in twice.iter().take(5) {
            println!("  {message}: {}", at.join(", "));
        }
    }
    println!("errors written: {written}, printed by some run: {}", seen.len());
    println!("trace kept in {}", dir.display());
}

fn scrape(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET /metrics HTTP/1.0\r\n\r\n").ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body.split_once("\r\n\r\n")?.1.to_string())
}

fn sum(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

fn proc_stat(pid: u32) -> (u64, usize) {
    let rss = fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    let fds = fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count()).unwrap_or(0);
    (rss, fds)
}

/// What the writers did.
#[derive(Default)]
struct Tally {
    lines: AtomicU64,
    errors: AtomicU64,
    rotations: AtomicU64,
}

/// Appends lines (one in ten a provider error) at `rate` per second; rotates every 5 s.
fn writer(path: PathBuf, rate: u64, rotate: String, stop: Arc<AtomicBool>, tally: Arc<Tally>) {
    let batch = (rate / 100).max(1);
    let mut n: u64 = 0;
    // Each file's lines name it: real logs differ from their first bytes on (errwatch takes a
    // file whose first KiB equals a followed one's for a copy of it).
    let me = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut last_rotation = Instant::now();
    let mut generation: u64 = 0;
    while !stop.load(Ordering::Relaxed) {
        let mut text = String::new();
        for _ in 0..batch {
            n += 1;
            if n.is_multiple_of(10) {
                text.push_str(&format!(
                    "2026-11-02 10:00:00 ERROR {me} call {n} failed body={{\"error\":{{\"code\":\"1302\",\"message\":\"{me} {n}\"}}}}\n"
                ));
                tally.errors.fetch_add(1, Ordering::Relaxed);
            } else {
                text.push_str(&format!("2026-11-02 10:00:00 INFO {me} request {n} ok path=/v1/chat\n"));
            }
        }
        OpenOptions::new().create(true).append(true).open(&path).unwrap().write_all(text.as_bytes()).unwrap();
        tally.lines.fetch_add(batch, Ordering::Relaxed);
        if last_rotation.elapsed() > Duration::from_secs(5) {
            generation += 1;
            let rotated = PathBuf::from(format!("{}.{generation}", path.display()));
            let rename = match rotate.as_str() {
                "rename" => true,
                "copy" => false,
                _ => generation.is_multiple_of(2),
            };
            if rename {
                fs::rename(&path, &rotated).unwrap();
                fs::write(&path, "").unwrap();
            } else {
                fs::copy(&path, &rotated).unwrap();
                OpenOptions::new().write(true).truncate(true).open(&path).unwrap();
            }
            tally.rotations.fetch_add(1, Ordering::Relaxed);
            last_rotation = Instant::now();
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn main() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("errwatch-soak-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let pattern = format!("{}/*.log*", dir.display());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    for i in 0..a.files {
        fs::write(dir.join(format!("app-{i}.log")), "").unwrap();
    }
    let mut child = start(&a.bin, port, &dir, &pattern, 0);
    thread::sleep(Duration::from_millis(500));
    let (stop, tally) = (Arc::new(AtomicBool::new(false)), Arc::new(Tally::default()));
    let writers: Vec<_> = (0..a.files)
        .map(|i| {
            let (path, stop, tally) = (dir.join(format!("app-{i}.log")), stop.clone(), tally.clone());
            let (rate, rotate) = (a.rate, a.rotate.clone());
            thread::spawn(move || writer(path, rate, rotate, stop, tally))
        })
        .collect();
    let started = Instant::now();
    let run = Duration::from_secs(a.seconds);
    let (mut scrapes, mut failed_scrapes, mut hups, mut restarts) = (0u64, 0u64, 0u64, 0u64);
    let mut samples: Vec<(Duration, u64, usize)> = Vec::new();
    let mut last_hup = Instant::now();
    let mut restart_at = None;
    while started.elapsed() < run {
        thread::sleep(Duration::from_millis(200));
        scrapes += 1;
        if scrape(port).is_none() {
            failed_scrapes += 1;
        }
        let (rss, fds) = proc_stat(child.id());
        // Every rotated file the glob matches is followed, and holds a descriptor by design:
        // what must not grow is the descriptors beyond those.
        let followed = scrape(port).map_or(0, |m| sum(&m, "errwatch_sources_followed")) as usize;
        samples.push((started.elapsed(), rss, fds.saturating_sub(followed)));
        if last_hup.elapsed() > Duration::from_secs(20) {
            let _ = Command::new("kill").args(["-HUP", &child.id().to_string()]).status();
            hups += 1;
            last_hup = Instant::now();
        }
        if a.kill && restarts == 0 && started.elapsed() > run / 2 {
            let _ = child.kill();
            let _ = child.wait();
            child = start(&a.bin, port, &dir, &pattern, 1);
            restarts += 1;
            restart_at = Some(started.elapsed());
            thread::sleep(Duration::from_millis(300));
        }
    }
    stop.store(true, Ordering::Relaxed);
    writers.into_iter().for_each(|w| w.join().unwrap());
    let want = tally.errors.load(Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut got = 0;
    while Instant::now() < deadline {
        got = scrape(port).map_or(got, |m| sum(&m, "errwatch_errors_total"));
        if got == want {
            break;
        }
        thread::sleep(Duration::from_millis(200));
    }
    thread::sleep(Duration::from_millis(500));
    got = scrape(port).map_or(got, |m| sum(&m, "errwatch_errors_total"));
    let (end_rss, end_fds) = proc_stat(child.id());
    let end_followed = scrape(port).map_or(0, |m| sum(&m, "errwatch_sources_followed")) as usize;
    let end_fds = end_fds.saturating_sub(end_followed);
    let _ = child.kill();
    let _ = child.wait();
    // The second process: warm-up is its first 10 s; compare its RSS and fds after that.
    let second_start = restart_at.unwrap_or_default() + Duration::from_secs(10);
    let warm: Vec<&(Duration, u64, usize)> = samples.iter().filter(|s| s.0 >= second_start).collect();
    let (warm_rss, warm_fds) = warm.first().map_or((end_rss, end_fds), |s| (s.1, s.2));
    let peak_rss = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let rss_ok = end_rss <= warm_rss + warm_rss / 5 + 2048;
    let fds_ok = end_fds <= warm_fds + 2 * a.files;
    let counts_ok = got == want;
    println!("| soak | value |");
    println!("|---|---|");
    println!("| duration | {} s, {} files, {} lines/s each |", a.seconds, a.files, a.rate);
    println!("| errors written / counted | {want} / {got} {} |", if counts_ok { "OK" } else { "MISMATCH" });
    println!("| lines written | {} |", tally.lines.load(Ordering::Relaxed));
    println!("| rotations (rename+create and copytruncate) | {} |", tally.rotations.load(Ordering::Relaxed));
    println!("| SIGHUP reloads / SIGKILL restarts | {hups} / {restarts} |");
    println!("| scrapes / failed | {scrapes} / {failed_scrapes} |");
    println!("| peak RSS | {:.1} MB |", peak_rss as f64 / 1024.0);
    println!(
        "| RSS after warm-up / at end | {:.1} / {:.1} MB {} |",
        warm_rss as f64 / 1024.0,
        end_rss as f64 / 1024.0,
        if rss_ok { "OK" } else { "GREW" }
    );
    println!(
        "| open fds beyond followed files, after warm-up / at end | {warm_fds} / {end_fds} {} |",
        if fds_ok { "OK" } else { "LEAK" }
    );
    if counts_ok {
        let _ = fs::remove_dir_all(&dir);
    } else {
        trace_miscount(&dir, restarts + 1, want);
    }
    if !(counts_ok && rss_ok && fds_ok && failed_scrapes == 0) {
        std::process::exit(1);
    }
}
