//! The real `logrotate` (Debian's package; `tests/all.sh` installs it) rotating a log while a
//! writer writes to it and `errwatch watch --state-dir` follows it, killed with SIGKILL and
//! restarted several times, some rotations happening while it is down. In each of logrotate's
//! four common modes (`create`, `copytruncate`, `compress` + `delaycompress`, `dateext`), and
//! following only `app.log` as well as `app.log*`, every error line that reached the disk is
//! counted exactly once.
//!
//! The counts are read from `/metrics` over TCP: they are what errwatch commits together with
//! its read positions, restored from the checkpoint after each SIGKILL, so a line lost or read
//! twice across a kill shows there. (Records shown with `--print` are printed before the
//! checkpoint that covers them is saved: after a SIGKILL some may be printed again, none is
//! missing, so they are no exact count; `tests/print_kill.rs` holds them to that.) The truth
//! is the writer's own count, checked against the rotated files on disk (decompressed with
//! `zcat`).
//!
//! The writer reopens its log when the path no longer names the file it writes to (what
//! Python's `WatchedFileHandler` does), except under `copytruncate`, where it keeps its file
//! open. copytruncate loses by itself what is written between its copy and its truncation (its
//! manual says so): those lines never stay on disk, so the writer pauses while logrotate runs.
//!
//! Without `logrotate` on PATH the tests print why and pass, unless CI is set: then they fail.

mod common;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{in_path, metric_sum, wait_for, Daemon};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Create,
    CopyTruncate,
    Compress,
    DateExt,
}

impl Mode {
    fn directives(self) -> &'static str {
        match self {
            Mode::Create => "create",
            Mode::CopyTruncate => "copytruncate",
            Mode::Compress => "create\n    compress\n    delaycompress",
            // One rotation a second at most: the date names the rotated file.
            Mode::DateExt => "create\n    dateext\n    dateformat -%Y%m%d-%s",
        }
    }
}

fn logrotate() -> Option<PathBuf> {
    let found = in_path("logrotate").or_else(|| {
        ["/usr/sbin/logrotate", "/sbin/logrotate"].iter().map(PathBuf::from).find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "logrotate is needed under CI (apt-get install logrotate)");
        eprintln!("logrotate is not installed: skipped (apt-get install logrotate)");
    }
    found
}

