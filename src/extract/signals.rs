//! Lines that say an error happened in an SDK's or an application's words, and what makes one
//! worth a search.
//!
//! A line such as `RateLimitError: NovitaException - 请求过快` names no code and may name no
//! provider: it is searched for its message. But most lines with `error` or `failed` in them
//! are not a provider's (`ConnectionError: timed out`, `cache refresh failed`), and searching
//! each costs far more than the prefilter's scan. What such a line can be counted by is known
//! in advance: an SDK's exception string (what the extractor reads messages from) whose message
//! the catalog holds (each holds one of the message index's anchors) or which gives a status;
//! a status written out (4xx or 5xx); or a Go or .NET struct's capitalized code field
//! (`&{Code:1113 ...}`).
//! A line without any of them is not searched; its provider hint is still worked out if a
//! later finding asks.

use aho_corasick::AhoCorasick;

use super::literals::Literals;
use super::text_forms;
use crate::catalog::descriptor::{Alone, Descriptor};

/// Words of a line that reports an error in an SDK's or an application's words
/// (`RateLimitError: ...`, `NovitaException - ...`, `LLM call failed: ...`, and JavaScript's
/// `retrying 429 undefined` for the missing body of `console.warn(err.status, err.error)`).
pub const MESSAGE_SIGNALS: &[&str] = &["rror", "xception", "fail", "undefined"];

#[derive(Debug)]
pub struct MessageEvidence {
    /// One word (or phrase) of every message the catalog knows.
    anchors: AhoCorasick,
    /// The counted providers' code keys, capitalized.
    keys: Literals,
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
        Ok(MessageEvidence {
            // Run over the few messages of the lines with a lead: a DFA of them all would cost
            // more to build than it saves.
            anchors: AhoCorasick::new(message_anchors)
                .map_err(|e| format!("message anchors do not compile: {e}"))?,
            // Few words, looked for in every line with a signal and no trigger.
            keys: Literals::new(&keys, false)?,
        })
    }

    /// Could `line`, whose only trigger is a message signal, be counted?
    pub fn holds(&self, line: &[u8]) -> bool {
        // An escaped text (a JSON log line's `\u8bf7\u6c42`, `\"`) is read only once its
        // object is decoded: the search decides. So it does for a line that is not UTF-8.
        if has_error_status(line) || memchr::memchr(b'\\', line).is_some() || self.keys.is_match(line) {
            return true;
        }
        let Ok(text) = std::str::from_utf8(line) else { return true };
        text_forms::may_hold_statement(line)
            && text_forms::exception_statements(text)
                .any(|(status, message)| status.is_some() || self.knows(message))
    }

    /// Does `message` hold an anchor, as the message index compares texts (white space made
    /// single spaces)?
    fn knows(&self, message: &str) -> bool {
        self.anchors.is_match(message)
            || match crate::catalog::normalize_space(message) {
                std::borrow::Cow::Owned(normal) => self.anchors.is_match(&normal),
                std::borrow::Cow::Borrowed(_) => false,
            }
    }
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
