//! Lines that say an error happened in an SDK's or an application's words, and what makes one
//! worth a search.
//!
//! A line such as `RateLimitError: NovitaException - 请求过快` names no code and may name no
//! provider: it is searched for its message. But most lines with `error` or `failed` in them
//! are not a provider's (`ConnectionError: timed out`, `cache refresh failed`), and searching
//! each costs far more than the prefilter's scan. What such a line can be counted by is known
//! in advance: an SDK's exception string (what the extractor reads messages from; each ends
//! its lead with one of a few words) that gives a status or whose message the catalog holds
//! (each holds one of the message index's anchors); a status written out (4xx or 5xx); or a
//! Go or .NET struct's capitalized code field (`&{Code:1113 ...}`).
//! A line without any of them is not searched; its provider hint is still worked out if a
//! later finding asks.

use super::literals::Literals;
use super::text_forms;
use crate::catalog::descriptor::{Alone, Descriptor};

/// Words of a line that reports an error in an SDK's or an application's words
/// (`RateLimitError: ...`, `NovitaException - ...`, `LLM call failed: ...`, and JavaScript's
/// `retrying 429 undefined` for the missing body of `console.warn(err.status, err.error)`).
pub const MESSAGE_SIGNALS: &[&str] = &["rror", "xception", "fail", "undefined"];

#[derive(Debug)]
pub struct MessageEvidence {
    /// One word (or phrase) of every message the catalog knows, each space in it any run of
    /// ASCII white space. A lazy DFA: asked of whole lines, where an Aho-Corasick automaton's
    /// prefilter stops at nearly every byte.
    anchors: regex_automata::meta::Regex,
    /// In one search of a line: the counted providers' code keys, capitalized; the words a
    /// lead ends with; the classes that stand for a status.
    marks: Literals,
    /// How many of `marks` are keys, then lead ends; the rest are classes.
    keys: usize,
    ends: usize,
}

impl MessageEvidence {
    /// `message_anchors`: one word (or phrase) of every message the catalog knows, as the
    /// message index matches them.
    pub fn build(descriptors: &[Descriptor], message_anchors: &[&str]) -> Result<MessageEvidence, String> {
        let mut keys: Vec<String> = Vec::new();
        for shape in descriptors.iter().filter(|d| d.counted).flat_map(|d| &d.shapes) {
            let alone: &[String] = match &shape.alone {
                Alone::Has(keys) => keys,
                _ => &[],
            };
            for key in shape.code.iter().chain(alone) {
                let key = key.rsplit('.').next().unwrap_or(key);
                let mut capitalized = key.to_string();
                if let Some(first) = capitalized.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                if !keys.contains(&capitalized) {
                    keys.push(capitalized);
                }
            }
        }
        let ends = text_forms::lead_ends();
        let marks: Vec<&str> = keys
            .iter()
            .map(String::as_str)
            .chain(ends.iter().map(|e| -> &str { e }))
            .chain(text_forms::status_classes().map(|c| -> &str { c }))
            .collect();
        Ok(MessageEvidence {
            anchors: anchors(message_anchors)?,
            // Few words, looked for in every line with a signal and no trigger.
            marks: Literals::new(&marks, false)?,
            keys: keys.len(),
            ends: ends.len(),
        })
    }

    /// Could `line`, whose only trigger is a message signal, be counted?
    pub fn holds(&self, line: &[u8]) -> bool {
        // An escaped text (a JSON log line's `\u8bf7\u6c42`, `\"`) is read only once its
        // object is decoded: the search decides. So it does for a line that is not UTF-8.
        if has_error_status(line) || memchr::memchr(b'\\', line).is_some() {
            return true;
        }
        let (mut lead, mut class) = (false, false);
        let mut from = 0;
        // From each mark's start on, not its end: a class holds the end of its lead
        // (`RateLimitError: `).
        while let Some(m) = self.marks.find_from(line, from) {
            match m.pattern().as_usize() {
                k if k < self.keys => return true,
                e if e < self.keys + self.ends => lead = true,
                _ => class = true,
            }
            from = m.start() + 1;
        }
        if !lead {
            return false;
        }
        let Ok(text) = std::str::from_utf8(line) else { return true };
        // A lead's status is a 4xx/5xx word (asked above) or its class's; its message, part of
        // the line, holds an anchor only if the line does.
        class || self.knows(text)
    }

