//! The summary sink: what broke, how often, since when. Fed every error event; read by the
//! report renderings, the daemon's `/report` and its exit summary.
//!
//! Memory is bounded whatever the input: unknown codes beyond [`CodeLimiter`]'s limit per
//! provider are grouped as `other`, unknown-message templates are capped, and the timeline
//! keeps a fixed number of buckets whose width doubles as the span grows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::catalog::{Category, EntryRef, Provider};
use crate::classify::{Evidence, LineMessage};
use crate::pipeline::ErrorEvent;
use crate::source::ReadStats;
use crate::timestamp::EpochMillis;
use rustc_hash::FxHashMap;

/// Default cap on distinct unknown codes per provider.
pub const DEFAULT_MAX_UNKNOWN_CODES: usize = 100;
/// The code label of unknown codes past the cap.
pub const OTHER_CODE: &str = "other";
const MAX_TEMPLATES: usize = 500;
pub const TIMELINE_BUCKETS: usize = 48;

/// Lets through at most `limit` distinct unknown codes per provider; known codes always pass.
#[derive(Debug, Clone)]
pub struct CodeLimiter {
    limit: usize,
    seen: HashMap<Provider, HashSet<String>>,
}

impl CodeLimiter {
    pub fn new(limit: usize) -> CodeLimiter {
        CodeLimiter { limit, seen: HashMap::new() }
    }

    /// The code to count `event` under.
    pub fn label<'a>(&mut self, provider: Provider, code: &'a str, known: bool) -> &'a str {
        if known {
            return code;
        }
        let seen = self.seen.entry(provider).or_default();
        if seen.contains(code) {
            code
        } else if seen.len() < self.limit {
            seen.insert(code.to_string());
            code
        } else {
            OTHER_CODE
        }
    }
}

/// Where an error was seen: the line's own time, or its place when the line has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    At(EpochMillis),
    Line { source: String, line: u64 },
}

