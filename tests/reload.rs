//! Catalogs swapped under load: a writer appends Zhipu errors the whole time while the
//! `--catalog` files are rewritten and SIGHUP sent four times, removing and adding entries
//! (Coze's 700012006 and 700012007) and whole providers (`acme` and `beta`, declared only by
//! the files). Afterwards `/metrics`, `/report` and the exit summary agree, nothing the writer
//! wrote is lost or counted twice, a removed provider's lines are not counted after its removal,
//! an added one's are after its reload, and a removed entry's counts stay under its key.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use common::{append, free_port, http_get, metric_sum, wait_for, zhipu_line, BIN};

/// A provider the user's file declares, with one entry.
fn provider_file(id: &str, code: &str, category: &str) -> String {
    format!(
        r#"provider = "{id}"
name = "{id} LLM"

[identify]
hosts = ["api.{id}-llm.test"]

[[api]]
id = "chat"

[[shape]]
envelope = "{id}_error"
code = "code"
code_form = "upper_snake"
message = "message"
alone = true

[[entry]]
code = "{code}"
api = "chat"
message = "{id} says no"
category = "{category}"
retryable = false
severity = "high"
action = "contact_support"
description_zh = "拒绝"
description_en = "Refused."
remedy_zh = "联系客服"
remedy_en = "Contact support."
"#
    )
}

fn coze_file(entries: &[(&str, &str)]) -> String {
    let mut text = String::from("provider = \"coze\"\n");
    for (code, category) in entries {
        text.push_str(&coze_entry(code, category));
    }
    text
}

fn coze_entry(code: &str, category: &str) -> String {
    format!(
        "[[entry]]\ncode = \"{code}\"\napi = \"openapi\"\nmessage = \"access token invalid\"\n\
         category = \"{category}\"\nretryable = false\nseverity = \"critical\"\naction = \"check_credentials\"\n\
         description_zh = \"令牌无效\"\ndescription_en = \"Invalid token.\"\nremedy_zh = \"检查令牌\"\nremedy_en = \"Check the token.\"\n"
    )
}

fn provider_line(id: &str, code: &str) -> String {
    format!(
        r#"2026-11-02 10:00:01 ERROR POST https://api.{id}-llm.test/v1 failed body={{"{id}_error":{{"code":"{code}","message":"{id} says no"}}}}"#
    )
}

fn coze_line(code: &str) -> String {
    format!(
        r#"2026-11-02 10:00:01 ERROR url=https://api.coze.cn/v3/chat body={{"code":{code},"msg":"access token invalid","detail":{{"logid":"x"}}}}"#
    )
}

/// Which files are in place: state A declares `acme` and Coze's 700012006, state B `beta` and
/// Coze's 700012007 and 700012008 (whose lines are never written: its series stays at zero).
#[derive(Clone, Copy, PartialEq)]
enum State {
    A,
    B,
}

struct Files {
    provider: PathBuf,
    coze: PathBuf,
}

impl Files {
    fn put(&self, state: State) {
        let (provider, coze) = match state {
            State::A => (
                provider_file("acme", "ACME_QUOTA_EXHAUSTED", "billing"),
                coze_file(&[("700012006", "auth")]),
            ),
            State::B => (
                provider_file("beta", "BETA_RATE_LIMITED", "rate_limit"),
                coze_file(&[("700012007", "permission"), ("700012008", "account")]),
            ),
        };
        // Written aside and renamed in, as a config manager does: a reload never reads half a file.
        for (path, text) in [(&self.provider, provider), (&self.coze, coze)] {
            let tmp = path.with_extension("new");
            fs::write(&tmp, text).unwrap();
            fs::rename(&tmp, path).unwrap();
        }
    }
}

