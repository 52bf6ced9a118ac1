//! The summary sink: what broke, how often, since when. Fed every error event; read by the
//! report renderings, the daemon's `/report` and its exit summary.
//!
//! Memory is bounded whatever the input: unknown codes beyond [`CodeLimiter`]'s limit per
//! provider are grouped as `other`, unknown-message templates are capped, and the timeline
//! keeps a fixed number of buckets whose width doubles as the span grows.
//!
//! A summary of a whole input equals the merge of summaries of its parts, in order: seen times
//! are the least and greatest timestamps, and the timeline's layout follows from its earliest
//! and latest times alone, so `report --threads N` is the same for any N.

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
    /// The earliest and latest timestamps of its errors; `None` while none had a timestamp.
    pub first_seen: Option<EpochMillis>,
    pub last_seen: Option<EpochMillis>,
    pub retryable: bool,
    pub http_status: Option<u16>,
    pub ambiguous: u64,
    /// How many of `count` were known by code, by message, by status only.
    pub evidence: BTreeMap<Evidence, u64>,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub provider: Provider,
    pub code: String,
    pub count: u64,
    /// One redacted example message.
    pub example: String,
}

/// Errors over time in a fixed number of buckets. The layout (start and width) is a function
/// of the earliest and latest times alone: the narrowest width, a second times a power of two,
/// at which both fall within [`TIMELINE_BUCKETS`] buckets aligned to the width. Widths nest
/// and starts are aligned, so a narrower timeline folds exactly into a wider one, and the
/// order in which times come (or parts are merged) cannot change the result.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub start: EpochMillis,
    /// Milliseconds per bucket; 0 while empty.
    pub width: i64,
    /// Per provider and category: what the HTML report stacks; per provider is their sum.
    pub counts: BTreeMap<(Provider, Category), Vec<u64>>,
    /// The earliest and latest times counted.
    span: Option<(EpochMillis, EpochMillis)>,
}

const FIRST_WIDTH: i64 = 1000;

impl Timeline {
    fn add(&mut self, at: EpochMillis, provider: Provider, category: Category, n: u64) {
        self.cover(at, at);
        let i = ((at - self.start) / self.width) as usize;
        self.counts.entry((provider, category)).or_insert_with(|| vec![0; TIMELINE_BUCKETS])[i] += n;
    }

    /// Per provider, summed over categories.
    pub fn per_provider(&self) -> BTreeMap<Provider, Vec<u64>> {
        let mut out: BTreeMap<Provider, Vec<u64>> = BTreeMap::new();
        for ((provider, _), row) in &self.counts {
            let sum = out.entry(*provider).or_insert_with(|| vec![0; TIMELINE_BUCKETS]);
            sum.iter_mut().zip(row).for_each(|(s, n)| *s += n);
        }
        out
    }

    /// Makes room for times from `lo` to `hi`: the layout of the whole span so far.
    fn cover(&mut self, lo: EpochMillis, hi: EpochMillis) {
        let (lo, hi) = match self.span {
            Some((a, b)) => (a.min(lo), b.max(hi)),
            None => (lo, hi),
        };
        self.span = Some((lo, hi));
        let mut width = self.width.max(FIRST_WIDTH);
        while hi.div_euclid(width) - lo.div_euclid(width) >= TIMELINE_BUCKETS as i64 {
            width *= 2;
        }
        let start = lo.div_euclid(width) * width;
        if (start, width) != (self.start, self.width) {
            self.refold(start, width);
        }
    }

    fn refold(&mut self, start: EpochMillis, width: i64) {
        for row in self.counts.values_mut() {
            let mut folded = vec![0; TIMELINE_BUCKETS];
            for (i, n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
                let t = self.start + i as i64 * self.width;
                folded[((t - start) / width) as usize] += n;
            }
            *row = folded;
        }
        self.start = start;
        self.width = width;
    }

