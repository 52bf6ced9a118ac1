//! `errwatch explain CODE`: the catalog entry in full, in both languages.

use std::fmt::Write as _;
use std::io;

use crate::catalog::{Catalog, CatalogEntry, Lang};
use crate::cli::ExplainArgs;

use super::{write_out, Outcome};

pub fn run(args: &ExplainArgs, catalog: &Catalog) -> io::Result<Outcome> {
    let provider = match args.provider.as_deref().map(|id| super::provider_arg(catalog, id)).transpose() {
        Ok(p) => p,
        Err(outcome) => return Ok(outcome),
    };
    let entries = catalog.explain(&args.code, provider);
    if entries.is_empty() {
        let scope = provider.map_or_else(|| "any provider".to_string(), |p| p.to_string());
        eprintln!("errwatch: code {:?} is not in the catalog of {scope}", args.code);
        eprintln!("  (errwatch catalog lists every code; --catalog FILE adds your own)");
        return Ok(Outcome::Usage);
    }
    let lang = Lang::from(args.lang);
    let text: String = entries.iter().map(|e| describe(e, lang)).collect::<Vec<_>>().join("\n");
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(Outcome::Success)
}

fn describe(e: &CatalogEntry, lang: Lang) -> String {
    let mut s = String::new();
    let variant = e.variant.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
    let _ = writeln!(s, "{} {}{}", e.provider, e.code, variant);
    let status = e.http_status.map_or_else(|| "-".to_string(), |s| s.to_string());
    let _ = writeln!(s, "  http status   {status}");
    if let Some(t) = &e.error_type {
        let _ = writeln!(s, "  type          {t}");
    }
    let _ = writeln!(s, "  api           {}", e.api);
    let _ = writeln!(s, "  category      {}", e.category);
    let _ = writeln!(s, "  severity      {}", e.severity);
    let _ = writeln!(s, "  retryable     {}", if e.retryable { "yes" } else { "no" });
    let _ = writeln!(s, "  action        {}", e.action);
    let _ = writeln!(s, "  message       {}", e.message);
    let (first, second) = match lang {
        Lang::En => (Lang::En, Lang::Zh),
        Lang::Zh => (Lang::Zh, Lang::En),
    };
    for l in [first, second] {
        let tag = if l == Lang::En { "en" } else { "zh" };
        let _ = writeln!(s, "  description ({tag})  {}", e.description(l));
        let _ = writeln!(s, "  remedy ({tag})       {}", e.remedy(l));
    }
    s
}
