//! The print sink: one line per error, as JSON lines for machines or aligned text for people
//! (used by `scan` and by `watch --print`); and what text for people must know of the terminal
//! it goes to: its width, whether it wants color, which characters are safe to show.

use std::borrow::Cow;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::catalog::{Action, Category, Provider, Severity};
use crate::classify::LineMessage;
use crate::pipeline::ErrorEvent;
use crate::timestamp;

/// A `scan --format jsonl` record. Field names are a contract.
#[derive(Debug, Serialize)]
pub struct ScanRecord<'a> {
    pub source: &'a str,
    pub line: u64,
    pub timestamp: Option<String>,
    pub provider: Provider,
    pub code: &'a str,
    pub http_status: Option<u16>,
    pub category: Category,
    pub retryable: bool,
    pub known: bool,
    pub severity: Option<Severity>,
    pub action: Option<Action>,
    pub message: Option<Cow<'a, str>>,
    pub entry: Option<&'a str>,
    pub evidence: &'static str,
    pub ambiguous: bool,
}

impl<'a> ScanRecord<'a> {
    pub fn new(source: &'a str, event: &'a ErrorEvent) -> ScanRecord<'a> {
        let d = &event.detection;
        let entry = d.entry.as_deref();
        ScanRecord {
            source,
            line: event.line,
            timestamp: event.timestamp.map(timestamp::format),
            provider: d.provider,
            code: &d.code,
            http_status: d.http_status,
            category: d.category,
            retryable: d.retryable,
            known: d.known(),
            severity: entry.map(|e| e.severity),
            action: entry.map(|e| e.action),
            message: d.message.as_ref().map(LineMessage::redacted),
            entry: entry.map(|e| e.message.as_str()),
            evidence: d.evidence.as_str(),
            ambiguous: d.ambiguous,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    Jsonl,
    Text,
}

/// Formats one event as one line (without newline).
pub fn format_event(format: LineFormat, source: &str, event: &ErrorEvent) -> String {
    let record = ScanRecord::new(source, event);
    match format {
        LineFormat::Jsonl => serde_json::to_string(&record).expect("records serialize"),
        LineFormat::Text => text_line(&record),
    }
}

/// The message is the line's own (redacted, whole): it names the parameter or the request
/// that the catalog's template leaves as a placeholder. Only when the line had none, the
/// catalog's.
fn text_line(r: &ScanRecord<'_>) -> String {
    let place = format!("{}:{}", r.source, r.line);
    let status = r.http_status.map_or_else(|| "-".to_string(), |s| s.to_string());
    let what = r.message.as_deref().filter(|m| !m.trim().is_empty()).or(r.entry).unwrap_or("");
    let mut flags = String::new();
    if !r.known {
        flags.push_str(" [unknown]");
    }
    if r.evidence != "code" {
        flags.push_str(&format!(" [by {}]", r.evidence));
    }
    format!(
        "{}  {}  {}  {}  {}  {}{}",
        pad(&printable(&place), 28),
        pad(r.provider.as_str(), 10),
        pad(&printable(r.code), 28),
        pad(r.category.as_str(), 15),
        pad(&status, 3),
        printable(what),
        flags
    )
}

/// Log text made safe for a terminal: control characters (an escape sequence in a message
/// would drive the reader's terminal) shown as `�`, tabs and line breaks as spaces.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// no-color.org: `NO_COLOR` set to anything but the empty string turns color off.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Display columns for text written to stdout: `COLUMNS` when set to a number, else the
/// terminal's width, else `default` (a file or a pipe).
pub fn terminal_width(default: usize) -> usize {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        if n > 0 {
            return n;
        }
    }
    match terminal_size::terminal_size_of(std::io::stdout()) {
        Some((terminal_size::Width(w), _)) if w > 0 => usize::from(w),
        _ => default,
    }
}

/// Pads to a display width, counting double-width (CJK) characters as two columns.
pub fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    if w >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

/// Right-aligns to a display width, as [`pad`] counts it.
pub fn lpad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    if w >= width {
        text.to_string()
    } else {
        format!("{}{text}", " ".repeat(width - w))
    }
}

/// Cuts to at most `width` display columns, marking a cut with `…`.
pub fn cut(text: &str, width: usize) -> Cow<'_, str> {
    if UnicodeWidthStr::width(text) <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut cols = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if cols + w + 1 > width {
            break;
        }
        out.push(c);
        cols += w;
    }
    out.push('…');
    Cow::Owned(out)
}
