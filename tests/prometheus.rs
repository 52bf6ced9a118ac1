//! errwatch against the real Prometheus: two `errwatch watch` daemons follow SDK-captured logs,
//! a real `prometheus` scrapes them every second and evaluates dashboards/alerts.yml, and the test
//! checks through Prometheus's HTTP API that
//! - both /metrics bodies pass `promtool check metrics`, and alerts.yml `promtool check rules`;
//! - every query of dashboards/errwatch.json is accepted, and the ones about errors the fixtures
//!   contain return data (the billing and auth stats turn red);
//! - every alert expression is accepted and evaluates without error, and ErrwatchBillingExhausted
//!   fires for each billing code in the logs;
//! - Prometheus's totals (overall, per provider, per code) equal `errwatch report --format json`.
//!
//! Needs `prometheus` and `promtool` on PATH (Debian/Ubuntu: `apt-get install prometheus`). Without
//! them the test prints why and passes, unless CI is set: then it fails.
//!
//! The logs are written in two steps. Instance A's file starts with a Zhipu log (read whole with
//! --from-start before Prometheus starts) and instance B's starts empty; once Prometheus has scraped
//! both, a Volcengine Ark log is appended to A and a Coze + PPIO log to B. The appended errors are
//! increases Prometheus sees from 0 (documented codes start at 0), which is what increase()-based
//! alerts and panels need; counters that were already non-zero at the first scrape are not.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{in_path, promtool_check_metrics, ALERTS};
use serde_json::Value;

const ERRWATCH: &str = env!("CARGO_BIN_EXE_errwatch");
const POLL: Duration = Duration::from_millis(500);

/// Instance A: read at start, then appended.
const A_START: &[&str] = &["fixtures/logs/sdk/zhipuai-logger-error.log"];
const A_APPEND: &[&str] = &["fixtures/logs/sdk/volcengine-ark-logger-error.log"];
/// Instance B: empty at start, then appended.
const B_APPEND: &[&str] =
    &["fixtures/logs/sdk/cozepy-chat-jsonl.log", "fixtures/logs/sdk/openai-ppio-logger-error.log"];

const METRIC_FAMILIES: &[&str] = &[
    "errwatch_errors_total",
    "errwatch_last_error_timestamp_seconds",
    "errwatch_lines_read_total",
    "errwatch_bytes_read_total",
    "errwatch_long_lines_total",
    "errwatch_invalid_utf8_lines_total",
    "errwatch_sources_followed",
    "errwatch_build_info",
];

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// Kills every child when dropped, also when the test panics; on a panic it prints the tail of
/// each child's log first.
struct Procs {
    children: Vec<(String, Child, PathBuf)>,
}

impl Procs {
    fn spawn(&mut self, name: &str, cmd: &mut Command, log: PathBuf) {
        let out = fs::File::create(&log).expect("create log file");
        let err = out.try_clone().expect("clone log file");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        self.children.push((name.to_string(), child, log));
    }

    /// Panics with the child's log if one has exited.
    fn assert_running(&mut self) {
        for (name, child, log) in &mut self.children {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{name} exited early ({status}); its output:\n{}", tail(log, 60));
            }
        }
    }
}

impl Drop for Procs {
    fn drop(&mut self) {
        for (_, child, _) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            for (name, _, log) in &self.children {
                eprintln!("----- {name} output (last lines) -----\n{}", tail(log, 40));
            }
        }
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn free_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap()
}