impl Seen {
    fn shift(&mut self, lines: u64) {
        if let Seen::Line { line, .. } = self {
            *line += lines;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// What errors are grouped by: the labels they are counted under, and which catalog row (by
/// its stable key, never its place in a list a reload replaces).
pub struct GroupKey {
    pub provider: Provider,
    pub category: Category,
    pub code: String,
    /// The row's variant, where rows share a code.
    pub variant: Option<String>,
    pub known: bool,
}

#[derive(Debug, Clone)]
pub struct Group {
    /// The catalog row as it was when first counted: it stays readable when a reload drops it.
    pub entry: Option<EntryRef>,
    pub count: u64,
    pub first_seen: Seen,
    pub last_seen: Seen,
    pub retryable: bool,
    pub http_status: Option<u16>,
    pub ambiguous: u64,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub provider: Provider,
    pub code: String,
    pub count: u64,
    /// One redacted example message.
    pub example: String,
}

/// Errors over time in a fixed number of buckets.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub start: EpochMillis,
    pub width: i64,
    pub counts: BTreeMap<Provider, Vec<u64>>,
}

impl Timeline {
    fn add(&mut self, at: EpochMillis, provider: Provider, n: u64) {
        if self.width == 0 {
            self.width = 1000;
            self.start = at.div_euclid(self.width) * self.width;
        }
        let buckets = TIMELINE_BUCKETS as i64;
        if at < self.start || at >= self.start + self.width * buckets {
            // Widen until the old span and the new time fit, the start aligned to the width,
            // so that every old bucket folds whole into a new one.
            let lo = self.start.min(at);
            let hi = (self.start + self.width * buckets - 1).max(at);
            let mut width = self.width;
            while hi - lo.div_euclid(width) * width >= width * buckets {
                width *= 2;
            }
            self.refold(lo.div_euclid(width) * width, width);
        }
        let i = ((at - self.start) / self.width) as usize;
        self.counts.entry(provider).or_insert_with(|| vec![0; TIMELINE_BUCKETS])[i] += n;
    }

    fn refold(&mut self, start: EpochMillis, width: i64) {
        for row in self.counts.values_mut() {
            let mut folded = vec![0; TIMELINE_BUCKETS];
            for (i, n) in row.iter().enumerate() {
                let t = self.start + i as i64 * self.width;
                folded[((t - start) / width) as usize] += n;
            }
            *row = folded;
        }
        self.start = start;
        self.width = width;
    }

    fn merge(&mut self, other: &Timeline) {
        for (provider, row) in &other.counts {
            for (i, n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
                self.add(other.start + i as i64 * other.width, *provider, *n);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub read: ReadStats,
    pub sources: BTreeMap<String, ReadStats>,
    /// Hashed with FxHash, fast but not collision-resistant: one lookup per error, and the
    /// summary caps the codes per provider, so crafted codes cannot grow a long chain.
    pub groups: FxHashMap<GroupKey, Group>,
    pub evidence: BTreeMap<Evidence, u64>,
    pub templates: HashMap<String, Template>,
    pub templates_dropped: u64,
    pub timeline: Timeline,
    limiter: CodeLimiter,
}

impl Summary {
    pub fn new(max_unknown_codes: usize) -> Summary {
        Summary {
            read: ReadStats::default(),
            sources: BTreeMap::new(),
            groups: FxHashMap::default(),
            evidence: BTreeMap::new(),
            templates: HashMap::new(),
            templates_dropped: 0,
            timeline: Timeline::default(),
            limiter: CodeLimiter::new(max_unknown_codes),
        }
    }

    pub fn add_read(&mut self, source: &str, stats: &ReadStats) {
        self.read.add(stats);
        self.sources.entry(source.to_string()).or_default().add(stats);
    }

    pub fn add(&mut self, source: &str, event: &ErrorEvent) {
        let d = &event.detection;
        let code = self.limiter.label(d.provider, &d.code, d.known()).to_string();
        let seen = match event.timestamp {
            Some(t) => Seen::At(t),
            None => Seen::Line { source: source.to_string(), line: event.line },
        };
        let key = GroupKey {
            provider: d.provider,
            category: d.category,
            code,
            variant: d.entry.as_ref().and_then(|e| e.variant.clone()),
            known: d.known(),
        };
        let group = self.groups.entry(key).or_insert_with(|| Group {
            entry: d.entry.clone(),
            count: 0,
            first_seen: seen.clone(),
            last_seen: seen.clone(),
            retryable: d.retryable,
            http_status: d.http_status,
            ambiguous: 0,
        });
        group.count += 1;
        group.ambiguous += u64::from(d.ambiguous);
        if earlier(&seen, &group.first_seen) {
            group.first_seen = seen.clone();
        }
        if earlier(&group.last_seen, &seen) || group.last_seen == seen {
            group.last_seen = seen;
        }
        *self.evidence.entry(d.evidence).or_default() += 1;
        if let Some(t) = event.timestamp {
            self.timeline.add(t, d.provider, 1);
        }
        if !d.known() {
            let message = d.message.as_ref().map(LineMessage::redacted);
            self.add_template(d.provider, &d.code, message.as_deref().unwrap_or(""));
        }
    }

    fn add_template(&mut self, provider: Provider, code: &str, message: &str) {
        let masked = mask(message);
        let key = format!("{provider}\u{1f}{code}\u{1f}{masked}");
        if let Some(t) = self.templates.get_mut(&key) {
            t.count += 1;
        } else if self.templates.len() < MAX_TEMPLATES {
            let example: String = message.chars().take(300).collect();
            self.templates.insert(key, Template { provider, code: code.to_string(), count: 1, example });
        } else {
            self.templates_dropped += 1;
        }
    }

    /// Adds what another summary counted, over a later part of the same input: its line-only
    /// places are `line_offset` lines further on. Unknown codes go through this summary's
    /// limiter again, so the cap holds for the merged whole.
    pub fn merge(&mut self, other: Summary, line_offset: u64) {
        self.read.add(&other.read);
        for (source, stats) in &other.sources {
            self.sources.entry(source.clone()).or_default().add(stats);
        }
        for (mut key, mut group) in other.groups {
            group.first_seen.shift(line_offset);
            group.last_seen.shift(line_offset);
            if !key.known {
                key.code = self.limiter.label(key.provider, &key.code, false).to_string();
            }
            match self.groups.get_mut(&key) {
                Some(g) => {
                    g.count += group.count;
                    g.ambiguous += group.ambiguous;
                    if earlier(&group.first_seen, &g.first_seen) {
                        g.first_seen = group.first_seen;
                    }
                    if earlier(&g.last_seen, &group.last_seen) {
                        g.last_seen = group.last_seen;
                    }
                }
                None => {
                    self.groups.insert(key, group);
                }
            }
        }
        for (e, n) in other.evidence {
            *self.evidence.entry(e).or_default() += n;
        }
        for (key, t) in other.templates {
            let room = self.templates.len() < MAX_TEMPLATES;
            match self.templates.get_mut(&key) {
                Some(mine) => mine.count += t.count,
                None if room => {
                    self.templates.insert(key, t);
                }
                None => self.templates_dropped += t.count,
            }
        }
        self.templates_dropped += other.templates_dropped;
        self.timeline.merge(&other.timeline);
    }

    pub fn errors(&self) -> u64 {
        self.groups.values().map(|g| g.count).sum()
    }

    pub fn unknown(&self) -> u64 {
        self.groups.iter().filter(|(k, _)| !k.known).map(|(_, g)| g.count).sum()
    }
}

/// Timestamps order before and among themselves; places only among places of one source.
fn earlier(a: &Seen, b: &Seen) -> bool {
    match (a, b) {
        (Seen::At(x), Seen::At(y)) => x < y,
        (Seen::At(_), Seen::Line { .. }) => true,
        (Seen::Line { source: s1, line: l1 }, Seen::Line { source: s2, line: l2 }) => s1 == s2 && l1 < l2,
        (Seen::Line { .. }, Seen::At(_)) => false,
    }
}

/// A message with its variable parts masked, so one kind of error is one template.
pub fn mask(message: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#""[^"]*"|'[^']*'|\[[^\]]*\]|[0-9a-fA-F]{8,}|[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*"#).unwrap()
    });
    re.replace_all(message, "<*>").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_past_the_limit_are_other() {
        let mut l = CodeLimiter::new(2);
        assert_eq!(l.label(Provider::from_static("coze"), "9001", false), "9001");
        assert_eq!(l.label(Provider::from_static("coze"), "9002", false), "9002");
        assert_eq!(l.label(Provider::from_static("coze"), "9003", false), OTHER_CODE);
        assert_eq!(l.label(Provider::from_static("coze"), "9001", false), "9001");
        assert_eq!(l.label(Provider::from_static("coze"), "4011", true), "4011");
        assert_eq!(l.label(Provider::from_static("ppio"), "X_Y", false), "X_Y");
    }

    #[test]
    fn timeline_widens_and_keeps_every_count() {
        let mut t = Timeline::default();
        for i in 0..1000 {
            t.add(1_700_000_000_000 + i * 7_919, Provider::from_static("zhipu"), 1);
        }
        t.add(1_600_000_000_000, Provider::from_static("coze"), 1);
        let total: u64 = t.counts.values().flatten().sum();
        assert_eq!(total, 1001);
        assert!(t.counts.values().all(|r| r.len() == TIMELINE_BUCKETS));
    }

    #[test]
    fn masking_makes_templates() {
        assert_eq!(mask("model 'glm-9' not found, id 12345"), "model <*> not found, id <*>");
    }
}
