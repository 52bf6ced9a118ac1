//! The daemon's engine: bytes from followed files (or stdin) through one [`Source`] each, and
//! the resulting errors into the sinks: metrics, the summary, and the optional live print.
//!
//! With a state directory, errors are published in *commits*: under the exposure lock the
//! events go to the sinks and a checkpoint with the read positions and the published counts is
//! saved. A commit happens only when no source holds back evidence, so the positions saved are
//! exactly the bytes whose errors were counted: after a crash, the restart restores the counts
//! and reads on from the positions, and every error is counted once.
//!
//! [`run`] is the engine's one entry, in the shape of mini-redis's server: what to read, how
//! to stop ([`Shutdown`]) and what time it is ([`Clock`]) are its arguments, so a test runs it
//! in-process on a [`ManualClock`] and stops it through a [`Control`].

mod control;
mod idle;

pub use control::{Clock, Control, ManualClock, Shutdown, SystemClock, Wake};
pub use idle::Following;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::catalog::Catalog;
use crate::framing::{InputFormat, Replay};
use crate::input::follow::{Change, Follower, Position, Restart};
use crate::input::CHUNK_BYTES;
use crate::metrics::Metrics;
use crate::output::{format_event, LineFormat};
use crate::pipeline::ErrorEvent;
use crate::source::{ReadStats, Source};
use crate::state::{Checkpoint, FileState, StateDir, STATE_VERSION};
use crate::summary::Summary;

/// How long the sources must have been quiet before held evidence is settled: a status line
/// and the exception after it often arrive in separate writes.
const QUIET: Duration = Duration::from_millis(500);
/// Longest a commit may wait for sources to stop holding evidence.
const MAX_COMMIT_DELAY: Duration = Duration::from_secs(2);

/// What the HTTP side and the engine share.
pub struct Shared {
    pub metrics: Metrics,
    pub summary: Mutex<Summary>,
    catalog: RwLock<Arc<Catalog>>,
    /// Held for writing while a commit publishes and checkpoints; for reading while serving.
    pub exposure: RwLock<()>,
    /// Every source has been looked at once: positions are taken, `/healthz` says ok (if
    /// something is followed).
    pub ready: AtomicBool,
    /// The counts of the last run's checkpoint, if any, are restored: until then `/metrics`
    /// answers 503, as a scrape of counts about to jump back up would read as a reset.
    pub restored: AtomicBool,
    /// What is followed, as of the last poll.
    following: Mutex<Following>,
}

impl Shared {
    pub fn new(catalog: Catalog, max_unknown_codes: usize) -> Shared {
        Shared::with_max_sources(catalog, max_unknown_codes, crate::metrics::DEFAULT_MAX_SOURCES)
    }

    /// `max_sources`: how many sources have series of their own at once.
    pub fn with_max_sources(catalog: Catalog, max_unknown_codes: usize, max_sources: usize) -> Shared {
        Shared {
            metrics: Metrics::new(&catalog).max_sources(max_sources),
            summary: Mutex::new(Summary::new(max_unknown_codes)),
            catalog: RwLock::new(Arc::new(catalog)),
            exposure: RwLock::new(()),
            ready: AtomicBool::new(false),
            restored: AtomicBool::new(false),
            following: Mutex::new(Following::default()),
        }
    }

    pub fn following(&self) -> Following {
        self.following.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_following(&self, following: Following) {
        *self.following.lock().unwrap_or_else(|e| e.into_inner()) = following;
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_catalog(&self, catalog: Catalog) {
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(catalog);
    }
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub max_line: usize,
    pub dating: crate::timestamp::Dating,
    pub print: Option<LineFormat>,
    pub poll_interval: Duration,
    /// Builds the catalog again on SIGHUP.
    pub catalog_files: Vec<PathBuf>,
    pub input_format: InputFormat,
    /// How long after a file is gone (deleted or renamed away, and nothing at its path again)
    /// its per-source series, read counts and summary rows are kept.
    pub source_expiry: Duration,
}

/// [`EngineConfig::source_expiry`] by default: long enough for a few scrapes to see a gone
/// file's last counts.
pub const DEFAULT_SOURCE_EXPIRY: Duration = Duration::from_secs(300);

/// What the daemon reads.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    Files {
        patterns: Vec<String>,
        /// Files already there are read from their start, not their end.
        from_start: bool,
        /// Where checkpoints go; none: counts start at zero on each start.
        state_dir: Option<PathBuf>,
    },
}

