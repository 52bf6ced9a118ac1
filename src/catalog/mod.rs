//! The catalog: every documented provider error, as data.
//!
//! Owns the entry types, loading the embedded TOML files (and a user's `--catalog` overrides),
//! checking them, and looking entries up by code, HTTP status or message. It knows nothing of
//! logs or lines: the classifier asks it questions, it answers with entries.

mod code_pattern;
pub mod descriptor;
mod load;
mod message_index;
mod taxonomy;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use rustc_hash::FxHashMap;

pub use code_pattern::CodePattern;
pub use descriptor::{ClueKind, Descriptor};
pub use load::CatalogError;
/// Texts as the message index compares them: white space made single spaces.
pub use message_index::normalize as normalize_space;
pub use message_index::MessageMatch;
pub use taxonomy::{Action, Category, Provider, Severity};

use message_index::MessageIndex;

use crate::extract::Lexicon;

/// The catalog files compiled into the binary, one per provider: the four counted ones, then
/// the providers recognized only so that their errors are never taken for those four's.
const EMBEDDED: &[(&str, &str)] = &[
    ("zhipu.toml", include_str!("zhipu.toml")),
    ("ppio.toml", include_str!("ppio.toml")),
    ("coze.toml", include_str!("coze.toml")),
    ("volcengine.toml", include_str!("volcengine.toml")),
    ("others/openai.toml", include_str!("others/openai.toml")),
    ("others/deepseek.toml", include_str!("others/deepseek.toml")),
    ("others/moonshot.toml", include_str!("others/moonshot.toml")),
    ("others/dashscope.toml", include_str!("others/dashscope.toml")),
    ("others/tencent.toml", include_str!("others/tencent.toml")),
    ("others/minimax.toml", include_str!("others/minimax.toml")),
    ("others/qianfan.toml", include_str!("others/qianfan.toml")),
    ("others/anthropic.toml", include_str!("others/anthropic.toml")),
    ("others/gemini.toml", include_str!("others/gemini.toml")),
];

/// One documented error of one provider.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogEntry {
    pub provider: Provider,
    /// Exactly as the provider sends it; may hold a `{{Parameter}}` template.
    pub code: String,
    /// Tells apart rows of one provider that share a code.
    pub variant: Option<String>,
    /// The row chosen among those sharing a code when nothing else decides.
    #[serde(skip)]
    pub default: bool,
    pub http_status: Option<u16>,
    /// Volcengine Ark's `type` field.
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    /// The documented API family (`zai`, `bigmodel_http`, `llm`, `media`, `ark`, ...).
    pub api: String,
    /// The provider's own message or name, in its original language.
    pub message: String,
    pub aliases: Vec<String>,
    /// The provider's message carries the details (PPIO's "详见 message"): any text fits.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub message_varies: bool,
    pub category: Category,
    pub retryable: bool,
    pub severity: Severity,
    pub action: Action,
    pub description_zh: String,
    pub description_en: String,
    pub remedy_zh: String,
    pub remedy_en: String,
}

impl CatalogEntry {
    /// `provider:code` or `provider:code#variant`: unique within a catalog.
    pub fn key(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}:{}#{}", self.provider, self.code, v),
            None => format!("{}:{}", self.provider, self.code),
        }
    }

    /// Is its code a template (`NotFound.{{Parameter}}`), not a code as a provider sends it?
    pub fn code_is_template(&self) -> bool {
        CodePattern::parse(&self.code).is_some()
    }

    /// The code to report for this entry when the line did not carry one (it was known by its
    /// message or status): the code, a template's placeholder filled with `parameter` (what
    /// stood for it in the message), else the template's literal part (`NotFound`). Never a
    /// placeholder: a code is a label value, and `{{Parameter}}` names no error anyone sent.
    pub fn reported_code(&self, parameter: Option<&str>) -> String {
        match (CodePattern::parse(&self.code), parameter) {
            (None, _) => self.code.clone(),
            (Some(p), Some(value)) => p.fill(value),
            (Some(p), None) => p.literal(),
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.description_zh,
            Lang::En => &self.description_en,
        }
    }

    pub fn remedy(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.remedy_zh,
            Lang::En => &self.remedy_en,
        }
    }
}

/// Language of people-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Index of an entry in one catalog: valid only with the catalog that gave it, so it never
/// leaves a lookup. What outlives a lookup (a detection, a report's group) holds the entry
/// itself, an [`EntryRef`], and a reload cannot make it point elsewhere.
pub type EntryId = usize;

/// An entry as detections and sinks hold it: shared, and kept alive by whoever counted it
/// even after a reload drops it from the catalog.
pub type EntryRef = Arc<CatalogEntry>;

/// What a lookup by code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub entry: EntryId,
    /// Several rows fit and nothing on the line told them apart.
    pub ambiguous: bool,
}