    /// Adds another timeline's counts: its span is covered first, so each of its buckets
    /// (no wider than the merged ones) falls whole into one of ours.
    fn merge(&mut self, other: &Timeline) {
        let Some((lo, hi)) = other.span else { return };
        self.cover(lo, hi);
        for (key, row) in &other.counts {
            let mine = self.counts.entry(*key).or_insert_with(|| vec![0; TIMELINE_BUCKETS]);
            for (i, n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
                let t = other.start + i as i64 * other.width;
                mine[((t - self.start) / self.width) as usize] += n;
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
    /// Sources that could not be read (to their end), with the reason.
    pub failed: BTreeMap<String, String>,
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
            failed: BTreeMap::new(),
            limiter: CodeLimiter::new(max_unknown_codes),
        }
    }

    pub fn add_read(&mut self, source: &str, stats: &ReadStats) {
        self.read.add(stats);
        self.sources.entry(source.to_string()).or_default().add(stats);
    }

    /// A source that could not be read, or not to its end: the report names it.
    pub fn add_failure(&mut self, source: &str, error: &std::io::Error) {
        self.failed.insert(source.to_string(), error.to_string());
    }

    /// Counts one error; returns the code it is counted under, for the other sinks: one cap on
    /// unknown codes for the report and `/metrics` alike, so the two never disagree.
    pub fn add<'e>(&mut self, _source: &str, event: &'e ErrorEvent) -> &'e str {
        let d = &event.detection;
        let label = self.limiter.label(d.provider, &d.code, d.known());
        let key = GroupKey {
            provider: d.provider,
            category: d.category,
            code: label.to_string(),
            variant: d.entry.as_ref().and_then(|e| e.variant.clone()),
            known: d.known(),
        };
        let group = self.groups.entry(key).or_insert_with(|| Group {
            entry: d.entry.clone(),
            count: 0,
            first_seen: None,
            last_seen: None,
            retryable: d.retryable,
            http_status: d.http_status,
            ambiguous: 0,
            evidence: BTreeMap::new(),
        });
        group.count += 1;
        *group.evidence.entry(d.evidence).or_default() += 1;
        group.ambiguous += u64::from(d.ambiguous);
        group.see(event.timestamp, event.timestamp);
        *self.evidence.entry(d.evidence).or_default() += 1;
        if let Some(t) = event.timestamp {
            self.timeline.add(t, d.provider, d.category, 1);
        }
        if !d.known() {
            let message = d.message.as_ref().map(LineMessage::redacted);
            self.add_template(d.provider, &d.code, message.as_deref().unwrap_or(""));
        }
        label
    }

    /// The unknown codes counted before a restart take their places under the cap again, as
    /// the checkpoint has them, before any new one.
    pub fn restore_codes(&mut self, errors: &[crate::state::CountState]) {
        for c in errors {
            if Provider::check_id(&c.provider).is_ok() {
                self.limiter.label(Provider::intern(&c.provider), &c.code, c.category != "unknown");
            }
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

    /// Adds what another summary counted, over a later part of the same input. Unknown codes
    /// go through this summary's limiter again, so the cap holds for the merged whole.
    pub fn merge(&mut self, other: Summary) {
        self.read.add(&other.read);
        for (source, stats) in &other.sources {
            self.sources.entry(source.clone()).or_default().add(stats);
        }
        for (mut key, group) in other.groups {
            if !key.known {
                key.code = self.limiter.label(key.provider, &key.code, false).to_string();
            }
            match self.groups.get_mut(&key) {
                Some(g) => {
                    g.count += group.count;
                    g.ambiguous += group.ambiguous;
                    for (e, n) in &group.evidence {
                        *g.evidence.entry(*e).or_default() += n;
                    }
                    g.see(group.first_seen, group.last_seen);
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
        self.failed.extend(other.failed);
    }

    pub fn errors(&self) -> u64 {
        self.groups.values().map(|g| g.count).sum()
    }

    pub fn unknown(&self) -> u64 {
        self.groups.iter().filter(|(k, _)| !k.known).map(|(_, g)| g.count).sum()
    }
}

impl Group {
    /// Widens the seen times to cover `first` and `last`; a missing time changes nothing.
    fn see(&mut self, first: Option<EpochMillis>, last: Option<EpochMillis>) {
        self.first_seen = min_some(self.first_seen, first);
        self.last_seen = match (self.last_seen, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

fn min_some(a: Option<EpochMillis>, b: Option<EpochMillis>) -> Option<EpochMillis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
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
            t.add(1_700_000_000_000 + i * 7_919, Provider::from_static("zhipu"), Category::RateLimit, 1);
        }
        t.add(1_600_000_000_000, Provider::from_static("coze"), Category::Billing, 1);
        let total: u64 = t.counts.values().flatten().sum();
        assert_eq!(total, 1001);
        assert!(t.counts.values().all(|r| r.len() == TIMELINE_BUCKETS));
    }

    /// Times spread over `spread` ms, from a fixed seed.
    fn times(n: usize, spread: i64, seed: u64) -> Vec<EpochMillis> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                1_793_613_600_000 + (x >> 33) as i64 % spread
            })
            .collect()
    }

    type Layout = (EpochMillis, i64, Vec<((Provider, Category), Vec<u64>)>);

    fn layout(t: &Timeline) -> Layout {
        (t.start, t.width, t.counts.iter().map(|(p, r)| (*p, r.clone())).collect())
    }

    #[test]
    fn timeline_is_the_same_whatever_the_order_or_the_split() {
        let providers = [Provider::from_static("zhipu"), Provider::from_static("coze")];
        for (spread, seed) in [(5_000, 1), (90_000, 2), (7_200_000, 3), (400_000_000, 4)] {
            let at = times(500, spread, seed);
            let p = |i: usize| providers[i % 2];
            let c = |i: usize| Category::ALL[i % 3];
            let mut whole = Timeline::default();
            at.iter().enumerate().for_each(|(i, t)| whole.add(*t, p(i), c(i), 1));
            let mut reversed = Timeline::default();
            at.iter().enumerate().rev().for_each(|(i, t)| reversed.add(*t, p(i), c(i), 1));
            assert_eq!(layout(&reversed), layout(&whole), "spread {spread}");
            for parts in [2, 3, 7] {
                let mut merged = Timeline::default();
                for chunk in (0..at.len()).collect::<Vec<_>>().chunks(at.len().div_ceil(parts)) {
                    let mut part = Timeline::default();
                    chunk.iter().for_each(|&i| part.add(at[i], p(i), c(i), 1));
                    merged.merge(&part);
                }
                assert_eq!(layout(&merged), layout(&whole), "spread {spread}, {parts} parts");
            }
            // The layout is the narrowest that holds the span.
            let (lo, hi) = (*at.iter().min().unwrap(), *at.iter().max().unwrap());
            assert!(hi < whole.start + whole.width * TIMELINE_BUCKETS as i64 && lo >= whole.start);
            let half = whole.width / 2;
            assert!(
                whole.width == 1000 || hi.div_euclid(half) - lo.div_euclid(half) >= TIMELINE_BUCKETS as i64
            );
        }
    }

    #[test]
    fn seen_times_are_the_extremes_of_the_timestamps_and_none_without_any() {
        let mut g = Group {
            entry: None,
            count: 0,
            first_seen: None,
            last_seen: None,
            retryable: false,
            http_status: None,
            ambiguous: 0,
            evidence: BTreeMap::new(),
        };
        g.see(None, None);
        assert_eq!((g.first_seen, g.last_seen), (None, None));
        for t in [Some(50), None, Some(10), Some(90), None] {
            g.see(t, t);
        }
        assert_eq!((g.first_seen, g.last_seen), (Some(10), Some(90)));
    }

    #[test]
    fn masking_makes_templates() {
        assert_eq!(mask("model 'glm-9' not found, id 12345"), "model <*> not found, id <*>");
    }
}
