//! HTTP statuses named in text: `HTTP/1.1 429`, `status=429`, `Error code: 429`,
//! `upstream 429 body={..}`, `returned 429, response body`, Go's `-> 404 Not Found`, and the
//! SDKs' own words: go-openai's `status code: 429`, openai-node's `Error: 429 ...` and `429
//! status code (no body)`, requests' `429 Client Error`, httpx's `Client error '429 ...'`.
//!
//! Matched by hand, anchored on the status's digits, because every error line is searched for
//! them and the regex this replaces cost more than the rest of the line's search. It matches
//! exactly what that regex matched (the test keeps it to compare): Unicode `\d` and `\s`,
//! ASCII word boundaries, leftmost matches that do not overlap.
//!
//! ```text
//! HTTP/[12](?:\.[01])?"? ([45]\d\d)\b
//! | \b(?:status|status_code|http_status|Error code|status code|statusCode|StatusCode|HTTPStatusCode
//!     |Error|error|failed)
//!     ["']?\s*[=:]\s*["']?([45]\d\d)\b
//! | \b([45]\d\d)(?:,? (?:response )?body| (?:Client|Server) Error| status code)\b
//! | \b(?:returned|upstream|responded|got|error) '?([45]\d\d)\b
//! |  -> ([45]\d\d) [A-Z]
//! ```
//! No alternative has a `4` or `5` before its status, so each match is found from its status,
//! and the match of an earlier status starts before that of a later one.

use std::sync::OnceLock;

use regex::Regex;

/// Each status in `text` written with ASCII digits: where its digits start, and the status.
pub fn find(text: &str) -> impl Iterator<Item = (usize, u16)> + '_ {
    let bytes = text.as_bytes();
    let mut resume = 0;
    memchr::memchr2_iter(b'4', b'5', bytes).filter_map(move |at| {
        // Every alternative has a space, quote, `=`, `:` or a non-word character before the
        // status: most 4s and 5s of a line are inside hex ids and numbers.
        if at < resume || at > 0 && is_word(bytes[at - 1]) {
            return None;
        }
        let end_of_digits = digit_end(text, digit_end(text, at + 1)?)?;
        let (start, end) = match_at(text, at, end_of_digits, resume)?;
        resume = end;
        // A status in other digits (`４２９`) matched, but is not one to count.
        let ascii = end_of_digits == at + 3;
        let digit = |k: usize| u16::from(bytes[at + k] - b'0');
        debug_assert!(start <= at);
        ascii.then(|| (at, digit(0) * 100 + digit(1) * 10 + digit(2)))
    })
}

/// The match, its start and end, of the status whose digits are `at..digits_end`, if any:
/// of the alternatives that start at `resume` or later, the one that starts first.
fn match_at(text: &str, at: usize, digits_end: usize, resume: usize) -> Option<(usize, usize)> {
    let before = &text[..at];
    let bounded_after = word_boundary(text.as_bytes(), digits_end);
    // What is just before the status rules most alternatives out at once.
    let spaced = before.ends_with(' ');
    let assigned = before.as_bytes().last().is_some_and(|b| b"\"'=:".contains(b) || !b.is_ascii())
        || before.ends_with(char::is_whitespace);
    let ends_at_digits = |start: Option<usize>| start.filter(|_| bounded_after).map(|s| (s, digits_end));
    let starts = [
        spaced.then(|| ends_at_digits(http_version(before))).flatten(),
        assigned.then(|| ends_at_digits(assignment(before))).flatten(),
        (!ends_in_word(before)).then(|| body_after(text, digits_end).map(|end| (at, end))).flatten(),
        (spaced || before.ends_with(" '")).then(|| ends_at_digits(verb(before))).flatten(),
        spaced.then(|| arrow(before).zip(reason_after(text, digits_end))).flatten(),
    ];
    starts.into_iter().flatten().filter(|(start, _)| *start >= resume).min_by_key(|(start, _)| *start)
}

/// `HTTP/[12](?:\.[01])?"? ` just before the status: where it starts.
fn http_version(before: &str) -> Option<usize> {
    let s = before.strip_suffix(' ')?;
    let s = s.strip_suffix('"').unwrap_or(s);
    let s = match s.strip_suffix(['0', '1']) {
        Some(minor) if minor.ends_with('.') => &minor[..minor.len() - 1],
        _ => s,
    };
    let s = s.strip_suffix(['1', '2'])?.strip_suffix("HTTP/")?;
    Some(s.len())
}

