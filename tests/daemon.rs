//! The daemon over real files: appends, rotation by rename, copytruncate, delete and recreate,
//! globs gaining files, partial lines, a SIGKILL restart, stdin with `--print`, the printed line
//! numbers of a file rotated while errwatch was down. Each scenario scrapes `/metrics` over TCP
//! and asserts exact counts.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{append, metric_sum, zhipu_line, Daemon, BIN};

fn lines(range: std::ops::Range<usize>, code: &str) -> Vec<String> {
    range.map(|n| zhipu_line(n, code)).collect()
}

#[test]
fn existing_file_starts_at_its_end_unless_from_start() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..5, "1113"));
    let d = Daemon::start(&[log.to_str().unwrap()]);
    append(&log, &lines(5..8, "1302"));
    assert_eq!(d.settle_at(3.0), 3.0);
    let m = d.metrics();
    assert_eq!(metric_sum(&m, "errwatch_errors_total", &[r#"code="1302""#, r#"category="rate_limit""#]), 3.0);
    assert_eq!(metric_sum(&m, "errwatch_errors_total", &[r#"code="1113""#]), 0.0);

    let whole = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    assert_eq!(whole.settle_at(8.0), 8.0);
}

#[test]
fn rotation_rename() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..2, "1113"));
    let d = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(2.0), 2.0);
    append(&log, &lines(2..4, "1113"));
    fs::rename(&log, dir.path().join("app.log.1")).unwrap();
    // Written to the old file after the rename: still read, from the old handle.
    append(&dir.path().join("app.log.1"), &lines(4..5, "1113"));
    append(&log, &lines(5..9, "1302"));
    assert_eq!(d.settle_at(9.0), 9.0);
    let m = d.metrics();
    assert!(metric_sum(&m, "errwatch_rotations_total", &[]) >= 1.0);
}

#[test]
fn copytruncate() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..3, "1113"));
    let d = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(3.0), 3.0);
    fs::copy(&log, dir.path().join("app.log.1")).unwrap();
    fs::OpenOptions::new().write(true).truncate(true).open(&log).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    append(&log, &lines(3..5, "1302"));
    assert_eq!(d.settle_at(5.0), 5.0);
}

#[test]
fn copytruncate_refilled_past_the_old_offset_is_still_seen() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..2, "1113"));
    let d = Daemon::start(&["--from-start", "--poll-interval", "5", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(2.0), 2.0);
    // Truncated and refilled beyond the old length before errwatch looks again: the changed
    // first bytes tell it the content is new.
    let refill: Vec<String> =
        (10..16).map(|n| zhipu_line(n, "1302").replace("upstream", "UPSTREAM")).collect();
    let mut f = fs::OpenOptions::new().write(true).truncate(true).open(&log).unwrap();
    for l in &refill {
        writeln!(f, "{l}").unwrap();
    }
    drop(f);
    assert_eq!(d.settle_at(8.0), 8.0);
}

#[test]
fn delete_and_recreate() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..2, "1113"));
    let d = Daemon::start(&["--from-start", log.to_str().unwrap()]);
    assert_eq!(d.settle_at(2.0), 2.0);
    fs::remove_file(&log).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    append(&log, &lines(2..5, "1302"));
    assert_eq!(d.settle_at(5.0), 5.0);
}

#[test]
fn a_glob_gains_a_file_read_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    append(&dir.path().join("a.log"), &lines(0..2, "1113"));
    let pattern = format!("{}/*.log", dir.path().display());
    let d = Daemon::start(&[&pattern]);
    std::thread::sleep(Duration::from_millis(300));
    append(&dir.path().join("b.log"), &lines(2..6, "1302"));
    assert_eq!(d.settle_at(4.0), 4.0);
    assert_eq!(metric_sum(&d.metrics(), "errwatch_sources_followed", &[]), 2.0);
}

#[test]
fn partial_line_waits_for_its_newline() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let d = Daemon::start(&[log.to_str().unwrap()]);
    let line = zhipu_line(1, "1113");
    let (head, tail) = line.split_at(40);
    let mut f = fs::OpenOptions::new().append(true).open(&log).unwrap();
    write!(f, "{head}").unwrap();
    f.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(d.errors(), 0.0);
    writeln!(f, "{tail}").unwrap();
    assert_eq!(d.settle_at(1.0), 1.0);
}

