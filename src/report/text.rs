//! The report for a terminal: what to do first, then per provider and category, within 100
//! columns (Chinese text counted as double width), colored only when asked.

use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{sparkline, Report};
use crate::catalog::{Lang, Severity};
use crate::output::pad;

const WIDTH: usize = 100;

/// Whether to color the output (a terminal, and NO_COLOR unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Color,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }

    fn severity(self, s: Severity) -> String {
        let label = pad(&s.as_str().to_uppercase(), 8);
        match s {
            Severity::Critical => self.paint("1;31", &label),
            Severity::High => self.paint("31", &label),
            Severity::Medium => self.paint("33", &label),
            Severity::Low => self.paint("2", &label),
        }
    }
}

struct Words {
    title: &'static str,
    act: &'static str,
    none: &'static str,
    by_provider: &'static str,
    unknown: &'static str,
    evidence: &'static str,
    retry_short: &'static str,
}

const EN: Words = Words {
    title: "errwatch report",
    act: "WHAT TO DO FIRST",
    none: "No provider errors found.",
    by_provider: "BY PROVIDER, CATEGORY AND CODE",
    unknown: "UNKNOWN CODES (teach errwatch with --catalog FILE)",
    evidence: "Evidence",
    retry_short: "retry",
};

const ZH: Words = Words {
    title: "errwatch 报告",
    act: "优先处理",
    none: "未发现服务商错误。",
    by_provider: "按服务商、类别和错误码",
    unknown: "未知错误码（可用 --catalog FILE 补充）",
    evidence: "依据",
    retry_short: "重试",
};

pub fn render(report: &Report, lang: Lang, style: Style) -> String {
    let w = match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} lines, {} read; {} provider errors ({} known, {} unknown)",
        style.paint("1", w.title),
        report.lines,
        human_bytes(report.bytes),
        report.errors,
        report.known,
        report.unknown
    );
    if report.long_lines > 0 || report.invalid_utf8_lines > 0 {
        let _ = writeln!(
            out,
            "  {} lines over the line cap (searched in part), {} lines not valid UTF-8",
            report.long_lines, report.invalid_utf8_lines
        );
    }
    if report.errors == 0 {
        let _ = writeln!(out, "\n{}", w.none);
        return out;
    }
    let _ = writeln!(out, "\n{}", style.paint("1", w.act));
    for a in &report.actions {
        let head = format!(
            "{:>6}×  {} {}  {}  since {}",
            a.count,
            a.provider,
            a.code,
            a.category,
            short_time(&a.since)
        );
        let _ = writeln!(out, "  {} {}", style.severity(a.severity), head);
        wrap_into(&mut out, &format!("{} → {}", a.what, a.todo), 11);
    }
    let _ = writeln!(out, "\n{}", style.paint("1", w.by_provider));
    let spans: Vec<String> = report.by_code.iter().map(|r| span(&r.first_seen, &r.last_seen)).collect();
    let span_width = spans.iter().map(|s| s.width()).max().unwrap_or(0).max(17);
    let _ = writeln!(
        out,
        "    {} {} {:>7} {:>6}  {}  {}",
        pad("category", 15),
        pad("code", 24),
        "count",
        "share",
        pad("first → last seen", span_width),
        w.retry_short
    );
    for (provider, total) in report.provider_totals() {
        let spark = report.timeline.buckets.get(&provider).map(|b| sparkline(b)).unwrap_or_default();
        let share = 100.0 * total as f64 / report.errors as f64;
        let head = format!("  {} {:>7} {:>5.1}%  {}", pad(provider.as_str(), 11), total, share, spark);
        let _ = writeln!(out, "{}", style.paint("1", head.trim_end()));
        for (r, span) in report.by_code.iter().zip(&spans).filter(|(r, _)| r.provider == provider) {
            let _ = writeln!(
                out,
                "    {} {} {:>7} {:>5.1}%  {}  {}",
                pad(r.category.as_str(), 15),
                pad(&truncate(&r.label(), 24), 24),
                r.count,
                100.0 * r.share,
                pad(span, span_width),
                if r.retryable { "yes" } else { "no" }
            );
        }
    }
    if !report.unknown_templates.is_empty() {
        let _ = writeln!(out, "\n{}", style.paint("1", w.unknown));
        for t in report.unknown_templates.iter().take(10) {
            let _ = writeln!(out, "  {} {} ×{}", pad(t.provider.as_str(), 11), t.code, t.count);
            if !t.example.is_empty() {
                wrap_into(&mut out, &format!("e.g. {}", t.example), 6);
            }
        }
    }
    let evidence = format!(
        "{}: {} by code, {} by message, {} by status only.",
        w.evidence, report.evidence.code, report.evidence.message, report.evidence.status
    );
    let footer = match &report.timeline.start {
        Some(start) => format!(
            "Timeline from {start}, {} per bucket. {evidence}",
            human_seconds(report.timeline.bucket_seconds)
        ),
        None => evidence,
    };
    out.push('\n');
    wrap_into(&mut out, &footer, 0);
    out
}

/// Wraps `text` to the report width at `indent`, by display columns: at spaces between
/// words, anywhere in Chinese text (which has none).
fn wrap_into(out: &mut String, text: &str, indent: usize) {
    let room = WIDTH - indent;
    let mut line = String::new();
    let mut cols = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if cols + cw > room {
            let carry = match line.rfind(' ') {
                Some(i) if c != ' ' && line[i..].width() < room / 2 => line.split_off(i + 1),
                _ => String::new(),
            };
            let _ = writeln!(out, "{}{}", " ".repeat(indent), line.trim_end());
            cols = carry.width();
            line = carry;
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        cols += cw;
    }
    if !line.trim().is_empty() {
        let _ = writeln!(out, "{}{}", " ".repeat(indent), line.trim_end());
    }
}

/// `10:00:06 → 10:00:08` on one day, else with dates.
fn span(first: &str, last: &str) -> String {
    let (a, b) = (short_time(first), short_time(last));
    match (a.split_once(' '), b.split_once(' ')) {
        (Some((d1, t1)), Some((d2, t2))) if d1 == d2 => format!("{t1} → {t2}"),
        _ => format!("{a} → {b}"),
    }
}

fn truncate(s: &str, cols: usize) -> String {
    if s.chars().count() <= cols {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(cols - 1).collect::<String>())
    }
}

/// `2026-11-02T10:00:01Z` → `11-02 10:00:01`; a `dir/app.log:123` place → `app.log:123`, at
/// most 14 columns, keeping the line number.
fn short_time(seen: &str) -> String {
    if seen.len() == 20 && seen.as_bytes()[10] == b'T' {
        return format!("{} {}", &seen[5..10], &seen[11..19]);
    }
    let place = seen.rsplit('/').next().unwrap_or(seen);
    let chars: Vec<char> = place.chars().collect();
    if chars.len() <= 14 {
        place.to_string()
    } else {
        format!("…{}", chars[chars.len() - 13..].iter().collect::<String>())
    }
}

pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

fn human_seconds(s: f64) -> String {
    match s {
        s if s >= 86_400.0 => format!("{:.1} d", s / 86_400.0),
        s if s >= 3600.0 => format!("{:.1} h", s / 3600.0),
        s if s >= 60.0 => format!("{:.0} min", s / 60.0),
        s => format!("{s:.0} s"),
    }
}
