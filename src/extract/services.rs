//! Another service named on a line: `upstream sms-gateway returned {...}`,
//! `upstream=payment`, `"peer.service": "crm-api"`. A body on such a line is that service's,
//! however much it looks like a provider's (classify's rules weigh it against the line's own
//! provider clues).

use super::lexicon::Lexicon;
use super::literals::Literals;

/// Keys whose value names the service that answered. (Not `service`: structured logs use it
/// for the application's own name.)
const KEYS: &[&str] =
    &["upstream", "peer.service", "remote_service", "target_service", "callee", "dependency"];

/// Words that follow `upstream` without naming a service.
const NOT_NAMES: &[&str] = &[
    "error",
    "errors",
    "returned",
    "responded",
    "response",
    "request",
    "timeout",
    "timed",
    "failed",
    "connect",
    "server",
    "service",
    "status",
    "said",
    "sent",
    "is",
    "was",
    "call",
];

/// The keys, found in one pass: every searched line with a candidate asks (a searcher built
/// per key and call cost more than the rest of the line's search). Teddy's SIMD scan: their
/// first bytes are common letters, which would stop an automaton's prefilter at most words.
fn keys() -> &'static Literals {
    static KEYS_FINDER: std::sync::OnceLock<Literals> = std::sync::OnceLock::new();
    KEYS_FINDER.get_or_init(|| Literals::new(KEYS, false).expect("the keys are literals"))
}

/// The first other service the text names, if any.
pub fn named(text: &str, lexicon: &Lexicon) -> Option<String> {
    let lower = text.as_bytes();
    for found in keys().find_iter(lower) {
        let at = found.start();
        if at > 0 && lower[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        if let Some((name, assigned, next)) = value_after(text, found.end()) {
            // Free text names a service only in the way people write one: `upstream
            // sms-gateway`, or a name followed by what it did (`upstream crm returned`).
            let named = assigned || name.contains(['-', '_', '.']) || VERBS.contains(&next);
            if named
                && !NOT_NAMES.contains(&name.to_ascii_lowercase().as_str())
                && !lexicon.names_counted_provider(name)
            {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// What a service does after its name: `upstream crm returned 500`.
const VERBS: &[&str] =
    &["returned", "responded", "replied", "answered", "rejected", "said", "sent", "error", "failed"];

/// The name after a key (`upstream sms-gateway`, `upstream=payment`, `"upstream": "crm"`),
/// whether it was assigned (`=` or `:`), and the word after it.
fn value_after(text: &str, mut at: usize) -> Option<(&str, bool, &str)> {
    let b = text.as_bytes();
    let skip = |at: &mut usize, set: &[u8]| {
        while b.get(*at).is_some_and(|c| set.contains(c)) {
            *at += 1;
        }
    };
    skip(&mut at, b"\"' ");
    let assigned = matches!(b.get(at), Some(b'=' | b':'));
    if assigned {
        at += 1;
    }
    skip(&mut at, b"\"' ");
    let start = at;
    while b.get(at).is_some_and(|c| c.is_ascii_alphanumeric() || b"_.-".contains(c)) {
        at += 1;
    }
    let name = &text[start..at];
    let rest = text[at..].trim_start_matches(['"', '\'', ' ']);
    let next = &rest[..rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len())];
    (name.len() >= 2 && name.as_bytes()[0].is_ascii_alphabetic()).then_some((name, assigned, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_non_names() {
        let l = crate::test_support::lexicon();
        assert_eq!(named("upstream sms-gateway returned {\"error\":{}}", l).as_deref(), Some("sms-gateway"));
        assert_eq!(named("level=error upstream=payment code=1301", l).as_deref(), Some("payment"));
        assert_eq!(named(r#"{"peer.service": "crm-api", "code": 1}"#, l).as_deref(), Some("crm-api"));
        assert_eq!(named("upstream error: 502", l), None);
        assert_eq!(named("upstream 429 body={}", l), None);
        assert_eq!(named("upstream=zhipu code=1113", l), None);
        assert_eq!(named("upstream_timeout_ms=30 service=chat-api", l), None);
        assert_eq!(named("msg=\"upstream rejected request\"", l), None);
        assert_eq!(named("upstream crm returned 500", l).as_deref(), Some("crm"));
    }
}
