//! The matchers the extractor runs, compiled from the catalog's provider descriptors: the
//! prefilter's trigger words, the clue automaton behind provider hints, and the body shapes.
//! Built once per catalog (and again on a reload); nothing here is written by hand per provider.

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::catalog::descriptor::{Alone, CodeForm, Context, Descriptor, Shape};
use crate::catalog::{ClueKind, Provider};

use super::literals::Literals;
use super::signals::MessageEvidence;
pub use super::signals::MESSAGE_SIGNALS;

/// Keys whose value names the provider outright: `provider=coze`, `"channel": "zhipu"`.
pub const FIELD_KEYS: &[&str] = &["provider", "channel", "vendor", "platform"];

/// Most distinct keys all shapes together may read: a key's place in an object is kept in a
/// fixed array (see `shapes::Fields`), made for every object of every searched line.
pub const MAX_KEYS: usize = 64;

/// A clue word of some provider, in one of the forms it is matched in (once, however many
/// kinds it is declared as).
#[derive(Debug, Clone)]
pub struct Clue {
    pub provider: Provider,
    /// The strongest kind it is declared as, a field value aside; `None`: only a field value,
    /// which names the provider only as the value of a `provider=`-like field.
    pub kind: Option<ClueKind>,
    /// Counted only if it is a provider's error; `false` for the providers only recognized.
    pub counted: bool,
    /// A host written `*.example.com`: `example.com` and its subdomains.
    pub wildcard: bool,
}

/// A shape, with its keys turned into places of the key table.
#[derive(Debug)]
pub struct ShapeSpec {
    pub provider: Provider,
    pub counted: bool,
    /// Each path a list of key indices: `Response.Error` is two.
    pub envelope: Option<Vec<u8>>,
    pub code: Vec<u8>,
    pub code_form: Form,
    pub message: Vec<u8>,
    pub status: Vec<u8>,
    pub type_keys: Vec<u8>,
    pub type_status: Vec<(String, u16)>,
    pub request_id: Vec<Vec<u8>>,
    pub requires: Vec<Vec<u8>>,
    pub ok_codes: Vec<String>,
    pub alone: AloneSpec,
    pub context: Context,
    /// Every distinct key or path the shape reads: how well an object fits it is how many of
    /// these it has.
    pub parts: Vec<Vec<u8>>,
}

#[derive(Debug)]
pub enum Form {
    Digits,
    Camel,
    UpperSnake,
    LowerSnake,
    Any,
    Pattern(Regex),
}

#[derive(Debug)]
pub enum AloneSpec {
    Never,
    Always,
    CodeRange(u64, u64),
    Has(Vec<Vec<u8>>),
    TypeKnown,
}

#[derive(Debug)]
pub struct Lexicon {
    /// A line that holds one of the trigger words is searched.
    triggers: Literals,
    trigger_words: Vec<String>,
    /// The [`MESSAGE_SIGNALS`]: a line that holds one, and no trigger word, is searched when
    /// it holds [`MessageEvidence`].
    signals: Literals,
    message_evidence: MessageEvidence,
    clues: Anchors,
    clue_table: Vec<Clue>,
    /// Key name to its index; the shapes refer to keys by index.
    keys: KeyIndex,
    shapes: Vec<ShapeSpec>,
    /// The shapes by the envelope they read their body from (`None`: the object itself), so
    /// that an envelope is opened once for all the shapes that share it.
    groups: Vec<(Option<Vec<u8>>, Vec<usize>)>,
    /// Keys whose value is an object's HTTP status, for the bodies inside it.
    status_keys: Vec<u8>,
}

/// Keys that hold an HTTP status in the objects around a body (`{"status":429,"body":{..}}`),
/// whoever's body it is.
const STATUS_KEYS: &[&str] =
    &["status", "status_code", "statusCode", "http_status", "httpStatus", "httpStatusCode"];

