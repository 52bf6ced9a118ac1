//! cozepy's `CozeAPIError` text: `code: 4011, msg: ..., logid: 2024...`.
//!
//! Matched by hand, as what this regex matched (the test keeps it to compare), because every
//! Coze error line is searched for it and the regex's captures cost more than the rest of
//! the line's search:
//!
//! ```text
//! (?-u:\b)code: (\d+), msg: (.*?), logid: ([0-9A-Za-z]*)
//! ```

use std::sync::OnceLock;

use memchr::memmem::Finder;

use super::status_line::{digit_end, ends_in_word};

/// Each such error in `text`, in order: where its code starts, the code, the message and the
/// log id.
pub fn find(text: &str) -> impl Iterator<Item = (usize, &str, &str, &str)> + '_ {
    static CODE: OnceLock<Finder<'static>> = OnceLock::new();
    let code = CODE.get_or_init(|| Finder::new("code: "));
    let mut logids = NextFinding::new(text.as_bytes(), |h| logid_finder().find(h));
    let mut newlines = NextFinding::new(text.as_bytes(), |h| memchr::memchr(b'\n', h));
    let mut resume = 0;
    super::occurrences(code, text.as_bytes()).filter_map(move |at| {
        if at < resume || ends_in_word(&text[..at]) {
            return None;
        }
        let code_start = at + "code: ".len();
        let mut code_end = digit_end(text, code_start)?;
        while let Some(end) = digit_end(text, code_end) {
            code_end = end;
        }
        let message_start = code_end + text[code_end..].strip_prefix(", msg: ").map(|_| ", msg: ".len())?;
        // The message is the shortest that ends at `, logid: `, on one line.
        let logid = logids.at_or_after(message_start)?;
        if newlines.at_or_after(message_start).is_some_and(|n| n < logid) {
            return None;
        }
        let id_start = logid + ", logid: ".len();
        let id_len = text.as_bytes()[id_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        resume = id_start + id_len;
        Some((
            code_start,
            &text[code_start..code_end],
            &text[message_start..logid],
            &text[id_start..id_start + id_len],
        ))
    })
}

fn logid_finder() -> &'static Finder<'static> {
    static LOGID: OnceLock<Finder<'static>> = OnceLock::new();
    LOGID.get_or_init(|| Finder::new(", logid: "))
}

/// Where a needle next occurs at or after a position asked for, the positions only growing:
/// one search per occurrence, not one per question (a text of many `code: ` and no
/// `, logid: ` must not cost the square of its length).
struct NextFinding<'h> {
    haystack: &'h [u8],
    search: fn(&[u8]) -> Option<usize>,
    /// The first occurrence at or after `searched_from`, if any.
    found: Option<usize>,
    searched_from: Option<usize>,
}

impl<'h> NextFinding<'h> {
    fn new(haystack: &'h [u8], search: fn(&[u8]) -> Option<usize>) -> NextFinding<'h> {
        NextFinding { haystack, search, found: None, searched_from: None }
    }

    fn at_or_after(&mut self, at: usize) -> Option<usize> {
        let still_good = match (self.searched_from, self.found) {
            (Some(_), Some(found)) => found >= at,
            (Some(from), None) => from <= at,
            (None, _) => false,
        };
        if !still_good {
            self.found = (self.search)(&self.haystack[at..]).map(|n| at + n);
            self.searched_from = Some(at);
        }
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn by_regex(text: &str) -> Vec<(usize, &str, &str, &str)> {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re =
            RE.get_or_init(|| Regex::new(r"(?-u:\b)code: (\d+), msg: (.*?), logid: ([0-9A-Za-z]*)").unwrap());
        re.captures_iter(text)
            .map(|c| {
                let part = |i| c.get(i).unwrap().as_str();
                (c.get(1).unwrap().start(), part(1), part(2), part(3))
            })
            .collect()
    }

    #[test]
    fn the_sdk_text() {
        let text = "llm call failed: code: 4015, msg: bot 未发布到API, logid: 2026110208 and code: 5000, msg: x, logid: ";
        let want = vec![(23, "4015", "bot 未发布到API", "2026110208"), (83, "5000", "x", "")];
        assert_eq!(find(text).collect::<Vec<_>>(), want);
        assert_eq!(by_regex(text), want);
    }

    /// On every fixture line, and every text the pieces of the form can make.
    #[test]
    fn agrees_with_the_regex() {
        for line in crate::extract::spans::fixture_lines() {
            assert_eq!(find(&line).collect::<Vec<_>>(), by_regex(&line), "{line}");
        }
        // Texts of one to four units, each of the form's pieces or near misses.
        let parts: [&[&str]; 6] = [
            &["code: ", "xcode: ", " code: ", "_code: ", "code:", "code: code: "],
            &["4011", "٢", "40٢", "", "x"],
            &[", msg: ", ",msg: ", ", msg: , msg: "],
            &["m", "", "余额 不足", "a\nb", ", logid", "code: 1, msg: "],
            &[", logid: ", ", logid:", "", ", logid: , logid: "],
            &["abc9", "", "_x", "é", "20261102\n"],
        ];
        let mut matched = 0;
        for text in crate::test_support::combinations(&parts, 11, 50_000) {
            assert_eq!(find(&text).collect::<Vec<_>>(), by_regex(&text), "{text:?}");
            matched += usize::from(!by_regex(&text).is_empty());
        }
        assert!(matched > 100, "{matched} texts had one");
    }
}
