//! Matching a message text against every documented message, for lines where the provider's
//! code never reached the log (the openai SDK prints only `Error code: 403 - 余额不足`).
//!
//! Each documented message (and alias) becomes a template: literal parts with wildcards where
//! the docs put placeholders (`{id}`, `%s`, `${field}`, `{{Parameter}}`). One Aho-Corasick
//! automaton over each template's longest literal picks the few templates worth checking. Those
//! without placeholders, or with one only at the end, are compared by hand; the others run their
//! anchored regex. A trailing request id, which SDKs and providers append, is tolerated.
//!
//! Logs repeat the same few messages, so each index remembers what its latest texts matched.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{OnceLock, PoisonError, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::{CatalogEntry, EntryId, EntryRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMatch {
    pub entry: EntryId,
    /// Bytes of literal text the template matched: more is more specific.
    pub literal_len: usize,
    /// What stood for `{{Parameter}}`: it completes a templated code (`MissingParameter.model`).
    pub parameter: Option<String>,
}

#[derive(Debug)]
struct Template {
    entry: EntryId,
    literal_len: usize,
    shape: Shape,
}

/// How a template is checked. Each shape accepts exactly what the regex built by [`pattern`]
/// would: `^\s*`, the words with `\s*` between them, a wildcard per placeholder, `[\s.。!！]*$`.
#[derive(Debug)]
enum Shape {
    /// No placeholder: the words, then trailing punctuation.
    Words(Vec<String>),
    /// One placeholder, at the end (`Request ID: {id}`): the words, then anything on the line.
    Prefix(Vec<String>),
    /// Placeholders elsewhere, or `{{Parameter}}`, whose value is wanted: the regex, compiled the
    /// first time the template's anchor is seen (most never are).
    Pattern { source: String, regex: OnceLock<Option<Regex>> },
}

impl Template {
    /// The match if the template fits one of `candidates`, tried in order.
    fn fit<'t>(&self, mut candidates: impl Iterator<Item = &'t str>) -> Option<MessageMatch> {
        let parameter = match &self.shape {
            Shape::Words(words) => {
                candidates.find(|c| after_words(c, words).is_some_and(is_trailing_punctuation))?;
                None
            }
            Shape::Prefix(words) => {
                candidates.find(|c| after_words(c, words).is_some_and(is_rest_of_line))?;
                None
            }
            Shape::Pattern { source, regex } => {
                let regex = regex.get_or_init(|| Regex::new(source).ok()).as_ref()?;
                let caps = candidates.find_map(|c| regex.captures(c))?;
                caps.name("param").map(|m| m.as_str().to_string())
            }
        };
        Some(MessageMatch { entry: self.entry, literal_len: self.literal_len, parameter })
    }
}

#[derive(Debug)]
pub struct MessageIndex {
    anchors: Option<AhoCorasick>,
    /// The words `anchors` finds, by pattern.
    anchor_words: Vec<String>,
    /// `templates[i]` is checked when `anchors` finds pattern `i`.
    templates: Vec<Template>,
    /// Owned by the index, so a reloaded catalog starts afresh.
    memo: Memo,
}

/// Placeholders as the providers' docs write them.
fn placeholder() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{\{[^}]*\}\}|\$\{[^}]*\}|\{[A-Za-z_]+\}|%s").unwrap())
}

/// A request id and whatever follows it, at the end of a message.
fn request_id_tail() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)[\s.,;(\[]*(request[ _-]?id|x-tt-logid|logid)\b.*$").unwrap())
}

/// Coze's doc explains some messages in a trailing full-width parenthesis that the API does
/// not send: `Invalid chat（包括chat id错误，chat 找不到）`.
fn doc_gloss() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"（[^）]*）\s*$").unwrap())
}

/// The texts an entry's messages are matched as: each message and alias, each without the
/// doc's trailing gloss, and each without the request id the doc ends it with (`... Request ID:
/// {id}`): SDKs that strip it (or services that never sent it) leave the message alone.
fn forms(e: &CatalogEntry) -> Vec<String> {
    let mut out = Vec::new();
    for text in std::iter::once(&e.message).chain(&e.aliases) {
        out.push(text.clone());
        let glossless = doc_gloss().replace(text, "").into_owned();
        if glossless != *text {
            out.push(glossless);
        }
        if let Some(tail) = request_id_tail().find(text).filter(|t| placeholder().is_match(t.as_str())) {
            let head = text[..tail.start()].trim_end();
            if !head.is_empty() {
                out.push(head.to_string());
            }
        }
    }
    out
}

