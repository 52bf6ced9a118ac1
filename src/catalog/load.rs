//! Parsing catalog files and checking a catalog as a whole. Errors name the file, the line and
//! what is wrong, because a user's `--catalog` file is hand-written.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Action, CatalogEntry, Category, Provider, Severity};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CatalogError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Syntax { file: String, line: usize, message: String },
    #[error("catalog: {0}")]
    Inconsistent(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    provider: Provider,
    #[serde(default)]
    entry: Vec<EntryShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryShape {
    code: String,
    variant: Option<String>,
    #[serde(default)]
    default: bool,
    http_status: Option<u16>,
    #[serde(rename = "type")]
    error_type: Option<String>,
    api: String,
    message: String,
    #[serde(default)]
    aliases: Vec<String>,
    category: Category,
    retryable: bool,
    severity: Severity,
    action: Action,
    description_zh: String,
    description_en: String,
    remedy_zh: String,
    remedy_en: String,
}

/// The file's provider and its entries.
pub fn parse_file(name: &str, text: &str) -> Result<(Provider, Vec<CatalogEntry>), CatalogError> {
    let file: FileShape = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        file: name.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().to_string(),
    })?;
    let mut out = Vec::with_capacity(file.entry.len());
    for e in file.entry {
        if e.category == Category::Unknown {
            return Err(CatalogError::Syntax {
                file: name.to_string(),
                line: line_of(text, text.find(&e.code).unwrap_or(0)),
                message: format!("entry {:?}: category \"unknown\" is not for catalog entries", e.code),
            });
        }
        out.push(CatalogEntry {
            provider: file.provider,
            code: e.code,
            variant: e.variant,
            default: e.default,
            http_status: e.http_status,
            error_type: e.error_type,
            api: e.api,
            message: e.message,
            aliases: e.aliases,
            category: e.category,
            retryable: e.retryable,
            severity: e.severity,
            action: e.action,
            description_zh: e.description_zh,
            description_en: e.description_en,
            remedy_zh: e.remedy_zh,
            remedy_en: e.remedy_en,
        });
    }
    Ok((file.provider, out))
}

fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Whole-catalog rules: keys are unique, and rows sharing a code have exactly one default.
pub fn check(entries: &[CatalogEntry]) -> Result<(), CatalogError> {
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut shared: HashMap<(Provider, &str), Vec<&CatalogEntry>> = HashMap::new();
    for e in entries {
        *keys.entry(e.key()).or_default() += 1;
        shared.entry((e.provider, e.code.as_str())).or_default().push(e);
    }
    if let Some((key, _)) = keys.iter().find(|(_, n)| **n > 1) {
        return Err(CatalogError::Inconsistent(format!("{key} is defined twice")));
    }
    for ((provider, code), rows) in &shared {
        if rows.len() < 2 {
            continue;
        }
        if rows.iter().any(|r| r.variant.is_none()) {
            return Err(CatalogError::Inconsistent(format!(
                "{provider}:{code} has {} rows; each needs a variant",
                rows.len()
            )));
        }
        let defaults = rows.iter().filter(|r| r.default).count();
        if defaults != 1 {
            return Err(CatalogError::Inconsistent(format!(
                "{provider}:{code} has {} rows and {defaults} marked default; exactly one must be",
                rows.len()
            )));
        }
    }
    Ok(())
}