#[derive(Debug)]
pub struct Catalog {
    entries: Vec<EntryRef>,
    /// Every provider the catalog's files declare, embedded ones first, in file order.
    descriptors: Vec<Descriptor>,
    /// The counted ones among them.
    providers: Vec<Provider>,
    /// The matchers derived from the descriptors, which the extractor reads.
    lexicon: Lexicon,
    /// Keyed by provider, then code: looked up with the line's `&str`, no key built. FxHash:
    /// the keys are the catalog's own, so crafted log text cannot make them collide.
    exact: FxHashMap<Provider, FxHashMap<String, Vec<EntryId>>>,
    templated: Vec<(Provider, CodePattern, EntryId)>,
    messages: MessageIndex,
}

impl Catalog {
    /// The embedded catalog. Its files are checked by the test suite, so a failure here is a
    /// build defect, not a user error.
    pub fn embedded() -> Catalog {
        Catalog::load(&[]).expect("embedded catalog is valid")
    }

    /// The embedded catalog with a user's files layered on top, in order: an entry with the
    /// same provider, code and variant replaces the embedded one, any other is added.
    pub fn with_overrides(files: &[impl AsRef<Path>]) -> Result<Catalog, CatalogError> {
        let mut sources = Vec::new();
        for f in files {
            let path = f.as_ref();
            let text = std::fs::read_to_string(path)
                .map_err(|e| CatalogError::Io { file: path.display().to_string(), message: e.to_string() })?;
            sources.push((path.display().to_string(), text));
        }
        Catalog::load(&sources)
    }

    fn load(user: &[(String, String)]) -> Result<Catalog, CatalogError> {
        let mut entries: Vec<CatalogEntry> = Vec::new();
        // Where each key's entry is: a later file's entry replaces an earlier one's.
        let mut places: HashMap<String, usize> = HashMap::new();
        let mut descriptors: Vec<Descriptor> = Vec::new();
        let files =
            EMBEDDED.iter().map(|(n, t)| (*n, *t)).chain(user.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        for (name, text) in files {
            let parsed = load::parse_file(name, text)?;
            match descriptors.iter_mut().find(|d| d.id == parsed.descriptor.id) {
                Some(d) => d.extend(parsed.descriptor, parsed.said),
                None => descriptors.push(parsed.descriptor),
            }
            for entry in parsed.entries {
                match places.entry(entry.key()) {
                    std::collections::hash_map::Entry::Occupied(at) => entries[*at.get()] = entry,
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(entries.len());
                        entries.push(entry);
                    }
                }
            }
        }
        load::check(&entries, &descriptors)?;
        let entries: Vec<EntryRef> = entries.into_iter().map(Arc::new).collect();
        let messages = MessageIndex::build(&entries);
        let anchors: Vec<&str> = messages.anchor_words().collect();
        let lexicon = Lexicon::build(&descriptors, &anchors).map_err(CatalogError::Inconsistent)?;
        Ok(Catalog::index(entries, descriptors, lexicon, messages))
    }

    fn index(
        entries: Vec<EntryRef>,
        descriptors: Vec<Descriptor>,
        lexicon: Lexicon,
        messages: MessageIndex,
    ) -> Catalog {
        let providers = descriptors.iter().filter(|d| d.counted).map(|d| d.id).collect();
        let mut exact: FxHashMap<Provider, FxHashMap<String, Vec<EntryId>>> = FxHashMap::default();
        let mut templated = Vec::new();
        for (id, e) in entries.iter().enumerate() {
            match CodePattern::parse(&e.code) {
                Some(p) => templated.push((e.provider, p, id)),
                None => exact.entry(e.provider).or_default().entry(e.code.clone()).or_default().push(id),
            }
        }
        Catalog { entries, descriptors, providers, lexicon, exact, templated, messages }
    }

    /// Turns matching by message off: only codes and statuses identify errors. For measuring
    /// what message matching costs (`cargo bench`), and for users who want code evidence only.
    pub fn without_message_matching(mut self) -> Catalog {
        self.messages = MessageIndex::build(&[]);
        self
    }

    pub fn entries(&self) -> &[EntryRef] {
        &self.entries
    }

    pub fn get(&self, id: EntryId) -> &CatalogEntry {
        &self.entries[id]
    }

    /// The entry to hold on to beyond this lookup.
    pub fn entry_ref(&self, id: EntryId) -> EntryRef {
        self.entries[id].clone()
    }

