//! The daemon's engine in-process: `daemon::run(shared, config, shutdown, clock)` over real
//! files, stopped through its `Control`, on the real clock or on a `ManualClock` that makes a
//! 100 s poll interval pass in a millisecond.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{append, metric_sum, wait_for, zhipu_line};
use errwatch::catalog::Catalog;
use errwatch::daemon::{
    self, Clock, Control, DaemonConfig, EngineConfig, Input, ManualClock, Shared, Shutdown, SystemClock,
};
use errwatch::state::StateDir;

fn config(log: &Path, state: Option<&Path>, poll: Duration) -> DaemonConfig {
    DaemonConfig {
        engine: EngineConfig {
            max_line: 1 << 20,
            dating: 2026.into(),
            print: None,
            poll_interval: poll,
            catalog_files: Vec::new(),
            input_format: Default::default(),
        },
        input: Input::Files {
            patterns: vec![log.display().to_string()],
            from_start: true,
            state_dir: state.map(Path::to_path_buf),
        },
    }
}

struct Running {
    shared: Arc<Shared>,
    control: Control,
    thread: JoinHandle<()>,
}

fn start(config: DaemonConfig, clock: Arc<dyn Clock>) -> Running {
    let shared = Arc::new(Shared::new(Catalog::embedded(), 100));
    let (control, shutdown) = Shutdown::new();
    let thread = {
        let shared = shared.clone();
        std::thread::spawn(move || daemon::run(shared, config, shutdown, clock))
    };
    Running { shared, control, thread }
}

impl Running {
    fn errors(&self) -> f64 {
        metric_sum(&self.shared.metrics.render(), "errwatch_errors_total", &[])
    }

    fn wait_for_errors(&self, want: f64) {
        let seen = wait_for(Duration::from_secs(10), || (self.errors() == want).then_some(()));
        assert!(seen.is_some(), "{} errors counted, {want} expected", self.errors());
    }

    /// Stops it; how long it took to return.
    fn stop(self) -> Duration {
        let asked = Instant::now();
        self.control.stop();
        self.thread.join().expect("the engine returns");
        asked.elapsed()
    }
}

fn lines(range: std::ops::Range<usize>, code: &str) -> Vec<String> {
    range.map(|n| zhipu_line(n, code)).collect()
}

fn saved_count(state: &Path) -> u64 {
    let cp = StateDir::new(state.to_path_buf()).load().expect("readable").expect("a checkpoint");
    cp.errors.iter().map(|c| c.count).sum()
}

#[test]
fn a_stop_ends_a_100_second_poll_at_once_with_the_final_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..3, "1113"));
    let engine = start(config(&log, Some(state.path()), Duration::from_secs(100)), Arc::new(SystemClock));
    engine.wait_for_errors(3.0);
    // The checkpoint the stop writes, not one written before it.
    std::fs::remove_file(state.path().join("state.json")).unwrap();
    let took = engine.stop();
    assert!(took < Duration::from_secs(1), "stopped in {took:?}");
    assert_eq!(saved_count(state.path()), 3);
}

#[test]
fn on_a_manual_clock_a_100_second_poll_interval_passes_in_no_time() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, "").unwrap();
    let clock = Arc::new(ManualClock::new());
    let began = clock.now();
    let engine = start(config(&log, None, Duration::from_secs(100)), clock.clone());
    let real = Instant::now();
    append(&log, &lines(0..2, "1302"));
    engine.wait_for_errors(2.0);
    append(&log, &lines(2..5, "1302"));
    engine.wait_for_errors(5.0);
    let waited = clock.now() - began;
    assert!(waited >= Duration::from_secs(100), "the engine's clock moved {waited:?}");
    assert!(real.elapsed() < Duration::from_secs(10), "{:?} of real time", real.elapsed());
    assert!(engine.stop() < Duration::from_secs(1));
}

#[test]
fn held_evidence_is_settled_by_the_final_commit() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &lines(0..1, "1113"));
    let engine = start(config(&log, Some(state.path()), Duration::from_secs(100)), Arc::new(SystemClock));
    engine.wait_for_errors(1.0);
    // A status line next to Zhipu's host: held, as the SDK's exception may follow it.
    append(
        &log,
        &[r#"2026-11-02 10:00:09 INFO httpx HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/chat/completions "HTTP/1.1 429 Too Many Requests""#.to_string()],
    );
    let shared = engine.shared.clone();
    let took = engine.stop();
    assert!(took < Duration::from_secs(1), "stopped in {took:?}");
    let counted = metric_sum(&shared.metrics.render(), "errwatch_errors_total", &[]);
    assert_eq!(counted, 2.0, "the held status line is counted at the stop");
    assert_eq!(saved_count(state.path()), 2, "and saved");
}