/// Everything [`run`] needs to know.
#[derive(Debug, Clone)]
pub struct DaemonConfig {
    pub engine: EngineConfig,
    pub input: Input,
}

/// Reads `config.input` into `shared` until told to stop through `shutdown` (or, for stdin,
/// until it ends), then settles what is held and saves the final checkpoint.
pub fn run(shared: Arc<Shared>, config: DaemonConfig, shutdown: Shutdown, clock: Arc<dyn Clock>) {
    match config.input {
        Input::Stdin => read_stdin(shared, config.engine, shutdown, clock),
        Input::Files { patterns, from_start, state_dir } => {
            follow_files(shared, config.engine, patterns, from_start, state_dir, shutdown, clock)
        }
    }
}

struct Engine {
    shared: Arc<Shared>,
    config: EngineConfig,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    sources: HashMap<String, Source>,
    /// Read counts already published, per source.
    published: HashMap<String, ReadStats>,
    /// Sources whose file is gone, since when: forgotten after [`EngineConfig::source_expiry`].
    gone: HashMap<String, Instant>,
    events: Vec<(String, ErrorEvent)>,
    scratch: Vec<ErrorEvent>,
    state: Option<StateDir>,
    state_failing: bool,
    waiting_since: Option<Instant>,
}

impl Engine {
    fn new(
        shared: Arc<Shared>,
        config: EngineConfig,
        state: Option<StateDir>,
        clock: Arc<dyn Clock>,
    ) -> Engine {
        Engine {
            catalog: shared.catalog(),
            shared,
            config,
            clock,
            sources: HashMap::new(),
            published: HashMap::new(),
            gone: HashMap::new(),
            events: Vec::new(),
            scratch: Vec::new(),
            state,
            state_failing: false,
            waiting_since: None,
        }
    }

    fn source(&mut self, name: &str) -> &mut Source {
        let (max, dating, format) = (self.config.max_line, self.config.dating, self.config.input_format);
        self.sources.entry(name.to_string()).or_insert_with(|| Source::new(max, dating).input_format(format))
    }

    fn data(&mut self, name: &str, bytes: &[u8]) {
        let catalog = self.catalog.clone();
        let mut scratch = std::mem::take(&mut self.scratch);
        // The file's name on errwatch's own debug lines (what a rule did not count, and where).
        let _span = tracing::debug_span!("source", name).entered();
        self.source(name).feed(bytes, &catalog, &mut scratch);
        self.events.extend(scratch.drain(..).map(|e| (name.to_string(), e)));
        self.scratch = scratch;
    }

    /// The file ended (closed or replaced): what it held is settled, a partial last line
    /// counts as a line.
    fn end_of_content(&mut self, name: &str) {
        self.restart(name, true);
    }

    /// The file was truncated in place: held evidence is settled, a partial line dropped (its
    /// start is read again from a followed copy, if there is one).
    fn truncated(&mut self, name: &str) {
        self.restart(name, false);
    }

    fn restart(&mut self, name: &str, keep_partial_line: bool) {
        let catalog = self.catalog.clone();
        if let Some(source) = self.sources.get_mut(name) {
            if keep_partial_line {
                source.finish(&catalog, &mut self.scratch);
            } else {
                source.idle(&catalog, &mut self.scratch);
            }
            source.restart_lines();
        }
        let scratch = std::mem::take(&mut self.scratch);
        self.events.extend(scratch.into_iter().map(|e| (name.to_string(), e)));
    }

    /// The file at `name` is gone: its source is forgotten unless something is there again
    /// before [`EngineConfig::source_expiry`].
    fn gone(&mut self, name: &str) {
        let now = self.clock.now();
        self.gone.entry(name.to_string()).or_insert(now);
    }

    /// The lines before where `name` is followed from, read again for context only (see
    /// [`Source::warm`]). Not into a source still holding evidence of what it read before,
    /// which those lines would settle uncounted.
    fn warm(&mut self, name: &str, before: &[u8], through: u64) {
        if before.is_empty() || self.sources.get(name).is_some_and(Source::is_holding) {
            return;
        }
        let catalog = self.catalog.clone();
        self.source(name).warm(before, through, &catalog);
    }

    fn back(&mut self, name: &str) {
        self.gone.remove(name);
    }