#[test]
fn sigkill_restart_counts_every_line_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    fs::write(&log, "").unwrap();
    let args = ["--state-dir", state.to_str().unwrap(), log.to_str().unwrap()];
    let total = 3000;
    let first = Daemon::start(&args);
    let writer = {
        let log = log.clone();
        std::thread::spawn(move || {
            for chunk in 0..30 {
                append(&log, &lines(chunk * 100..chunk * 100 + 100, "1302"));
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    // Kill it mid-stream, with no warning.
    common::wait_for(Duration::from_secs(10), || (first.errors() > 300.0).then_some(()));
    first.signal("KILL");
    drop(first);
    writer.join().unwrap();
    let second = Daemon::start(&args);
    assert_eq!(second.settle_at(total as f64), total as f64, "every error counted once across both runs");
    let lines_read = metric_sum(&second.metrics(), "errwatch_lines_read_total", &[]);
    assert_eq!(lines_read, total as f64);
}

#[test]
fn sigterm_stops_cleanly_and_saves_state() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    append(&log, &lines(0..3, "1113"));
    let mut d =
        Daemon::start(&["--from-start", "--state-dir", state.to_str().unwrap(), log.to_str().unwrap()]);
    assert_eq!(d.settle_at(3.0), 3.0);
    d.signal("TERM");
    let status =
        common::wait_for(Duration::from_secs(5), || d.child.try_wait().unwrap()).expect("exits on SIGTERM");
    assert!(status.success());
    assert!(state.join("state.json").exists());
    // A restart resumes: the three are restored, not read again.
    append(&log, &lines(3..4, "1302"));
    let again =
        Daemon::start(&["--from-start", "--state-dir", state.to_str().unwrap(), log.to_str().unwrap()]);
    assert_eq!(again.settle_at(4.0), 4.0);
}

#[test]
fn a_corrupt_state_file_warns_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    fs::create_dir_all(&state).unwrap();
    fs::write(state.join("state.json"), b"\x00garbage{{{").unwrap();
    append(&log, &lines(0..2, "1113"));
    let d = Daemon::start(&["--state-dir", state.to_str().unwrap(), log.to_str().unwrap()]);
    append(&log, &lines(2..3, "1113"));
    assert_eq!(d.settle_at(1.0), 1.0);
}

#[test]
fn stdin_with_print_shows_each_error_promptly() {
    let mut child = Command::new(BIN)
        .args(["--print", "jsonl", "--listen", "none"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "2026-11-02 10:00:00 INFO ok").unwrap();
    let written = Instant::now();
    writeln!(stdin, "{}", zhipu_line(1, "1113")).unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let latency = written.elapsed();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!((v["provider"].as_str(), v["code"].as_str()), (Some("zhipu"), Some("1113")));
    assert!(latency < Duration::from_secs(5), "took {latency:?}");
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("1 provider errors"), "summary on stderr at end of stdin: {err}");
}

#[test]
fn a_directory_in_place_of_a_file_is_reported_and_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.log");
    fs::create_dir(&bad).unwrap();
    let good = dir.path().join("good.log");
    fs::write(&good, "").unwrap();
    let d = Daemon::start(&[bad.to_str().unwrap(), good.to_str().unwrap()]);
    append(&good, &lines(0..2, "1113"));
    assert_eq!(d.settle_at(2.0), 2.0);
    assert!(metric_sum(&d.metrics(), "errwatch_read_errors_total", &[]) >= 1.0);
}

