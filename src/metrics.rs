//! The metrics sink: Prometheus counters per provider, category and code, and errwatch's own
//! health. One owned registry; every name and label set is fixed here, and no label is ever
//! made from free text (codes are catalog codes, or a bounded number of unknown ones; sources
//! are at most `max_sources` at once, and a gone source's series are dropped).
//!
//! What a checkpoint saves is kept in plain [`Counts`] beside the registry, updated with it,
//! never read back from the registry by metric name.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use prometheus::{
    Encoder, GaugeVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::catalog::Catalog;
use crate::pipeline::ErrorEvent;
use crate::source::ReadStats;
use crate::state::{CountState, SourceCount};

pub struct Metrics {
    registry: Registry,
    errors: IntCounterVec,
    last_error: GaugeVec,
    lines: IntCounterVec,
    bytes: IntCounterVec,
    long_lines: IntCounterVec,
    invalid_utf8: IntCounterVec,
    read_errors: IntCounterVec,
    rotations: IntCounterVec,
    sources: IntGauge,
    over_cap: IntCounter,
    build: IntGaugeVec,
    /// The `(provider, category, code)` series made at zero for the catalog's entries, so that a
    /// reload can drop those of entries it removed that never counted anything.
    seeded: Mutex<Vec<[String; 3]>>,
    counts: Mutex<Counts>,
}

/// Distinct sources with series of their own at once, by default; more count as
/// `source="other"`.
pub const DEFAULT_MAX_SOURCES: usize = 1000;
/// The source label of sources past the cap.
pub const OTHER_SOURCE: &str = "other";

/// The counts a checkpoint saves, and which sources have series of their own.
#[derive(Debug, Default)]
struct Counts {
    /// Errors by provider, category and code label.
    errors: BTreeMap<String, BTreeMap<String, BTreeMap<String, u64>>>,
    /// Lines and bytes read, by source label.
    sources: BTreeMap<String, (u64, u64)>,
    /// The sources with series of their own (not counted as [`OTHER_SOURCE`]).
    admitted: HashSet<String>,
    max_sources: usize,
}

impl Counts {
    /// Adds `n` errors; allocates only for a key not counted before (every event of the
    /// daemon comes through here).
    fn add_error(&mut self, provider: &str, category: &str, code: &str, n: u64) {
        fn slot<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
            if !map.contains_key(key) {
                map.insert(key.to_string(), V::default());
            }
            map.get_mut(key).expect("just inserted")
        }
        *slot(slot(slot(&mut self.errors, provider), category), code) += n;
    }

    /// The label `source` is counted under: its own while fewer than `max_sources` have one.
    fn source_label<'a>(&mut self, source: &'a str) -> &'a str {
        if self.admitted.contains(source) {
            source
        } else if self.admitted.len() < self.max_sources {
            self.admitted.insert(source.to_string());
            source
        } else {
            OTHER_SOURCE
        }
    }
}

/// The zero-valued series a catalog's entries get: documented codes start at zero, so
/// increase() sees their first error. A templated code is no code anyone sends: its series are
/// made by the errors that fill it in.
fn seeds(catalog: &Catalog) -> Vec<[String; 3]> {
    let mut keys: Vec<[String; 3]> = catalog
        .entries()
        .iter()
        .filter(|e| !e.code_is_template())
        .map(|e| [e.provider.to_string(), e.category.to_string(), e.code.clone()])
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric definition");
    registry.register(Box::new(c.clone())).expect("metric names are unique");
    c
}