    /// Forgets the sources gone for longer than the expiry whose every count is published: on a
    /// node where pods come and go, series and memory stay those of the files still there.
    fn expire(&mut self) {
        let now = self.clock.now();
        let expiry = self.config.source_expiry;
        let due: Vec<String> = self
            .gone
            .iter()
            .filter(|(_, since)| now.saturating_duration_since(**since) >= expiry)
            .map(|(name, _)| name.clone())
            .collect();
        for name in due {
            let settled = self.sources.get(&name).is_none_or(|s| {
                !s.is_holding() && self.published.get(&name).copied().unwrap_or_default() == s.stats
            });
            if !settled {
                continue;
            }
            tracing::debug!(source = %name, "gone for {expiry:?}: its series are dropped");
            self.gone.remove(&name);
            self.sources.remove(&name);
            self.published.remove(&name);
            let _exposed = self.shared.exposure.write().unwrap_or_else(|e| e.into_inner());
            self.shared.metrics.forget_source(&name);
            self.shared.summary.lock().unwrap_or_else(|e| e.into_inner()).sources.remove(&name);
        }
    }

    /// Nothing new arrived: held evidence will not be claimed by later lines.
    fn idle(&mut self) {
        let catalog = self.catalog.clone();
        for (name, source) in &mut self.sources {
            source.idle(&catalog, &mut self.scratch);
            self.events.extend(self.scratch.drain(..).map(|e| (name.clone(), e)));
        }
    }

    fn holding(&self) -> bool {
        self.sources.values().any(Source::is_holding)
    }

    /// Publishes what was found, with a checkpoint when a state directory is set. Returns
    /// whether it committed (it waits while a source holds evidence, at most a little while,
    /// unless `force`d: the last commit settles whatever is held).
    fn commit(&mut self, follower: Option<&Follower>, force: bool) -> bool {
        if self.state.is_some() && follower.is_some() && self.holding() {
            let now = self.clock.now();
            let since = *self.waiting_since.get_or_insert(now);
            if !force && now.saturating_duration_since(since) < MAX_COMMIT_DELAY {
                return false;
            }
            self.idle();
        }
        self.waiting_since = None;
        let events = std::mem::take(&mut self.events);
        let shared = self.shared.clone();
        // Printed before the checkpoint that covers them is saved: after a crash between the
        // two, a restart reads these records again and prints them twice, but none is missing
        // from the printed feed. Published and checkpointed under the exposure lock, so that a
        // scrape never sees counts the checkpoint does not hold (`/metrics` stays exactly-once).
        self.print(&events);
        {
            let _exposed = shared.exposure.write().unwrap_or_else(|e| e.into_inner());
            let mut summary = self.shared.summary.lock().unwrap_or_else(|e| e.into_inner());
            for (name, event) in &events {
                let code = summary.add(name, event);
                self.shared.metrics.record(event, code, Some(crate::metrics::now_seconds()));
            }
            for (name, source) in &self.sources {
                let before = self.published.entry(name.clone()).or_default();
                let delta = ReadStats {
                    lines: source.stats.lines - before.lines,
                    bytes: source.stats.bytes - before.bytes,
                    long_lines: source.stats.long_lines - before.long_lines,
                    invalid_utf8: source.stats.invalid_utf8 - before.invalid_utf8,
                };
                if delta != ReadStats::default() {
                    self.shared.metrics.add_read(name, &delta);
                    summary.add_read(name, &delta);
                    *before = source.stats;
                }
            }
            drop(summary);
            if let (Some(state), Some(follower)) = (self.state.take(), follower) {
                self.checkpoint(&state, follower);
                self.state = Some(state);
            }
        }
        true
    }

    fn checkpoint(&mut self, state: &StateDir, follower: &Follower) {
        let (errors, sources) = self.shared.metrics.snapshot();
        let files = follower
            .positions()
            .map(|(path, pos)| {
                let source = self.sources.get(&path.display().to_string());
                // A partial last line, or a line whose chunks are not all read, is read again
                // after a restart, in full, from its start.
                let resume = source.map(Source::resume_point).unwrap_or_default();
                let offset = pos.offset - resume.back.min(pos.offset);
                let line = if source.is_some() { resume.line } else { pos.line };
                FileState {
                    path: path.to_path_buf(),
                    position: Position { identity: pos.identity, offset, line },
                    line,
                    replay: resume.replay,
                }
            })
            .collect();
        let cp = Checkpoint { version: STATE_VERSION, files, errors, sources };
        match state.save(&cp) {
            Err(e) if !self.state_failing => {
                tracing::warn!("cannot save the checkpoint, counting goes on without it: {e}");
                self.state_failing = true;
            }
            Err(_) => {}
            Ok(()) if self.state_failing => {
                tracing::warn!("checkpoint saved again");
                self.state_failing = false;
            }
            Ok(()) => {}
        }
    }