#[test]
fn sighup_reloads_the_catalog_files() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let catalog = dir.path().join("mine.toml");
    let entry = |category: &str| {
        format!(
            "provider = \"coze\"\n[[entry]]\ncode = \"700012006\"\napi = \"openapi\"\nmessage = \"access token invalid\"\n\
             category = \"{category}\"\nretryable = false\nseverity = \"critical\"\naction = \"check_credentials\"\n\
             description_zh = \"令牌无效\"\ndescription_en = \"Invalid token.\"\nremedy_zh = \"检查令牌\"\nremedy_en = \"Check the token.\"\n"
        )
    };
    fs::write(&catalog, entry("auth")).unwrap();
    fs::write(&log, "").unwrap();
    let line = r#"2026-11-02 10:00:01 ERROR url=https://api.coze.cn/v3/chat body={"code":700012006,"msg":"access token invalid","detail":{"logid":"x"}}"#;
    let d = Daemon::start(&["--catalog", catalog.to_str().unwrap(), log.to_str().unwrap()]);
    append(&log, &[line.to_string()]);
    assert_eq!(d.settle_at(1.0), 1.0);
    assert_eq!(
        metric_sum(&d.metrics(), "errwatch_errors_total", &[r#"code="700012006""#, r#"category="auth""#]),
        1.0
    );
    fs::write(&catalog, entry("permission")).unwrap();
    d.signal("HUP");
    std::thread::sleep(Duration::from_millis(500));
    append(&log, &[line.to_string()]);
    assert_eq!(d.settle_at(2.0), 2.0);
    assert_eq!(
        metric_sum(
            &d.metrics(),
            "errwatch_errors_total",
            &[r#"code="700012006""#, r#"category="permission""#]
        ),
        1.0,
        "the reloaded entry classifies new lines"
    );
}

#[test]
fn a_symlinked_log_whose_target_changes_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("app-1.log");
    let second = dir.path().join("app-2.log");
    let link = dir.path().join("app.log");
    append(&first, &lines(0..1, "1113"));
    std::os::unix::fs::symlink(&first, &link).unwrap();
    let d = Daemon::start(&["--from-start", link.to_str().unwrap()]);
    assert_eq!(d.settle_at(1.0), 1.0);
    append(&second, &lines(1..4, "1302"));
    let tmp = dir.path().join("app.log.new");
    std::os::unix::fs::symlink(&second, &tmp).unwrap();
    fs::rename(&tmp, &link).unwrap();
    assert_eq!(d.settle_at(4.0), 4.0, "the new target is read from its start");
}

#[test]
fn an_unwritable_state_dir_warns_and_counting_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    // A regular file where the state directory should be: it can never be written.
    let state = dir.path().join("state");
    fs::write(&state, "not a directory").unwrap();
    fs::write(&log, "").unwrap();
    let mut child = Command::new(BIN)
        .args(["watch", "--listen", "none", "--poll-interval", "0.1", "--print", "jsonl", "--state-dir"])
        .arg(&state)
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    append(&log, &lines(0..3, "1113"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = 0;
    let mut line = String::new();
    while seen < 3 && out.read_line(&mut line).unwrap() > 0 {
        seen += 1;
    }
    assert_eq!(seen, 3, "errors are still found and printed");
    // Now the directory can be made: the next commit saves the checkpoint.
    fs::remove_file(&state).unwrap();
    append(&log, &lines(3..4, "1113"));
    let saved = common::wait_for(Duration::from_secs(10), || state.join("state.json").exists().then_some(()));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(saved.is_some(), "the checkpoint is saved once the directory is writable");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot save the checkpoint"), "a warning says why: {err}");
}

#[test]
fn sigterm_ends_a_100_second_poll_within_2_s_with_the_final_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..3, "1113"));
    let mut d = Daemon::start(&[
        "--from-start",
        "--poll-interval",
        "100",
        "--state-dir",
        state.path().to_str().unwrap(),
        log.to_str().unwrap(),
    ]);
    assert_eq!(d.settle_at(3.0), 3.0);
    // Whatever is in the state directory now was written before the signal.
    fs::remove_file(state.path().join("state.json")).unwrap();
    let asked = Instant::now();
    d.signal("TERM");
    let status = common::wait_for(Duration::from_secs(5), || d.child.try_wait().unwrap()).expect("exits");
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(2), "exited {took:?} after SIGTERM");
    assert!(status.success(), "{status}");
    let saved: serde_json::Value =
        serde_json::from_slice(&fs::read(state.path().join("state.json")).expect("the final checkpoint"))
            .unwrap();
    let counted: u64 = saved["errors"].as_array().unwrap().iter().map(|e| e["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, 3);
}

/// `watch` on `--listen ADDR`: its exit status and stderr, when it exits within 10 s.
fn watch_exit(listen: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let mut child = Command::new(BIN)
        .args(["watch", "--listen", listen])
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = common::wait_for(Duration::from_secs(10), || child.try_wait().unwrap());
    if status.is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    (status.and_then(|s| s.code()), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_port_in_use_is_a_start_up_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, err) = watch_exit(&addr);
    assert_eq!(code, Some(3), "start-up error status: {err}");
    assert!(err.contains("cannot listen on") && err.contains(&addr), "{err}");
}

#[test]
fn an_address_not_of_this_host_is_a_start_up_error() {
    // TEST-NET-1 (RFC 5737): never an address of this machine.
    let (code, err) = watch_exit("192.0.2.1:9847");
    assert_eq!(code, Some(3), "start-up error status: {err}");
    assert!(err.contains("cannot listen on 192.0.2.1:9847"), "{err}");
}

#[test]
fn a_listen_value_that_is_no_address_is_a_usage_error() {
    let (code, err) = watch_exit("not-an-address");
    assert_eq!(code, Some(2), "{err}");
}

/// `watch --print=jsonl` (times read in UTC) with its stdout in `feed`.
fn start_printing(args: &[&str], feed: &std::path::Path) -> Daemon {
    let port = common::free_port();
    let child = Command::new(BIN)
        .args(["watch", "--print=jsonl", "--timezone", "UTC", "--poll-interval", "0.1"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(feed).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let d = Daemon { child, port };
    common::wait_for(Duration::from_secs(10), || common::looked_at_every_source(port).then_some(()))
        .expect("errwatch answers /healthz");
    d
}

/// Lines `from..=to` of a log: an error (`zhipu_line(n)`, dated second `n`) every 4th line.
fn numbered(from: usize, to: usize, n: impl Fn(usize) -> usize) -> Vec<String> {
    (from..=to)
        .map(
            |k| {
                if k % 4 == 0 {
                    zhipu_line(n(k), "1113")
                } else {
                    format!("2026-11-02 10:00:00 INFO ok {k}")
                }
            },
        )
        .collect()
}

/// The printed records: (source's file name, line, the second its error line is dated).
fn printed(feed: &std::path::Path) -> Vec<(String, u64, u64)> {
    fs::read_to_string(feed)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            let source = std::path::Path::new(v["source"].as_str().unwrap());
            let second = v["timestamp"].as_str().unwrap()[17..19].parse().unwrap();
            (source.file_name().unwrap().to_string_lossy().into_owned(), v["line"].as_u64().unwrap(), second)
        })
        .collect()
}

/// Stopped after reading app.log's first 20 lines; while down, 8 lines more are written, the
/// file renamed to app.log.1, 8 more written to it, a new app.log created. After the restart
/// the records from app.log.1 carry that file's own line numbers (21 to 36, not counted from
/// where reading resumed), under app.log when only the live name is followed (the tail read
/// where it went) and under app.log.1 with the glob; the new app.log's are counted from 1.
#[test]
fn printed_line_numbers_are_the_files_own_after_a_rotation_while_down() {
    for (pattern, stop, tail_source) in [("app.log", "TERM", "app.log"), ("app.log*", "KILL", "app.log.1")] {
        let dir = tempfile::tempdir().unwrap();
        let (log, state) = (dir.path().join("app.log"), dir.path().join("state"));
        let (first, second) = (dir.path().join("first.jsonl"), dir.path().join("second.jsonl"));
        let glob = dir.path().join(pattern);
        let args = ["--from-start", "--state-dir", state.to_str().unwrap(), glob.to_str().unwrap()];
        append(&log, &numbered(1, 20, |k| k));
        let mut d = start_printing(&args, &first);
        assert_eq!(d.settle_at(5.0), 5.0);
        d.signal(stop);
        common::wait_for(Duration::from_secs(5), || d.child.try_wait().unwrap()).expect("stops");
        drop(d);
        let want_first: Vec<_> = (1..=5).map(|i| ("app.log".to_string(), i * 4, i * 4)).collect();
        assert_eq!(printed(&first), want_first, "{pattern}: the first run");

        append(&log, &numbered(21, 28, |k| k));
        fs::rename(&log, dir.path().join("app.log.1")).unwrap();
        append(&dir.path().join("app.log.1"), &numbered(29, 36, |k| k));
        append(&log, &numbered(1, 8, |k| 40 + k));
        let mut d = start_printing(&args, &second);
        assert_eq!(d.settle_at(11.0), 11.0, "{pattern}: restored and counted once");
        d.signal("TERM");
        common::wait_for(Duration::from_secs(5), || d.child.try_wait().unwrap()).expect("stops");
        drop(d);
        let mut want: Vec<_> = [24, 28, 32, 36].map(|k| (tail_source.to_string(), k, k)).to_vec();
        want.extend([4, 8].map(|k| ("app.log".to_string(), k, 40 + k)));
        // Two sources (with the glob) print in no set order between them.
        let mut got = printed(&second);
        got.sort_by_key(|(source, _, second)| (source != tail_source, *second));
        assert_eq!(got, want, "{pattern}: after the restart");
    }
}

/// A request line that names the provider, then the error that names only its status: counted
/// as that provider's through the line before (rule 6), by `scan` and by a daemon that read
/// both.
const REQUEST: &str = r#"2026-11-02 10:00:00,000 INFO httpx: HTTP Request: POST https://api.ppinfra.com/v3/openai/chat/completions "HTTP/1.1 200 OK""#;
const STATUS_ONLY: &str = "2026-11-02 10:00:01,000 ERROR app: Error: 429 status code (no body)";

fn ppio_status_errors(d: &Daemon) -> f64 {
    metric_sum(&d.metrics(), "errwatch_errors_total", &[r#"provider="ppio""#, r#"code="http_429""#])
}

/// A file followed from its end: its last lines are not counted, but what they say of the
/// provider is there for the line appended next, as for a file read whole.
#[test]
fn a_file_followed_from_its_end_keeps_its_last_lines_as_context() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..3, "1113"));
    append(&log, &[REQUEST.to_string()]);
    let d = Daemon::start(&[log.to_str().unwrap()]);
    append(&log, &[STATUS_ONLY.to_string()]);
    assert_eq!(d.settle_at(1.0), 1.0, "only the appended line is counted");
    assert_eq!(ppio_status_errors(&d), 1.0, "{}", d.metrics());
    assert_eq!(metric_sum(&d.metrics(), "errwatch_lines_read_total", &[]), 1.0);
    // Without the request line before it, the same status names no provider.
    let bare = dir.path().join("bare.log");
    append(&bare, &lines(0..3, "1113"));
    let d = Daemon::start(&[bare.to_str().unwrap()]);
    append(&bare, &[STATUS_ONLY.to_string(), zhipu_line(9, "1302")]);
    assert_eq!(d.settle_at(1.0), 1.0);
    assert_eq!(ppio_status_errors(&d), 0.0);
}

