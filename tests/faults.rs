//! Faults injected on purpose into a running daemon: rotation storms, a followed path turned
//! into a FIFO or a directory and back, a truncated state file, hostile content at volume.
//! Each case asserts exact counts afterwards (or, where the fault itself loses lines, bounds)
//! and that errwatch kept running and answering.

mod common;

use std::fs;
use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{append, metric_sum, wait_for, zhipu_line, Daemon};

/// These tests load the machine (storms, volume): one at a time, so that each measures
/// errwatch rather than its neighbours.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn error_lines(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| zhipu_line(i, "1302")).collect()
}

/// Peak resident memory of a process so far, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// Writes `total` error lines into `app.log` in rounds, calling `rotate(log, rotated_name)`
/// after each, while errwatch follows `app.log*`; returns once errwatch has counted them all
/// (or after a minute) with what it counted.
fn rotation_storm(
    total: usize,
    per_round: usize,
    rotate: fn(&std::path::Path, &std::path::Path),
) -> (Daemon, f64) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let pattern = format!("{}*", log.display());
    let d = Daemon::start(&[&pattern]);
    for (k, start) in (0..total).step_by(per_round).enumerate() {
        append(&log, &error_lines(start, per_round));
        std::thread::sleep(Duration::from_millis(3));
        rotate(&log, &dir.path().join(format!("app.log.{k}")));
    }
    wait_for(Duration::from_secs(60), || (d.errors() == total as f64).then_some(()));
    std::thread::sleep(Duration::from_millis(500));
    let counted = d.errors();
    (d, counted)
}

/// Rotated files keep their place under the glob: each is recognized by its identity and read
/// on from where it stood, never again from its start.
#[test]
fn rename_rotation_storm_loses_nothing() {
    let _serial = serial();
    // rename + create, as logrotate does by default, every few milliseconds
    let (d, counted) = rotation_storm(200_000, 2_000, |log, rotated| {
        fs::rename(log, rotated).unwrap();
        fs::write(log, "").unwrap();
    });
    assert_eq!(counted, 200_000.0);
    assert!(metric_sum(&d.metrics(), "errwatch_rotations_total", &[]) >= 1.0);
}

#[test]
fn copytruncate_storm_loses_nothing_when_the_copies_are_followed() {
    let _serial = serial();
    // Lines errwatch had not read before the truncation are in the copy, which the glob
    // follows from where reading of the original stood.
    let (_d, counted) = rotation_storm(100_000, 2_000, |log, rotated| {
        fs::copy(log, rotated).unwrap();
        fs::OpenOptions::new().write(true).truncate(true).open(log).unwrap();
    });
    assert_eq!(counted, 100_000.0, "each line counted exactly once");
}

#[test]
fn copytruncate_storm_on_one_path_never_counts_twice() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let d = Daemon::start(&[log.to_str().unwrap()]);
    let total = 50_000;
    for (k, start) in (0..total).step_by(2_000).enumerate() {
        append(&log, &error_lines(start, 2_000));
        std::thread::sleep(Duration::from_millis(3));
        fs::copy(&log, dir.path().join(format!("old.{k}"))).unwrap();
        fs::OpenOptions::new().write(true).truncate(true).open(&log).unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    // Lines not read before their truncation exist only in copies nobody follows: that loss is
    // copytruncate's. What errwatch read, it counted once.
    let counted = d.errors();
    assert_eq!(counted, metric_sum(&d.metrics(), "errwatch_lines_read_total", &[]));
    assert!(counted > 0.0 && counted <= total as f64, "{counted} of {total}");
}