/// A writer appending numbered lines, one error in three, until stopped.
struct Writer {
    stop: Arc<AtomicBool>,
    errors: Arc<AtomicU64>,
    /// Held by the writer for each line, and by a copytruncate rotation while it runs.
    lock: Arc<Mutex<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    fn start(log: PathBuf, reopen: bool) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let errors = Arc::new(AtomicU64::new(0));
        let lock = Arc::new(Mutex::new(()));
        let (s, e, l) = (stop.clone(), errors.clone(), lock.clone());
        let thread = std::thread::spawn(move || {
            let open = || OpenOptions::new().create(true).append(true).open(&log).unwrap();
            let mut file = open();
            let mut seq: u64 = 0;
            while !s.load(Ordering::SeqCst) {
                for _ in 0..20 {
                    let _held = l.lock().unwrap();
                    if reopen {
                        let current = file.metadata().unwrap();
                        let moved = fs::metadata(&log)
                            .map_or(true, |m| (m.dev(), m.ino()) != (current.dev(), current.ino()));
                        if moved {
                            file = open();
                        }
                    }
                    seq += 1;
                    let line = if seq.is_multiple_of(3) {
                        e.fetch_add(1, Ordering::SeqCst);
                        format!(
                            // With 1113's own message: a body that names no provider counts
                            // only when its message fits its code.
                            "2026-11-02 10:00:{:02},000 ERROR app.llm: call {seq} failed body={{\"error\":{{\"code\":\"1113\",\"message\":\"余额不足或无可用资源包,请充值。\"}}}}\n",
                            seq % 60
                        )
                    } else {
                        format!(
                            "2026-11-02 10:00:{:02},000 INFO app.web: request {seq} ok in 12ms\n",
                            seq % 60
                        )
                    };
                    // One write per line, as loggers do.
                    file.write_all(line.as_bytes()).unwrap();
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Writer { stop, errors, lock, thread: Some(thread) }
    }

    fn finish(&mut self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.errors.load(Ordering::SeqCst)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn rotate(logrotate: &Path, dir: &Path, mode: Mode, writer: &Writer) {
    let _paused = (mode == Mode::CopyTruncate).then(|| writer.lock.lock().unwrap());
    let out = Command::new(logrotate)
        .arg("-f")
        .arg("-s")
        .arg(dir.join("logrotate.state"))
        .arg(dir.join("logrotate.conf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "logrotate: {}", String::from_utf8_lossy(&out.stderr));
}

/// Error lines on disk, in every file of the directory the log was rotated to.
fn errors_on_disk(dir: &Path) -> u64 {
    let mut n = 0;
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("app.log") {
            continue;
        }
        let text = if name.ends_with(".gz") {
            String::from_utf8(Command::new("zcat").arg(&path).output().unwrap().stdout).unwrap()
        } else {
            fs::read_to_string(&path).unwrap()
        };
        n += text.lines().filter(|l| l.contains(" ERROR ")).count() as u64;
    }
    n
}

/// What the test does between two pauses of the writer's.
#[derive(Clone, Copy, Debug)]
enum Step {
    Rotate,
    /// SIGKILL, rotate while down, restart.
    RotateWhileDown,
    /// SIGKILL and restart.
    Kill,
}

fn scenario(mode: Mode, glob: bool) {
    let Some(logrotate) = logrotate() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("app.log"), dir.path().join("state"));
    fs::write(
        dir.path().join("logrotate.conf"),
        format!(
            "{} {{\n    rotate 50\n    missingok\n    nomail\n    {}\n}}\n",
            log.display(),
            mode.directives()
        ),
    )
    .unwrap();
    let pattern = if glob { format!("{}*", log.display()) } else { log.display().to_string() };
    let args = ["--state-dir", state.to_str().unwrap(), pattern.as_str()];
    let mut daemon = Daemon::start(&args);
    let mut writer = Writer::start(log.clone(), mode != Mode::CopyTruncate);
    let steps = [
        Step::Rotate,
        Step::Kill,
        Step::RotateWhileDown,
        Step::Rotate,
        Step::RotateWhileDown,
        Step::Kill,
        Step::Rotate,
    ];
    let started = Instant::now();
    for (i, step) in steps.iter().enumerate() {
        // Uneven pauses, so kills and rotations land at different moments of a poll.
        std::thread::sleep(Duration::from_millis(350 + (i as u64 * 137) % 400));
        if mode == Mode::DateExt {
            // dateext names one rotation per second.
            std::thread::sleep(Duration::from_millis(1000));
        }
        match step {
            Step::Rotate => rotate(&logrotate, dir.path(), mode, &writer),
            Step::Kill | Step::RotateWhileDown => {
                let _ = daemon.child.kill();
                let _ = daemon.child.wait();
                if matches!(step, Step::RotateWhileDown) {
                    std::thread::sleep(Duration::from_millis(100));
                    rotate(&logrotate, dir.path(), mode, &writer);
                }
                std::thread::sleep(Duration::from_millis(150));
                daemon = Daemon::start(&args);
            }
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let written = writer.finish();
    assert_eq!(
        errors_on_disk(dir.path()),
        written,
        "{mode:?}: the files on disk lost lines: a broken test setup"
    );
    let counted = wait_for(Duration::from_secs(30), || (daemon.errors() == written as f64).then_some(()));
    // Held a moment: a late double count would show.
    std::thread::sleep(Duration::from_millis(1200));
    let metrics = daemon.metrics();
    let total = metric_sum(&metrics, "errwatch_errors_total", &[]);
    let files: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        counted.is_some() && total == written as f64,
        "{mode:?}, following {pattern}: {total} errors counted, {written} written ({:.1} s); files: {files:?}",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        metric_sum(&metrics, "errwatch_invalid_utf8_lines_total", &[]),
        0.0,
        "{mode:?}: compressed bytes read as text"
    );
    if mode == Mode::Compress {
        assert!(files.iter().any(|f| f.ends_with(".gz")), "{mode:?}: nothing was compressed: {files:?}");
    }
}

#[test]
fn create_following_app_log() {
    scenario(Mode::Create, false);
}

#[test]
fn create_following_app_log_glob() {
    scenario(Mode::Create, true);
}

#[test]
fn copytruncate_following_app_log() {
    scenario(Mode::CopyTruncate, false);
}

#[test]
fn copytruncate_following_app_log_glob() {
    scenario(Mode::CopyTruncate, true);
}

#[test]
fn compress_delaycompress_following_app_log() {
    scenario(Mode::Compress, false);
}

#[test]
fn compress_delaycompress_following_app_log_glob() {
    scenario(Mode::Compress, true);
}

#[test]
fn dateext_following_app_log() {
    scenario(Mode::DateExt, false);
}

#[test]
fn dateext_following_app_log_glob() {
    scenario(Mode::DateExt, true);
}
