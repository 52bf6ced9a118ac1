//! The report as Markdown, for an issue tracker or a chat: a summary line, the action list,
//! one table of codes, the timeline, unknown templates; in the view's language and zone.

use std::fmt::Write;

use super::words::{self, fill, Words};
use super::{sparkline, Moment, Report, View};
use crate::timestamp::{Local, Zone};

pub fn render(report: &Report, view: &View) -> String {
    let w = Words::of(view.lang);
    let zone = view.zone;
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", w.title);
    let summary = fill(
        w.summary,
        &[
            ("lines", &report.lines),
            ("bytes", &super::text::human_bytes(report.bytes)),
            ("errors", &report.errors),
            ("known", &report.known),
            ("unknown", &report.unknown),
        ],
    );
    let _ = writeln!(out, "{summary}\n\n{}\n", fill(w.times_in, &[("zone", &zone.name())]));
    let failed: Vec<_> = report.sources.iter().filter(|s| s.error.is_some()).collect();
    for s in &failed {
        let problem = fill(
            w.cannot_read,
            &[("source", &cell(&s.source)), ("error", &cell(s.error.as_deref().unwrap_or("")))],
        );
        let _ = writeln!(out, "- **✗** {problem}");
    }
    if !failed.is_empty() {
        out.push('\n');
    }
    if report.errors == 0 {
        let _ = writeln!(out, "{}", w.none);
        return out;
    }
    let _ = writeln!(out, "### {}\n", w.md_act);
    let shown = view.shown_actions(&report.actions);
    for a in &report.actions[..shown] {
        let _ = writeln!(
            out,
            "1. **{}** `{}` `{}` ({}) — {}× {}: {} → {}",
            w.severity(a.severity),
            a.provider,
            cell(&a.label()),
            a.category,
            a.count,
            since(a.since, zone, w),
            cell(&a.what),
            cell(&a.todo)
        );
    }
    let hidden = report.actions.len() - shown;
    if hidden > 0 {
        let _ = writeln!(out, "\n_{}_", fill(w.more_actions, &[("n", &hidden), ("how", &"`--all`")]));
    }
    let _ = writeln!(out, "\n### {}\n", w.md_by_code);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        w.provider,
        w.category,
        w.code,
        w.count,
        w.share,
        w.first_seen,
        w.last_seen,
        w.retryable,
        w.description
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---|---|---|---|");
    for r in &report.by_code {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} | {:.1}% | {} | {} | {} | {} |",
            r.provider,
            r.category,
            cell(&r.label()),
            r.count,
            100.0 * r.share,
            time(r.first_seen, zone, w),
            time(r.last_seen, zone, w),
            w.yes_no(r.retryable),
            cell(r.description.as_deref().unwrap_or(w.unknown_code))
        );
    }
    if let Some(start) = report.timeline.start {
        let heading = fill(
            w.md_timeline,
            &[
                ("width", &words::seconds(report.timeline.bucket_seconds, view.lang)),
                ("start", &Local::new(start.0, zone)),
            ],
        );
        let _ = writeln!(out, "\n### {heading}\n");
        let _ = writeln!(out, "```");
        let used = report.timeline.used_buckets();
        for (p, total) in report.provider_totals() {
            if let Some(b) = report.timeline.buckets.get(&p) {
                let _ = writeln!(out, "{:<11}|{}| {total}", p.as_str(), sparkline(&b[..used]));
            }
        }
        let _ = writeln!(out, "```");
    }
    if !report.unknown_templates.is_empty() {
        let _ = writeln!(out, "\n### {}\n", w.md_unknown);
        let _ = writeln!(out, "| {} | {} | {} | {} |", w.provider, w.code, w.count, w.example);
        let _ = writeln!(out, "|---|---|---:|---|");
        for t in &report.unknown_templates {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                t.provider,
                cell(&t.code),
                t.count,
                cell(&t.example)
            );
        }
    }
    let evidence = fill(
        w.evidence,
        &[
            ("code", &report.evidence.code),
            ("message", &report.evidence.message),
            ("status", &report.evidence.status),
        ],
    );
    let _ = writeln!(out, "\n_{evidence}_");
    out
}

fn since(at: Option<Moment>, zone: Zone, w: &Words) -> String {
    match at {
        Some(m) => format!("{} {}", w.since, Local::new(m.0, zone)),
        None => format!("({})", w.no_timestamp),
    }
}

fn time(at: Option<Moment>, zone: Zone, w: &Words) -> String {
    at.map_or_else(|| w.no_timestamp.to_string(), |m| Local::new(m.0, zone).to_string())
}

/// Text safe inside a table cell or inline code: no pipes, backticks, newlines or other
/// control characters.
fn cell(text: &str) -> String {
    crate::output::printable(text).replace('|', "\\|").replace('`', "'")
}