/// The words of a text that say what it is about, for comparing a message with an entry's:
/// ASCII words of three letters or more but the commonest, and each pair of adjacent CJK
/// characters (Chinese has no spaces; a pair is close to a word). Placeholders are not words.
pub fn content_words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "you", "your", "please", "this", "that", "with", "are", "was", "has", "not",
        "request", "error", "id",
    ];
    let text = placeholder().replace_all(text, " ");
    let text = request_id_tail().replace(&text, "");
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            if word.len() >= 3
                && !COMMON.contains(&word.as_str())
                && !word.bytes().all(|b| b.is_ascii_digit())
            {
                out.push(std::mem::take(&mut word));
            }
            word.clear();
        }
        let cjk = ('\u{4e00}'..='\u{9fff}').contains(&c);
        if let (Some(p), true) = (prev_cjk, cjk) {
            out.push(format!("{p}{c}"));
        }
        prev_cjk = cjk.then_some(c);
    }
    out.sort();
    out.dedup();
    out
}

/// Shortest literal worth an anchor: shorter ones ("bot") would make every text a candidate.
const MIN_ANCHOR_BYTES: usize = 6;

impl MessageIndex {
    pub fn build(entries: &[EntryRef]) -> MessageIndex {
        let mut anchors = Vec::new();
        let mut templates = Vec::new();
        for (id, e) in entries.iter().enumerate() {
            for form in forms(e) {
                if let Some((anchor, template)) = compile(id, &form) {
                    anchors.push(anchor);
                    templates.push(template);
                }
            }
        }
        let automaton = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&anchors).ok();
        MessageIndex { anchors: automaton, anchor_words: anchors, templates, memo: Memo::default() }
    }

    /// The words one of which every text this index matches holds (white space made single
    /// spaces, as [`normalize`] makes it).
    pub fn anchor_words(&self) -> impl Iterator<Item = &str> {
        self.anchor_words.iter().map(String::as_str)
    }

    /// Entries whose message matches the whole of `text` (less a request-id tail), most
    /// specific first, each entry once.
    pub fn find(&self, text: &str) -> Vec<MessageMatch> {
        let Some(anchors) = &self.anchors else {
            return Vec::new();
        };
        if let Some(found) = self.memo.get(text) {
            return found;
        }
        let normal = normalize(text);
        let stripped = without_request_id(&normal);
        let candidates = [Some(normal.as_ref()), stripped];
        let mut found: Vec<MessageMatch> = Vec::new();
        for pattern in anchors.find_overlapping_iter(normal.as_ref()).map(|m| m.pattern()) {
            let t = &self.templates[pattern.as_usize()];
            // An entry's forms differ in how much they say (with its request id, without): the
            // most specific that fits is the entry's match.
            let known = found.iter().position(|m| m.entry == t.entry);
            if known.is_some_and(|i| found[i].literal_len >= t.literal_len) {
                continue;
            }
            if let Some(m) = t.fit(candidates.iter().flatten().copied()) {
                match known {
                    Some(i) => found[i] = m,
                    None => found.push(m),
                }
            }
        }
        found.sort_by(|a, b| b.literal_len.cmp(&a.literal_len).then(a.entry.cmp(&b.entry)));
        if let Some(best) = found.first().map(|m| m.literal_len) {
            // A longer template that matched is strictly more specific than a shorter one
            // it contains (`余额不足` vs `火山Bot调用按量余额不足`); keep only the most specific.
            found.retain(|m| m.literal_len == best);
        }
        // A text with a request id is seldom seen twice: remembering it would only push out
        // texts that are.
        if stripped.is_none() {
            self.memo.put(text, &found);
        }
        found
    }
}

/// The latest texts looked up and what they matched. Bounded: when full it starts over, which
/// costs one lookup per text still in use.
#[derive(Debug, Default)]
struct Memo(RwLock<HashMap<Box<str>, Vec<MessageMatch>>>);

