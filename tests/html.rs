//! The HTML report and the daemon's live `/` page, opened in a real browser: Debian's
//! `chromium`, headless, driven over the DevTools protocol (a small client below, over a
//! websocket). The tests read what a person would see from the rendered DOM (totals, action
//! items, one timeline chart per provider, the table), compare it with the JSON report, save
//! screenshots at 1280x800 under `target/html/`, and fail on any console error, uncaught
//! exception or request that leaves the page (the file may load nothing; the live page only
//! its own origin).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use common::{append, in_path, repo, wait_for, zhipu_line, Daemon, BIN};

/// Where screenshots are kept: test artefacts, beside the build.
fn artefacts() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo("target"), PathBuf::from).join("html");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromium's path; outside CI a machine without it skips (CI must have it: tests/all.sh
/// installs it).
fn chromium() -> Option<PathBuf> {
    let found = in_path("chromium").or_else(|| in_path("chromium-browser"));
    if found.is_none() {
        assert!(std::env::var("CI").is_err(), "CI must have chromium (tests/all.sh installs it)");
        eprintln!("skipped: chromium not installed");
    }
    found
}

/// A headless chromium and one page of it, attached over the DevTools protocol.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every event seen, in order.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary)
            .args([
                "--headless",
                // Tests run as root in CI, where chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium starts");
        // Chromium writes its port and the browser's websocket path here once it listens.
        let port_file = profile.path().join("DevToolsActivePort");
        let (port, path) = wait_for(Duration::from_secs(30), || {
            let text = fs::read_to_string(&port_file).ok()?;
            let mut lines = text.lines();
            Some((lines.next()?.parse::<u16>().ok()?, lines.next()?.to_string()))
        })
        .expect("chromium opens its DevTools port");
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let url = format!("ws://127.0.0.1:{port}{path}");
        let (ws, _) = tungstenite::client::client(url.as_str(), stream).expect("DevTools websocket");
        let mut b =
            Browser { child, ws, session: String::new(), next_id: 0, events: Vec::new(), _profile: profile };
        let target = b.call_browser("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached =
            b.call_browser("Target.attachToTarget", json!({ "targetId": target_id, "flatten": true }));
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable", "Network.enable"] {
            b.call(domain, json!({}));
        }
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false }),
        );
        b
    }

    fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(tungstenite::Message::text(msg.to_string())).unwrap();
        loop {
            let reply = self.read();
            if reply["id"].as_u64() == Some(id) {
                assert!(reply.get("error").is_none(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
            self.events.push(reply);
        }
    }

    fn read(&mut self) -> Value {
        loop {
            match self.ws.read().expect("DevTools message") {
                tungstenite::Message::Text(t) => return serde_json::from_str(&t).unwrap(),
                _ => continue,
            }
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(method, params, Some(session))
    }

    /// Waits for an event seen after the first `after` events.
    fn wait_event(&mut self, method: &str, after: usize, limit: Duration) -> Value {
        let start = Instant::now();
        loop {
            if let Some(e) =
                self.events[after.min(self.events.len())..].iter().find(|e| e["method"] == method)
            {
                return e.clone();
            }
            assert!(start.elapsed() < limit, "no {method} within {limit:?}");
            let e = self.read();
            self.events.push(e);
        }
    }

    fn open(&mut self, url: &str) {
        let before = self.events.len();
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_event("Page.loadEventFired", before, Duration::from_secs(30));
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }));
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let path = artefacts().join(name);
        fs::write(&path, png).unwrap();
        path
    }

    /// Console errors, uncaught exceptions and log errors (CSP violations among them).
    fn problems(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.exceptionThrown" => Some(format!("exception: {}", e["params"]["exceptionDetails"])),
                "Runtime.consoleAPICalled"
                    if ["error", "assert"].contains(&e["params"]["type"].as_str()?) =>
                {
                    Some(format!("console: {}", e["params"]["args"]))
                }
                "Log.entryAdded" if e["params"]["entry"]["level"] == "error" => {
                    Some(format!("log: {}", e["params"]["entry"]["text"]))
                }
                _ => None,
            })
            .collect()
    }

    /// URLs requested that do not start with one of `allowed`.
    fn requests_outside(&self, allowed: &[&str]) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .filter(|u| !u.starts_with("data:") && !allowed.iter().any(|a| u.starts_with(a)))
            .collect()
    }

    fn assert_clean(&self, allowed: &[&str]) {
        assert_eq!(self.problems(), Vec::<String>::new(), "console errors");
        assert_eq!(self.requests_outside(allowed), Vec::<String>::new(), "network requests");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn errwatch(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "errwatch {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// What a person sees on the page, read from the rendered DOM: visible texts, not the
/// page's own data.
const SEEN: &str = r#"(() => {
  const text = (el) => el ? el.textContent.trim() : null;
  const num = (s) => Number(String(s).replace(/[^0-9]/g, ''));
  return {
    errors: num(text(document.querySelector('[data-total=errors] strong'))),
    lines: num(text(document.querySelector('[data-total=lines]'))),
    range: text(document.querySelector('[data-total=range]')),
    providers: Object.fromEntries([...document.querySelectorAll('.provider-total')].map(d =>
      [text(d.querySelector('dt')), num(text(d.querySelector('dd')))])),
    actions: [...document.querySelectorAll('li.action')].map(li => ({
      provider: text(li.querySelector('.provider')),
      code: text(li.querySelector('.code')),
      count: num(text(li.querySelector('.count'))),
      what: text(li.querySelector('.what')),
      explain: text(li.querySelector('.explain')),
      visible: li.getBoundingClientRect().height > 0,
    })),
    charts: [...document.querySelectorAll('svg.timeline')].map(svg => ({
      provider: text(svg.closest('figure').querySelector('figcaption strong')),
      categories: [...new Set([...svg.querySelectorAll('rect.seg')].map(r => r.dataset.category))].sort(),
      marks: [...svg.querySelectorAll('.critical-mark text')].flatMap(t => t.textContent.replace('▼', '').split(',')),
      critical: [...svg.closest('figure').querySelectorAll('ol.critical li')].map(li => li.dataset.code),
      width: svg.getBoundingClientRect().width,
    })),
    alternatives: [...document.querySelectorAll('svg.chart')].map(svg =>
      svg.getAttribute('role') === 'img' && text(svg.querySelector('desc')).length > 10 &&
      (svg.getAttribute('aria-labelledby') || '').split(' ').every(id => document.getElementById(id))),
    rows: [...document.querySelectorAll('table.by-code tbody tr')].map(tr => ({
      provider: text(tr.cells[0]), code: text(tr.cells[2]), count: num(text(tr.cells[5])),
      evidence: text(tr.cells[10]),
    })),
    scripts: document.querySelectorAll('script').length,
  };
})()"#;