#[test]
fn a_path_turned_fifo_or_directory_and_back() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let other = dir.path().join("other.log");
    fs::write(&log, "").unwrap();
    fs::write(&other, "").unwrap();
    let d = Daemon::start(&[log.to_str().unwrap(), other.to_str().unwrap()]);
    append(&log, &error_lines(0, 2));
    assert_eq!(d.settle_at(2.0), 2.0);
    fs::remove_file(&log).unwrap();
    let made = Command::new("mkfifo").arg(&log).status().map(|s| s.success()).unwrap_or(false);
    if !made {
        fs::create_dir(&log).unwrap();
    }
    append(&other, &error_lines(2, 3));
    assert_eq!(d.settle_at(5.0), 5.0, "the other file goes on");
    assert!(metric_sum(&d.metrics(), "errwatch_read_errors_total", &[]) >= 1.0);
    if made {
        fs::remove_file(&log).unwrap();
    } else {
        fs::remove_dir(&log).unwrap();
    }
    fs::create_dir(&log).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    fs::remove_dir(&log).unwrap();
    append(&log, &error_lines(5, 4));
    assert_eq!(d.settle_at(9.0), 9.0, "a regular file again is read from its start");
}

#[test]
fn a_truncated_state_file_is_survived() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    append(&log, &error_lines(0, 3));
    let args = ["--from-start", "--state-dir", state.to_str().unwrap(), log.to_str().unwrap()];
    {
        let d = Daemon::start(&args);
        assert_eq!(d.settle_at(3.0), 3.0);
        d.signal("TERM");
        std::thread::sleep(Duration::from_millis(500));
    }
    let saved = fs::read(state.join("state.json")).unwrap();
    fs::write(state.join("state.json"), &saved[..saved.len() / 2]).unwrap();
    // Not trusted: the file counts as new, and --from-start reads it whole again.
    let d = Daemon::start(&args);
    assert_eq!(d.settle_at(3.0), 3.0);
}