    /// The providers whose errors are counted, embedded ones first.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// Every provider declared, counted or not.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.descriptors
    }

    pub fn descriptor(&self, provider: Provider) -> Option<&Descriptor> {
        self.descriptors.iter().find(|d| d.id == provider)
    }

    /// Is this provider's error to be counted (not only recognized as someone else's)?
    pub fn counts(&self, provider: Provider) -> bool {
        self.providers.contains(&provider)
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The provider with this id, if the catalog declares it.
    pub fn provider(&self, id: &str) -> Option<Provider> {
        self.providers.iter().copied().find(|p| p.as_str() == id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Rows documented for `code`: exact rows first; a templated code such as
    /// `InvalidParameter.{{Parameter}}` answers only when no exact row does.
    pub fn rows_for_code(&self, provider: Provider, code: &str) -> Vec<EntryId> {
        self.rows(provider, code).into_owned()
    }

    /// [`Catalog::rows_for_code`], borrowed when exact: every error line asks.
    fn rows(&self, provider: Provider, code: &str) -> Cow<'_, [EntryId]> {
        if let Some(ids) = self.exact.get(&provider).and_then(|codes| codes.get(code)) {
            return Cow::Borrowed(ids);
        }
        self.templated
            .iter()
            .filter(|(p, pat, _)| *p == provider && pat.matches(code))
            .map(|(_, _, id)| *id)
            .collect()
    }

    /// Does any provider document this code?
    pub fn knows_code(&self, provider: Provider, code: &str) -> bool {
        !self.rows(provider, code).is_empty()
    }

    /// Picks the row for a code seen on a line. Rows sharing a code are told apart by the
    /// message on the line, then the HTTP status, then the API family, then the `default` row.
    pub fn resolve_code(
        &self,
        provider: Provider,
        code: &str,
        http_status: Option<u16>,
        message: Option<&str>,
        api: Option<&str>,
    ) -> Option<Resolution> {
        let rows = self.rows(provider, code);
        match &*rows {
            [] => None,
            [only] => Some(Resolution { entry: *only, ambiguous: false }),
            _ => Some(self.pick_among(&rows, http_status, message, api)),
        }
    }

    fn pick_among(
        &self,
        rows: &[EntryId],
        http_status: Option<u16>,
        message: Option<&str>,
        api: Option<&str>,
    ) -> Resolution {
        if let Some(text) = message {
            let by_message: Vec<EntryId> = self
                .messages
                .find(text)
                .into_iter()
                .map(|m| m.entry)
                .filter(|id| rows.contains(id))
                .collect();
            if let [one] = by_message.as_slice() {
                return Resolution { entry: *one, ambiguous: false };
            }
        }
        let mut narrowed: Vec<EntryId> = rows.to_vec();
        if let Some(status) = http_status {
            narrow(&mut narrowed, |id| self.entries[id].http_status == Some(status));
        }
        if let Some(api) = api {
            narrow(&mut narrowed, |id| self.entries[id].api == api);
        }
        if let [one] = narrowed.as_slice() {
            return Resolution { entry: *one, ambiguous: false };
        }
        let pick = narrowed.iter().copied().find(|&id| self.entries[id].default).unwrap_or(narrowed[0]);
        Resolution { entry: pick, ambiguous: true }
    }

    /// Rows a provider documents for an HTTP status, for lines that carry only the status.
    pub fn rows_for_status(&self, provider: Provider, status: u16) -> Vec<EntryId> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.provider == provider && e.http_status == Some(status))
            .map(|(id, _)| id)
            .collect()
    }

    /// Does `text` fit what `entry` says: one of its documented or real messages, or most of its
    /// words are theirs (a real text seldom matches its document to the letter: `Request id:`
    /// for `Request ID:`, a sentence more or less)? For telling a provider's body from another
    /// service's that looks like it.
    pub fn message_fits(&self, entry: &CatalogEntry, text: &str) -> bool {
        let same = |id: EntryId| {
            let e = &self.entries[id];
            e.provider == entry.provider && e.code == entry.code && e.variant == entry.variant
        };
        if entry.message_varies || self.messages.find(text).iter().any(|m| same(m.entry)) {
            return true;
        }
        let said = message_index::content_words(text);
        if said.is_empty() {
            return true;
        }
        let known: Vec<String> = std::iter::once(&entry.message)
            .chain(&entry.aliases)
            .flat_map(|t| message_index::content_words(t))
            .collect();
        let shared = said.iter().filter(|w| known.contains(w)).count();
        shared * 2 >= said.len()
    }

    /// Entries whose documented message matches `text`, best first.
    pub fn match_message(&self, text: &str) -> Vec<MessageMatch> {
        self.messages.find(text)
    }

    /// Entries for `explain`: every provider's rows for the code, or one provider's.
    pub fn explain(&self, code: &str, provider: Option<Provider>) -> Vec<&CatalogEntry> {
        self.providers
            .iter()
            .filter(|p| provider.is_none_or(|want| want == **p))
            .flat_map(|p| self.rows_for_code(*p, code))
            .map(|id| &*self.entries[id])
            .collect()
    }
}

/// Keeps only the ids that pass, unless none would.
pub(crate) fn narrow(ids: &mut Vec<EntryId>, keep: impl Fn(EntryId) -> bool) {
    if ids.iter().any(|&id| keep(id)) {
        ids.retain(|&id| keep(id));
    }
}