/// The JSON report's facts and the page's agree: totals, every action item in order, every
/// by-code row, one chart per provider with its categories, every critical code marked.
fn assert_agrees(seen: &Value, report: &Value) {
    assert_eq!(seen["errors"], report["errors"]);
    assert_eq!(seen["lines"], report["lines"]);
    let label = |v: &Value| match v["variant"].as_str() {
        Some(variant) => format!("{} ({variant})", v["code"].as_str().unwrap()),
        None => v["code"].as_str().unwrap().to_string(),
    };
    let want: Vec<(String, String, u64)> = report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["provider"].as_str().unwrap().to_string(), label(a), a["count"].as_u64().unwrap()))
        .collect();
    let got: Vec<(String, String, u64)> = seen["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["provider"].as_str().unwrap().to_string(),
                a["code"].as_str().unwrap().to_string(),
                a["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want, "every action item, in the JSON's order");
    assert!(seen["actions"].as_array().unwrap().iter().all(|a| a["visible"] == true));
    let rows = |v: &Value, code: &dyn Fn(&Value) -> String| -> BTreeSet<(String, String, u64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["provider"].as_str().unwrap().to_string(), code(r), r["count"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(
        rows(&seen["rows"], &|r| r["code"].as_str().unwrap().to_string()),
        rows(&report["by_code"], &label),
        "the table has every code"
    );
    let mut per_provider = serde_json::Map::new();
    for row in report["by_code"].as_array().unwrap() {
        let p = row["provider"].as_str().unwrap().to_string();
        let n = per_provider.get(&p).and_then(Value::as_u64).unwrap_or(0) + row["count"].as_u64().unwrap();
        per_provider.insert(p, json!(n));
    }
    assert_eq!(seen["providers"], Value::Object(per_provider), "errors per provider");
    // How each code was known, as shares of its count.
    for (shown, row) in seen["rows"].as_array().unwrap().iter().zip(report["by_code"].as_array().unwrap()) {
        let share = |k: &str| {
            let n = row["evidence"][k].as_f64().unwrap();
            format!("{:.0}%", 100.0 * n / row["count"].as_f64().unwrap())
        };
        let text = shown["evidence"].as_str().unwrap();
        let parts: Vec<&str> = text.split(" · ").map(|p| p.split(' ').next().unwrap_or("")).collect();
        assert_eq!(parts, [share("code"), share("message"), share("status")], "{text}");
    }
    let providers: Vec<&String> = report["timeline"]["buckets"].as_object().unwrap().keys().collect();
    let charts = seen["charts"].as_array().unwrap();
    assert_eq!(charts.len(), providers.len(), "one timeline per provider");
    for chart in charts {
        let p = chart["provider"].as_str().unwrap();
        let cats: Vec<&String> = report["timeline"]["categories"][p].as_object().unwrap().keys().collect();
        let drawn: Vec<&str> =
            chart["categories"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(drawn, cats, "{p}: a series per category");
        let critical: BTreeSet<String> = report["by_code"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["provider"] == p && r["severity"] == "critical" && !r["first_seen"].is_null())
            .map(label)
            .collect();
        let listed: Vec<String> =
            chart["critical"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
        assert_eq!(
            listed.iter().cloned().collect::<BTreeSet<_>>(),
            critical,
            "{p}: every critical code listed"
        );
        // Each listed code's number is on a mark in the chart, once.
        let mut marks: Vec<String> =
            chart["marks"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
        marks.sort_by_key(|m| m.parse::<usize>().unwrap_or(0));
        let numbers: Vec<String> = (1..=listed.len()).map(|n| n.to_string()).collect();
        assert_eq!(marks, numbers, "{p}: the first of each critical code marked");
        assert!(chart["width"].as_f64().unwrap() > 600.0, "{p}: the chart is drawn wide");
    }
    let alternatives = seen["alternatives"].as_array().unwrap();
    assert!(
        alternatives.len() > providers.len() && alternatives.iter().all(|a| a == true),
        "text alternatives"
    );
}

#[test]
fn the_report_file_shows_what_the_json_report_counts() {
    let Some(chromium) = chromium() else { return };
    let demo = repo("fixtures/logs/demo/app.log");
    let demo = demo.to_str().unwrap();
    let report: Value = serde_json::from_str(&errwatch(&["report", "--format", "json", demo])).unwrap();
    let page = errwatch(&["report", "--format", "html", demo]);
    assert!(page.len() < 1_000_000);
    let file = artefacts().join("report.html");
    fs::write(&file, &page).unwrap();
    let url = format!("file://{}", file.display());
    let mut b = Browser::launch(&chromium);
    b.open(&url);
    let seen = b.eval(SEEN);
    assert_agrees(&seen, &report);
    assert!(seen["range"].as_str().unwrap().contains("2026-11-02"), "the time range: {}", seen["range"]);
    let first = &seen["actions"][0];
    assert_eq!(
        first["explain"],
        format!(
            "errwatch explain --provider {} '{}'",
            report["actions"][0]["provider"].as_str().unwrap(),
            report["actions"][0]["code"].as_str().unwrap()
        )
    );
    assert_eq!(first["what"], report["actions"][0]["what"]);
    // Every explain command shown works as printed.
    for a in seen["actions"].as_array().unwrap() {
        let Some(command) = a["explain"].as_str() else { continue };
        let words: Vec<String> =
            command.split(' ').skip(1).map(|w| w.trim_matches('\'').to_string()).collect();
        let out = Command::new(BIN).args(&words).stdin(Stdio::null()).output().unwrap();
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    }
    b.screenshot("report.png");
    b.eval("document.getElementById('timeline').scrollIntoView()");
    b.screenshot("report-timeline.png");
    // Sorting by count, twice: the largest first.
    let counts = b.eval(
        "(() => { const t = document.querySelector('table.by-code'); const btn = t.querySelector('button[data-col=\"5\"]');
          btn.click(); btn.click();
          return [...t.tBodies[0].rows].map(r => Number(r.cells[5].textContent)); })()",
    );
    let counts: Vec<u64> = counts.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted, "sorted by count, descending");
    b.assert_clean(&[&url]);
}

#[test]
fn a_script_in_a_log_message_shows_as_text() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("evil.log");
    let evil = r#"<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">"#;
    let line = json!({ "error": { "code": "9999", "message": evil } }).to_string();
    fs::write(&log, format!("2026-11-02 10:00:00 ERROR open.bigmodel.cn said {line}\n")).unwrap();
    let report: Value =
        serde_json::from_str(&errwatch(&["report", "--format", "json", log.to_str().unwrap()])).unwrap();
    assert_eq!(report["unknown"], 1, "the hostile line is an unknown code: {report}");
    let file = dir.path().join("evil.html");
    fs::write(&file, errwatch(&["report", "--format", "html", log.to_str().unwrap()])).unwrap();
    let url = format!("file://{}", file.display());
    let mut b = Browser::launch(&chromium);
    b.open(&url);
    let shown = b.eval(
        "({ pwned: window.pwned === undefined ? null : window.pwned,
            images: document.images.length,
            example: document.querySelector('.example').textContent })",
    );
    assert_eq!(shown["pwned"], Value::Null, "the log's script did not run");
    assert_eq!(shown["images"], 0, "the log's <img> is not an element");
    assert!(shown["example"].as_str().unwrap().contains("<script>window.pwned"), "shown as text: {shown}");
    b.assert_clean(&[&url]);
}