/// Enough for every message a catalog documents, in a few spellings each.
const MEMO_TEXTS: usize = 1024;
/// Longer texts are seldom the same twice, and would make the memo large.
const MEMO_TEXT_BYTES: usize = 512;

impl Memo {
    fn get(&self, text: &str) -> Option<Vec<MessageMatch>> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).get(text).cloned()
    }

    fn put(&self, text: &str, found: &[MessageMatch]) {
        if text.len() > MEMO_TEXT_BYTES {
            return;
        }
        let mut memo = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if memo.len() >= MEMO_TEXTS {
            memo.clear();
        }
        memo.insert(text.into(), found.to_vec());
    }
}

const PARAMETER: &str = "{{Parameter}}";

fn compile(entry: EntryId, message: &str) -> Option<(String, Template)> {
    let message = normalize(message);
    let message = message.trim_end_matches(['.', '。', ' ']);
    let literals: Vec<&str> = placeholder().split(message).collect();
    let holders: Vec<&str> = placeholder().find_iter(message).map(|m| m.as_str()).collect();
    let anchor = literals.iter().max_by_key(|l| l.trim().len())?.trim();
    if anchor.len() < MIN_ANCHOR_BYTES && literals.len() > 1 {
        return None;
    }
    let shape = match (literals.as_slice(), holders.as_slice()) {
        ([only], []) => Shape::Words(words(only)),
        ([head, ""], [holder]) if *holder != PARAMETER => Shape::Prefix(words(head)),
        _ => Shape::Pattern { source: pattern(&literals, &holders), regex: OnceLock::new() },
    };
    let literal_len = literals.iter().map(|l| l.trim().len()).sum();
    Some((anchor.to_string(), Template { entry, literal_len, shape }))
}

/// A literal's words: it is normalized, so none of them holds or starts with white space.
fn words(literal: &str) -> Vec<String> {
    literal.split(' ').map(str::to_string).collect()
}

/// The anchored regex for a template: literals split by `holders`, white space between words
/// optional, trailing punctuation allowed.
///
/// The value wanted for a templated code is `{{Parameter}}`'s; a message without one gives its
/// first `{{Name}}` instead (Ark's `NotFound.{{Parameter}}` says "The specified
/// {{ResourceType}} {{ResourceContent}} is not found.": `Endpoint` completes the code), as one
/// word, or nothing where no word stands there.
fn pattern(literals: &[&str], holders: &[&str]) -> String {
    let mut pattern = String::from(r"^\s*");
    let stand_in = !holders.contains(&PARAMETER);
    let mut named = false;
    for (i, lit) in literals.iter().enumerate() {
        if i > 0 {
            let holder = holders[i - 1];
            if holder == PARAMETER && !named {
                pattern.push_str(r"(?P<param>[A-Za-z0-9_.\[\]-]+?)");
                named = true;
            } else if stand_in && !named && holder.starts_with("{{") {
                // Greedy: a word, up to what is not one; optional, so a text in another form
                // matches as it did.
                pattern.push_str(r"(?P<param>[A-Za-z0-9_.\[\]-]+)?.*?");
                named = true;
            } else {
                pattern.push_str(".*?");
            }
        }
        for (j, word) in lit.split(' ').enumerate() {
            if j > 0 {
                pattern.push_str(r"\s*");
            }
            pattern.push_str(&regex::escape(word));
        }
    }
    pattern.push_str(r"[\s.。!！]*$");
    pattern
}

/// What follows `words` at the start of `text`, white space before each word skipped as `\s*`
/// would. Taking the whole run is the only choice: no word starts with white space.
fn after_words<'t>(text: &'t str, words: &[String]) -> Option<&'t str> {
    words.iter().try_fold(text, |rest, word| rest.trim_start().strip_prefix(word.as_str()))
}

/// Does `rest` match `[\s.。!！]*$`?
fn is_trailing_punctuation(rest: &str) -> bool {
    rest.chars().all(is_closing)
}