impl Lexicon {
    /// Compiles the descriptors; the problem in words when they cannot be. `message_anchors`:
    /// the words one of which every message the catalog knows holds (see [`MessageEvidence`]).
    pub fn build(descriptors: &[Descriptor], message_anchors: &[&str]) -> Result<Lexicon, String> {
        let mut keys = KeyTable::default();
        let mut shapes = Vec::new();
        for d in descriptors {
            for shape in &d.shapes {
                shapes.push(ShapeSpec::compile(d, shape, &mut keys)?);
            }
        }
        let mut clue_words: Vec<String> = Vec::new();
        let mut clue_table: Vec<Clue> = Vec::new();
        for d in descriptors {
            for (word, kind) in d.clues() {
                let (bare, wildcard) = match word.strip_prefix("*.") {
                    Some(bare) => (bare, true),
                    None => (word, false),
                };
                let kind = (kind != ClueKind::Field).then_some(kind);
                for form in written_forms(bare, kind) {
                    match clue_words.iter().position(|w| *w == form) {
                        // The catalog's checks make sure a word names one provider only.
                        Some(i) => {
                            let clue = &mut clue_table[i];
                            clue.kind = clue.kind.max(kind);
                            clue.wildcard |= wildcard;
                        }
                        None => {
                            clue_table.push(Clue { provider: d.id, kind, counted: d.counted, wildcard });
                            clue_words.push(form);
                        }
                    }
                }
            }
        }
        let status_keys = STATUS_KEYS.iter().map(|k| keys.key(k)).collect::<Result<Vec<_>, _>>()?;
        let mut groups: Vec<(Option<Vec<u8>>, Vec<usize>)> = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            match groups.iter_mut().find(|(envelope, _)| *envelope == shape.envelope) {
                Some((_, members)) => members.push(i),
                None => groups.push((shape.envelope.clone(), vec![i])),
            }
        }
        let trigger_words = trigger_words(descriptors);
        let triggers = Literals::new(&trigger_words, false)?;
        // Three words: SIMD over the chunk, where an automaton would pick a rare-byte prefilter
        // that stops at every `r`.
        let signals = Literals::new(MESSAGE_SIGNALS, false)?;
        let message_evidence = MessageEvidence::build(descriptors, message_anchors)?;
        let clues = Anchors::build(&clue_words, &clue_table, &trigger_words, triggers.clone())?;
        Ok(Lexicon {
            triggers,
            trigger_words,
            signals,
            message_evidence,
            clues,
            clue_table,
            keys: KeyIndex::of(&keys),
            shapes,
            groups,
            status_keys,
        })
    }

    pub(super) fn status_keys(&self) -> &[u8] {
        &self.status_keys
    }

    pub(super) fn triggers(&self) -> &Literals {
        &self.triggers
    }

    pub(super) fn signals(&self) -> &Literals {
        &self.signals
    }

    pub(super) fn message_evidence(&self) -> &MessageEvidence {
        &self.message_evidence
    }

    /// The words whose presence makes a line worth searching.
    pub fn trigger_words(&self) -> &[String] {
        &self.trigger_words
    }

    /// Is `word` (any case) a clue word of a counted provider?
    pub(super) fn names_counted_provider(&self, word: &str) -> bool {
        self.clues
            .values
            .get(word.to_ascii_lowercase().as_bytes())
            .is_some_and(|&i| self.clue_table[i].counted)
    }

    pub(super) fn clues(&self) -> (&Anchors, &[Clue]) {
        (&self.clues, &self.clue_table)
    }

    pub(super) fn shapes(&self) -> &[ShapeSpec] {
        &self.shapes
    }

    /// The shapes, by the envelope they share.
    pub(super) fn shape_groups(&self) -> &[(Option<Vec<u8>>, Vec<usize>)] {
        &self.groups
    }

    /// The index of a key the shapes read, if any does.
    pub(super) fn key(&self, name: &[u8]) -> Option<u8> {
        self.keys.get(name)
    }

    /// The keys a capitalized `name` is with its case ignored, when those are other keys
    /// (`LogID` is `logid` and `logID`).
    pub(super) fn key_folded(&self, name: &[u8]) -> [Option<u8>; 2] {
        self.keys.get_folded(name)
    }
}

/// Key names by length: asked for every key of every object of a searched line, and most
/// lengths hold one or two names, so a comparison or two answers (no hash of the key).
#[derive(Debug)]
struct KeyIndex {
    by_len: Vec<Vec<(Box<[u8]>, u8)>>,
}

impl KeyIndex {
    fn of(table: &KeyTable) -> KeyIndex {
        let mut by_len: Vec<Vec<(Box<[u8]>, u8)>> = Vec::new();
        for (name, &k) in &table.index {
            if by_len.len() <= name.len() {
                by_len.resize(name.len() + 1, Vec::new());
            }
            by_len[name.len()].push((name.clone(), k));
        }
        KeyIndex { by_len }
    }

