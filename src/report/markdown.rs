//! The report as Markdown, for an issue tracker or a chat: a summary line, the action list,
//! one table of codes, unknown templates.

use std::fmt::Write;

use super::{sparkline, text::human_bytes, Report};
use crate::catalog::Lang;

pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## errwatch report\n");
    let _ = writeln!(
        out,
        "{} lines ({}) read; **{} provider errors** ({} known, {} unknown).\n",
        report.lines,
        human_bytes(report.bytes),
        report.errors,
        report.known,
        report.unknown
    );
    if report.errors == 0 {
        return out;
    }
    let _ = writeln!(out, "### {}\n", if lang == Lang::Zh { "优先处理" } else { "What to do first" });
    for a in &report.actions {
        let _ = writeln!(
            out,
            "1. **{}** `{}` `{}` ({}) — {}× since {}: {} → {}",
            a.severity.as_str().to_uppercase(),
            a.provider,
            cell(&a.code),
            a.category,
            a.count,
            a.since,
            cell(&a.what),
            cell(&a.todo)
        );
    }
    let _ = writeln!(out, "\n### {}\n", if lang == Lang::Zh { "错误码" } else { "By code" });
    let _ = writeln!(
        out,
        "| provider | category | code | count | share | first seen | last seen | retryable | description |"
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
            r.first_seen,
            r.last_seen,
            if r.retryable { "yes" } else { "no" },
            cell(r.description.as_deref().unwrap_or("(unknown code)"))
        );
    }
    if !report.timeline.buckets.is_empty() {
        let _ = writeln!(out, "\n### Over time (from {})\n", report.timeline.start.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "```");
        for (p, _) in report.provider_totals() {
            if let Some(b) = report.timeline.buckets.get(&p) {
                let _ = writeln!(out, "{:<11}{}", p.as_str(), sparkline(b));
            }
        }
        let _ = writeln!(out, "```");
    }
    if !report.unknown_templates.is_empty() {
        let _ = writeln!(out, "\n### Unknown codes\n");
        let _ = writeln!(out, "| provider | code | count | example |");
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
    let _ = writeln!(
        out,
        "\n_Evidence: {} by code, {} by message, {} by status only._",
        report.evidence.code, report.evidence.message, report.evidence.status
    );
    out
}

/// Text safe inside a table cell or inline code: no pipes, backticks or newlines.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('`', "'").replace(['\n', '\r'], " ")
}
