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
            source_expiry: daemon::DEFAULT_SOURCE_EXPIRY,
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
    start_with(Shared::new(Catalog::embedded(), 100), config, clock)
}

fn start_with(shared: Shared, config: DaemonConfig, clock: Arc<dyn Clock>) -> Running {
    let shared = Arc::new(shared);
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

/// The `source` label values of the per-source series.
fn sources_in(exposition: &str) -> Vec<String> {
    let mut sources: Vec<String> = exposition
        .lines()
        .filter(|l| l.starts_with("errwatch_lines_read_total{"))
        .filter_map(|l| Some(l.split("source=\"").nth(1)?.split('"').next()?.to_string()))
        .collect();
    sources.sort();
    sources
}

fn saved_sources(state: &Path) -> Vec<String> {
    let cp = StateDir::new(state.to_path_buf()).load().expect("readable").expect("a checkpoint");
    cp.sources.iter().map(|s| s.source.clone()).collect()
}

/// Pods come and go on a node: the series of a file that is gone are dropped once it has been
/// gone for the expiry, from `/metrics` and from the checkpoint, while the files still there
/// keep theirs and every error stays counted.
#[test]
fn a_gone_sources_series_are_dropped_after_the_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    append(&a, &lines(0..2, "1113"));
    append(&b, &lines(2..4, "1302"));
    let mut config = config(&dir.path().join("*.log"), Some(state.path()), Duration::from_secs(10));
    config.engine.source_expiry = Duration::from_secs(120);
    let clock = Arc::new(ManualClock::new());
    let engine = start(config, clock.clone());
    engine.wait_for_errors(4.0);
    let (a_name, b_name) = (a.display().to_string(), b.display().to_string());
    assert_eq!(sources_in(&engine.shared.metrics.render()), vec![a_name.clone(), b_name.clone()]);
    std::fs::remove_file(&a).unwrap();
    let gone_at = clock.now();
    let dropped = wait_for(Duration::from_secs(10), || {
        (sources_in(&engine.shared.metrics.render()) == vec![b_name.clone()]).then(|| clock.now())
    });
    let dropped = dropped.unwrap_or_else(|| panic!("not dropped: {}", engine.shared.metrics.render()));
    assert!(dropped - gone_at >= Duration::from_secs(120), "dropped after {:?}", dropped - gone_at);
    assert_eq!(engine.errors(), 4.0, "its errors stay counted");
    let summary_sources: Vec<String> =
        engine.shared.summary.lock().unwrap().sources.keys().cloned().collect();
    assert_eq!(summary_sources, vec![b_name.clone()], "and the summary forgets it too");
    engine.stop();
    assert_eq!(saved_sources(state.path()), vec![b_name], "the checkpoint keeps only b.log");
    assert_eq!(saved_count(state.path()), 4);
}

/// Past `--max-sources`, a source's reads count under `source="other"` and the overflow is
/// counted; a gone source's place is taken by the next new one.
#[test]
fn sources_past_the_cap_count_as_other() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<std::path::PathBuf> = (0..3).map(|i| dir.path().join(format!("{i}.log"))).collect();
    for (i, log) in names.iter().enumerate() {
        append(log, &lines(i * 2..i * 2 + 2, "1113"));
    }
    let mut config = config(&dir.path().join("*.log"), None, Duration::from_secs(10));
    config.engine.source_expiry = Duration::from_secs(60);
    let shared = Shared::with_max_sources(Catalog::embedded(), 100, 2);
    let engine = start_with(shared, config, Arc::new(ManualClock::new()));
    engine.wait_for_errors(6.0);
    let render = engine.shared.metrics.render();
    let sources = sources_in(&render);
    assert_eq!(sources.len(), 3, "two sources and other: {sources:?}");
    assert!(sources.contains(&"other".to_string()), "{sources:?}");
    let all_lines = metric_sum(&render, "errwatch_lines_read_total", &[]);
    assert_eq!(all_lines, 6.0, "every line is counted, under its source or other");
    assert_eq!(metric_sum(&render, "errwatch_sources_over_cap_total", &[]), 1.0);
    // One with its own series goes; a new file takes its place once it has expired.
    let own = sources.iter().find(|s| *s != "other").unwrap().clone();
    std::fs::remove_file(&own).unwrap();
    let newcomer = dir.path().join("3.log").display().to_string();
    wait_for(Duration::from_secs(10), || {
        (!sources_in(&engine.shared.metrics.render()).contains(&own)).then_some(())
    })
    .expect("the gone source's series are dropped");
    append(Path::new(&newcomer), &lines(6..7, "1113"));
    engine.wait_for_errors(7.0);
    let render = engine.shared.metrics.render();
    assert!(sources_in(&render).contains(&newcomer), "{:?}", sources_in(&render));
    assert_eq!(metric_sum(&render, "errwatch_sources_over_cap_total", &[]), 1.0);
    engine.stop();
}

/// One cap on unknown codes for `/metrics` and `/report`: after a restart, the codes counted
/// before take their places under it again in both, so a new unknown code past the cap is
/// `other` in both (the summary used to start with an empty cap of its own and count it apart).
#[test]
fn metrics_and_report_share_one_cap_on_unknown_codes_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    // Codes the catalog does not have, next to Zhipu's host: counted as Zhipu's unknown codes.
    let unknown = |n: usize, code: &str| {
        format!(
            r#"2026-11-02 10:00:0{n} ERROR POST https://open.bigmodel.cn/api/paas/v4/chat/completions failed body={{"error":{{"code":"{code}","message":"m"}}}}"#
        )
    };
    append(&log, &[unknown(0, "1990"), unknown(1, "1991")]);
    let run = |want: f64| {
        let shared = Shared::new(Catalog::embedded(), 2);
        let engine = start_with(
            shared,
            config(&log, Some(state.path()), Duration::from_millis(20)),
            Arc::new(SystemClock),
        );
        engine.wait_for_errors(want);
        engine
    };
    let first = run(2.0);
    let render = first.shared.metrics.render();
    assert_eq!(metric_sum(&render, "errwatch_errors_total", &["code=\"1990\"", "category=\"unknown\""]), 1.0);
    first.stop();
    append(&log, &[unknown(2, "1992")]);
    let second = run(3.0);
    let render = second.shared.metrics.render();
    assert_eq!(metric_sum(&render, "errwatch_errors_total", &["code=\"other\""]), 1.0, "{render}");
    let summary = second.shared.summary.lock().unwrap();
    let codes: Vec<(String, u64)> = summary.groups.iter().map(|(k, g)| (k.code.clone(), g.count)).collect();
    assert_eq!(codes, vec![("other".to_string(), 1)], "the report counts it as other too");
    drop(summary);
    second.stop();
}
