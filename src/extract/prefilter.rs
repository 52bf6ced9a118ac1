//! The cheap test every line takes: could it hold a provider error at all? Most lines of a
//! busy log cannot, and must cost no more than one SIMD scan.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Every form of evidence the span finder looks for contains one of these: a code or reason
/// key, a status, or (for status-only evidence, which needs one) a provider's host.
const TRIGGERS: &[&str] = &[
    "code",
    "reason",
    "status",
    "logid",
    "bigmodel.cn",
    "api.z.ai",
    "volces.com",
    "coze.c",
    "ppinfra",
    "ppio.com",
];

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
