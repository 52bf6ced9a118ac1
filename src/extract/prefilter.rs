//! The cheap test every line takes: could it hold a provider error at all? Most lines of a
//! busy log cannot, and must cost no more than one SIMD scan.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Every form of evidence the span finder looks for contains one of these: a code or reason
/// key, or (for status-only evidence, which counts only beside one) a provider's host. A
/// status alone (`status=200`, access logs) is not one: it says nothing without them.
const TRIGGERS: &[&str] =
    &["code", "reason", "logid", "bigmodel.cn", "api.z.ai", "volces.com", "coze.c", "ppinfra", "ppio.com"];

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(TRIGGERS)
            .expect("prefilter compiles")
    })
}

pub fn worth_searching(text: &[u8]) -> bool {
    automaton().is_match(text)
}