    fn print(&self, events: &[(String, ErrorEvent)]) {
        let Some(format) = self.config.print else {
            return;
        };
        let mut out = io::stdout().lock();
        for (name, e) in events {
            let line = format_event(format, name, e);
            if writeln!(out, "{line}").is_err() {
                return;
            }
        }
        let _ = out.flush();
    }

    fn maybe_reload(&mut self, shutdown: &mut Shutdown) {
        if !shutdown.take_reload() {
            return;
        }
        match Catalog::with_overrides(&self.config.catalog_files) {
            Ok(c) => {
                {
                    let _exposed = self.shared.exposure.write().unwrap_or_else(|e| e.into_inner());
                    self.shared.metrics.follow_catalog(&c);
                }
                tracing::info!(entries = c.len(), "catalog reloaded");
                self.shared.set_catalog(c);
                self.catalog = self.shared.catalog();
            }
            Err(e) => tracing::error!("catalog not reloaded, keeping the old one: {e}"),
        }
    }
}

/// Follows files until stopped.
fn follow_files(
    shared: Arc<Shared>,
    config: EngineConfig,
    patterns: Vec<String>,
    from_start: bool,
    state_dir: Option<PathBuf>,
    mut shutdown: Shutdown,
    clock: Arc<dyn Clock>,
) {
    let state = state_dir.map(StateDir::new);
    let saved = match state.as_ref().map(StateDir::load) {
        Some(Ok(Some(cp))) => {
            let _exposed = shared.exposure.write().unwrap_or_else(|e| e.into_inner());
            shared.metrics.restore(&cp.errors, &cp.sources);
            shared.summary.lock().unwrap_or_else(|e| e.into_inner()).restore_codes(&cp.errors);
            Some(cp)
        }
        Some(Err(e)) => {
            tracing::warn!("{e}");
            None
        }
        _ => None,
    };
    shared.restored.store(true, Ordering::SeqCst);
    let positions: BTreeMap<PathBuf, Position> =
        saved.as_ref().map(Checkpoint::positions).unwrap_or_default();
    // Where a saved position is the first chunk of an unfinished line: what to skip after it.
    // Keyed by inode and offset: the file's fingerprint grows with it.
    let mut replays: HashMap<(u64, u64, u64), Replay> = saved
        .iter()
        .flat_map(|cp| &cp.files)
        .filter_map(|f| {
            let id = &f.position.identity;
            Some(((id.dev, id.ino, f.position.offset), f.replay.clone()?))
        })
        .collect();
    let mut engine = Engine::new(shared.clone(), config.clone(), state, clock.clone());
    let mut follower = Follower::new(patterns, from_start, positions);
    let _watcher = watch_dirs(&follower, shutdown.control());
    let mut last_data = clock.now();
    let mut idle_warnings = idle::IdleWarnings::default();
    loop {
        shutdown.check();
        // Told to stop: one pass more, so that what was written before the stop is counted.
        let stopping = shutdown.is_stopped();
        engine.maybe_reload(&mut shutdown);
        let mut got_data = false;
        follower.poll(|change| match change {
            Change::Opened { path, position, before } => {
                tracing::debug!(path = %path.display(), offset = position.offset, line = position.line, "following");
                // Line numbers go on from the position's; a checkpoint's replay, if any, says
                // which lines after it were read before.
                let id = &position.identity;
                let replay = replays.remove(&(id.dev, id.ino, position.offset));
                let name = path.display().to_string();
                shared.metrics.follow_source(&name);
                engine.back(&name);
                engine.warm(&name, before, position.line);
                engine.source(&name).restart_at(position.line, replay);
            }
            Change::Data { path, bytes } => {
                got_data = true;
                engine.data(&path.display().to_string(), bytes);
            }
            Change::Restarted { path, why } => {
                let name = path.display().to_string();
                tracing::info!(path = %name, ?why, "file restarted");
                match why {
                    Restart::Replaced | Restart::Copied => engine.end_of_content(&name),
                    Restart::Truncated => engine.truncated(&name),
                }
                shared.metrics.rotation(&name);
            }
            Change::Closed { path } => {
                // Renamed away or deleted: what replaces it, if anything, is a new file.
                let name = path.display().to_string();
                engine.end_of_content(&name);
                shared.metrics.rotation(&name);
                engine.gone(&name);
            }
            Change::Skipped { path, compression } => {
                tracing::debug!(path = %path.display(), "compressed ({}): not followed", compression.name());
            }
            Change::Unreadable { path, error } => {
                let name = path.display().to_string();
                tracing::warn!(path = %name, "cannot read: {error}");
                shared.metrics.read_error(&name);
            }
        });
        shared.metrics.set_sources(follower.followed());
        let idle = follower.idle_patterns();
        for pattern in idle_warnings.due(clock.now(), &idle) {
            tracing::warn!("{}", idle::warning(pattern));
        }
        let idle = idle.into_iter().map(|i| i.pattern).collect();
        shared.set_following(Following { sources: follower.followed(), idle });
        shared.ready.store(true, Ordering::SeqCst);
        let now = clock.now();
        if got_data {
            last_data = now;
        } else if now.saturating_duration_since(last_data) >= QUIET.max(config.poll_interval) {
            engine.idle();
        }
        engine.commit(Some(&follower), false);
        engine.expire();
        if stopping {
            break;
        }
        if got_data {
            continue; // more may be waiting
        }
        shutdown.wait(&*clock, config.poll_interval);
    }
    // Final commit: whatever is held is settled now, and the checkpoint says so.
    engine.idle();
    engine.commit(Some(&follower), true);
}