    /// Does `text` hold an anchor, as the message index compares texts (white space made
    /// single spaces)?
    fn knows(&self, text: &str) -> bool {
        // Runs of ASCII white space the anchors take as they are; other white space (an
        // ideographic space, a no-break space) is made a space first.
        let unicode_space = !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_whitespace());
        if unicode_space {
            self.anchors.is_match(crate::catalog::normalize_space(text).as_ref())
        } else {
            self.anchors.is_match(text)
        }
    }
}

fn anchors(words: &[&str]) -> Result<regex_automata::meta::Regex, String> {
    use regex_automata::meta::Regex;
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, Repetition};
    // Built as an expression, not parsed from text: parsing three hundred words cost more
    // than the rest of the catalog's load.
    let space = || {
        let class = ClassUnicode::new([ClassUnicodeRange::new('\t', '\r'), ClassUnicodeRange::new(' ', ' ')]);
        Hir::repetition(Repetition {
            min: 1,
            max: None,
            greedy: true,
            sub: Box::new(Hir::class(Class::Unicode(class))),
        })
    };
    let words = words.iter().map(|w| {
        let mut parts = Vec::new();
        for (i, part) in w.split(' ').enumerate() {
            if i > 0 {
                parts.push(space());
            }
            parts.push(Hir::literal(part.as_bytes()));
        }
        Hir::concat(parts)
    });
    // Only whether one matches is asked: no literal prefilter (it would stop at every common
    // byte of three hundred words), no full DFA to build, no captures.
    let config = Regex::config()
        .auto_prefilter(false)
        .dfa(false)
        .onepass(false)
        .backtrack(false)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None);
    Regex::builder()
        .configure(config)
        .build_from_hir(&Hir::alternation(words.collect()))
        .map_err(|e| format!("message anchors do not compile: {e}"))
}

/// Three digits from 400 to 599 standing as a word (`429 status code`, `status=503`), not
/// a fraction (a timestamp's milliseconds: `10:00:35,540`, `1.429`).
pub(super) fn has_error_status(line: &[u8]) -> bool {
    memchr::memchr2_iter(b'4', b'5', line).any(|at| {
        let word = |i: usize| line.get(i).is_some_and(u8::is_ascii_alphanumeric);
        let fraction = at > 0 && matches!(line[at - 1], b'.' | b',');
        line.get(at + 1..at + 3).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && (at == 0 || !word(at - 1))
            && !fraction
            && !word(at + 3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_counts_only_as_a_word_of_its_own() {
        for line in
            ["Error: 429 status code (no body)", "status=503", "x 404", "[500]", "HTTPStatusCode:400 "]
        {
            assert!(has_error_status(line.as_bytes()), "{line}");
        }
        for line in [
            "failed after 4290 ms",
            "took 500ms",
            "id a429b",
            "status 200 failed",
            "v1.429",
            "10:00:35,540 failed",
        ] {
            assert!(!has_error_status(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn every_message_of_the_catalog_is_evidence_and_ordinary_failures_are_not() {
        let catalog = crate::test_support::catalog();
        let evidence = catalog.lexicon().message_evidence();
        let mut checked = 0;
        for entry in catalog.entries() {
            for message in std::iter::once(&entry.message).chain(&entry.aliases) {
                // As an SDK prints it, and with its spaces as a careless logger leaves them.
                let line = format!("2026-11-02 10:00:00 ERROR app: APIError: {message}");
                assert!(evidence.holds(line.as_bytes()), "{line:?}");
                let spaced = line.replace(' ', "  ");
                assert!(evidence.holds(spaced.as_bytes()), "{spaced:?}");
                checked += 1;
            }
        }
        assert!(checked > 200, "{checked} messages");
        // A status the exception's class stands for, with a message the catalog does not know.
        for class in text_forms::status_classes() {
            let line = format!("2026-11-02 10:00:00 ERROR app: openai.{class}: slow down");
            assert!(evidence.holds(line.as_bytes()), "{line:?}");
        }
        for line in [
            "2026-11-02 10:00:00 ERROR cache refresh failed: connection reset by peer",
            "2026-11-02 10:00:00 WARN retry failed, giving up after 3 tries",
            "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='example.org', port=8080)",
        ] {
            assert!(!evidence.holds(line.as_bytes()), "{line:?}");
        }
    }
}
