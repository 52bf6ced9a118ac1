//! The message matrix, generated from the catalog: every counted provider's entries' messages
//! (the documented text and the real ones, `aliases`), in every SDK's message form, with and
//! without a request-id tail in each spelling, with the provider named by each kind of clue its
//! descriptor declares, through the real pipeline. Each must give the entry's provider and code
//! where the message identifies one entry (the catalog's message index says so), else the right
//! provider and category. And the status-only forms (`raise_for_status()`) at every status a
//! provider documents give that provider, the status and its category.
//!
//! Nothing here lists codes: a new row, alias, clue or provider is covered without a new line.

#[path = "common/matrix.rs"]
mod matrix;

use errwatch::catalog::{Catalog, CatalogEntry, Category, Provider};
use matrix::{clues, forms, run, status_forms, texts, Clue};

/// What the message index says a text in a form and under a clue must give.
#[derive(Debug, PartialEq)]
enum Expect {
    Code(String),
    Category(Category),
}

fn expect(catalog: &Catalog, provider: Provider, text: &str, status: Option<u16>) -> Option<Expect> {
    let matches = catalog.match_message(text);
    let mut ids: Vec<(usize, Option<String>)> = matches
        .iter()
        .filter(|m| catalog.get(m.entry).provider == provider)
        .map(|m| (m.entry, m.parameter.clone()))
        .collect();
    if let Some(s) = status {
        if ids.iter().any(|(id, _)| catalog.get(*id).http_status == Some(s)) {
            ids.retain(|(id, _)| catalog.get(*id).http_status == Some(s));
        }
    }
    let code = |(id, parameter): &(usize, Option<String>)| {
        let e = catalog.get(*id);
        match parameter {
            Some(p) => e.code.replace("{{Parameter}}", p),
            None => e.code.clone(),
        }
    };
    let first = ids.first()?;
    if ids.iter().all(|i| code(i) == code(first)) {
        return Some(Expect::Code(code(first)));
    }
    let category = catalog.get(first.0).category;
    if ids.iter().all(|(id, _)| catalog.get(*id).category == category) {
        Some(Expect::Category(category))
    } else {
        Some(Expect::Category(status.map_or(Category::Unknown, Category::of_status)))
    }
}

/// The status the SDK printed for an entry: its documented one, else the usual one of its
/// category (BigModel's business codes carry none in the document, and arrive as 400 or 429).
fn status_of(entry: &CatalogEntry) -> u16 {
    entry.http_status.unwrap_or(match entry.category {
        Category::Auth => 401,
        Category::Permission => 403,
        Category::RateLimit | Category::Billing | Category::Account => 429,
        Category::NotFound => 404,
        Category::ServerError => 500,
        Category::Unavailable => 503,
        _ => 400,
    })
}

#[test]
fn every_message_in_every_form_under_every_clue() {
    let catalog = Catalog::embedded();
    let mut cases = 0usize;
    let mut failures: Vec<(String, String)> = Vec::new();
    for &provider in catalog.providers() {
        let descriptor = catalog.descriptor(provider).unwrap();
        let clues: Vec<Clue> = clues(descriptor);
        assert!(clues.len() >= 3, "{provider}: too few kinds of clue to test: {clues:?}");
        for entry in catalog.entries().iter().filter(|e| e.provider == provider) {
            for template in std::iter::once(&entry.message).chain(&entry.aliases) {
                let status = status_of(entry);
                for text in texts(template) {
                    for form in forms().iter().filter(|f| f.fits(descriptor)) {
                        let line = form.render(&text, status, descriptor);
                        let said = form.says_status.then_some(status);
                        let Some(want) = expect(&catalog, provider, &text, said) else {
                            let what = format!("{}: {text:?}", entry.key());
                            failures.push(("not in the message index".to_string(), what));
                            continue;
                        };
                        for clue in &clues {
                            cases += 1;
                            let got = run(&catalog, clue.lines(&line));
                            // Known by its message, and ambiguous exactly when the message
                            // leaves several codes.
                            let ok = match (&got[..], &want) {
                                ([d], Expect::Code(code)) => {
                                    d.provider == provider
                                        && d.code == *code
                                        && d.evidence.as_str() == "message"
                                        && !d.ambiguous
                                }
                                ([d], Expect::Category(category)) => {
                                    d.provider == provider
                                        && d.category == *category
                                        && d.evidence.as_str() == "message"
                                        && d.ambiguous
                                }
                                _ => false,
                            };
                            if !ok {
                                failures.push((
                                    format!("{} via {}", form.name, clue.kind),
                                    format!(
                                        "{}: want {want:?}, got {:?}\n      {:?}",
                                        entry.key(),
                                        got.iter()
                                            .map(|d| (
                                                d.provider.as_str(),
                                                &d.code,
                                                d.category,
                                                d.evidence,
                                                d.ambiguous
                                            ))
                                            .collect::<Vec<_>>(),
                                        clue.lines(&line),
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 10_000, "the matrix is too small: {cases} cases");
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), report(&failures));
}

/// Failures by form and clue, with the first few of each.
fn report(failures: &[(String, String)]) -> String {
    let mut groups: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (group, failure) in failures {
        groups.entry(group).or_default().push(failure);
    }
    let mut out = String::new();
    for (group, list) in groups {
        out.push_str(&format!("{group}: {} failed\n", list.len()));
        for failure in list.iter().take(3) {
            out.push_str(&format!("    {failure}\n"));
        }
    }
    out
}

/// `raise_for_status()` keeps only the status and the URL: the provider of the host, the
/// status, and the category the provider's rows at that status share (else the status's own).
#[test]
fn every_documented_status_in_every_status_only_form() {
    let catalog = Catalog::embedded();
    let mut failures = Vec::new();
    let mut cases = 0;
    for &provider in catalog.providers() {
        let descriptor = catalog.descriptor(provider).unwrap();
        let mut statuses: Vec<u16> = catalog
            .entries()
            .iter()
            .filter(|e| e.provider == provider)
            .filter_map(|e| e.http_status)
            .filter(|s| *s >= 400)
            .collect();
        statuses.sort_unstable();
        statuses.dedup();
        for status in statuses {
            let rows: Vec<&CatalogEntry> = catalog
                .entries()
                .iter()
                .filter(|e| e.provider == provider && e.http_status == Some(status))
                .map(|e| &**e)
                .collect();
            let shared = rows.iter().all(|e| e.category == rows[0].category).then_some(rows[0].category);
            for form in status_forms() {
                cases += 1;
                let line = form.render("", status, descriptor);
                let got = run(&catalog, vec![line.clone()]);
                let ok = match &got[..] {
                    [d] => {
                        d.provider == provider
                            && d.http_status == Some(status)
                            && d.evidence.as_str() == "status"
                            && (d.category == shared.unwrap_or(Category::of_status(status))
                                || d.entry.as_ref().is_some_and(|e| rows.iter().any(|r| **r == **e)))
                    }
                    _ => false,
                };
                if !ok {
                    failures.push(format!(
                        "{provider} {status} {}: {:?}\n    {line}",
                        form.name,
                        got.iter().map(|d| (d.provider.as_str(), &d.code, d.category)).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(cases >= 40, "{cases}");
    assert!(failures.is_empty(), "{} of {cases} failed:\n{}", failures.len(), failures.join("\n"));
}
