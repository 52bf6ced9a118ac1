//! The print sink: one line per error, as JSON lines for machines or aligned text for people.
//! Used by `scan` and by `watch --print`.

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

fn text_line(r: &ScanRecord<'_>) -> String {
    let place = format!("{}:{}", r.source, r.line);
    let status = r.http_status.map_or_else(|| "-".to_string(), |s| s.to_string());
    let what = r.entry.or(r.message.as_deref()).unwrap_or("");
    let what: String = what.chars().take(90).collect();
    let mut flags = String::new();
    if !r.known {
        flags.push_str(" [unknown]");
    }
    if r.evidence != "code" {
        flags.push_str(&format!(" [by {}]", r.evidence));
    }
    format!(
        "{}  {}  {}  {}  {}  {}{}",
        pad(&place, 28),
        pad(r.provider.as_str(), 10),
        pad(r.code, 28),
        pad(r.category.as_str(), 15),
        pad(&status, 3),
        what,
        flags
    )
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
