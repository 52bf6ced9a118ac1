//! `errwatch explain CODE`: the catalog entry in full, in both languages.
//!
//! The code is taken as people copy it: with spaces around it, in any case
//! (`ratelimitexceeded.endpointrpmexceeded`, `rate_limit_exceeded`), in the forms errwatch
//! itself prints (`429#balance_exhausted` in `catalog`, `429 (balance_exhausted)` in reports,
//! `zhipu:1113` as an entry's key). A code the catalog does not have gets the nearest codes it
//! does have, by edit distance over the catalog's own codes.

use std::fmt::Write as _;
use std::io;

use crate::catalog::{Catalog, CatalogEntry, Lang, Provider};
use crate::cli::ExplainArgs;

use super::{write_out, ExitCode};

/// Suggestions offered for a code not in the catalog.
const MAX_SUGGESTIONS: usize = 5;

pub fn run(args: &ExplainArgs, catalog: &Catalog) -> io::Result<ExitCode> {
    let provider = match args.provider.as_deref().map(|id| super::provider_arg(catalog, id)).transpose() {
        Ok(p) => p,
        Err(outcome) => return Ok(outcome),
    };
    let query = Query::parse(&args.code, catalog);
    let provider = provider.or(query.provider);
    let entries = lookup(catalog, &query, provider);
    if entries.is_empty() {
        let scope = provider.map_or_else(|| "any provider".to_string(), |p| p.to_string());
        eprintln!("errwatch: code {:?} is not in the catalog of {scope}", args.code);
        let suggestions = suggest(catalog, &query, provider);
        if !suggestions.is_empty() {
            eprintln!("  did you mean: {}?", suggestions.join(", "));
        }
        eprintln!("  (errwatch catalog lists every code; --catalog FILE adds your own)");
        return Ok(ExitCode::Usage);
    }
    let lang = Lang::from(args.lang);
    let text: String = entries.iter().map(|e| describe(e, lang)).collect::<Vec<_>>().join("\n");
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(ExitCode::Success)
}

/// A code as asked for, its printed decorations taken off.
#[derive(Debug, PartialEq, Eq)]
struct Query {
    code: String,
    variant: Option<String>,
    /// From the key form `provider:code`.
    provider: Option<Provider>,
}

impl Query {
    fn parse(raw: &str, catalog: &Catalog) -> Query {
        let mut text = raw.trim();
        let mut provider = None;
        if let Some((p, rest)) = text.split_once(':') {
            if let Some(p) = catalog.provider(p.trim()) {
                provider = Some(p);
                text = rest.trim();
            }
        }
        let (code, variant) = if let Some((code, variant)) = text.split_once('#') {
            (code, Some(variant))
        } else if let Some((code, rest)) = text.split_once('(') {
            (code, Some(rest.trim_end().trim_end_matches(')')))
        } else {
            (text, None)
        };
        let variant = variant.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        Query { code: code.trim().to_string(), variant, provider }
    }
}

/// Case and spaces do not matter.
fn fold(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Neither do separators, when looking for near misses.
fn fold_loose(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn in_scope(e: &CatalogEntry, provider: Option<Provider>) -> bool {
    provider.is_none_or(|p| p == e.provider)
}

/// The entries for a query: the catalog's own lookup first (exact, and its code templates),
/// then the same ignoring case and spaces; then narrowed to the variant asked for.
fn lookup<'c>(catalog: &'c Catalog, query: &Query, provider: Option<Provider>) -> Vec<&'c CatalogEntry> {
    let mut found = catalog.explain(&query.code, provider);
    if found.is_empty() {
        let want = fold(&query.code);
        let in_scope = catalog.entries().iter().map(|e| &**e).filter(|e| in_scope(e, provider));
        let (exact, templated): (Vec<&CatalogEntry>, Vec<&CatalogEntry>) =
            in_scope.partition(|e| !e.code.contains("{{"));
        found = exact.into_iter().filter(|e| fold(&e.code) == want).collect();
        if found.is_empty() {
            found = templated.into_iter().filter(|e| template_fits(&e.code, &want)).collect();
        }
    }
    if let Some(v) = &query.variant {
        let v = fold(v);
        found.retain(|e| e.variant.as_deref().is_some_and(|ev| fold(ev) == v));
    }
    found
}