    fn get(&self, name: &[u8]) -> Option<u8> {
        self.by_len.get(name.len())?.iter().find(|(k, _)| **k == *name).map(|(_, i)| *i)
    }

    /// Go prints a struct's fields capitalized (`&{Code:1113 Message:..}`), as do .NET and
    /// some Java mappers: a name that starts upper-case is also the key it is with its case
    /// ignored (besides itself: Tencent Cloud's `Code` is a key of its own).
    fn get_folded(&self, name: &[u8]) -> [Option<u8>; 2] {
        let mut found = [None; 2];
        if !name.first().is_some_and(u8::is_ascii_uppercase) {
            return found;
        }
        let Some(same_len) = self.by_len.get(name.len()) else { return found };
        let folded = same_len.iter().filter(|(k, _)| **k != *name && k.eq_ignore_ascii_case(name));
        for (slot, (_, k)) in found.iter_mut().zip(folded) {
            *slot = Some(*k);
        }
        found
    }
}

/// How clues are found: from the places of the trigger words, which the prefilter's SIMD
/// search finds fast, each checked against the clue words that hold that trigger there. (An
/// automaton over the hundred-odd clue words, past what the SIMD searchers take, cost more
/// than all the rest of a line's search.) The few clue words that hold no trigger (the words
/// of providers only recognized, their hosts aside) get a SIMD search of their own. Field
/// values are read after the keys (`provider=`) they follow.
#[derive(Debug)]
pub struct Anchors {
    triggers: Literals,
    /// Per trigger word: the clues that hold it, and where in them it starts; and whether the
    /// trigger is a field key.
    within: Vec<(Vec<(usize, usize)>, bool)>,
    /// The clue words that hold no trigger, and the clue each is.
    rest: Option<(Literals, Vec<usize>)>,
    /// The clue words, by clue.
    words: Vec<Box<[u8]>>,
    /// Every clue word in lower case, for a field's value.
    values: FxHashMap<Vec<u8>, usize>,
}

impl Anchors {
    fn build(
        words: &[String],
        table: &[Clue],
        trigger_words: &[String],
        triggers: Literals,
    ) -> Result<Anchors, String> {
        let searched = |i: &usize| table[*i].kind.is_some();
        let within = trigger_words
            .iter()
            .map(|t| {
                let holding = (0..words.len())
                    .filter(searched)
                    .flat_map(|i| words[i].match_indices(t.as_str()).map(move |(at, _)| (i, at)))
                    .collect();
                (holding, FIELD_KEYS.contains(&t.as_str()))
            })
            .collect();
        let rest: Vec<usize> = (0..words.len())
            .filter(searched)
            .filter(|&i| !trigger_words.iter().any(|t| words[i].contains(t.as_str())))
            .collect();
        let rest = if rest.is_empty() {
            None
        } else {
            let searched: Vec<&str> = rest.iter().map(|&i| words[i].as_str()).collect();
            Some((Literals::new(&searched, true)?, rest))
        };
        let mut values = FxHashMap::default();
        for (i, w) in words.iter().enumerate() {
            values.entry(w.to_ascii_lowercase().into_bytes()).or_insert(i);
        }
        let words = words.iter().map(|w| w.as_bytes().into()).collect();
        Ok(Anchors { triggers, within, rest, words, values })
    }

    /// Every clue in `text`, as `(clue, start, end, field)`, a field value with `field` set; in
    /// no particular order.
    pub(super) fn each(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize, bool)) {
        for m in self.triggers.find_iter(text) {
            let (holding, field_key) = &self.within[m.pattern().as_usize()];
            if *field_key {
                if let Some((clue, start, end)) = self.field_value(text, m.end()) {
                    found(clue, start, end, true);
                }
                continue;
            }
            for &(clue, offset) in holding {
                let Some(start) = m.start().checked_sub(offset) else { continue };
                let word = &*self.words[clue];
                if text.get(start..start + word.len()) == Some(word) {
                    found(clue, start, start + word.len(), false);
                }
            }
        }
        if let Some((searcher, clues)) = &self.rest {
            for m in searcher.find_iter(text) {
                found(clues[m.pattern().as_usize()], m.start(), m.end(), false);
            }
        }
    }

    /// The value after a field key ending at `key_end` (`provider=coze`, `"provider": "coze"`,
    /// `llm_provider: 'zhipu'`), if it is a clue word.
    fn field_value(&self, text: &[u8], key_end: usize) -> Option<(usize, usize, usize)> {
        let mut at = key_end;
        let skip = |at: &mut usize, set: &[u8]| {
            while text.get(*at).is_some_and(|b| set.contains(b)) {
                *at += 1;
            }
        };
        skip(&mut at, b"\"' ");
        if !matches!(text.get(at), Some(b'=' | b':')) {
            return None;
        }
        at += 1;
        skip(&mut at, b"\"' ");
        let start = at;
        while text.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b)) {
            at += 1;
        }
        let value = text[start..at].to_ascii_lowercase();
        self.values.get(&value).map(|&clue| (clue, start, at))
    }
}