#[test]
fn the_live_page_refreshes_in_place() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::copy(repo("fixtures/logs/demo/app.log"), &log).unwrap();
    let d = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    let report = || -> Value { serde_json::from_str(&common::http_get(d.port, "/report").unwrap()).unwrap() };
    let before = wait_for(Duration::from_secs(10), || {
        let r = report();
        (r["errors"].as_u64() > Some(0)).then_some(r)
    })
    .expect("the daemon counts the demo log");
    let origin = format!("http://127.0.0.1:{}/", d.port);
    let mut b = Browser::launch(&chromium);
    b.open(&format!("{origin}?refresh=1"));
    let seen = b.eval(SEEN);
    assert_agrees(&seen, &before);
    let links = b.eval("[...document.querySelectorAll('nav a')].map(a => a.pathname)");
    assert_eq!(links, json!(["/metrics", "/report", "/healthz"]));
    b.screenshot("live.png");
    // Marked so a reload would show: a refresh swaps the section, the page stays.
    b.eval("window.stayed = true");
    let added: Vec<String> = (0..3).map(|n| zhipu_line(n, "1113")).collect();
    append(&log, &added);
    let want = before["errors"].as_u64().unwrap() + 3;
    let now = wait_for(Duration::from_secs(15), || {
        let n = b.eval("Number(document.querySelector('[data-total=errors]').dataset.value)").as_u64()?;
        (n == want).then_some(n)
    });
    assert_eq!(now, Some(want), "the page shows the new errors");
    assert_eq!(b.eval("window.stayed === true"), json!(true), "refreshed without a reload");
    assert_agrees(&b.eval(SEEN), &report());
    b.assert_clean(&[&origin]);
}