/// Does `rest` match `.*?[\s.。!！]*$`? Only a line break before the closing run stops it.
fn is_rest_of_line(rest: &str) -> bool {
    !rest.trim_end_matches(is_closing).contains('\n')
}

fn is_closing(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | '。' | '!' | '！')
}

/// One space for every run of white space, so wrapped and reflowed messages still match.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if is_tidy(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// No white space but single spaces between words: what [`normalize`] would leave as it is.
fn is_tidy(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        let space = b == b' ';
        let untidy = if space {
            after_space
        } else if b.is_ascii() {
            // `is_ascii_whitespace` leaves out the vertical tab, which `char::is_whitespace` has.
            b.is_ascii_whitespace() || b == 0x0b
        } else {
            may_lead_whitespace(b) && text[i..].starts_with(char::is_whitespace)
        };
        if untidy {
            return false;
        }
        after_space = space;
    }
    true
}

/// Lead bytes of the UTF-8 forms of U+0085, U+00A0, U+1680, U+2000 to U+205F and U+3000, the
/// only white space beyond ASCII: other bytes need no decoding.
fn may_lead_whitespace(byte: u8) -> bool {
    matches!(byte, 0xc2 | 0xe1 | 0xe2 | 0xe3)
}

/// Could `text` hold what [`request_id_tail`] strips? Each of its forms contains `request` or
/// `logid`, in some ASCII case.
fn may_have_request_id(text: &str) -> bool {
    contains_ignoring_ascii_case(text, "request", 2) || contains_ignoring_ascii_case(text, "logid", 2)
}

/// Does `text` hold `word` in any ASCII case? Looked for from its letter at `at`, with memchr:
/// pick a rare one.
fn contains_ignoring_ascii_case(text: &str, word: &str, at: usize) -> bool {
    let (bytes, word) = (text.as_bytes(), word.as_bytes());
    memchr::memchr2_iter(word[at].to_ascii_lowercase(), word[at].to_ascii_uppercase(), bytes)
        .any(|i| i >= at && bytes[i - at..].get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word)))
}

/// `text` without its request-id tail, if it has one. The tail runs to the end (`.*$`), so the
/// text before it is all that is left.
fn without_request_id(text: &str) -> Option<&str> {
    // Most messages carry no request id: the regex runs only where one may be.
    if !may_have_request_id(text) {
        return None;
    }
    request_id_start(text).map(|start| text[..start].trim_end())
}

/// Where [`request_id_tail`] would match, found by hand: this runs on every message with a
/// request id, which is seldom seen twice and so never remembered. Texts the hand matcher does
/// not cover go to the regex: a `ſ` (which `(?i)` folds to `s`) anywhere, or a character
/// beyond ASCII right after a keyword (where `\b` is Unicode's).
fn request_id_start(text: &str) -> Option<usize> {
    let by_regex = || request_id_tail().find(text).map(|m| m.start());
    if text.contains('ſ') {
        return by_regex();
    }
    let bytes = text.as_bytes();
    // `.*$` crosses no line break: only a keyword after the last one can start the tail.
    let from = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    let mut keyword = None;
    for at in from..bytes.len() {
        // Each keyword starts with `r`, `x` or `l`, in either case: most bytes are ruled out here.
        if !matches!(bytes[at] | 0x20, b'r' | b'x' | b'l') {
            continue;
        }
        let Some(end) = request_id_keyword(&bytes[at..]).map(|n| at + n) else {
            continue;
        };
        match bytes.get(end) {
            Some(b) if !b.is_ascii() => return by_regex(),
            Some(b) if b.is_ascii_alphanumeric() || *b == b'_' => continue,
            _ => {
                keyword = Some(at);
                break;
            }
        }
    }
    // `[\s.,;(\[]*` before it: the leftmost match starts where that run does.
    let at = keyword?;
    let run = text[..at].char_indices().rev().take_while(|(_, c)| c.is_whitespace() || ".,;([".contains(*c));
    Some(run.last().map_or(at, |(i, _)| i))
}