/// Whether a folded code fits a code template such as `InvalidParameter.{{Parameter}}`: its
/// literal parts, folded, around something.
fn template_fits(template: &str, folded: &str) -> bool {
    let Some((head, tail)) = template.split_once("{{") else { return false };
    let tail = tail.split_once("}}").map_or("", |(_, t)| t);
    let (head, tail) = (fold(head), fold(tail));
    folded.len() > head.len() + tail.len() && folded.starts_with(&head) && folded.ends_with(&tail)
}

/// The catalog's codes nearest to the query, as `explain` would take them: `CODE (provider)`,
/// or `CODE#VARIANT (provider)` when the code matched and the variant did not.
fn suggest(catalog: &Catalog, query: &Query, provider: Option<Provider>) -> Vec<String> {
    let entries: Vec<&CatalogEntry> = catalog.entries().iter().map(|e| &**e).collect();
    // The code is known, but not with this variant (or not to this provider).
    let same_code: Vec<&CatalogEntry> = entries
        .iter()
        .copied()
        .filter(|e| fold(&e.code) == fold(&query.code) || template_fits(&e.code, &fold(&query.code)))
        .collect();
    if !same_code.is_empty() {
        let scoped: Vec<&CatalogEntry> =
            same_code.iter().copied().filter(|e| in_scope(e, provider)).collect();
        let shown = if scoped.is_empty() { same_code } else { scoped };
        return shown.iter().take(MAX_SUGGESTIONS).map(|e| offer(e)).collect();
    }
    let want = fold_loose(&query.code);
    if want.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, String)> = entries
        .iter()
        .filter(|e| in_scope(e, provider))
        .filter_map(|e| {
            let have = fold_loose(&e.code);
            // A third of the code may be wrong, or of its start (`RateLimitExceded` for
            // `RateLimitExceeded.EndpointRPMExceeded`); a part of a code
            // (`EndpointRPMExceeded`) is near too.
            let allowed = |len: usize| (len / 3).max(1);
            let whole = strsim::levenshtein(&want, &have);
            let start: String = have.chars().take(want.chars().count()).collect();
            let prefix = strsim::levenshtein(&want, &start);
            let score = if whole <= allowed(want.len().max(have.len())) {
                Some(whole)
            } else if want.len() >= 4 && have.contains(&want) {
                Some(1 + have.len() - want.len())
            } else if want.len() >= 6 && prefix <= allowed(want.len()) {
                Some(1 + prefix + have.len() - want.len())
            } else {
                None
            };
            score.map(|d| (d, format!("{} ({})", e.code, e.provider)))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(MAX_SUGGESTIONS).map(|(_, s)| s).collect()
}

fn offer(e: &CatalogEntry) -> String {
    match &e.variant {
        Some(v) => format!("{}#{v} ({})", e.code, e.provider),
        None => format!("{} ({})", e.code, e.provider),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_forms_parse_to_code_and_variant() {
        let catalog = Catalog::embedded();
        let q = |s: &str| Query::parse(s, &catalog);
        let want = |code: &str, variant: Option<&str>| (code.to_string(), variant.map(str::to_string));
        for (text, code, variant) in [
            (" 1113 ", "1113", None),
            ("429#balance_exhausted", "429", Some("balance_exhausted")),
            ("429 (balance_exhausted)", "429", Some("balance_exhausted")),
            ("429 ( balance_exhausted )", "429", Some("balance_exhausted")),
            ("zhipu:429#balance_exhausted", "429", Some("balance_exhausted")),
        ] {
            let got = q(text);
            assert_eq!((got.code, got.variant), want(code, variant), "{text:?}");
        }
        assert_eq!(q("zhipu:1113").provider, catalog.provider("zhipu"));
        assert_eq!(q("nobody:1113").code, "nobody:1113");
    }

    #[test]
    fn every_entry_is_found_from_every_printed_form() {
        let catalog = Catalog::embedded();
        for e in catalog.entries() {
            if e.code.contains("{{") {
                continue;
            }
            let mut forms =
                vec![e.code.clone(), e.code.to_lowercase(), format!("  {}  ", e.code.to_uppercase())];
            if let Some(v) = &e.variant {
                forms = forms.iter().flat_map(|c| [format!("{c}#{v}"), format!("{c} ({v})")]).collect();
            }
            forms.push(e.key());
            for form in forms {
                let query = Query::parse(&form, &catalog);
                let found = lookup(&catalog, &query, query.provider);
                assert!(found.iter().any(|f| f.key() == e.key()), "{form:?} does not find {}", e.key());
                if e.variant.is_some() {
                    assert!(found.iter().all(|f| f.variant == e.variant), "{form:?}: {found:?}");
                }
            }
        }
    }
}