#[test]
fn the_live_page_is_behind_the_web_config() {
    let dir = tempfile::tempdir().unwrap();
    let hash = bcrypt::hash("s3cret", 4).unwrap();
    let config = dir.path().join("web.yml");
    fs::write(&config, format!("basic_auth_users:\n  alice: {hash}\n")).unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let port = common::free_port();
    let mut child = Command::new(BIN)
        .args(["watch", "--listen", &format!("127.0.0.1:{port}"), "--web.config.file"])
        .arg(&config)
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let get = |auth: Option<&str>| -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        let auth = auth.map_or(String::new(), |a| {
            format!("Authorization: Basic {}\r\n", base64::engine::general_purpose::STANDARD.encode(a))
        });
        write!(s, "GET /?fragment HTTP/1.0\r\nHost: x\r\n{auth}\r\n").ok()?;
        let mut raw = String::new();
        std::io::Read::read_to_string(&mut s, &mut raw).ok()?;
        (!raw.is_empty()).then_some(raw)
    };
    let denied = wait_for(Duration::from_secs(10), || get(None));
    let allowed = get(Some("alice:s3cret"));
    let _ = child.kill();
    let _ = child.wait();
    let denied = denied.expect("an answer");
    assert!(denied.lines().next().unwrap_or("").contains(" 401 "), "{denied}");
    let allowed = allowed.unwrap();
    assert!(allowed.lines().next().unwrap_or("").contains(" 200 "), "{allowed}");
    assert!(allowed.contains("data-total=\"errors\""), "the report section");
}

