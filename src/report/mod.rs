//! The summary report: what broke, how often, since when, what to do. Built once from a
//! [`Summary`] into a [`Report`], then rendered as text, Markdown or JSON. The JSON shape is
//! versioned ([`REPORT_VERSION`]) and its field names are a contract.

mod json;
mod markdown;
mod text;

use serde::Serialize;

use crate::catalog::{Action, Catalog, Category, Lang, Provider, Severity};
use crate::summary::{Seen, Summary};
use crate::timestamp;

pub use json::render as render_json;
pub use markdown::render as render_markdown;
pub use text::{render as render_text, Style};

pub const REPORT_VERSION: u32 = 1;
/// Action items shown at the top.
const MAX_ACTIONS: usize = 10;

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

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub lines: u64,
    pub bytes: u64,
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
    pub first_seen: String,
    pub last_seen: String,
    pub retryable: bool,
    pub severity: Option<Severity>,
    pub action: Option<Action>,
    pub http_status: Option<u16>,
    pub known: bool,
    pub ambiguous: u64,
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
    pub category: Category,
    pub count: u64,
    pub since: String,
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
    pub start: Option<String>,
    pub bucket_seconds: f64,
    pub buckets: std::collections::BTreeMap<Provider, Vec<u64>>,
}

impl CodeRow {
    /// The code, with its variant where several rows share it: `500 (zai)`.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({v})", self.code),
            None => self.code.clone(),
        }
    }
}

fn seen_text(seen: &Seen) -> String {
    match seen {
        Seen::At(ms) => timestamp::format(*ms),
        Seen::Line { source, line } => format!("{source}:{line}"),
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
                    first_seen: seen_text(&g.first_seen),
                    last_seen: seen_text(&g.last_seen),
                    retryable: g.retryable,
                    severity: entry.map(|e| e.severity),
                    action: entry.map(|e| e.action),
                    http_status: g.http_status,
                    known: entry.is_some(),
                    ambiguous: g.ambiguous,
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
        unknown_templates.sort_by(|a, b| {
            b.count.cmp(&a.count).then((rank(a.provider), &a.code).cmp(&(rank(b.provider), &b.code)))
        });
        let ev = |e| summary.evidence.get(&e).copied().unwrap_or(0);
        Report {
            version: REPORT_VERSION,
            lines: summary.read.lines,
            bytes: summary.read.bytes,
            long_lines: summary.read.long_lines,
            invalid_utf8_lines: summary.read.invalid_utf8,
            errors,
            known: errors - summary.unknown(),
            unknown: summary.unknown(),
            evidence: Evidence {
                code: ev(crate::classify::Evidence::Code),
                message: ev(crate::classify::Evidence::Message),
                status: ev(crate::classify::Evidence::Status),
            },
            sources: summary
                .sources
                .iter()
                .map(|(s, r)| SourceRow { source: s.clone(), lines: r.lines, bytes: r.bytes })
                .collect(),
            actions,
            by_code,
            unknown_templates,
            timeline: Timeline {
                start: (!summary.timeline.is_empty()).then(|| timestamp::format(summary.timeline.start)),
                bucket_seconds: summary.timeline.width as f64 / 1000.0,
                buckets: summary.timeline.counts.clone(),
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

/// The rows worth acting on, most urgent first: by severity, then count. Traffic-stopping
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
        key(a).cmp(&key(b)).then_with(|| a.code.cmp(&b.code))
    });
    rows.into_iter()
        .take(MAX_ACTIONS)
        .map(|r| ActionItem {
            severity: row_severity(r),
            provider: r.provider,
            code: r.code.clone(),
            category: r.category,
            count: r.count,
            since: r.first_seen.clone(),
            what: r.description.clone().unwrap_or_else(|| match lang {
                Lang::En => "code not in the catalog".to_string(),
                Lang::Zh => "目录中没有此错误码".to_string(),
            }),
            todo: r.remedy.clone().unwrap_or_else(|| match lang {
                Lang::En => "look at the example below; add the code with --catalog".to_string(),
                Lang::Zh => "查看下方示例；用 --catalog 补充此错误码".to_string(),
            }),
        })
        .collect()
}

/// A compact sparkline of counts.
pub fn sparkline(counts: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = counts.iter().copied().max().unwrap_or(0);
    counts.iter().map(|&n| if n == 0 { ' ' } else { BARS[((n * 7).div_ceil(max.max(1))) as usize] }).collect()
}
