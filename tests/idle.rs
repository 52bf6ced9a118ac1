//! A daemon with nothing new to read spends no CPU. Its own opens and reads of the files it
//! follows are inotify events too; were they to wake it, each poll would cause the next, and
//! errwatch would spend a core at idle (it did, before change notifications were filtered).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{append, zhipu_line, Daemon};

/// User and system CPU time of process `pid`, in seconds, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the daemon's /proc entry");
    // The name in parentheses may hold spaces: the fields are counted after it.
    let rest: Vec<&str> = stat.rsplit_once(')').expect("stat has a name").1.split_whitespace().collect();
    let ticks: f64 = rest[11].parse::<f64>().unwrap() + rest[12].parse::<f64>().unwrap();
    let out = Command::new("getconf").arg("CLK_TCK").output().expect("getconf runs");
    let per_second: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(100.0);
    ticks / per_second
}

fn idle_then_awake(extra: &[&str], dir: &Path) {
    let (a, b) = (dir.join("a.log"), dir.join("b.log"));
    append(&a, &[zhipu_line(1, "1113")]);
    append(&b, &[zhipu_line(2, "1302")]);
    let glob = dir.join("*.log").display().to_string();
    let mut args = vec!["--poll-interval", "1", "--from-start", glob.as_str()];
    args.extend_from_slice(extra);
    let daemon = Daemon::start(&args);
    assert_eq!(daemon.settle_at(2.0), 2.0);
    let pid = daemon.child.id();
    let before = cpu_seconds(pid);
    std::thread::sleep(Duration::from_secs(3));
    let spent = cpu_seconds(pid) - before;
    // Spinning spends about 3 s here; a poll a second, a few milliseconds.
    assert!(spent < 0.5, "{extra:?}: {spent:.2} s of CPU in 3 s with nothing to read");
    // And a change still wakes it.
    append(&a, &[zhipu_line(3, "1113")]);
    assert_eq!(daemon.settle_at(3.0), 3.0, "{extra:?}: the appended error is counted");
}

#[test]
fn an_idle_daemon_spends_no_cpu() {
    let dir = tempfile::tempdir().unwrap();
    idle_then_awake(&[], dir.path());
}

#[test]
fn an_idle_daemon_with_a_state_dir_spends_no_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let state = state.path().display().to_string();
    idle_then_awake(&["--state-dir", &state], dir.path());
}