#[test]
fn the_page_speaks_chinese_when_asked() {
    let demo = repo("fixtures/logs/demo/app.log");
    let page = errwatch(&["report", "--format", "html", "--lang", "zh", demo.to_str().unwrap()]);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<h2>优先处理</h2>"));
}

#[test]
fn the_page_stays_small_whatever_the_log() {
    // Every cap at once: the most unknown codes per provider, the most templates, each
    // example as long as kept and made of characters that escaping makes longer.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hostile.log");
    let mut f = std::io::BufWriter::new(fs::File::create(&log).unwrap());
    let filler = "<&\"'>".repeat(80);
    for i in 0..3000 {
        let line = json!({ "error": { "code": (5000 + i % 600).to_string(), "message": format!("{i} {filler} {i:x}") } });
        writeln!(f, "2026-11-02 10:{:02}:{:02} ERROR open.bigmodel.cn {line}", (i / 60) % 60, i % 60)
            .unwrap();
        let coze = json!({ "code": 700_000 + i, "msg": format!("{i} {filler}"), "logid": "x" });
        writeln!(f, "2026-11-03 11:00:00 ERROR coze {coze}").unwrap();
    }
    drop(f);
    let report: Value =
        serde_json::from_str(&errwatch(&["report", "--format", "json", log.to_str().unwrap()])).unwrap();
    assert!(report["by_code"].as_array().unwrap().len() >= 200, "the codes cap was reached");
    let page = errwatch(&["report", "--format", "html", log.to_str().unwrap()]);
    assert!(page.len() < 1_000_000, "{} bytes", page.len());
}

/// The harness itself: a page that logs an error, throws, and asks for an image elsewhere is
/// caught on each count, so a clean run of the tests above means something.
#[test]
fn the_browser_checks_catch_errors_and_requests() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.html");
    fs::write(
        &file,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\">\
         <script>console.error('bad'); throw new Error('thrown');</script></body></html>",
    )
    .unwrap();
    let url = format!("file://{}", file.display());
    let mut b = Browser::launch(&chromium);
    b.open(&url);
    let problems = b.problems().join("\n");
    assert!(problems.contains("bad") && problems.contains("thrown"), "{problems}");
    assert_eq!(b.requests_outside(&[&url]), vec!["http://127.0.0.1:9/x.png".to_string()]);
}

#[test]
fn an_unreadable_source_is_named_in_the_header() {
    let demo = repo("fixtures/logs/demo/app.log");
    let out = Command::new(BIN)
        .args(["report", "--format", "html", "no-such.log"])
        .arg(&demo)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some input could not be read");
    let page = String::from_utf8(out.stdout).unwrap();
    let header = &page[..page.find("id=\"actions\"").expect("the action items")];
    assert!(header.contains("class=\"unreadable\" data-source=\"no-such.log\""), "named before the actions");
    assert!(header.contains("<details class=\"sources\" open>"), "the sources shown open");
}
