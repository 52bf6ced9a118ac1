//! The summary report: what broke, how often, since when, what to do. Built once from a
//! [`Summary`] into a [`Report`], then rendered as text, Markdown or JSON. The JSON shape is
//! versioned ([`REPORT_VERSION`]) and its field names are a contract. The report holds every
//! fact in one form (times as instants, every action item); how much of it a person is shown,
//! in which language, zone and width, is the renderers' [`View`].

mod html;
mod json;
mod markdown;
mod svg;
mod text;
mod words;

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::catalog::{Action, Catalog, Category, Lang, Provider, Severity};
use crate::summary::Summary;
use crate::timestamp::{self, EpochMillis, Zone};

pub use html::{render as render_html, render_live as render_live_html, render_live_fragment, LivePage};
pub use json::render as render_json;
pub use markdown::render as render_markdown;
pub use text::{render as render_text, Style, DEFAULT_WIDTH, MIN_WIDTH};

pub const REPORT_VERSION: u32 = 1;
/// Action items shown to a person without `--all`: every critical and high one, and less
/// urgent ones while fewer than this many are shown.
pub const SHOWN_ACTIONS: usize = 10;

/// How a report is shown to a person: language, zone of the times, terminal width, colors,
/// and whether every action item is listed.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub lang: Lang,
    pub zone: Zone,
    /// Display columns of the text report; at least [`MIN_WIDTH`].
    pub width: usize,
    pub style: Style,
    pub all_actions: bool,
}

impl View {
    /// English, UTC, 100 columns, plain, the usual action items.
    pub fn new(lang: Lang) -> View {
        View { lang, zone: Zone::UTC, width: DEFAULT_WIDTH, style: Style::Plain, all_actions: false }
    }

    /// How many of `actions` to show: all with `--all`, else every critical and high one and
    /// the others up to [`SHOWN_ACTIONS`].
    pub fn shown_actions(&self, actions: &[ActionItem]) -> usize {
        if self.all_actions {
            return actions.len();
        }
        let urgent = actions.iter().filter(|a| a.severity <= Severity::High).count();
        urgent.max(SHOWN_ACTIONS.min(actions.len()))
    }
}

/// A moment: serialized as RFC 3339 in UTC, shown to people in their zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(pub EpochMillis);

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp::format(self.0))
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub lines: u64,
    pub bytes: u64,
    pub long_lines: u64,
    pub invalid_utf8_lines: u64,
    pub errors: u64,
    pub known: u64,
    pub unknown: u64,
    pub evidence: Evidence,
    pub sources: Vec<SourceRow>,
    pub actions: Vec<ActionItem>,
    pub by_code: Vec<CodeRow>,
    pub unknown_templates: Vec<TemplateRow>,
    pub timeline: Timeline,
}

#[derive(Debug, Serialize)]
pub struct Evidence {
    pub code: u64,
    pub message: u64,
    pub status: u64,
}

