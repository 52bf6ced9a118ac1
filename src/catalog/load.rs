//! Parsing catalog files and checking a catalog as a whole. Errors name the file, the line and
//! what is wrong, because a user's `--catalog` file is hand-written.

use std::collections::HashMap;

use serde::Deserialize;

use super::descriptor::{Api, Descriptor, Identify, Shape};
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
    name: Option<String>,
    /// `false` for providers only recognized so that their errors are set aside; unsaid, a new
    /// provider is counted and one declared before keeps what it was.
    counted: Option<bool>,
    #[serde(default)]
    identify: Identify,
    #[serde(default)]
    api: Vec<Api>,
    #[serde(default)]
    shape: Vec<Shape>,
    #[serde(default)]
    entry: Vec<EntryShape>,
}

/// What one catalog file declares.
pub struct ParsedFile {
    pub descriptor: Descriptor,
    /// What the file said itself, as opposed to what the descriptor got by default: a later
    /// file's word on these replaces an earlier one's ([`Descriptor::extend`]).
    pub said: Said,
    pub entries: Vec<CatalogEntry>,
}

/// The descriptor's settings a file stated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Said {
    pub name: bool,
    pub counted: bool,
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
    #[serde(default)]
    message_varies: bool,
    category: Category,
    retryable: bool,
    severity: Severity,
    action: Action,
    description_zh: String,
    description_en: String,
    remedy_zh: String,
    remedy_en: String,
}

pub fn parse_file(name: &str, text: &str) -> Result<ParsedFile, CatalogError> {
    let file: FileShape = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        file: name.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().to_string(),
    })?;
    let said = Said { name: file.name.is_some(), counted: file.counted.is_some() };
    let counted = file.counted.unwrap_or(true);
    let descriptor = Descriptor {
        id: file.provider,
        name: file.name.unwrap_or_else(|| file.provider.to_string()),
        counted,
        identify: file.identify,
        apis: file.api,
        shapes: file.shape,
    };
    let at_table = |table: &str| line_of(text, text.find(table).unwrap_or(0));
    descriptor.check().map_err(|message| CatalogError::Syntax {
        file: name.to_string(),
        line: at_table("[identify]").max(at_table("[[shape]]")),
        message: format!("provider {:?}: {message}", file.provider.as_str()),
    })?;
    if !counted && !file.entry.is_empty() {
        return Err(CatalogError::Syntax {
            file: name.to_string(),
            line: at_table("[[entry]]"),
            message: format!(
                "provider {:?} is not counted (counted = false) but has entries",
                file.provider.as_str()
            ),
        });
    }
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
            message_varies: e.message_varies,
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
    Ok(ParsedFile { descriptor, said, entries: out })
}

fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Whole-catalog rules: keys are unique, rows sharing a code have exactly one default, every
/// row belongs to an API family its provider declares, and no clue names two providers.
pub fn check(entries: &[CatalogEntry], descriptors: &[Descriptor]) -> Result<(), CatalogError> {
    for e in entries {
        let Some(d) = descriptors.iter().find(|d| d.id == e.provider) else {
            return Err(CatalogError::Inconsistent(format!("{} has no provider descriptor", e.key())));
        };
        if d.api(&e.api).is_none() {
            let known: Vec<&str> = d.apis.iter().map(|a| a.id.as_str()).collect();
            return Err(CatalogError::Inconsistent(format!(
                "{}: api {:?} is not one of provider {}'s ({})",
                e.key(),
                e.api,
                e.provider,
                if known.is_empty() { "it declares none".to_string() } else { known.join(", ") }
            )));
        }
    }
    if let Some(d) =
        descriptors.iter().find(|d| d.counted && d.shapes.is_empty() && d.identify.hosts.is_empty())
    {
        return Err(CatalogError::Inconsistent(format!(
            "provider {} declares neither a [[shape]] nor a host in [identify]: none of its errors could be found",
            d.id
        )));
    }
    let mut owners: HashMap<String, Provider> = HashMap::new();
    for d in descriptors {
        for (word, _) in d.clues() {
            let word = word.strip_prefix("*.").unwrap_or(word).to_ascii_lowercase();
            match owners.insert(word.clone(), d.id) {
                Some(other) if other != d.id => {
                    return Err(CatalogError::Inconsistent(format!(
                        "clue {word:?} names two providers: {other} and {}",
                        d.id
                    )))
                }
                _ => {}
            }
        }
    }
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
