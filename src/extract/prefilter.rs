//! The cheap test every line takes: could it hold a provider error at all? Most lines of a
//! busy log cannot, and must cost no more than one SIMD scan.
//!
//! Every form of evidence the span finder looks for contains one of the lexicon's trigger
//! words: a key that holds a code, or a word that names a provider (its hosts, classes,
//! packages, models), derived from the descriptors. A status alone (`status=200`, access logs)
//! is not one: it says nothing without them. A line whose only trigger is a message signal
//! (`error`, `failed`) is searched only if it holds what a message could be counted by (see
//! `signals`).

use aho_corasick::AhoCorasick;

use super::lexicon::Lexicon;
use super::literals::Literals;

/// What the prefilter makes of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// No trigger word, no message signal: no clue, no evidence.
    Pass,
    /// Only a message signal, and nothing its message could be counted by: not searched. It may
    /// still name a provider only recognized, so its hint is left to work out if asked.
    Glance,
    /// Something the span finder could count or name a provider by: searched.
    Search,
}

pub fn look(line: &[u8], lexicon: &Lexicon) -> Look {
    let triggered = lexicon.triggers().is_match(line);
    judge(line, triggered, || lexicon.signals().is_match(line), lexicon)
}

fn judge(line: &[u8], triggered: bool, signalled: impl FnOnce() -> bool, lexicon: &Lexicon) -> Look {
    if triggered {
        Look::Search
    } else if !signalled() {
        Look::Pass
    } else if lexicon.message_evidence().holds(line) {
        Look::Search
    } else {
        Look::Glance
    }
}

/// Where the trigger words and the message signals start in a chunk of lines, found as its
/// lines ask.
pub struct Triggers<'c> {
    chunk: &'c [u8],
    lexicon: &'c Lexicon,
    triggers: Next<'c>,
    signals: Next<'c>,
}

impl<'c> Triggers<'c> {
    pub fn scan(chunk: &'c [u8], lexicon: &'c Lexicon) -> Triggers<'c> {
        Triggers {
            chunk,
            lexicon,
            triggers: Next::scan(chunk, Words::Automaton(lexicon.triggers())),
            signals: Next::scan(chunk, Words::Literals(lexicon.signals())),
        }
    }

    /// What of the line at `start..end`? Asked for lines in the order they come.
    pub fn within(&mut self, start: usize, end: usize) -> Look {
        let triggered = self.triggers.within(self.chunk, start, end);
        let signals = &mut self.signals;
        let chunk = self.chunk;
        judge(&chunk[start..end], triggered, || signals.within(chunk, start, end), self.lexicon)
    }
}

/// Where one automaton's words start in a chunk: one search answers for all the lines before
/// the word it finds, so most lines cost a comparison. A line that holds a word is not searched
/// further (a dense log holds several per line); the next search starts at the next line
/// asked about. No word spans a newline, so a line holds one exactly when one starts inside it.
enum Words<'c> {
    Automaton(&'c AhoCorasick),
    Literals(&'c Literals),
}

struct Next<'c> {
    words: Words<'c>,
    /// Where the last search found a word; `None`: none in the rest of the chunk.
    at: Option<usize>,
}

impl<'c> Next<'c> {
    fn scan(chunk: &[u8], words: Words<'c>) -> Next<'c> {
        let mut next = Next { words, at: None };
        next.search_from(chunk, 0);
        next
    }

    fn search_from(&mut self, chunk: &[u8], start: usize) {
        self.at = match self.words {
            Words::Automaton(a) => a.find(aho_corasick::Input::new(chunk).range(start..)).map(|m| m.start()),
            Words::Literals(l) => l.find_from(chunk, start).map(|m| m.start()),
        };
    }

    fn within(&mut self, chunk: &[u8], start: usize, end: usize) -> bool {
        if self.at.is_some_and(|at| at < start) {
            // That word was on an earlier line: look again from this one.
            self.search_from(chunk, start.min(chunk.len()));
        }
        self.at.is_some_and(|at| at >= start && at < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_answer_line_by_line_as_a_search_per_line_would() {
        let chunk = b"plain
error code=1 and code=2
cache refresh failed
RateLimitError: rate limited

host api.z.ai
nothing here
coze.cn reason
end";
        let catalog = crate::test_support::catalog();
        let mut triggers = Triggers::scan(chunk, catalog.lexicon());
        let mut start = 0;
        for line in chunk.split(|b| *b == b'\n') {
            let end = start + line.len();
            assert_eq!(
                triggers.within(start, end),
                look(line, catalog.lexicon()),
                "{}",
                String::from_utf8_lossy(line)
            );
            start = end + 1;
        }
    }
}