impl Evidence {
    fn of(counts: &BTreeMap<crate::classify::Evidence, u64>) -> Evidence {
        let n = |e| counts.get(&e).copied().unwrap_or(0);
        use crate::classify::Evidence as E;
        Evidence { code: n(E::Code), message: n(E::Message), status: n(E::Status) }
    }
}

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub lines: u64,
    pub bytes: u64,
    /// Why the source could not be read (to its end); null when it was.
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CodeRow {
    pub provider: Provider,
    pub category: Category,
    pub code: String,
    /// Which of the rows sharing this code, where the catalog tells them apart.
    pub variant: Option<String>,
    pub count: u64,
    /// Of all errors, 0..1.
    pub share: f64,
    /// The earliest and latest timestamps of these errors; null when none had one.
    pub first_seen: Option<Moment>,
    pub last_seen: Option<Moment>,
    pub retryable: bool,
    pub severity: Option<Severity>,
    pub action: Option<Action>,
    pub http_status: Option<u16>,
    pub known: bool,
    /// How many of `count` were matched by message alone with several entries fitting (a
    /// number here; each `scan` record has a boolean of its own).
    pub ambiguous: u64,
    /// How many of `count` were known by code, by message alone, by status alone.
    pub evidence: Evidence,
    /// The provider's documented message.
    pub message: Option<String>,
    pub description: Option<String>,
    pub remedy: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ActionItem {
    pub severity: Severity,
    pub provider: Provider,
    pub code: String,
    /// Which of the rows sharing `code`, as in `by_code`.
    pub variant: Option<String>,
    pub category: Category,
    pub count: u64,
    /// The first timestamp of these errors; null when none had one.
    pub since: Option<Moment>,
    /// The last timestamp of these errors; null when none had one.
    pub last_seen: Option<Moment>,
    /// Whether the catalog has the code (so `errwatch explain` describes it).
    pub known: bool,
    /// What it is, in the report's language.
    pub what: String,
    /// What to do, in the report's language.
    pub todo: String,
}

#[derive(Debug, Serialize)]
pub struct TemplateRow {
    pub provider: Provider,
    pub code: String,
    pub count: u64,
    pub example: String,
}

#[derive(Debug, Serialize)]
pub struct Timeline {
    pub start: Option<Moment>,
    pub bucket_seconds: f64,
    pub buckets: BTreeMap<Provider, Vec<u64>>,
    /// The same buckets per provider split by category (only the categories seen): each
    /// provider's rows add up to its `buckets`.
    pub categories: BTreeMap<Provider, BTreeMap<Category, Vec<u64>>>,
}

/// The code, with its variant where several rows share it: `500 (zai)`, a form `explain`
/// takes.
fn label(code: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{code} ({v})"),
        None => code.to_string(),
    }
}

impl Timeline {
    /// Buckets up to the last that holds an error, of any provider: what a sparkline shows.
    pub fn used_buckets(&self) -> usize {
        self.buckets.values().filter_map(|b| b.iter().rposition(|n| *n > 0)).max().map_or(0, |i| i + 1)
    }
}

impl CodeRow {
    pub fn label(&self) -> String {
        label(&self.code, self.variant.as_deref())
    }
}

impl ActionItem {
    pub fn label(&self) -> String {
        label(&self.code, self.variant.as_deref())
    }
}

/// Severity of a row: the entry's, or for unknown codes `medium` (a person should look).
fn row_severity(row: &CodeRow) -> Severity {
    row.severity.unwrap_or(Severity::Medium)
}

impl Report {
    pub fn build(summary: &Summary, catalog: &Catalog, lang: Lang) -> Report {
        let errors = summary.errors();
        let mut by_code: Vec<CodeRow> = summary
            .groups
            .iter()
            .map(|(key, g)| {
                let entry = g.entry.as_deref();
                CodeRow {
                    provider: key.provider,
                    category: key.category,
                    code: key.code.clone(),
                    variant: entry.and_then(|e| e.variant.clone()),
                    count: g.count,
                    share: if errors == 0 { 0.0 } else { g.count as f64 / errors as f64 },
                    first_seen: g.first_seen.map(Moment),
                    last_seen: g.last_seen.map(Moment),
                    retryable: g.retryable,
                    severity: entry.map(|e| e.severity),
                    action: entry.map(|e| e.action),
                    http_status: g.http_status,
                    known: entry.is_some(),
                    ambiguous: g.ambiguous,
                    evidence: Evidence::of(&g.evidence),
                    message: entry.map(|e| e.message.clone()),
                    description: entry.map(|e| e.description(lang).to_string()),
                    remedy: entry.map(|e| e.remedy(lang).to_string()),
                }
            })
            .collect();
        // Providers in the catalog's order (embedded ones first), not their ids' alphabetical one.
        let rank = |p: Provider| catalog.providers().iter().position(|q| *q == p).unwrap_or(usize::MAX);
        by_code.sort_by(|a, b| {
            (rank(a.provider), a.provider, a.category, std::cmp::Reverse(a.count), &a.code).cmp(&(
                rank(b.provider),
                b.provider,
                b.category,
                std::cmp::Reverse(b.count),
                &b.code,
            ))
        });
        let actions = actions(&by_code, catalog.providers(), lang);
        let mut unknown_templates: Vec<TemplateRow> = summary
            .templates
            .values()
            .map(|t| TemplateRow {
                provider: t.provider,
                code: t.code.clone(),
                count: t.count,
                example: t.example.clone(),
            })
            .collect();
        // Down to the example: templates of one code tie on everything else, and the map's
        // order is no order.
        unknown_templates.sort_by(|a, b| {
            b.count.cmp(&a.count).then((rank(a.provider), &a.code, &a.example).cmp(&(
                rank(b.provider),
                &b.code,
                &b.example,
            )))
        });
        Report {
            version: REPORT_VERSION,
            lines: summary.read.lines,
            bytes: summary.read.bytes,
            long_lines: summary.read.long_lines,
            invalid_utf8_lines: summary.read.invalid_utf8,
            errors,
            known: errors - summary.unknown(),
            unknown: summary.unknown(),
            evidence: Evidence::of(&summary.evidence),
            sources: sources(summary),
            actions,
            by_code,
            unknown_templates,
            timeline: Timeline {
                start: (!summary.timeline.is_empty()).then_some(Moment(summary.timeline.start)),
                bucket_seconds: summary.timeline.width as f64 / 1000.0,
                buckets: summary.timeline.per_provider(),
                categories: timeline_categories(&summary.timeline),
            },
        }
    }