impl Metrics {
    pub fn new(catalog: &Catalog) -> Metrics {
        let registry = Registry::new();
        let errors = counter(
            &registry,
            "errwatch_errors_total",
            "Provider error responses found in the logs.",
            &["provider", "category", "code"],
        );
        let seeded = seeds(catalog);
        for [provider, category, code] in &seeded {
            errors.with_label_values(&[provider, category, code]);
        }
        let last_error = GaugeVec::new(
            Opts::new(
                "errwatch_last_error_timestamp_seconds",
                "Time of the last provider error, from its log line when it has one.",
            ),
            &["provider", "category"],
        )
        .expect("valid metric definition");
        registry.register(Box::new(last_error.clone())).expect("metric names are unique");
        let sources = IntGauge::new("errwatch_sources_followed", "Files (or stdin) being read.")
            .expect("valid metric definition");
        registry.register(Box::new(sources.clone())).expect("metric names are unique");
        let over_cap = IntCounter::new(
            "errwatch_sources_over_cap_total",
            "Sources that began to be followed while --max-sources others had series; their reads count as source=\"other\".",
        )
        .expect("valid metric definition");
        registry.register(Box::new(over_cap.clone())).expect("metric names are unique");
        let build = IntGaugeVec::new(
            Opts::new("errwatch_build_info", "errwatch version and catalog size; always 1."),
            &["version", "catalog_entries"],
        )
        .expect("valid metric definition");
        registry.register(Box::new(build.clone())).expect("metric names are unique");
        build.with_label_values(&[env!("CARGO_PKG_VERSION"), &catalog.len().to_string()]).set(1);
        Metrics {
            errors,
            last_error,
            lines: counter(&registry, "errwatch_lines_read_total", "Lines read, per source.", &["source"]),
            bytes: counter(&registry, "errwatch_bytes_read_total", "Bytes read, per source.", &["source"]),
            long_lines: counter(
                &registry,
                "errwatch_long_lines_total",
                "Lines longer than the line cap, searched in their first part only.",
                &["source"],
            ),
            invalid_utf8: counter(
                &registry,
                "errwatch_invalid_utf8_lines_total",
                "Lines that were not valid UTF-8.",
                &["source"],
            ),
            read_errors: counter(
                &registry,
                "errwatch_read_errors_total",
                "Errors opening or reading a source; the source is retried.",
                &["source"],
            ),
            rotations: counter(
                &registry,
                "errwatch_rotations_total",
                "Rotations, truncations and replacements of followed files.",
                &["source"],
            ),
            sources,
            over_cap,
            build,
            seeded: Mutex::new(seeded),
            registry,
            counts: Mutex::new(Counts { max_sources: DEFAULT_MAX_SOURCES, ..Counts::default() }),
        }
    }