/// `\b(?:status|status_code|http_status|Error code|...)["']?\s*[=:]\s*["']?` just before the
/// status; Go's `StatusCode:429` and go-openai's `HTTPStatusCode:429` among them.
fn assignment(before: &str) -> Option<usize> {
    let s = before.strip_suffix(['"', '\'']).unwrap_or(before);
    let s = s.trim_end_matches(char::is_whitespace).strip_suffix(['=', ':'])?;
    let s = s.trim_end_matches(char::is_whitespace);
    let s = s.strip_suffix(['"', '\'']).unwrap_or(s);
    keyword_start(
        s,
        &[
            "status",
            "status_code",
            "http_status",
            "Error code",
            "status code",
            "statusCode",
            "StatusCode",
            "HTTPStatusCode",
            "Error",
            "error",
            "failed",
        ],
    )
}

/// `\b(?:returned|upstream|responded|got|error) '?` just before the status.
fn verb(before: &str) -> Option<usize> {
    let s = before.strip_suffix('\'').unwrap_or(before);
    keyword_start(s.strip_suffix(' ')?, &["returned", "upstream", "responded", "got", "error"])
}

/// ` -> ` just before the status.
fn arrow(before: &str) -> Option<usize> {
    before.strip_suffix(" -> ").map(str::len)
}

/// Where the one of `words` that `s` ends with starts, at a word boundary.
fn keyword_start(s: &str, words: &[&str]) -> Option<usize> {
    // The last byte first: it rules out nearly every word without a comparison of the rest.
    let last = *s.as_bytes().last()?;
    words
        .iter()
        .filter(|w| w.as_bytes().last() == Some(&last))
        .filter_map(|w| s.strip_suffix(w))
        .find(|rest| !ends_in_word(rest))
        .map(str::len)
}

/// `(?:,? (?:response )?body| (?:Client|Server) Error| status code)\b` after the status: where
/// it ends.
fn body_after(text: &str, at: usize) -> Option<usize> {
    let s = &text[at..];
    let body = || {
        let s = s.strip_prefix(',').unwrap_or(s).strip_prefix(' ')?;
        s.strip_prefix("response ").unwrap_or(s).strip_prefix("body")
    };
    let rest = body()
        .or_else(|| s.strip_prefix(" Client Error"))
        .or_else(|| s.strip_prefix(" Server Error"))
        .or_else(|| s.strip_prefix(" status code"))?;
    let end = text.len() - rest.len();
    word_boundary(text.as_bytes(), end).then_some(end)
}

/// ` [A-Z]` after the status: where it ends.
fn reason_after(text: &str, at: usize) -> Option<usize> {
    match text.as_bytes().get(at..at + 2)? {
        [b' ', c] if c.is_ascii_uppercase() => Some(at + 2),
        _ => None,
    }
}

/// Where the digit (Unicode `\d`) at `at` ends.
pub(super) fn digit_end(text: &str, at: usize) -> Option<usize> {
    let c = text.get(at..)?.chars().next()?;
    let is_digit = if c.is_ascii() { c.is_ascii_digit() } else { is_unicode_digit(c) };
    is_digit.then(|| at + c.len_utf8())
}

