//! The cheap test every line takes: could it hold a provider error at all? Most lines of a
//! busy log cannot, and must cost no more than one SIMD scan.
//!
//! Every form of evidence the span finder looks for contains one of the lexicon's trigger
//! words: a key that holds a code, or a word that names a provider (its hosts, classes,
//! packages, models), derived from the descriptors. A status alone (`status=200`, access logs)
//! is not one: it says nothing without them.

use aho_corasick::AhoCorasick;

use super::lexicon::Lexicon;

pub fn worth_searching(text: &[u8], lexicon: &Lexicon) -> bool {
    lexicon.triggers().is_match(text)
}

/// Where triggers start in a chunk of lines, found as its lines ask: one search answers for all
/// the lines before the trigger it finds, so most lines cost a comparison. A line that holds a
/// trigger is not searched further (a dense log holds several per line); the next search starts
/// at the next line asked about. No trigger spans a newline, so a line holds a trigger exactly
/// when one starts inside it.
pub struct Triggers<'c> {
    chunk: &'c [u8],
    automaton: &'c AhoCorasick,
    /// Where the last search found a trigger; `None`: none in the rest of the chunk.
    next: Option<usize>,
}

impl<'c> Triggers<'c> {
    pub fn scan(chunk: &'c [u8], lexicon: &'c Lexicon) -> Triggers<'c> {
        let mut triggers = Triggers { chunk, automaton: lexicon.triggers(), next: None };
        triggers.search_from(0);
        triggers
    }

    fn search_from(&mut self, start: usize) {
        let input = aho_corasick::Input::new(self.chunk).range(start..);
        self.next = self.automaton.find(input).map(|m| m.start());
    }

    /// Does a trigger start in `start..end`? Asked for lines in the order they come.
    pub fn within(&mut self, start: usize, end: usize) -> bool {
        if self.next.is_some_and(|at| at < start) {
            // That trigger was on an earlier line: look again from this one.
            self.search_from(start.min(self.chunk.len()));
        }
        self.next.is_some_and(|at| at >= start && at < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_answer_line_by_line_as_a_search_per_line_would() {
        let chunk = b"plain
error code=1 and code=2

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
                worth_searching(line, catalog.lexicon()),
                "{}",
                String::from_utf8_lossy(line)
            );
            start = end + 1;
        }
    }
}