/// Killed between the request line and its error: the restarted daemon counts the error as
/// the one that never stopped would have, and counts nothing of the lines before twice.
#[test]
fn a_restart_between_a_request_and_its_error_keeps_the_attribution() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    fs::write(&log, "").unwrap();
    let args = ["--state-dir", state.to_str().unwrap(), log.to_str().unwrap()];
    let first = Daemon::start(&args);
    append(&log, &lines(0..2, "1113"));
    append(&log, &[REQUEST.to_string()]);
    assert_eq!(first.settle_at(2.0), 2.0);
    // The checkpoint that covers the request line is on disk before the kill.
    let saved = common::wait_for(Duration::from_secs(10), || {
        let text = fs::read_to_string(state.join("state.json")).ok()?;
        text.contains("\"line\":3").then_some(())
    });
    assert!(saved.is_some(), "no checkpoint at line 3: {:?}", fs::read_to_string(state.join("state.json")));
    first.signal("KILL");
    drop(first);
    append(&log, &[STATUS_ONLY.to_string()]);
    let second = Daemon::start(&args);
    assert_eq!(second.settle_at(3.0), 3.0, "the two before the kill and the one after, once each");
    assert_eq!(ppio_status_errors(&second), 1.0, "{}", second.metrics());
    assert_eq!(metric_sum(&second.metrics(), "errwatch_lines_read_total", &[]), 4.0);
}