    /// At most `n` sources have series of their own at once.
    pub fn max_sources(self, n: usize) -> Metrics {
        self.counts().max_sources = n;
        self
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After a reload: `errwatch_build_info` gives the new catalog's size, the new entries get
    /// their zero series, and the zero series of entries it no longer has go. Series that
    /// counted something stay, under their key, whatever the catalog says now.
    pub fn follow_catalog(&self, catalog: &Catalog) {
        self.build.reset();
        self.build.with_label_values(&[env!("CARGO_PKG_VERSION"), &catalog.len().to_string()]).set(1);
        let now = seeds(catalog);
        let mut seeded = self.seeded.lock().unwrap_or_else(|e| e.into_inner());
        for key @ [provider, category, code] in seeded.iter() {
            let labels = [provider.as_str(), category.as_str(), code.as_str()];
            if !now.contains(key)
                && self.errors.get_metric_with_label_values(&labels).is_ok_and(|c| c.get() == 0)
            {
                let _ = self.errors.remove_label_values(&labels);
            }
        }
        for [provider, category, code] in &now {
            self.errors.with_label_values(&[provider, category, code]);
        }
        *seeded = now;
    }

    /// Counts one error under `code`, the label the summary's cap on unknown codes gave it
    /// ([`crate::summary::Summary::add`]). Its time is its line's, else `undated_at` (the daemon
    /// passes the wall clock; a report of old logs passes nothing and leaves the gauge as it is).
    pub fn record(&self, event: &ErrorEvent, code: &str, undated_at: Option<f64>) {
        let d = &event.detection;
        self.errors.with_label_values(&[d.provider.as_str(), d.category.as_str(), code]).inc();
        self.counts().add_error(d.provider.as_str(), d.category.as_str(), code, 1);
        if let Some(at) = event.timestamp.map(|ms| ms as f64 / 1000.0).or(undated_at) {
            self.last_error.with_label_values(&[d.provider.as_str(), d.category.as_str()]).set(at);
        }
    }

    /// A source is followed: its series exist from now on, at 0 until it reads something, so a
    /// quiet file is told from one that is not followed and `rate()` sees its first line. Past
    /// the cap, it is counted as [`OTHER_SOURCE`], and the overflow once more.
    pub fn follow_source(&self, source: &str) {
        let mut counts = self.counts();
        let label = counts.source_label(source);
        if label == OTHER_SOURCE && source != OTHER_SOURCE {
            self.over_cap.inc();
        }
        for series in self.per_source() {
            series.with_label_values(&[label]);
        }
    }

    fn per_source(&self) -> [&IntCounterVec; 6] {
        [&self.lines, &self.bytes, &self.long_lines, &self.invalid_utf8, &self.read_errors, &self.rotations]
    }

    pub fn add_read(&self, source: &str, delta: &ReadStats) {
        let mut counts = self.counts();
        let label = counts.source_label(source);
        self.lines.with_label_values(&[label]).inc_by(delta.lines);
        self.bytes.with_label_values(&[label]).inc_by(delta.bytes);
        self.long_lines.with_label_values(&[label]).inc_by(delta.long_lines);
        self.invalid_utf8.with_label_values(&[label]).inc_by(delta.invalid_utf8);
        let saved = counts.sources.entry(label.to_string()).or_default();
        saved.0 += delta.lines;
        saved.1 += delta.bytes;
    }

    pub fn read_error(&self, source: &str) {
        let label = self.counts().source_label(source).to_string();
        self.read_errors.with_label_values(&[&label]).inc();
    }

    pub fn rotation(&self, source: &str) {
        let label = self.counts().source_label(source).to_string();
        self.rotations.with_label_values(&[&label]).inc();
    }

    /// A source gone for good: its series are dropped and its place under the cap is free. What
    /// it counted as [`OTHER_SOURCE`] stays there.
    pub fn forget_source(&self, source: &str) {
        let mut counts = self.counts();
        if source == OTHER_SOURCE || !counts.admitted.remove(source) {
            return;
        }
        counts.sources.remove(source);
        for series in self.per_source() {
            let _ = series.remove_label_values(&[source]);
        }
    }

    pub fn set_sources(&self, n: usize) {
        self.sources.set(n as i64);
    }

    /// The error counts and per-source read counts, for a checkpoint.
    pub fn snapshot(&self) -> (Vec<CountState>, Vec<SourceCount>) {
        let counts = self.counts();
        let mut errors = Vec::new();
        for (provider, categories) in &counts.errors {
            for (category, codes) in categories {
                for (code, &count) in codes {
                    let (provider, category, code) = (provider.clone(), category.clone(), code.clone());
                    errors.push(CountState { provider, category, code, count });
                }
            }
        }
        // A followed source that has read nothing yet has nothing to restore.
        let sources = counts
            .sources
            .iter()
            .filter(|(_, (lines, bytes))| *lines > 0 || *bytes > 0)
            .map(|(source, &(lines, bytes))| SourceCount { source: source.clone(), lines, bytes })
            .collect();
        (errors, sources)
    }

    /// Counts saved by an earlier run, so counters go on from where it stopped.
    /// (The cap on unknown codes is the summary's: see [`crate::summary::Summary::restore_codes`].)
    pub fn restore(&self, errors: &[CountState], sources: &[SourceCount]) {
        let mut counts = self.counts();
        for c in errors {
            self.errors.with_label_values(&[&c.provider, &c.category, &c.code]).inc_by(c.count);
            counts.add_error(&c.provider, &c.category, &c.code, c.count);
        }
        for s in sources {
            // Sources take their places under the cap again; past it, they are "other".
            let label = counts.source_label(&s.source).to_string();
            self.lines.with_label_values(&[&label]).inc_by(s.lines);
            self.bytes.with_label_values(&[&label]).inc_by(s.bytes);
            let saved = counts.sources.entry(label).or_default();
            saved.0 += s.lines;
            saved.1 += s.bytes;
        }
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buf).expect("text encoding cannot fail");
        String::from_utf8(buf).expect("exposition is UTF-8")
    }
}

pub fn now_seconds() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}
