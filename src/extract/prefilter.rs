//! The cheap test every line takes: could it hold a provider error at all? Most lines of a
//! busy log cannot, and must cost no more than one SIMD scan.
//!
//! Every form of evidence the span finder looks for contains one of the lexicon's trigger
//! words: a key that holds a code, or a word that names a provider (its hosts, classes,
//! packages, models), derived from the descriptors. A status alone (`status=200`, access logs)
//! is not one: it says nothing without them. A line whose only trigger is a message signal
//! (`error`, `failed`) is searched only if it holds what a message could be counted by (see
//! `signals`).

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

#[inline(always)]
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
            triggers: Next::scan(chunk, lexicon.triggers()),
            signals: Next::scan(chunk, lexicon.signals()),
        }
    }

    /// What of the line at `start..end`? Asked for lines in the order they come.
    #[inline(always)]
    pub fn within(&mut self, start: usize, end: usize) -> Look {
        let triggered = self.triggers.within(self.chunk, start, end);
        let signals = &mut self.signals;
        let chunk = self.chunk;
        judge(&chunk[start..end], triggered, || signals.within(chunk, start, end), self.lexicon)
    }
}

/// Where one set of words starts in a chunk: one search answers for all the lines before the
/// word it finds, so most lines cost a comparison. A line that holds a word is not searched
/// further (a dense log holds several per line); the next search starts at the next line
/// asked about. No word spans a newline, so a line holds one exactly when one starts inside it.
/// Words in several groups (see `literals`) are followed group by group, each from where it
/// last stopped, so no group scans a stretch twice.
struct Next<'c> {
    words: &'c Literals,
    /// Where the first group's last search found a word; `None`: none in the rest of the chunk.
    at: Option<usize>,
    /// The same for the other groups, if any (a catalog with more words than one takes).
    more: Vec<Option<usize>>,
}

impl<'c> Next<'c> {
    fn scan(chunk: &[u8], words: &'c Literals) -> Next<'c> {
        let first = |g| words.find_in_group(g, chunk, 0).map(|m| m.start());
        Next { words, at: first(0), more: (1..words.groups()).map(first).collect() }
    }

    #[inline(always)]
    fn within(&mut self, chunk: &[u8], start: usize, end: usize) -> bool {
        let words = self.words;
        let look = |group: usize, at: &mut Option<usize>| {
            if at.is_some_and(|at| at < start) {
                // That word was on an earlier line: look again from this one.
                *at = words.find_in_group(group, chunk, start.min(chunk.len())).map(|m| m.start());
            }
            at.is_some_and(|at| at >= start && at < end)
        };
        let mut found = look(0, &mut self.at);
        for (i, at) in self.more.iter_mut().enumerate() {
            found |= look(i + 1, at);
        }
        found
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

    /// A user's catalog can take the trigger words past what one SIMD searcher holds (the
    /// DeepSeek example does); the chunk's groups still answer each line as a search of that
    /// line alone, for every trigger word, at a line's start, middle and end.
    #[test]
    fn triggers_in_several_groups_answer_line_by_line() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/catalogs/deepseek.toml");
        let catalog = crate::catalog::Catalog::with_overrides(&[file]).expect("the example loads");
        let lexicon = catalog.lexicon();
        assert!(
            lexicon.trigger_words().len() > super::super::literals::GROUP,
            "the example needs two groups"
        );
        let mut chunk = Vec::new();
        for word in lexicon.trigger_words() {
            for line in
                [format!("{word} at the start"), format!("plain {word} inside"), format!("ends with {word}")]
            {
                chunk.extend_from_slice(line.as_bytes());
                chunk.extend_from_slice(b"\nnothing to see\n");
            }
        }
        let mut triggers = Triggers::scan(&chunk, lexicon);
        let (mut start, mut searched) = (0, 0);
        for line in chunk.split(|b| *b == b'\n') {
            let end = start + line.len();
            let look = triggers.within(start, end);
            assert_eq!(look, super::look(line, lexicon), "{}", String::from_utf8_lossy(line));
            searched += usize::from(look == Look::Search);
            start = end + 1;
        }
        assert_eq!(searched, 3 * lexicon.trigger_words().len());
    }
}
