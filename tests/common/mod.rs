//! What the integration tests share: spawning the real binary, free loopback ports, scraping
//! `/metrics` over TCP, and bounded waiting.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_errwatch");

pub fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The body of `GET path` when the answer is 200, else `None`.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    http_answer(port, path).filter(|(status, _)| *status == 200).map(|(_, body)| body)
}

/// The status and body of `GET path`, whatever the status; `None` when nothing answers.
pub fn http_answer(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.strip_prefix("HTTP/1.")?.get(2..5)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// The daemon has looked at every source once: `/healthz` is 200, or 503 because the paths it
/// was given follow no file yet (a test that creates its files after the start).
pub fn looked_at_every_source(port: u16) -> bool {
    matches!(http_answer(port, "/healthz"), Some((200, _)))
        || matches!(http_answer(port, "/healthz"), Some((503, b)) if b.starts_with("no source followed"))
}

/// Sum of every sample of `name` whose labels contain all of `labels` (`key="value"`).
pub fn metric_sum(exposition: &str, name: &str, labels: &[&str]) -> f64 {
    exposition
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter(|l| labels.iter().all(|want| l.contains(want)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Polls `check` until it returns `Some`, for at most `limit`.
pub fn wait_for<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `errwatch`, killed when dropped.
pub struct Daemon {
    pub child: Child,
    pub port: u16,
}

impl Daemon {
    pub fn start(args: &[&str]) -> Daemon {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let poll: &[&str] = if args.contains(&"--poll-interval") { &[] } else { &["--poll-interval", "0.1"] };
        let child = Command::new(BIN)
            .arg("watch")
            .args(["--listen", &listen])
            .args(poll)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("errwatch starts");
        let d = Daemon { child, port };
        wait_for(Duration::from_secs(10), || looked_at_every_source(port).then_some(()))
            .expect("errwatch answers /healthz");
        d
    }

    pub fn metrics(&self) -> String {
        http_get(self.port, "/metrics").unwrap_or_default()
    }

    pub fn errors(&self) -> f64 {
        metric_sum(&self.metrics(), "errwatch_errors_total", &[])
    }

    /// Waits until the error total is `want` and stays there a moment (so a late double count
    /// would show); returns the last total seen.
    pub fn settle_at(&self, want: f64) -> f64 {
        wait_for(Duration::from_secs(10), || (self.errors() == want).then_some(()));
        std::thread::sleep(Duration::from_millis(400));
        self.errors()
    }

    pub fn signal(&self, sig: &str) {
        Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status().unwrap();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-line Zhipu error body with the given code.
pub fn zhipu_line(n: usize, code: &str) -> String {
    format!(
        r#"2026-11-02 10:00:{:02} ERROR upstream call {n} failed body={{"error":{{"code":"{code}","message":"m"}}}}"#,
        n % 60
    )
}

pub fn append(path: &Path, lines: &[String]) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f.flush().unwrap();
}

/// The alert rules `dashboards/alerts.yml` must define.
pub const ALERTS: &[&str] = &[
    "ErrwatchBillingExhausted",
    "ErrwatchAuthFailing",
    "ErrwatchAccountLocked",
    "ErrwatchRateLimitStorm",
    "ErrwatchProviderServerErrors",
    "ErrwatchUnknownCode",
    "ErrwatchDown",
    "ErrwatchNotReading",
];

/// A program on PATH.
pub fn in_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()))
}

/// `promtool check metrics` on an exposition: it must pass with nothing to say.
pub fn promtool_check_metrics(promtool: &Path, what: &str, body: &str) {
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool check metrics");
    child.stdin.take().unwrap().write_all(body.as_bytes()).expect("write to promtool");
    let out = child.wait_with_output().expect("promtool check metrics");
    let problems =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success() && problems.trim().is_empty(),
        "promtool check metrics on {what}: {}\n{problems}",
        out.status
    );
}