/// `(?i:request[ _-]?id|x-tt-logid|logid)` at the start of `bytes`: its length.
fn request_id_keyword(bytes: &[u8]) -> Option<usize> {
    let at =
        |i: usize, word: &[u8]| bytes.get(i..i + word.len()).is_some_and(|b| b.eq_ignore_ascii_case(word));
    if at(0, b"request") {
        let gap = usize::from(matches!(bytes.get(7), Some(b' ' | b'_' | b'-')));
        return at(7 + gap, b"id").then_some(9 + gap);
    }
    if at(0, b"x-tt-logid") {
        return Some(10);
    }
    at(0, b"logid").then_some(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn request_id_tails_are_found_as_the_regex_finds_them() {
        let parts: &[&[&str]] = &[
            &["", "x", "请求失败", " ", "\n", ". ", "(", "[", "\u{3000}", ",;"],
            &["request", "Request", "REQUEST", "requeſt", "x-tt-", "X-TT-", "log", "LOG", "re"],
            &["", " ", "_", "-", "  ", "id", "ID"],
            &["id", "Id", "iD", "", "i"],
            &["", " ", ": ", "_", "x", "1", "é", "\n", ")", "2026110210001a"],
        ];
        let texts = crate::test_support::combinations(parts, 13, 60_000);
        let mut found = 0;
        for text in &texts {
            let expected = request_id_tail().find(text).map(|m| m.start());
            assert_eq!(request_id_start(text), expected, "{text:?}");
            found += usize::from(expected.is_some());
        }
        // Both answers are common among the texts, so both are compared.
        assert!(found > texts.len() / 10 && found < texts.len() * 9 / 10, "{found} of {}", texts.len());
    }

    /// The index as it was when every template ran its regex: what the index must still answer.
    mod before {
        use super::super::{forms, pattern, placeholder, request_id_tail};
        use super::super::{EntryId, EntryRef, MessageMatch, MIN_ANCHOR_BYTES};
        use aho_corasick::{AhoCorasick, MatchKind};
        use regex::Regex;
        use std::borrow::Cow;
        use std::sync::OnceLock;

        struct Template {
            entry: EntryId,
            literal_len: usize,
            full: Option<Regex>,
        }

        pub struct MessageIndex {
            anchors: Option<AhoCorasick>,
            templates: Vec<Template>,
        }

        impl MessageIndex {
            pub fn build(entries: &[EntryRef]) -> MessageIndex {
                let mut anchors = Vec::new();
                let mut templates = Vec::new();
                for (id, e) in entries.iter().enumerate() {
                    for form in forms(e) {
                        if let Some((anchor, template)) = compile(id, &form) {
                            anchors.push(anchor);
                            templates.push(template);
                        }
                    }
                }
                let anchors = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&anchors).ok();
                MessageIndex { anchors, templates }
            }

            pub fn find(&self, text: &str) -> Vec<MessageMatch> {
                let Some(anchors) = &self.anchors else {
                    return Vec::new();
                };
                let text = normalize(text);
                let stripped = may_have_request_id(&text).then(|| request_id_tail().replace(&text, ""));
                let candidates: Vec<&str> = match &stripped {
                    Some(s) if s.len() < text.len() => vec![&text, s.trim_end()],
                    _ => vec![&text],
                };
                let mut found: Vec<MessageMatch> = Vec::new();
                for pattern in anchors.find_overlapping_iter(text.as_ref()).map(|m| m.pattern()) {
                    let t = &self.templates[pattern.as_usize()];
                    // The most specific fitting form of an entry is its match (the rule the
                    // index has had since entries gained forms without their request id).
                    let known = found.iter().position(|m| m.entry == t.entry);
                    if known.is_some_and(|i| found[i].literal_len >= t.literal_len) {
                        continue;
                    }
                    let Some(full) = &t.full else { continue };
                    if let Some(caps) = candidates.iter().find_map(|c| full.captures(c)) {
                        let parameter = caps.name("param").map(|m| m.as_str().to_string());
                        let m = MessageMatch { entry: t.entry, literal_len: t.literal_len, parameter };
                        match known {
                            Some(i) => found[i] = m,
                            None => found.push(m),
                        }
                    }
                }
                found.sort_by(|a, b| b.literal_len.cmp(&a.literal_len).then(a.entry.cmp(&b.entry)));
                if let Some(best) = found.first().map(|m| m.literal_len) {
                    found.retain(|m| m.literal_len == best);
                }
                found
            }
        }

        /// The regex a message's template ran.
        pub fn regex(message: &str) -> Option<Regex> {
            compile(0, message).and_then(|(_, t)| t.full)
        }

        fn compile(entry: EntryId, message: &str) -> Option<(String, Template)> {
            let message = normalize(message);
            let message = message.trim_end_matches(['.', '。', ' ']);
            let literals: Vec<&str> = placeholder().split(message).collect();
            let holders: Vec<&str> = placeholder().find_iter(message).map(|m| m.as_str()).collect();
            let anchor = literals.iter().max_by_key(|l| l.trim().len())?.trim();
            if anchor.len() < MIN_ANCHOR_BYTES && literals.len() > 1 {
                return None;
            }
            // The regex itself is built as it always was: the hand comparison is what is tested.
            let pattern = pattern(&literals, &holders);
            let literal_len = literals.iter().map(|l| l.trim().len()).sum();
            let full = Regex::new(&pattern).ok();
            Some((anchor.to_string(), Template { entry, literal_len, full }))
        }

        fn may_have_request_id(text: &str) -> bool {
            static AC: OnceLock<AhoCorasick> = OnceLock::new();
            AC.get_or_init(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(["request", "logid"])
                    .expect("literals compile")
            })
            .is_match(text)
        }

        pub fn normalize(text: &str) -> Cow<'_, str> {
            let tidy = !text.starts_with(char::is_whitespace)
                && !text.ends_with(char::is_whitespace)
                && !text.as_bytes().windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
                && text.chars().all(|c| c == ' ' || !c.is_whitespace());
            if tidy {
                return Cow::Borrowed(text);
            }
            Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
        }
    }

    /// Every text must get the same answer from both indexes, and again from the memo. Returns
    /// how many texts matched something.
    fn assert_agree(texts: &[String]) -> usize {
        let entries = Catalog::embedded().entries().to_vec();
        let (now, was) = (MessageIndex::build(&entries), before::MessageIndex::build(&entries));
        let mut matched = 0;
        for round in ["first look", "memo"] {
            matched = 0;
            for text in texts {
                let want = was.find(text);
                assert_eq!(now.find(text), want, "{round}: {text:?}");
                matched += usize::from(!want.is_empty());
            }
        }
        matched
    }

    fn documented_messages() -> Vec<String> {
        let catalog = Catalog::embedded();
        let messages = catalog.entries().iter().flat_map(|e| std::iter::once(&e.message).chain(&e.aliases));
        messages.flat_map(|m| [m.clone(), doc_gloss().replace(m, "").into_owned()]).collect()
    }

    /// A documented message as a log would carry it: placeholders filled, spacing, punctuation
    /// and case varied, a request id appended.
    fn variants(message: &str) -> Vec<String> {
        let mut filled: Vec<String> = ["x1", "model", "ep-2026 x7k2p", "", "[a.b]"]
            .iter()
            .map(|f| placeholder().replace_all(message, *f).into_owned())
            .collect();
        filled.push(message.to_string());
        let mut out = Vec::new();
        for text in filled {
            let spaced = [
                text.clone(),
                text.replace(' ', "  "),
                text.replace(' ', ""),
                text.replace(' ', "\n"),
                text.replace(' ', "\u{3000}"),
                text.replacen(' ', "\t ", 1),
                format!("  {text}"),
                format!("\u{a0}{text}"),
            ];
            for s in spaced {
                for tail in [
                    "",
                    ".",
                    "。",
                    " !",
                    "！.",
                    " ",
                    "x",
                    "\n.",
                    " Request ID: 0217300000000000abcdef0123456789",
                    ".Request ID: 20261102100011450ddf825e1aa0c379fd7c",
                    ", logid: 20241102100011450ddf",
                    " (request_id=abc)",
                    " x-tt-logid 1",
                    " REQUEST_ID=abc",
                    "; LogID: 1",
                    " requestIdentifier",
                ] {
                    out.push(format!("{s}{tail}"));
                }
                out.push(s.to_uppercase());
                out.push(s.to_lowercase());
                out.push(s.chars().skip(1).collect());
                out.push(s.chars().take(s.chars().count().saturating_sub(1)).collect());
            }
        }
        out
    }

    #[test]
    fn each_template_fits_what_its_regex_matched() {
        let mut shapes = [0; 3];
        for message in documented_messages() {
            let (Some((_, template)), Some(regex)) = (compile(0, &message), before::regex(&message)) else {
                continue;
            };
            shapes[match template.shape {
                Shape::Words(_) => 0,
                Shape::Prefix(_) => 1,
                Shape::Pattern { .. } => 2,
            }] += 1;
            for text in variants(&message) {
                let want =
                    regex.captures(&text).map(|caps| caps.name("param").map(|m| m.as_str().to_string()));
                let got = template.fit(std::iter::once(text.as_str())).map(|m| m.parameter);
                assert_eq!(got, want, "{message:?} on {text:?}");
            }
        }
        assert!(shapes.iter().all(|&n| n > 5), "every shape is tried: {shapes:?}");
    }

    #[test]
    fn documented_messages_agree_with_the_old_index() {
        let texts: Vec<String> = documented_messages().iter().flat_map(|m| variants(m)).collect();
        let matched = assert_agree(&texts);
        assert!(matched > texts.len() / 4, "only {matched} of {} texts match", texts.len());
    }

    #[test]
    fn generated_texts_agree_with_the_old_index() {
        let catalog = Catalog::embedded();
        // Pieces of documented messages, so that texts come close to them.
        let mut pieces: Vec<String> = Vec::new();
        for e in catalog.entries() {
            for m in std::iter::once(&e.message).chain(&e.aliases) {
                pieces.push(m.clone());
                pieces.extend(m.split([' ', '，', ',']).map(str::to_string));
            }
        }
        pieces.extend(
            " |  |\t|\n|\u{3000}|.|。|!|！|Request ID: 0217|logid=9|x1|".split('|').map(str::to_string),
        );
        let mut seed: u64 = 42;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let texts: Vec<String> = (0..5000)
            .map(|_| (0..1 + next(4)).map(|_| pieces[next(pieces.len())].as_str()).collect())
            .collect();
        let matched = assert_agree(&texts);
        assert!(matched > texts.len() / 20, "only {matched} of {} texts match", texts.len());
    }

    #[test]
    fn spacing_punctuation_and_request_ids_are_tolerated_as_before() {
        let catalog = Catalog::embedded();
        let found = |text: &str| {
            catalog.match_message(text).iter().map(|m| catalog.get(m.entry).code.clone()).collect::<Vec<_>>()
        };
        assert_eq!(found("  Internal  Error 。!"), ["500"]);
        assert_eq!(found("InternalError"), Vec::<String>::new(), "the anchor must be in the text");
        assert_eq!(found("The request has exceeded the quota.\nRequest ID: 0217 x"), ["QuotaExceeded"]);
    }

    #[test]
    fn tidy_is_what_normalize_leaves_alone() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            for text in [format!("a{c}b"), format!("{c}"), format!("a {c}"), format!("{c} b")] {
                let (now, was) = (normalize(&text), before::normalize(&text));
                assert_eq!(now, was, "{c:?}");
                assert_eq!(matches!(now, Cow::Borrowed(_)), matches!(was, Cow::Borrowed(_)), "{c:?}");
            }
        }
    }

    #[test]
    fn closing_is_what_the_regex_allows_at_the_end() {
        let all: String = (0..=char::MAX as u32).filter_map(char::from_u32).collect();
        let want: Vec<char> =
            Regex::new(r"[\s.。!！]").unwrap().find_iter(&all).flat_map(|m| m.as_str().chars()).collect();
        let got: Vec<char> = all.chars().filter(|&c| is_closing(c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_memo_is_bounded() {
        let index = MessageIndex::build(Catalog::embedded().entries());
        for i in 0..3 * MEMO_TEXTS {
            index.find(&format!("余额不足 {i}"));
        }
        index.find(&"余额不足".repeat(MEMO_TEXT_BYTES));
        let memo = index.memo.0.read().unwrap();
        assert!(memo.len() <= MEMO_TEXTS && memo.keys().all(|k| k.len() <= MEMO_TEXT_BYTES));
    }
}