/// The Zhipu errors written all along; the log is shared with the test's own lines, one
/// write at a time.
struct Writer {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    fn start(log: PathBuf, lock: Arc<Mutex<()>>) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, written) = (stop.clone(), written.clone());
            std::thread::spawn(move || {
                let mut n = 0usize;
                while !stop.load(Ordering::SeqCst) {
                    let batch: Vec<String> = (n..n + 20).map(|i| zhipu_line(i, "1302")).collect();
                    {
                        let _one_writer = lock.lock().unwrap();
                        append(&log, &batch);
                    }
                    n += batch.len();
                    written.store(n as u64, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        Writer { stop, written, thread: Some(thread) }
    }

    fn finish(&mut self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.written.load(Ordering::SeqCst)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The daemon, with its stderr read line by line (reloads are logged at info).
struct Watched {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
    reloads: usize,
}

impl Watched {
    fn start(args: &[&str]) -> Watched {
        let port = free_port();
        let mut child = Command::new(BIN)
            .args(["watch", "--log-level", "info", "--summary", "--poll-interval", "0.1"])
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, stderr) = mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        wait_for(Duration::from_secs(10), || common::looked_at_every_source(port).then_some(()))
            .expect("answers /healthz");
        Watched { child, port, stderr, reloads: 0 }
    }

    fn metrics(&self) -> String {
        http_get(self.port, "/metrics").unwrap_or_default()
    }

    fn count(&self, labels: &[&str]) -> f64 {
        metric_sum(&self.metrics(), "errwatch_errors_total", labels)
    }

    fn wait_count(&self, labels: &[&str], want: f64) {
        let seen = wait_for(Duration::from_secs(20), || (self.count(labels) == want).then_some(()));
        assert!(seen.is_some(), "{labels:?}: {} counted, {want} expected", self.count(labels));
    }

    /// Sends SIGHUP and waits until the reload is logged: lines read from then on are
    /// classified by the new files.
    fn reload(&mut self) {
        Command::new("kill").args(["-HUP", &self.child.id().to_string()]).status().unwrap();
        loop {
            let line = self.stderr.recv_timeout(Duration::from_secs(10)).expect("the reload is logged");
            assert!(!line.contains("not reloaded"), "{line}");
            if line.contains("catalog reloaded") {
                self.reloads += 1;
                return;
            }
        }
    }

    /// SIGTERM; the exit status and the rest of stderr (the exit summary).
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        let status = wait_for(Duration::from_secs(10), || self.child.try_wait().unwrap()).expect("exits");
        let mut rest = String::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(2)) {
            rest.push_str(&line);
            rest.push('\n');
        }
        let _ = self.child.stderr.take().map(|mut e| e.read_to_string(&mut rest));
        (status, rest)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `(provider, category, code) -> count` of the nonzero `errwatch_errors_total` series.
fn series(exposition: &str) -> BTreeMap<(String, String, String), u64> {
    let label = |l: &str, key: &str| -> String {
        let start = l.find(&format!("{key}=\"")).map(|i| i + key.len() + 2).unwrap_or(0);
        l[start..].split('"').next().unwrap_or("").to_string()
    };
    exposition
        .lines()
        .filter(|l| l.starts_with("errwatch_errors_total{"))
        .filter_map(|l| {
            let n: u64 = l.rsplit(' ').next()?.parse().ok()?;
            (n > 0).then(|| ((label(l, "provider"), label(l, "category"), label(l, "code")), n))
        })
        .collect()
}

fn report_rows(report: &serde_json::Value) -> BTreeMap<(String, String, String), u64> {
    report["by_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            ((s("provider"), s("category"), s("code")), r["count"].as_u64().unwrap())
        })
        .collect()
}

/// `catalog_entries` of the one `errwatch_build_info` series.
fn build_info_entries(exposition: &str) -> usize {
    let infos: Vec<&str> = exposition.lines().filter(|l| l.starts_with("errwatch_build_info{")).collect();
    assert_eq!(infos.len(), 1, "one build_info series: {infos:?}");
    let at = infos[0].find("catalog_entries=\"").unwrap() + "catalog_entries=\"".len();
    infos[0][at..].split('"').next().unwrap().parse().unwrap()
}

fn write_ours(log: &Path, lock: &Mutex<()>, lines: &[String]) {
    let _one_writer = lock.lock().unwrap();
    append(log, lines);
}

#[test]
fn providers_and_entries_removed_and_added_across_sighups_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let files = Files { provider: dir.path().join("provider.toml"), coze: dir.path().join("coze.toml") };
    files.put(State::A);
    let mut d = Watched::start(&[
        "--catalog",
        files.provider.to_str().unwrap(),
        "--catalog",
        files.coze.to_str().unwrap(),
        log.to_str().unwrap(),
    ]);
    let entries_in_a = build_info_entries(&d.metrics());
    let zero_of_a =
        r#"errwatch_errors_total{category="billing",code="ACME_QUOTA_EXHAUSTED",provider="acme"} 0"#;
    let zero_of_b = r#"errwatch_errors_total{category="account",code="700012008",provider="coze"} 0"#;
    assert!(d.metrics().contains(zero_of_a), "an added provider's entries start at zero");
    let lock = Arc::new(Mutex::new(()));
    let mut writer = Writer::start(log.clone(), lock.clone());

    let k = 25;
    let acme = |n| vec![provider_line("acme", "ACME_QUOTA_EXHAUSTED"); n];
    let beta = |n| vec![provider_line("beta", "BETA_RATE_LIMITED"); n];
    let coze = |code: &str, n| vec![coze_line(code); n];
    let acme_labels: &[&str] = &[r#"provider="acme""#];
    let beta_labels: &[&str] = &[r#"provider="beta""#];
    let mut expected_acme = 0.0;
    let mut expected_beta = 0.0;
    let mut state = State::A;
    for round in 0..5 {
        if round > 0 {
            state = if state == State::A { State::B } else { State::A };
            files.put(state);
            d.reload();
            // The catalog's size and zero series follow the files as soon as they are reloaded.
            let m = d.metrics();
            let (size, zero_of_b_there) = match state {
                State::A => (entries_in_a, false),
                State::B => (entries_in_a + 1, true),
            };
            assert_eq!(build_info_entries(&m), size, "round {round}");
            assert_eq!(m.contains(zero_of_b), zero_of_b_there, "round {round}: {zero_of_b}");
        }
        // Both providers' lines and both Coze codes, whichever files are in place: only the
        // declared ones count as known.
        let mut ours = Vec::new();
        for _ in 0..k {
            ours.extend(acme(1));
            ours.extend(beta(1));
            ours.extend(coze("700012006", 1));
            ours.extend(coze("700012007", 1));
        }
        write_ours(&log, &lock, &ours);
        match state {
            State::A => expected_acme += k as f64,
            State::B => expected_beta += k as f64,
        }
        // Every line of this round read (Coze's lines count whatever the files say), before
        // the next swap: a line read late would be classified by the next files.
        d.wait_count(&[r#"provider="coze""#], 2.0 * k as f64 * (round + 1) as f64);
        d.wait_count(acme_labels, expected_acme);
        d.wait_count(beta_labels, expected_beta);
    }
    assert_eq!(d.reloads, 4);
    let written = writer.finish();
    d.wait_count(&[r#"provider="zhipu""#], written as f64);

    let metrics = series(&d.metrics());
    // A removed provider's lines stopped counting at its removal, an added one's started at its
    // reload: three rounds of acme (A, A, A), two of beta.
    let at =
        |p: &str, c: &str, code: &str| metrics.get(&(p.into(), c.into(), code.into())).copied().unwrap_or(0);
    assert_eq!(at("acme", "billing", "ACME_QUOTA_EXHAUSTED"), 3 * k as u64);
    assert_eq!(at("beta", "rate_limit", "BETA_RATE_LIMITED"), 2 * k as u64);
    // An entry known in some rounds is counted under its category then, as unknown otherwise;
    // its counts stay under its key after its removal.
    assert_eq!(at("coze", "auth", "700012006"), 3 * k as u64);
    assert_eq!(at("coze", "unknown", "700012006"), 2 * k as u64);
    assert_eq!(at("coze", "permission", "700012007"), 2 * k as u64);
    assert_eq!(at("coze", "unknown", "700012007"), 3 * k as u64);
    assert_eq!(at("zhipu", "rate_limit", "1302"), written);

    let report: serde_json::Value =
        serde_json::from_str(&http_get(d.port, "/report").expect("/report")).unwrap();
    assert_eq!(report_rows(&report), metrics, "/report and /metrics agree");
    let total: u64 = metrics.values().sum();
    assert_eq!(report["errors"].as_u64(), Some(total));

    let (status, summary) = d.stop();
    assert!(status.success(), "{status}: {summary}");
    assert!(
        summary.contains(&format!("{total} provider errors")),
        "the exit summary's total is {total}: {summary}"
    );
}
