//! `errwatch catalog`: the table for people, JSON for machines.

use std::fmt::Write as _;
use std::io;

use crate::catalog::{Catalog, CatalogEntry};
use crate::cli::{CatalogArgs, CatalogFormat};
use crate::output::pad;

use super::{write_out, Outcome};

pub fn run(args: &CatalogArgs, catalog: &Catalog) -> io::Result<Outcome> {
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
        CatalogFormat::Table => table(&entries),
    };
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(Outcome::Success)
}

fn table(entries: &[&CatalogEntry]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} {} {} {} {} MESSAGE",
        pad("PROVIDER", 10),
        pad("CODE", 40),
        pad("HTTP", 4),
        pad("CATEGORY", 15),
        pad("SEVERITY", 8),
        pad("RETRY", 5)
    );
    for e in entries {
        let code = match &e.variant {
            Some(v) => format!("{}#{v}", e.code),
            None => e.code.clone(),
        };
        let status = e.http_status.map_or_else(|| "-".to_string(), |s| s.to_string());
        let msg: String = e.message.chars().take(60).collect();
        let _ = writeln!(
            s,
            "{} {} {} {} {} {} {}",
            pad(e.provider.as_str(), 10),
            pad(&code, 40),
            pad(&status, 4),
            pad(e.category.as_str(), 15),
            pad(e.severity.as_str(), 8),
            pad(if e.retryable { "yes" } else { "no" }, 5),
            msg
        );
    }
    s
}