/// Polls `f` every 500 ms until it returns Ok, for at most `timeout`; panics with the last error.
fn wait_for<T>(
    what: &str,
    timeout: Duration,
    procs: &mut Procs,
    mut f: impl FnMut() -> Result<T, String>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        procs.assert_running();
        match f() {
            Ok(v) => return v,
            Err(e) if Instant::now() >= deadline => {
                panic!("timed out after {timeout:?} waiting for {what}: {e}")
            }
            Err(_) => sleep(POLL),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP (plain HTTP/1.0 over TcpStream)
// ---------------------------------------------------------------------------------------------

fn http_get(addr: SocketAddr, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| format!("connect {addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    s.set_write_timeout(Some(Duration::from_secs(5))).ok();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("send to {addr}: {e}"))?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| format!("read from {addr}{path}: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{addr}{path}: no HTTP header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| format!("{addr}{path}: bad status line {head:?}"))?;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Ok((status, String::from_utf8_lossy(&body).to_string()))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 || eol + 2 + size > b.len() {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
    out
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn api_get(prom: SocketAddr, path: &str) -> Result<Value, String> {
    let (code, body) = http_get(prom, path)?;
    let v: Value =
        serde_json::from_str(&body).map_err(|e| format!("{path}: HTTP {code}, not JSON ({e}): {body}"))?;
    if v["status"] != "success" {
        return Err(format!("{path}: HTTP {code}: {} {}", v["errorType"], v["error"]));
    }
    Ok(v["data"].clone())
}

/// An instant query: (labels, value) per series.
/// One sample of an instant vector: its labels and value.
type Sample = (BTreeMap<String, String>, f64);

fn query(prom: SocketAddr, q: &str) -> Result<Vec<Sample>, String> {
    let data = api_get(prom, &format!("/api/v1/query?query={}", urlencode(q)))
        .map_err(|e| format!("query {q:?}: {e}"))?;
    let mut out = Vec::new();
    match data["resultType"].as_str() {
        Some("vector") => {
            for r in data["result"].as_array().into_iter().flatten() {
                let labels = r["metric"]
                    .as_object()
                    .map(|m| {
                        m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect()
                    })
                    .unwrap_or_default();
                out.push((labels, sample_value(&r["value"])));
            }
        }
        Some("scalar") => out.push((BTreeMap::new(), sample_value(&data["result"]))),
        other => return Err(format!("query {q:?}: unexpected result type {other:?}")),
    }
    Ok(out)
}

fn sample_value(v: &Value) -> f64 {
    v[1].as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------------------------------------
// errwatch itself
// ---------------------------------------------------------------------------------------------

/// Error counts by (provider, category, code), from `errwatch report --format json`.
#[derive(Debug, Default, Clone)]
struct Counts {
    total: f64,
    by_code: BTreeMap<(String, String, String), f64>,
}

impl Counts {
    fn plus(&self, other: &Counts) -> Counts {
        let mut c = self.clone();
        c.total += other.total;
        for (k, v) in &other.by_code {
            *c.by_code.entry(k.clone()).or_default() += v;
        }
        c
    }

    fn minus(&self, other: &Counts) -> Counts {
        let mut c = self.clone();
        c.total -= other.total;
        for (k, v) in &other.by_code {
            *c.by_code.entry(k.clone()).or_default() -= v;
        }
        c.by_code.retain(|_, v| *v != 0.0);
        c
    }

    fn by_provider(&self) -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        for ((p, _, _), v) in &self.by_code {
            *m.entry(p.clone()).or_default() += v;
        }
        m.retain(|_, v| *v != 0.0);
        m
    }

    fn codes_in(&self, category: &str) -> BTreeSet<(String, String)> {
        self.by_code
            .iter()
            .filter(|((_, c, _), v)| c == category && **v > 0.0)
            .map(|((p, _, code), _)| (p.clone(), code.clone()))
            .collect()
    }
}

fn report_json(file: &Path) -> Counts {
    let out = Command::new(ERRWATCH)
        .args(["report", "--format", "json"])
        .arg(file)
        .output()
        .expect("run errwatch report");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "errwatch report --format json {}: not JSON ({e}), status {}\nstdout: {stdout}\nstderr: {}",
            file.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    parse_report(&v, &format!("errwatch report --format json {}", file.display()))
}

/// `errors` and `by_code` of a JSON report (the CLI's or the daemon's /report).
fn parse_report(v: &Value, what: &str) -> Counts {
    let total = v["errors"].as_f64().unwrap_or_else(|| panic!("{what}: no numeric `errors`: {v}"));
    let mut by_code = BTreeMap::new();
    for e in v["by_code"].as_array().unwrap_or_else(|| panic!("{what}: no `by_code` array")) {
        let s = |k: &str| e[k].as_str().map(String::from).unwrap_or_else(|| e[k].to_string());
        let count = e["count"].as_f64().unwrap_or_else(|| panic!("{what}: by_code entry without count: {e}"));
        *by_code.entry((s("provider"), s("category"), s("code"))).or_default() += count;
    }
    let sum: f64 = by_code.values().sum();
    assert_eq!(sum, total, "{what}: by_code counts add up to {sum}, `errors` is {total}");
    Counts { total, by_code }
}

/// Sum of the samples of one metric in an exposition body.
fn exposition_sum(body: &str, metric: &str) -> Option<f64> {
    let mut found = false;
    let mut sum = 0.0;
    for line in body.lines() {
        let Some(rest) = line.strip_prefix(metric) else {
            continue;
        };
        if !(rest.starts_with('{') || rest.starts_with(' ')) {
            continue;
        }
        let value = rest.rsplit_once('}').map_or(rest, |(_, v)| v).split_whitespace().next()?;
        sum += value.parse::<f64>().ok()?;
        found = true;
    }
    found.then_some(sum)
}

fn concat(files: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let path = repo(f);
        let mut data = fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
        if !data.ends_with(b"\n") {
            data.push(b'\n');
        }
        out.extend(data);
    }
    out
}

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn append(path: &Path, data: &[u8]) {
    let mut f = fs::OpenOptions::new().append(true).open(path).expect("open log for append");
    f.write_all(data).expect("append to log");
    f.sync_all().ok();
}

// ---------------------------------------------------------------------------------------------
// The dashboard's queries
// ---------------------------------------------------------------------------------------------

/// (panel title, panel type, expr) for every target of every panel, rows' panels included.
fn dashboard_exprs() -> Vec<(String, String, String)> {
    fn walk(panels: &Value, out: &mut Vec<(String, String, String)>) {
        for p in panels.as_array().into_iter().flatten() {
            for t in p["targets"].as_array().into_iter().flatten() {
                if let Some(e) = t["expr"].as_str() {
                    out.push((
                        p["title"].as_str().unwrap_or("?").into(),
                        p["type"].as_str().unwrap_or("?").into(),
                        e.into(),
                    ));
                }
            }
            walk(&p["panels"], out);
        }
    }
    let text = fs::read_to_string(repo("dashboards/errwatch.json")).expect("read dashboards/errwatch.json");
    let d: Value = serde_json::from_str(&text).expect("dashboards/errwatch.json is JSON");
    let mut out = Vec::new();
    walk(&d["panels"], &mut out);
    out
}

/// (name, query) of the dashboard's query variables, e.g. ("provider", "label_values(errwatch_errors_total, provider)").
fn dashboard_variable_queries() -> Vec<(String, String)> {
    let text = fs::read_to_string(repo("dashboards/errwatch.json")).expect("read dashboards/errwatch.json");
    let d: Value = serde_json::from_str(&text).expect("dashboards/errwatch.json is JSON");
    d["templating"]["list"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["type"] == "query")
        .map(|v| {
            let q = v["query"].as_str().or(v["query"]["query"].as_str()).unwrap_or("");
            (v["name"].as_str().unwrap_or("?").to_string(), q.to_string())
        })
        .collect()
}

/// Grafana's variables replaced the way Grafana would for "All" over the test's time range.
fn substitute(expr: &str) -> String {
    let mut out = String::new();
    let mut rest = expr;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(b) => {
                let end = b.find('}').unwrap_or(b.len());
                (b[..end].split(':').next().unwrap_or(""), (end + 2).min(after.len()))
            }
            None => {
                let end =
                    after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        out.push_str(match name {
            "__rate_interval" => "1m",
            "__range" => "5m",
            "__interval" => "15s",
            "" => "$",
            _ => ".*",
        });
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
fn errwatch_under_real_prometheus() {
    let started = Instant::now();
    let (prometheus, promtool) = match (in_path("prometheus"), in_path("promtool")) {
        (Some(p), Some(t)) => (p, t),
        (p, t) => {
            let missing = [("prometheus", p.is_none()), ("promtool", t.is_none())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(" and ");
            let ci = std::env::var("CI").unwrap_or_default();
            if !matches!(ci.trim(), "" | "0" | "false") {
                panic!("CI is set but not on PATH: {missing} (install the `prometheus` package)");
            }
            eprintln!("skipping errwatch_under_real_prometheus: not on PATH: {missing} (apt-get install prometheus); with CI set this fails");
            return;
        }
    };
    for f in A_START.iter().chain(A_APPEND).chain(B_APPEND) {
        assert!(repo(f).is_file(), "fixture {f} is missing");
    }

    // Declared before `procs`, so the children are killed before the directory goes.
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let mut procs = Procs { children: Vec::new() };

    // The logs, and what errwatch report says about their final contents.
    let a_log = dir.join("app-a.log");
    let b_log = dir.join("app-b.log");
    fs::write(&a_log, concat(A_START)).unwrap();
    fs::write(&b_log, b"").unwrap();
    let a_full = dir.join("expected-a.log");
    let b_full = dir.join("expected-b.log");
    fs::write(&a_full, [concat(A_START), concat(A_APPEND)].concat()).unwrap();
    fs::write(&b_full, concat(B_APPEND)).unwrap();
    let a_start = report_json(&a_log);
    let a_expect = report_json(&a_full);
    let b_expect = report_json(&b_full);
    let all = a_expect.plus(&b_expect);
    // What Prometheus sees increase from a first sample: everything but A's start.
    let appended = all.minus(&a_start);
    eprintln!(
        "errwatch report: A at start {} errors, A {} and B {} at the end; by provider {:?}",
        a_start.total,
        a_expect.total,
        b_expect.total,
        all.by_provider()
    );
    assert!(a_start.total > 0.0 && b_expect.total > 0.0, "the fixtures produced no errors");
    let billing = appended.codes_in("billing");
    assert!(!billing.is_empty(), "the appended fixtures have no billing errors: {:?}", appended.by_code);

    // `errwatch report --format prometheus` must be clean exposition with the same total.
    let out = Command::new(ERRWATCH)
        .args(["report", "--format", "prometheus"])
        .arg(&a_full)
        .output()
        .expect("errwatch report");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    promtool_check_metrics(&promtool, "errwatch report --format prometheus", &text);
    assert_eq!(
        exposition_sum(&text, "errwatch_errors_total"),
        Some(a_expect.total),
        "errwatch report --format prometheus disagrees with --format json on the errors total"
    );

    // Two daemons.
    let a_addr = free_addr();
    let b_addr = free_addr();
    for (name, addr, log) in [("errwatch-a", a_addr, &a_log), ("errwatch-b", b_addr, &b_log)] {
        procs.spawn(
            name,
            Command::new(ERRWATCH).args(["watch", "--listen", &addr.to_string(), "--from-start"]).arg(log),
            dir.join(format!("{name}.out")),
        );
    }
    for addr in [a_addr, b_addr] {
        wait_for(&format!("http://{addr}/healthz"), Duration::from_secs(10), &mut procs, || match http_get(
            addr, "/healthz",
        )? {
            (200, _) => Ok(()),
            (code, body) => Err(format!("HTTP {code}: {body}")),
        });
    }
    // A has read its file (the same total as the report), B follows its empty one.
    for (addr, expect) in [(a_addr, a_start.total), (b_addr, 0.0)] {
        wait_for(
            &format!("{addr}/metrics to count {expect} errors"),
            Duration::from_secs(10),
            &mut procs,
            || {
                let (code, body) = http_get(addr, "/metrics")?;
                let errors = exposition_sum(&body, "errwatch_errors_total");
                let sources = exposition_sum(&body, "errwatch_sources_followed");
                if code == 200 && errors == Some(expect) && sources == Some(1.0) {
                    Ok(())
                } else {
                    Err(format!("HTTP {code}, errwatch_errors_total {errors:?}, errwatch_sources_followed {sources:?}"))
                }
            },
        );
    }
    let (_, a_metrics) = http_get(a_addr, "/metrics").unwrap();
    let (_, b_metrics) = http_get(b_addr, "/metrics").unwrap();
    promtool_check_metrics(&promtool, "errwatch-a /metrics", &a_metrics);
    promtool_check_metrics(&promtool, "errwatch-b /metrics", &b_metrics);
    for family in METRIC_FAMILIES {
        assert!(a_metrics.contains(&format!("# TYPE {family} ")), "errwatch-a /metrics has no {family}");
    }
    for family in ["errwatch_errors_total", "errwatch_sources_followed", "errwatch_build_info"] {
        assert!(b_metrics.contains(&format!("# TYPE {family} ")), "errwatch-b /metrics has no {family}");
    }

    // The rules file and the example config.
    let alerts = repo("dashboards/alerts.yml");
    let out =
        Command::new(&promtool).args(["check", "rules"]).arg(&alerts).output().expect("promtool check rules");
    assert!(
        out.status.success(),
        "promtool check rules dashboards/alerts.yml:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&promtool)
        .args(["check", "config"])
        .arg(repo("dashboards/prometheus.yml"))
        .output()
        .expect("promtool check config");
    assert!(
        out.status.success(),
        "promtool check config dashboards/prometheus.yml:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Prometheus.
    let prom = free_addr();
    let config = dir.join("prometheus.yml");
    fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n\
             rule_files:\n  - {:?}\n\
             scrape_configs:\n  - job_name: errwatch\n    static_configs:\n      - targets: [\"{a_addr}\", \"{b_addr}\"]\n",
            alerts.to_str().expect("UTF-8 path")
        ),
    )
    .unwrap();
    procs.spawn(
        "prometheus",
        Command::new(&prometheus).args([
            format!("--config.file={}", config.display()),
            format!("--storage.tsdb.path={}", dir.join("tsdb").display()),
            format!("--web.listen-address={prom}"),
            "--log.level=warn".to_string(),
        ]),
        dir.join("prometheus.out"),
    );
    wait_for("prometheus /-/ready", Duration::from_secs(20), &mut procs, || {
        match http_get(prom, "/-/ready")? {
            (200, _) => Ok(()),
            (code, body) => Err(format!("HTTP {code}: {body}")),
        }
    });
    wait_for("both errwatch targets up", Duration::from_secs(60), &mut procs, || {
        let up = query(prom, r#"up{job="errwatch"} == 1"#)?;
        let errors = query(prom, r#"count by (instance) (errwatch_errors_total{job="errwatch"})"#)?;
        if up.len() == 2 && errors.len() == 2 {
            Ok(())
        } else {
            Err(format!("up: {up:?}; errwatch_errors_total from {} instance(s)", errors.len()))
        }
    });
    // Prometheus has a sample of every documented code from before the new errors.
    sleep(Duration::from_millis(1500));

    // New errors arrive.
    append(&a_log, &concat(A_APPEND));
    append(&b_log, &concat(B_APPEND));
    for (addr, expect) in [(a_addr, a_expect.total), (b_addr, b_expect.total)] {
        wait_for(
            &format!("{addr}/metrics to count the appended errors ({expect})"),
            Duration::from_secs(15),
            &mut procs,
            || {
                let (_, body) = http_get(addr, "/metrics")?;
                match exposition_sum(&body, "errwatch_errors_total") {
                    Some(n) if n == expect => Ok(()),
                    n => Err(format!("errwatch_errors_total {n:?}")),
                }
            },
        );
    }
    for (addr, name, expect) in [(a_addr, "errwatch-a", &a_expect), (b_addr, "errwatch-b", &b_expect)] {
        let (_, body) = http_get(addr, "/metrics").unwrap();
        promtool_check_metrics(&promtool, &format!("{name} /metrics after the append"), &body);
        // The daemon's own /report agrees with `errwatch report` on the same contents.
        let (code, body) = http_get(addr, "/report").unwrap();
        let v: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{name} /report: HTTP {code}, not JSON ({e}): {body}"));
        let live = parse_report(&v, &format!("{name} /report"));
        assert_eq!(live.total, expect.total, "{name} /report `errors` vs errwatch report");
        assert_eq!(live.by_code, expect.by_code, "{name} /report by_code (left) vs errwatch report (right)");
    }

    // Prometheus's totals equal the reports: overall, per provider, per code.
    wait_for("Prometheus to see all errors", Duration::from_secs(15), &mut procs, || {
        let r = query(prom, "sum(errwatch_errors_total)")?;
        match r.first() {
            Some((_, v)) if *v == all.total => Ok(()),
            other => Err(format!("sum(errwatch_errors_total) = {other:?}, reports say {}", all.total)),
        }
    });
    let by_provider: BTreeMap<String, f64> = query(prom, "sum by (provider) (errwatch_errors_total) > 0")
        .unwrap()
        .into_iter()
        .map(|(l, v)| (l.get("provider").cloned().unwrap_or_default(), v))
        .collect();
    assert_eq!(
        by_provider,
        all.by_provider(),
        "errors per provider: Prometheus (left) vs errwatch report (right)"
    );
    let by_code: BTreeMap<(String, String, String), f64> =
        query(prom, "sum by (provider, category, code) (errwatch_errors_total) > 0")
            .unwrap()
            .into_iter()
            .map(|(l, v)| {
                let g = |k: &str| l.get(k).cloned().unwrap_or_default();
                ((g("provider"), g("category"), g("code")), v)
            })
            .collect();
    assert_eq!(
        by_code, all.by_code,
        "errors per (provider, category, code): Prometheus (left) vs errwatch report (right)"
    );

    // Let the 1m rate windows hold a few samples after the append.
    sleep(Duration::from_secs(2));

    // Every dashboard query is accepted; the ones about errors the logs contain return data.
    let unknown_seen = all.by_code.keys().any(|(_, c, _)| c == "unknown");
    let exprs = dashboard_exprs();
    assert!(exprs.len() >= 10, "only {} dashboard queries", exprs.len());
    for (title, kind, expr) in &exprs {
        let q = substitute(expr);
        let result = query(prom, &q).unwrap_or_else(|e| panic!("dashboard panel {title:?}: {e}"));
        eprintln!("dashboard {title:?}: {} series for {q}", result.len());
        let expects_data = !expr.contains(r#"category="unknown""#) || unknown_seen;
        if expects_data {
            assert!(!result.is_empty(), "dashboard panel {title:?}: no data for {q}");
        }
        // The billing / auth / account stats are red (>= 1) exactly when such errors arrived.
        if kind == "stat" {
            for category in ["billing", "auth", "account"] {
                if expr.contains(&format!(r#"category="{category}""#))
                    && !appended.codes_in(category).is_empty()
                {
                    let max = result.iter().map(|(_, v)| *v).fold(0.0, f64::max);
                    assert!(
                        max >= 1.0,
                        "stat {title:?} is not red ({max}) although {category} errors arrived: {result:?}"
                    );
                }
            }
        }
    }

    // The variables' label_values(SELECTOR, LABEL) queries, the way Grafana runs them.
    for (name, q) in dashboard_variable_queries() {
        let args = q
            .strip_prefix("label_values(")
            .and_then(|r| r.strip_suffix(')'))
            .unwrap_or_else(|| panic!("variable {name}: not a label_values() query: {q}"));
        let (selector, label) = args.rsplit_once(',').unwrap_or_else(|| panic!("variable {name}: {q}"));
        let path = format!(
            "/api/v1/label/{}/values?match[]={}",
            label.trim(),
            urlencode(&substitute(selector.trim()))
        );
        let values = api_get(prom, &path).unwrap_or_else(|e| panic!("variable {name}: {e}"));
        let values: BTreeSet<&str> =
            values.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        eprintln!("variable {name}: {values:?}");
        assert!(!values.is_empty(), "variable {name} has no values: {q}");
        if name == "provider" {
            let want: BTreeSet<&str> = ["coze", "ppio", "volcengine", "zhipu"].into();
            assert_eq!(values, want, "variable provider");
        }
        if name == "category" {
            for c in ["billing", "auth", "rate_limit"] {
                assert!(values.contains(c), "variable category lacks {c}: {values:?}");
            }
        }
    }

    // The rules Prometheus loaded: all there, each expression a valid query, none failing.
    let rules = wait_for("alert rules evaluated without error", Duration::from_secs(10), &mut procs, || {
        let data = api_get(prom, "/api/v1/rules")?;
        let rules: Vec<Value> = data["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| g["name"] == "errwatch")
            .flat_map(|g| g["rules"].as_array().cloned().unwrap_or_default())
            .collect();
        let bad: Vec<String> = rules
            .iter()
            .filter(|r| r["health"] != "ok")
            .map(|r| format!("{}: {} {}", r["name"], r["health"], r["lastError"]))
            .collect();
        if rules.len() >= ALERTS.len() && bad.is_empty() {
            Ok(rules)
        } else {
            Err(format!("{} rules in group errwatch, not ok: {bad:?}", rules.len()))
        }
    });
    let names: BTreeSet<&str> = rules.iter().filter_map(|r| r["name"].as_str()).collect();
    for want in ALERTS {
        assert!(names.contains(want), "Prometheus did not load alert {want}: {names:?}");
    }
    for r in &rules {
        let q = r["query"].as_str().expect("rule query");
        query(prom, q).unwrap_or_else(|e| panic!("alert {}: {e}", r["name"]));
    }

    // ErrwatchBillingExhausted fires for every billing code that arrived; auth is at least pending.
    let auth = appended.codes_in("auth");
    eprintln!("expecting ErrwatchBillingExhausted firing for {billing:?}, ErrwatchAuthFailing pending or firing for {auth:?}");
    let alerts_now = wait_for("ErrwatchBillingExhausted firing", Duration::from_secs(20), &mut procs, || {
        let data = api_get(prom, "/api/v1/alerts")?;
        let alerts = data["alerts"].as_array().cloned().unwrap_or_default();
        let active = |name: &str, states: &[&str]| -> BTreeSet<(String, String)> {
            alerts
                .iter()
                .filter(|a| a["labels"]["alertname"] == name && states.iter().any(|s| a["state"] == *s))
                .map(|a| {
                    (
                        a["labels"]["provider"].as_str().unwrap_or("").into(),
                        a["labels"]["code"].as_str().unwrap_or("").into(),
                    )
                })
                .collect()
        };
        let firing = active("ErrwatchBillingExhausted", &["firing"]);
        let auth_active = active("ErrwatchAuthFailing", &["pending", "firing"]);
        if billing.is_subset(&firing) && auth.is_subset(&auth_active) {
            Ok(alerts)
        } else {
            Err(format!("billing firing {firing:?} (want {billing:?}); auth pending/firing {auth_active:?} (want {auth:?})"))
        }
    });
    for a in &alerts_now {
        let name = a["labels"]["alertname"].as_str().unwrap_or("?");
        assert_ne!(name, "ErrwatchDown", "ErrwatchDown is active while both targets are up: {a}");
        if name == "ErrwatchBillingExhausted" {
            assert_eq!(a["labels"]["severity"], "critical");
            let summary = a["annotations"]["summary"].as_str().unwrap_or("");
            let description = a["annotations"]["description"].as_str().unwrap_or("");
            let provider = a["labels"]["provider"].as_str().unwrap_or("?");
            assert!(
                summary.contains(provider) && !summary.contains("{{"),
                "summary not rendered: {summary:?}"
            );
            let lower = description.to_lowercase();
            assert!(
                ["top up", "renew", "activate", "raise the limit", "settle"]
                    .iter()
                    .any(|r| lower.contains(r)),
                "billing description without a remedy: {description:?}"
            );
        }
    }

    eprintln!("errwatch_under_real_prometheus: ok in {:.1}s", started.elapsed().as_secs_f64());
}
