//! Matching a message text against every documented message, for lines where the provider's
//! code never reached the log (the openai SDK prints only `Error code: 403 - 余额不足`).
//!
//! Each documented message (and alias) becomes a template: literal parts with wildcards where
//! the docs put placeholders (`{id}`, `%s`, `${field}`, `{{Parameter}}`). One Aho-Corasick
//! automaton over each template's longest literal picks the few templates worth checking; only
//! those run their anchored regex. A trailing request id, which SDKs and providers append, is
//! tolerated.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::{CatalogEntry, EntryId};

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
    pattern: String,
    /// Compiled the first time the template's anchor is seen: most never are.
    full: OnceLock<Option<Regex>>,
}

impl Template {
    fn regex(&self) -> Option<&Regex> {
        self.full.get_or_init(|| Regex::new(&self.pattern).ok()).as_ref()
    }
}

#[derive(Debug)]
pub struct MessageIndex {
    anchors: Option<AhoCorasick>,
    /// `templates[i]` is checked when `anchors` finds pattern `i`.
    templates: Vec<Template>,
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

/// Shortest literal worth an anchor: shorter ones ("bot") would make every text a candidate.
const MIN_ANCHOR_BYTES: usize = 6;

impl MessageIndex {
    pub fn build(entries: &[CatalogEntry]) -> MessageIndex {
        let mut anchors = Vec::new();
        let mut templates = Vec::new();
        for (id, e) in entries.iter().enumerate() {
            for text in std::iter::once(&e.message).chain(&e.aliases) {
                let mut forms = vec![text.clone()];
                let glossless = doc_gloss().replace(text, "").into_owned();
                if glossless != *text {
                    forms.push(glossless);
                }
                for form in forms {
                    if let Some((anchor, template)) = compile(id, &form) {
                        anchors.push(anchor);
                        templates.push(template);
                    }
                }
            }
        }
        let anchors = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&anchors).ok();
        MessageIndex { anchors, templates }
    }

    /// Entries whose message matches the whole of `text` (less a request-id tail), most
    /// specific first, each entry once.
    pub fn find(&self, text: &str) -> Vec<MessageMatch> {
        let Some(anchors) = &self.anchors else {
            return Vec::new();
        };
        let text = normalize(text);
        // Most messages carry no request id: the regex runs only where one may be.
        let stripped = may_have_request_id(&text).then(|| request_id_tail().replace(&text, ""));
        let candidates: Vec<&str> = match &stripped {
            Some(s) if s.len() < text.len() => vec![&text, s.trim_end()],
            _ => vec![&text],
        };
        let mut found: Vec<MessageMatch> = Vec::new();
        for pattern in anchors.find_overlapping_iter(text.as_ref()).map(|m| m.pattern()) {
            let t = &self.templates[pattern.as_usize()];
            if found.iter().any(|m| m.entry == t.entry) {
                continue;
            }
            let Some(full) = t.regex() else { continue };
            if let Some(caps) = candidates.iter().find_map(|c| full.captures(c)) {
                let parameter = caps.name("param").map(|m| m.as_str().to_string());
                found.push(MessageMatch { entry: t.entry, literal_len: t.literal_len, parameter });
            }
        }
        found.sort_by(|a, b| b.literal_len.cmp(&a.literal_len).then(a.entry.cmp(&b.entry)));
        if let Some(best) = found.first().map(|m| m.literal_len) {
            // A longer template that matched is strictly more specific than a shorter one
            // it contains (`余额不足` vs `火山Bot调用按量余额不足`); keep only the most specific.
            found.retain(|m| m.literal_len == best);
        }
        found
    }
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
    let mut pattern = String::from(r"^\s*");
    let mut named = false;
    for (i, lit) in literals.iter().enumerate() {
        if i > 0 {
            if holders[i - 1] == "{{Parameter}}" && !named {
                pattern.push_str(r"(?P<param>[A-Za-z0-9_.\[\]-]+?)");
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
    let literal_len = literals.iter().map(|l| l.trim().len()).sum();
    Some((anchor.to_string(), Template { entry, literal_len, pattern, full: OnceLock::new() }))
}

/// One space for every run of white space, so wrapped and reflowed messages still match.
fn normalize(text: &str) -> Cow<'_, str> {
    let tidy = !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.as_bytes().windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && text.chars().all(|c| c == ' ' || !c.is_whitespace());
    if tidy {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Could `text` hold what [`request_id_tail`] strips? (Each of its forms contains one of these.)
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