/// Change notifications as wake-ups; `None` (polling only) where the platform gives none.
fn watch_dirs(follower: &Follower, wake: Control) -> Option<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // errwatch's own opens and reads of the files it follows are events too (inotify reports
        // access): waking on them would poll again at once, and that poll's reads would wake it
        // again, a core spent at idle. Only what changes a file or a directory wakes it.
        if res.is_ok_and(|e| matches!(e.kind, notify::EventKind::Access(_))) {
            return;
        }
        wake.changed();
    })
    .map_err(|e| tracing::info!("no change notifications, polling only: {e}"))
    .ok()?;
    for dir in follower.watch_dirs() {
        if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
            tracing::info!(dir = %dir.display(), "not watched, polled: {e}");
        }
    }
    Some(watcher)
}

/// Reads stdin to its end, or until stopped.
fn read_stdin(shared: Arc<Shared>, config: EngineConfig, mut shutdown: Shutdown, clock: Arc<dyn Clock>) {
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(16);
    let wake = shutdown.control();
    std::thread::spawn(move || {
        // The engine is woken for each chunk and at the end (the sender dropped), so it waits on
        // one channel for data and a stop alike.
        let _woken_at_end = WakeOnDrop(wake.clone());
        // Dropped before the guard above (locals drop in reverse): the engine, woken, finds the
        // channel closed.
        let tx = tx;
        let mut stdin = io::stdin().lock();
        loop {
            let mut buf = vec![0u8; CHUNK_BYTES];
            match stdin.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.send(buf).is_err() {
                        return;
                    }
                    wake.changed();
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    tracing::error!("cannot read stdin: {e}");
                    return;
                }
            }
        }
    });
    let mut engine = Engine::new(shared.clone(), config.clone(), None, clock.clone());
    shared.restored.store(true, Ordering::SeqCst);
    shared.metrics.set_sources(1);
    shared.metrics.follow_source("-");
    shared.set_following(Following { sources: 1, idle: Vec::new() });
    shared.ready.store(true, Ordering::SeqCst);
    engine.source("-");
    let mut ended = false;
    while !ended && !shutdown.is_stopped() {
        engine.maybe_reload(&mut shutdown);
        let mut got_data = false;
        loop {
            match rx.try_recv() {
                Ok(chunk) => {
                    got_data = true;
                    engine.data("-", &chunk);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    ended = true;
                    break;
                }
            }
        }
        if !got_data {
            engine.idle();
        }
        engine.commit(None, false);
        if !ended {
            // Held evidence is settled within a quarter second, whatever the poll interval.
            shutdown.wait(&*clock, config.poll_interval.min(Duration::from_millis(250)));
        }
    }
    engine.end_of_content("-");
    engine.commit(None, true);
    shared.metrics.set_sources(0);
}

/// Wakes the engine when the stdin reader ends, however it ends.
struct WakeOnDrop(Control);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        self.0.changed();
    }
}
