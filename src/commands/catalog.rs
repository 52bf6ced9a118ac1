//! `errwatch catalog`: the table for people, JSON for machines. The table follows the
//! terminal's width: codes whole (a code too long for its column gets a line of its own),
//! messages cut to fit and marked `…`, on a line of their own when the terminal is narrow.

use std::fmt::Write as _;
use std::io;

use unicode_width::UnicodeWidthStr;

use crate::catalog::{Catalog, CatalogEntry};
use crate::cli::{CatalogArgs, CatalogFormat};
use crate::output::{cut, lpad, pad, printable, terminal_width};
use crate::report::{DEFAULT_WIDTH, MIN_WIDTH};

use super::{write_out, ExitCode};

/// Narrowest message column beside the others; narrower, it moves to its own line.
const MIN_MESSAGE: usize = 24;

pub fn run(args: &CatalogArgs, catalog: &Catalog) -> io::Result<ExitCode> {
    let want = match args.provider.as_deref().map(|id| super::provider_arg(catalog, id)).transpose() {
        Ok(want) => want,
        Err(outcome) => return Ok(outcome),
    };
    let entries: Vec<&CatalogEntry> =
        catalog.entries().iter().map(|e| &**e).filter(|e| want.is_none_or(|p| p == e.provider)).collect();
    let text = match args.format {
        CatalogFormat::Json => {
            let mut t = serde_json::to_string_pretty(&entries).expect("entries serialize");
            t.push('\n');
            t
        }
        CatalogFormat::Table => table(&entries, terminal_width(DEFAULT_WIDTH).max(MIN_WIDTH)),
    };
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(ExitCode::Success)
}

/// `CODE` or `CODE#VARIANT`: the key form, which `explain` takes.
fn code_label(e: &CatalogEntry) -> String {
    match &e.variant {
        Some(v) => format!("{}#{v}", e.code),
        None => e.code.clone(),
    }
}

pub fn table(entries: &[&CatalogEntry], width: usize) -> String {
    let widest = |f: &dyn Fn(&CatalogEntry) -> usize, header: &str| {
        entries.iter().map(|e| f(e)).max().unwrap_or(0).max(header.len())
    };
    let provider = widest(&|e| e.provider.as_str().len(), "PROVIDER");
    let category = widest(&|e| e.category.as_str().len(), "CATEGORY");
    let longest_code = widest(&|e| printable(&code_label(e)).width(), "CODE");
    let (http, severity, retry) = (4, 8, 5);
    let others = provider + 1 + http + 1 + category + 1 + severity + 1 + retry;
    let message_inline = others + 1 + longest_code + 1 + MIN_MESSAGE <= width;
    let code =
        if message_inline { longest_code } else { longest_code.min(width.saturating_sub(others + 1)).max(4) };
    let message_room =
        if message_inline { width - (others + 1 + code + 1) } else { width.saturating_sub(provider + 1) };
    let mut s = String::new();
    let header = format!(
        "{} {} {} {} {} {}",
        pad("PROVIDER", provider),
        pad("CODE", code),
        pad("HTTP", http),
        pad("CATEGORY", category),
        pad("SEVERITY", severity),
        pad("RETRY", retry)
    );
    let _ = writeln!(
        s,
        "{}",
        if message_inline { format!("{header} MESSAGE") } else { header.trim_end().to_string() }
    );
    for e in entries {
        let label = code_label(e);
        let label = printable(&label);
        let status = e.http_status.map_or_else(|| "-".to_string(), |s| s.to_string());
        let rest = format!(
            "{} {} {} {}",
            lpad(&status, http),
            pad(e.category.as_str(), category),
            pad(e.severity.as_str(), severity),
            pad(if e.retryable { "yes" } else { "no" }, retry)
        );
        let message = printable(&e.message);
        let message = cut(&message, message_room);
        let name = pad(e.provider.as_str(), provider);
        let row = if label.width() > code {
            // Whole on a line of its own, the rest below it.
            let _ = writeln!(s, "{name} {label}");
            format!("{} {} {rest}", " ".repeat(provider), " ".repeat(code))
        } else {
            format!("{name} {} {rest}", pad(&label, code))
        };
        if message_inline {
            let _ = writeln!(s, "{row} {message}");
        } else {
            let _ = writeln!(s, "{}", row.trim_end());
            let _ = writeln!(s, "{} {message}", " ".repeat(provider));
        }
    }
    s
}
