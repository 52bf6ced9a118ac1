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

/// Where triggers start in a chunk of lines, found in one pass over the chunk as its lines ask: far
/// cheaper than a search per line, and most lines then cost a comparison. No trigger spans a
/// newline, so a line holds a trigger exactly when one of these starts inside it.
pub struct Triggers<'c> {
    found: std::iter::Peekable<aho_corasick::FindIter<'static, 'c>>,
}

impl<'c> Triggers<'c> {
    pub fn scan(chunk: &'c [u8]) -> Triggers<'c> {
        Triggers { found: automaton().find_iter(chunk).peekable() }
    }

    /// Does a trigger start in `start..end`? Asked for lines in the order they come.
    pub fn within(&mut self, start: usize, end: usize) -> bool {
        while self.found.next_if(|m| m.start() < start).is_some() {}
        self.found.peek().is_some_and(|m| m.start() < end)
    }
}