#[derive(Default)]
struct KeyTable {
    index: FxHashMap<Box<[u8]>, u8>,
    names: Vec<String>,
}

impl KeyTable {
    fn key(&mut self, name: &str) -> Result<u8, String> {
        if let Some(&k) = self.index.get(name.as_bytes()) {
            return Ok(k);
        }
        if self.names.len() == MAX_KEYS {
            return Err(format!("the shapes read more than {MAX_KEYS} distinct keys"));
        }
        let k = self.names.len() as u8;
        self.names.push(name.to_string());
        self.index.insert(name.as_bytes().into(), k);
        Ok(k)
    }

    fn path(&mut self, path: &str) -> Result<Vec<u8>, String> {
        path.split('.').map(|k| self.key(k)).collect()
    }

    fn keys(&mut self, names: &[String]) -> Result<Vec<u8>, String> {
        names.iter().map(|k| self.key(k)).collect()
    }
}

impl ShapeSpec {
    fn compile(d: &Descriptor, s: &Shape, keys: &mut KeyTable) -> Result<ShapeSpec, String> {
        let paths =
            |keys: &mut KeyTable, v: &[String]| v.iter().map(|p| keys.path(p)).collect::<Result<Vec<_>, _>>();
        let code_form = match &s.code_form {
            CodeForm::Digits => Form::Digits,
            CodeForm::Camel => Form::Camel,
            CodeForm::UpperSnake => Form::UpperSnake,
            CodeForm::LowerSnake => Form::LowerSnake,
            CodeForm::Any => Form::Any,
            CodeForm::Pattern(p) => {
                Form::Pattern(Regex::new(&format!("^(?:{p})$")).map_err(|e| e.to_string())?)
            }
        };
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for key in s.keys().filter(|k| Some(*k) != s.envelope.as_deref()) {
            let path = keys.path(key)?;
            if !parts.contains(&path) {
                parts.push(path);
            }
        }
        Ok(ShapeSpec {
            parts,
            provider: d.id,
            counted: d.counted,
            envelope: s.envelope.as_deref().map(|p| keys.path(p)).transpose()?,
            code: keys.keys(&s.code)?,
            code_form,
            message: keys.keys(&s.message)?,
            status: keys.keys(&s.status)?,
            type_keys: keys.keys(&s.type_keys)?,
            type_status: s.type_status.iter().map(|(t, st)| (t.clone(), *st)).collect(),
            request_id: paths(keys, &s.request_id)?,
            requires: paths(keys, &s.requires)?,
            ok_codes: s.ok_codes.clone(),
            alone: match &s.alone {
                Alone::Never => AloneSpec::Never,
                Alone::Always => AloneSpec::Always,
                Alone::CodeRange(lo, hi) => AloneSpec::CodeRange(*lo, *hi),
                Alone::Has(v) => AloneSpec::Has(paths(keys, v)?),
                Alone::TypeKnown => AloneSpec::TypeKnown,
            },
            context: s.context,
        })
    }
}