#[test]
fn hostile_content_at_volume_stays_bounded() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let d = Daemon::start(&["--max-line-bytes", "1048576", log.to_str().unwrap()]);
    let started = Instant::now();
    {
        let mut f = fs::OpenOptions::new().append(true).open(&log).unwrap();
        let mut buf = String::new();
        // A million distinct unknown Zhipu codes (1000-1399 family: taken as Zhipu's).
        for i in 0..1_000_000u32 {
            let code = 1000 + i % 400;
            buf.push_str(&format!(
                "{{\"error\":{{\"code\":\"{code}{:06}\",\"message\":\"m\"}}}} url=https://open.bigmodel.cn/v4\n",
                i
            ));
            if buf.len() > 1 << 20 {
                f.write_all(buf.as_bytes()).unwrap();
                buf.clear();
            }
        }
        f.write_all(buf.as_bytes()).unwrap();
        // A 50 MB line, binary garbage, JSON nested 100,000 deep.
        f.write_all(&vec![b'x'; 50 << 20]).unwrap();
        f.write_all(b"\n").unwrap();
        f.write_all(&(0..=255u8).cycle().take(1 << 20).collect::<Vec<u8>>()).unwrap();
        f.write_all(b"\n").unwrap();
        f.write_all("{\"a\":".repeat(100_000).as_bytes()).unwrap();
        f.write_all(b"\n").unwrap();
    }
    append(&log, &error_lines(0, 1));
    let done = wait_for(Duration::from_secs(120), || {
        (metric_sum(&d.metrics(), "errwatch_errors_total", &[r#"code="1302""#]) == 1.0).then_some(())
    });
    assert!(done.is_some(), "the line after the garbage is counted ({:?})", started.elapsed());
    let m = d.metrics();
    let series = m
        .lines()
        .filter(|l| l.starts_with("errwatch_errors_total{") && l.contains("category=\"unknown\""))
        .count();
    assert!(series <= 101, "{series} unknown-code series: the cap is 100 per provider plus \"other\"");
    assert!(metric_sum(&m, "errwatch_errors_total", &[r#"code="other""#]) > 0.0);
    assert!(metric_sum(&m, "errwatch_long_lines_total", &[]) >= 1.0);
    let rss = peak_rss_kib(d.child.id());
    assert!(rss < 64 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn a_file_rotated_while_errwatch_was_down_is_read_on_at_its_new_name() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let state = dir.path().join("state");
    let pattern = format!("{}*", log.display());
    let args = ["--state-dir", state.to_str().unwrap(), pattern.as_str()];
    fs::write(&log, "").unwrap();
    {
        let d = Daemon::start(&args);
        append(&log, &error_lines(0, 5));
        assert_eq!(d.settle_at(5.0), 5.0);
        d.signal("KILL");
    }
    // While errwatch is down: more lines, then a rename+create rotation, then more lines.
    append(&log, &error_lines(5, 3));
    fs::rename(&log, dir.path().join("app.log.1")).unwrap();
    append(&log, &error_lines(8, 2));
    let d = Daemon::start(&args);
    assert_eq!(d.settle_at(10.0), 10.0, "5 restored + 3 from app.log.1 + 2 from the new app.log");
}

/// Unmounts when dropped.
struct Mount(std::path::PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_state_filesystem_warns_and_recovers() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    fs::create_dir(&state).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
        .arg(&state)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root); the unwritable-directory case runs in tests/daemon.rs");
        return;
    }
    let _mount = Mount(state.clone());
    // Fill it: no room for a checkpoint.
    let filler = state.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    while f.write_all(&[0u8; 1024]).is_ok() && f.sync_all().is_ok() {}
    drop(f);
    let log = dir.path().join("app.log");
    fs::write(&log, "").unwrap();
    let d = Daemon::start(&["--state-dir", state.to_str().unwrap(), log.to_str().unwrap()]);
    append(&log, &error_lines(0, 50));
    assert_eq!(d.settle_at(50.0), 50.0, "counting goes on with a full state filesystem");
    assert!(!state.join("state.json").exists());
    fs::remove_file(&filler).unwrap();
    append(&log, &error_lines(50, 1));
    let saved = wait_for(Duration::from_secs(10), || state.join("state.json").exists().then_some(()));
    assert!(saved.is_some(), "the checkpoint is saved once there is room");
    assert_eq!(d.settle_at(51.0), 51.0);
}

#[test]
fn a_file_errwatch_may_not_read_is_reported_and_read_once_allowed() {
    let _serial = serial();
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !root || common::in_path("setpriv").is_none() {
        eprintln!("skipped: needs root and setpriv to run errwatch as an unprivileged user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let perms = |p: &std::path::Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    };
    perms(dir.path(), 0o777);
    let (open, closed) = (dir.path().join("open.log"), dir.path().join("closed.log"));
    fs::write(&open, "").unwrap();
    fs::write(&closed, "").unwrap();
    perms(&open, 0o644);
    perms(&closed, 0o600);
    let port = common::free_port();
    let mut child = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            common::BIN,
            "watch",
            "--poll-interval",
            "0.1",
        ])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg(&open)
        .arg(&closed)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let d = wait_for(Duration::from_secs(10), || common::http_get(port, "/healthz")).map(|_| port);
    assert!(d.is_some(), "errwatch runs as nobody");
    let errors =
        || metric_sum(&common::http_get(port, "/metrics").unwrap_or_default(), "errwatch_errors_total", &[]);
    append(&open, &error_lines(0, 2));
    assert!(wait_for(Duration::from_secs(10), || (errors() == 2.0).then_some(())).is_some());
    let m = common::http_get(port, "/metrics").unwrap_or_default();
    assert!(metric_sum(&m, "errwatch_read_errors_total", &[]) >= 1.0, "the unreadable file is reported");
    append(&closed, &error_lines(2, 3));
    perms(&closed, 0o644);
    // Readable now: a file that appears (to errwatch) after start is read from its start.
    let got = wait_for(Duration::from_secs(10), || (errors() == 5.0).then_some(()));
    let _ = child.kill();
    let _ = child.wait();
    assert!(got.is_some(), "{} counted", errors());
}