/// Unicode `\d` (general category Nd), as the regex knows it: asked only of non-ASCII text.
fn is_unicode_digit(c: char) -> bool {
    static DIGIT: OnceLock<Regex> = OnceLock::new();
    DIGIT.get_or_init(|| Regex::new(r"^\d$").expect("compiles")).is_match(c.encode_utf8(&mut [0; 4]))
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn ends_in_word(s: &str) -> bool {
    s.as_bytes().last().is_some_and(|b| is_word(*b))
}

/// An ASCII word boundary (`(?-u:\b)`) at `at`.
fn word_boundary(bytes: &[u8], at: usize) -> bool {
    let before = at > 0 && is_word(bytes[at - 1]);
    before != bytes.get(at).is_some_and(|b| is_word(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regex this module replaces, and what was made of its matches.
    fn by_regex(text: &str) -> Vec<(usize, u16)> {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(concat!(
            r#"HTTP/[12](?:\.[01])?"? ([45]\d\d)(?-u:\b)"#,
            r#"|(?-u:\b)(?:status|status_code|http_status|Error code|status code|statusCode|StatusCode|HTTPStatusCode|Error|error|failed)["']?\s*[=:]\s*["']?([45]\d\d)(?-u:\b)"#,
            r"|(?-u:\b)([45]\d\d)(?:,? (?:response )?body| (?:Client|Server) Error| status code)(?-u:\b)",
            r"|(?-u:\b)(?:returned|upstream|responded|got|error) '?([45]\d\d)(?-u:\b)",
            r"| -> ([45]\d\d) [A-Z]",
        ))
        .unwrap()
        });
        let mut out = Vec::new();
        for m in re.find_iter(text) {
            let bytes = m.as_str().as_bytes();
            let at = (0..bytes.len().saturating_sub(2)).find(|&i| {
                matches!(bytes[i], b'4' | b'5')
                    && bytes[i + 1].is_ascii_digit()
                    && bytes[i + 2].is_ascii_digit()
                    && (i == 0 || !bytes[i - 1].is_ascii_digit())
            });
            if let Some(i) = at {
                let digit = |k: usize| u16::from(bytes[i + k] - b'0');
                out.push((m.start() + i, digit(0) * 100 + digit(1) * 10 + digit(2)));
            }
        }
        out
    }

    #[test]
    fn each_form() {
        for (text, want) in [
            (r#"POST https://x "HTTP/1.1 429 Too Many Requests""#, vec![(25, 429)]),
            ("status=503 status_code: '404' http_status = \"500\"", vec![(7, 503), (25, 404), (45, 500)]),
            (
                "Error code: 429 - upstream 502 body={} returned 400, response body: x",
                vec![(12, 429), (27, 502), (48, 400)],
            ),
            ("GET /v1 -> 404 Not Found; got 4299 gotten 429 mystatus=429 HTTP/1.1 200", vec![(11, 404)]),
            ("status\u{3000}:\u{a0}429 status=4٢٩ upstream 429", vec![(12, 429), (38, 429)]),
        ] {
            assert_eq!(find(text).collect::<Vec<_>>(), want, "{text}");
            assert_eq!(by_regex(text), want, "{text}");
        }
    }

    #[test]
    fn the_sdks_own_words() {
        for (text, want) in [
            ("error, status code: 429, status: 429 Too Many Requests, message: x", vec![429, 429]),
            ("Error: 429 余额不足或无可用资源包,请充值。", vec![429]),
            ("LLM call failed: 429 status code (no body)", vec![429]),
            ("400 Client Error: Bad Request for url: https://api.ppinfra.com/v3", vec![400]),
            ("Server error '503 Service Unavailable' for url 'https://api.z.ai/api/paas/v4'", vec![503]),
            ("ArkHttpException{statusCode=400, message='x'}", vec![400]),
            ("&{HTTPStatus:404 Not Found HTTPStatusCode:404 Err:<nil> Body:[]}", vec![404]),
            ("&{Status:429 Too Many Requests StatusCode:429 Proto:HTTP/1.1}", vec![429]),
            ("XStatusCode:429", vec![]),
            ("RateLimitError: 429 x", vec![]),
        ] {
            assert_eq!(find(text).map(|(_, s)| s).collect::<Vec<_>>(), want, "{text}");
        }
    }

    /// On every fixture line, and every text the pieces of the forms can make.
    #[test]
    fn agrees_with_the_regex() {
        for line in crate::extract::spans::fixture_lines() {
            assert_eq!(find(&line).collect::<Vec<_>>(), by_regex(&line), "{line}");
        }
        // Texts of one to four units, each a prefix, a separator, a number and a suffix
        // of the forms' own pieces or near misses.
        let parts: [&[&str]; 4] = [
            &[
                "HTTP/1.1",
                "HTTP/2",
                "HTTP/1.0\"",
                "HTTP/3",
                "HTTP/1.",
                "status",
                "status_code",
                "http_status",
                "Error code",
                "xstatus",
                "_status",
                "returned",
                "upstream",
                "responded",
                "got",
                "forgot",
                " ->",
                "",
                "status'",
                "\"status\"",
                "status code",
                "statusCode",
                "StatusCode",
                "HTTPStatusCode",
                "XHTTPStatusCode",
                "Error",
                "error",
                "xError",
                "failed",
                "Client error",
                "error '",
            ],
            &[" ", "=", ": ", " = '", ":\"", "\u{3000}:\u{a0}", "", "  ", ":\n", " -> ", "'"],
            &["429", "500", "4٢٩", "404", "4299", "42", "200", "5", "٤٢٩"],
            &[
                "",
                " ",
                ",",
                " body",
                ", body",
                " response body",
                ", response body:",
                " bodyx",
                " Not Found",
                " Client Error",
                " Server Error",
                " status code",
                " status codes",
                " Client Errorx",
                " x",
                "x",
                "_",
                ".",
                "\"",
                "é",
            ],
        ];
        let mut matched = 0;
        for text in crate::test_support::combinations(&parts, 7, 50_000) {
            assert_eq!(find(&text).collect::<Vec<_>>(), by_regex(&text), "{text:?}");
            matched += usize::from(!by_regex(&text).is_empty());
        }
        assert!(matched > 1000, "{matched} texts had one");
    }
}