/// The prefilter's words: every clue word of every counted provider (as written and in lower
/// case, for the clue automaton ignores ASCII case), the keys that hold a code or a log id in
/// its shapes, and the keys of a `provider=` field (a field's value only counts in one). Words
/// that contain another trigger are left out: the shorter one finds every line they would.
fn trigger_words(descriptors: &[Descriptor]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        if !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    };
    for d in descriptors.iter().filter(|d| d.counted) {
        for (word, kind) in d.clues() {
            if kind == ClueKind::Field {
                continue;
            }
            let bare = word.strip_prefix("*.").unwrap_or(word);
            written_forms(bare, Some(kind)).iter().for_each(|w| add(w));
        }
        for shape in &d.shapes {
            for key in shape.code.iter().chain(alone_keys(&shape.alone)) {
                add(key.rsplit('.').next().unwrap_or(key));
            }
        }
    }
    // The hosts of the providers only recognized, so that a line naming one is searched and
    // its clue is known: such a line's errors are that provider's, and a request to it in the
    // lines before an error speaks against one of ours. (Their other words are found only on
    // lines searched for another reason.)
    for d in descriptors.iter().filter(|d| !d.counted) {
        for host in &d.identify.hosts {
            // Its last two labels (`baidubce.com` for `aip.baidubce.com`): the trigger words are
            // few enough for the SIMD searcher only so.
            let host = host.to_ascii_lowercase();
            let cut = host.rmatch_indices('.').nth(1).map_or(0, |(at, _)| at + 1);
            add(&host[cut..]);
        }
    }
    FIELD_KEYS.iter().for_each(|k| add(k));
    let all = words.clone();
    words.retain(|w| !all.iter().any(|other| other != w && w.contains(other.as_str())));
    words.sort();
    words
}

/// The forms a clue word is matched in: as declared, and for all but class names (which are
/// written as declared) and field values (written as declared after their key) in lower case
/// too, as hosts, packages and model names usually are.
fn written_forms(word: &str, kind: Option<ClueKind>) -> Vec<String> {
    let mut forms = vec![word.to_string()];
    let lower = word.to_ascii_lowercase();
    if kind.is_some_and(|k| k != ClueKind::Class) && lower != word {
        forms.push(lower);
    }
    forms
}

fn alone_keys(alone: &Alone) -> &[String] {
    match alone {
        Alone::Has(keys) => keys,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{hints, prefilter};

    /// Every host and naming word of every counted provider, in each form it is matched in, is
    /// a trigger (a line holding it is searched) and, standing alone on a line, names its
    /// provider; every host of a provider only recognized is a trigger too.
    pub(crate) fn every_clue_is_a_trigger_and_names_its_provider(catalog: &crate::catalog::Catalog) {
        let lexicon = catalog.lexicon();
        let mut checked = 0;
        for d in catalog.descriptors() {
            for (word, kind) in d.clues() {
                let bare = word.strip_prefix("*.").unwrap_or(word);
                let kind = (kind != ClueKind::Field).then_some(kind);
                for form in written_forms(bare, kind) {
                    let line = match kind {
                        None => format!("2026-11-02 10:00:00 ERROR provider={form} failed"),
                        Some(ClueKind::Host) => format!("2026-11-02 10:00:00 POST https://{form}/v1 failed"),
                        Some(_) => format!("2026-11-02 10:00:00 ERROR [{form}] failed"),
                    };
                    if d.counted || kind == Some(ClueKind::Host) || kind.is_none() {
                        assert!(
                            prefilter::look(line.as_bytes(), lexicon) == prefilter::Look::Search,
                            "{}: {line:?} is not searched",
                            d.id
                        );
                    }
                    let hint = hints::find(&line, lexicon);
                    assert_eq!(hint.map(|h| h.provider), Some(d.id), "{line:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked} clue forms checked");
    }

    #[test]
    fn every_embedded_clue_is_a_trigger_and_names_its_provider() {
        every_clue_is_a_trigger_and_names_its_provider(crate::test_support::catalog());
    }

    /// The same over a catalog a user's file adds a provider to: its clues are triggers and name
    /// it, as the embedded providers' do, and the embedded ones still name theirs.
    #[test]
    fn every_clue_of_a_loaded_catalog_is_a_trigger_and_names_its_provider() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/catalogs/deepseek.toml");
        let catalog = crate::catalog::Catalog::with_overrides(&[file]).expect("the example loads");
        let deepseek = catalog.descriptors().iter().find(|d| d.id.as_str() == "deepseek").expect("declared");
        assert!(deepseek.counted, "the file makes DeepSeek counted");
        assert!(deepseek.clues().count() > 2, "and adds to its clues");
        every_clue_is_a_trigger_and_names_its_provider(&catalog);
    }

    #[test]
    fn a_provider_only_recognized_triggers_nothing_but_its_hosts() {
        let lexicon = crate::test_support::lexicon();
        assert_ne!(
            prefilter::look(b"INFO loaded model qwen-max from dashscope", lexicon),
            prefilter::Look::Search
        );
        assert_eq!(
            prefilter::look(b"POST https://dashscope.aliyuncs.com/api/v1", lexicon),
            prefilter::Look::Search
        );
    }
}