    /// Errors per provider, in the order of [`Report::by_code`].
    pub fn provider_totals(&self) -> Vec<(Provider, u64)> {
        let mut totals: Vec<(Provider, u64)> = Vec::new();
        for row in &self.by_code {
            match totals.last_mut() {
                Some((p, n)) if *p == row.provider => *n += row.count,
                _ => totals.push((row.provider, row.count)),
            }
        }
        totals
    }
}

fn timeline_categories(t: &crate::summary::Timeline) -> BTreeMap<Provider, BTreeMap<Category, Vec<u64>>> {
    let mut out: BTreeMap<Provider, BTreeMap<Category, Vec<u64>>> = BTreeMap::new();
    for ((provider, category), row) in &t.counts {
        out.entry(*provider).or_default().insert(*category, row.clone());
    }
    out
}

/// Every source named, read or not, in name order.
fn sources(summary: &Summary) -> Vec<SourceRow> {
    let mut names: Vec<&String> = summary.sources.keys().chain(summary.failed.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let read = summary.sources.get(name).cloned().unwrap_or_default();
            SourceRow {
                source: name.clone(),
                lines: read.lines,
                bytes: read.bytes,
                error: summary.failed.get(name).cloned(),
            }
        })
        .collect()
}

/// Every row as an action item, most urgent first: by severity, then count. Traffic-stopping
/// categories (billing, auth, account) are never below a pile of retryable rate limits.
fn actions(rows: &[CodeRow], providers: &[Provider], lang: Lang) -> Vec<ActionItem> {
    let rank = |p: Provider| providers.iter().position(|q| *q == p).unwrap_or(usize::MAX);
    let mut rows: Vec<&CodeRow> = rows.iter().collect();
    rows.sort_by(|a, b| {
        let key = |r: &CodeRow| {
            (
                row_severity(r),
                !r.category.stops_traffic(),
                std::cmp::Reverse(r.count),
                rank(r.provider),
                r.provider,
            )
        };
        key(a).cmp(&key(b)).then_with(|| (&a.code, &a.variant).cmp(&(&b.code, &b.variant)))
    });
    rows.into_iter()
        .map(|r| ActionItem {
            severity: row_severity(r),
            provider: r.provider,
            code: r.code.clone(),
            variant: r.variant.clone(),
            category: r.category,
            count: r.count,
            since: r.first_seen,
            last_seen: r.last_seen,
            known: r.known,
            what: r.description.clone().unwrap_or_else(|| words::Words::of(lang).not_in_catalog.to_string()),
            todo: r.remedy.clone().unwrap_or_else(|| words::Words::of(lang).teach.to_string()),
        })
        .collect()
}

/// A compact sparkline of counts.
pub fn sparkline(counts: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = counts.iter().copied().max().unwrap_or(0);
    counts.iter().map(|&n| if n == 0 { ' ' } else { BARS[((n * 7).div_ceil(max.max(1))) as usize] }).collect()
}
