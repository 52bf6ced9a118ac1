//! A few short literals, found with SIMD where the CPU has it.
//!
//! Teddy (`aho_corasick::packed`) scans for a handful of words many times faster than an
//! automaton whose prefilter stops at every common letter; but it exists only where the CPU has
//! the vector instructions it needs. Elsewhere the same words are found with a DFA: slower, the
//! same answers.

use aho_corasick::{packed, AhoCorasick, AhoCorasickKind, Match, MatchKind, Span};

#[derive(Debug, Clone)]
pub enum Literals {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Literals {
    /// The words, matched leftmost-first (or leftmost-longest) as `packed` defines it.
    pub fn new<W: AsRef<[u8]>>(words: &[W], longest: bool) -> Result<Literals, String> {
        let mut config = packed::Config::new();
        config.match_kind(if longest {
            packed::MatchKind::LeftmostLongest
        } else {
            packed::MatchKind::LeftmostFirst
        });
        let mut builder = config.builder();
        builder.extend(words);
        match builder.build() {
            Some(searcher) => Ok(Literals::Packed(searcher)),
            None => Self::automaton(words, longest),
        }
    }

    /// The words as a DFA, as on a CPU without Teddy.
    pub fn automaton<W: AsRef<[u8]>>(words: &[W], longest: bool) -> Result<Literals, String> {
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(if longest { MatchKind::LeftmostLongest } else { MatchKind::LeftmostFirst })
            .build(words)
            .map(Literals::Automaton)
            .map_err(|e| format!("{} literals do not compile: {e}", words.len()))
    }

    /// The first word in `haystack[from..]`.
    pub fn find_from(&self, haystack: &[u8], from: usize) -> Option<Match> {
        match self {
            Literals::Packed(p) => p.find_in(haystack, Span::from(from..haystack.len())),
            Literals::Automaton(a) => a.find(aho_corasick::Input::new(haystack).range(from..)),
        }
    }

    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.find_from(haystack, 0).is_some()
    }

    /// Every word in `haystack`, left to right, not overlapping.
    pub fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = Match> + 'h {
        let mut from = 0;
        std::iter::from_fn(move || {
            let m = self.find_from(haystack, from.min(haystack.len()))?;
            // An empty word would not move on; none is ever given, but never loop.
            from = m.end().max(m.start() + 1);
            Some(m)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both kinds give the same matches, so a CPU without Teddy reads logs the same.
    #[test]
    fn both_kinds_agree() {
        let words = ["rror", "xception", "fail", "upstream", "peer.service"];
        let texts = [
            "",
            "ok",
            "RateLimitError: failed upstream peer.service xception",
            "failfailrrorrror",
            &"a".repeat(100),
            "请求过快 fail 余额不足 rror",
        ];
        for longest in [false, true] {
            let fast = Literals::new(&words, longest).expect("builds");
            let slow = Literals::automaton(&words, longest).expect("builds");
            for text in texts {
                let all = |l: &Literals| {
                    l.find_iter(text.as_bytes())
                        .map(|m| (m.pattern(), m.start(), m.end()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(all(&fast), all(&slow), "{text:?}");
                assert_eq!(fast.is_match(text.as_bytes()), !all(&slow).is_empty(), "{text:?}");
            }
        }
        let found = Literals::new(&words, false).expect("builds");
        assert_eq!(found.find_iter(b"failfail").count(), 2);
    }
}
