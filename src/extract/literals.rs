//! Short literals, found with SIMD where the CPU has it.
//!
//! Teddy (`aho_corasick::packed`) scans for a few dozen words many times faster than an
//! automaton whose prefilter stops at every common letter; but it exists only where the CPU has
//! the vector instructions it needs, and one searcher takes at most [`GROUP`] words. More words
//! (a user's catalog adding a provider's hosts and classes) are split into groups of that many,
//! each a searcher: past the limit, one automaton would fall back to a rare-byte prefilter and
//! scan several times slower. Without the instructions, the same words are found with a DFA:
//! slower, the same answers.

use aho_corasick::{packed, AhoCorasick, AhoCorasickKind, Match, MatchKind, PatternID, Span};

/// The most words one Teddy searcher takes (`packed`'s own limit).
pub const GROUP: usize = 64;

#[derive(Debug, Clone)]
pub enum Literals {
    /// Consecutive runs of the words, each a searcher, with the index of its first word.
    Packed {
        groups: Vec<(packed::Searcher, usize)>,
        longest: bool,
    },
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
        let mut groups = Vec::new();
        for (n, run) in words.chunks(GROUP).enumerate() {
            let mut builder = config.builder();
            builder.extend(run);
            match builder.build() {
                Some(searcher) => groups.push((searcher, n * GROUP)),
                None => return Self::automaton(words, longest),
            }
        }
        Ok(Literals::Packed { groups, longest })
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

    /// How many searches find the words: one per group, or the one automaton.
    pub fn groups(&self) -> usize {
        match self {
            Literals::Packed { groups, .. } => groups.len(),
            Literals::Automaton(_) => 1,
        }
    }

    /// The first word of group `group` in `haystack[from..]`, its pattern counted among all
    /// the words.
    pub fn find_in_group(&self, group: usize, haystack: &[u8], from: usize) -> Option<Match> {
        match self {
            Literals::Packed { groups, .. } => {
                let (searcher, first) = &groups[group];
                let m = searcher.find_in(haystack, Span::from(from..haystack.len()))?;
                Some(Match::new(PatternID::must(first + m.pattern().as_usize()), m.span()))
            }
            Literals::Automaton(a) => a.find(aho_corasick::Input::new(haystack).range(from..)),
        }
    }

    /// The first word in `haystack[from..]`: of the groups' first words, the leftmost; at one
    /// start, the longest (leftmost-longest) or the earlier word (leftmost-first), as one
    /// searcher over all the words would choose.
    pub fn find_from(&self, haystack: &[u8], from: usize) -> Option<Match> {
        let longest = match self {
            Literals::Packed { groups, longest } if groups.len() > 1 => *longest,
            _ => return self.find_in_group(0, haystack, from),
        };
        let mut best: Option<Match> = None;
        for group in 0..self.groups() {
            let Some(m) = self.find_in_group(group, haystack, from) else { continue };
            best = match best {
                Some(b) if b.start() < m.start() => Some(b),
                Some(b) if b.start() == m.start() && !(longest && m.end() > b.end()) => Some(b),
                _ => Some(m),
            };
        }
        best
    }

    pub fn is_match(&self, haystack: &[u8]) -> bool {
        (0..self.groups()).any(|group| self.find_in_group(group, haystack, 0).is_some())
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

    /// More words than one searcher takes are split into groups that answer as one searcher
    /// over them all would: the same matches, the same word at one start.
    #[test]
    fn groups_answer_as_one_automaton() {
        // Words that overlap across the groups' border: `w63` and `w63x` in different groups,
        // and prefixes of each other at one start.
        let mut words: Vec<String> = (0..GROUP + 20).map(|i| format!("w{i:03}")).collect();
        words.push("w063x".into());
        words.push("w0".into());
        words.push("zz".into());
        let texts = [
            String::new(),
            "w063x w000 w083 w0 zz".into(),
            "w0w0w0 zzz w06".into(),
            (0..GROUP + 20).map(|i| format!("w{i:03} ")).collect::<String>(),
            format!("{} w070", "a".repeat(300)),
        ];
        for longest in [false, true] {
            let grouped = Literals::new(&words, longest).expect("builds");
            if matches!(grouped, Literals::Packed { .. }) {
                assert_eq!(grouped.groups(), 2);
            }
            let one = Literals::automaton(&words, longest).expect("builds");
            for text in &texts {
                let all = |l: &Literals| {
                    l.find_iter(text.as_bytes())
                        .map(|m| (m.pattern(), m.start(), m.end()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(all(&grouped), all(&one), "{text:?}");
                assert_eq!(grouped.is_match(text.as_bytes()), !all(&one).is_empty(), "{text:?}");
            }
        }
    }
}
