//! Extraction: from the lines of one source to candidate provider errors with the evidence
//! around them. Knows lines and text; knows nothing of files, the catalog or metrics.
//!
//! Per source it keeps: the current *record* (a log line with its continuation lines, such as
//! a Python traceback), so one error printed twice in a traceback is one error; the provider
//! evidence of that record and of the last [`CONTEXT_LINES`] lines; and pretty-printed JSON
//! bodies spread over several lines, assembled into one text before searching.

mod context;
pub mod hints;
pub mod lexicon;
mod literals;
mod notation;
mod prefilter;
mod services;
mod shapes;
mod signals;
mod spans;
mod text_forms;

use std::sync::OnceLock;

pub use hints::Hint;
pub use lexicon::Lexicon;
pub use prefilter::{Look, Triggers};
pub use shapes::ShapeMatch;
pub use spans::{Candidate, CandidateKind};

use crate::timestamp::{Dating, EpochMillis, Stamp};

use context::{Context, LineHint, Placed};

/// Lines after a provider is named during which a bare error is taken to be that provider's.
pub const CONTEXT_LINES: u64 = 20;
/// A multi-line JSON body longer than this is searched line by line instead.
const MAX_BLOCK_LINES: usize = 200;
const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// Evidence about the provider from around a candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// From the same line (or the same multi-line body).
    pub line: Option<Hint>,
    /// From the earlier lines of the same record (a traceback's frames, say).
    pub record: Option<Hint>,
    /// From the last [`CONTEXT_LINES`] lines of the same source: the request line an HTTP
    /// client logged before the error, say. Weaker: it attributes a message or a status to a
    /// provider, but never makes an ordinary body a provider's.
    pub recent: Option<Hint>,
    /// The line follows an SSE `event: error`.
    pub sse_error: bool,
    /// The line names a URL that is not a provider's: the response is that service's.
    pub foreign_url: bool,
    /// The line names another service as the one that answered (`upstream sms-gateway`).
    pub other_service: Option<String>,
}

impl Surroundings {
    pub fn best(&self) -> Option<Hint> {
        self.line.or(self.record).or(self.recent)
    }

    /// Evidence from the line or its record.
    pub fn close(&self) -> Option<Hint> {
        self.line.or(self.record)
    }
}

/// A candidate, where it was, and what surrounded it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// 1-based line of the source where the code (or message, or status) appears.
    pub line: u64,
    /// Sequence number of the record within its source.
    pub record: u64,
    pub timestamp: Option<EpochMillis>,
    pub candidate: Candidate,
    pub around: Surroundings,
}

/// A line as the extractor takes it, without its newline.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number in its source.
    pub number: u64,
    pub bytes: &'a [u8],
    /// `bytes` as text, when a check of the whole chunk found it valid UTF-8.
    pub text: Option<&'a str>,
    /// What the prefilter makes of the line, when a pass over its whole chunk found out.
    pub look: Option<Look>,
    /// The chunk being fed, and where the line starts in it when it lies wholly inside it. Lines
    /// of the chunk are then kept as their place in it until [`Extractor::end_chunk`].
    pub chunk: &'a [u8],
    pub at: Option<usize>,
    /// The time the line's envelope (CRI, Docker, journald, syslog) gave it: the record's time
    /// when its first line carries none of its own.
    pub envelope_time: Option<Stamp>,
}

impl<'a> Line<'a> {
    /// A line on its own, not part of a chunk.
    pub fn alone(number: u64, bytes: &'a [u8]) -> Line<'a> {
        Line { number, bytes, text: None, look: None, chunk: &[], at: None, envelope_time: None }
    }

    fn as_text(&self) -> std::borrow::Cow<'a, str> {
        self.text.map_or_else(|| as_text(self.bytes), std::borrow::Cow::Borrowed)
    }

    fn placed(&self) -> Placed<'a> {
        Placed { bytes: self.bytes, at: self.at }
    }
}

/// A pretty-printed body being assembled.
struct Block {
    text: String,
    /// Byte offset in `text` where each line starts, with its line number.
    starts: Vec<(usize, u64)>,
    depth: i64,
}

/// The per-source extraction state.
pub struct Extractor {
    record: u64,
    context: Context,
    sse_error_at: Option<u64>,
    /// Did the last line end an error ([`ends_an_error`])?
    after_an_error: bool,
    block: Option<Block>,
}

impl Extractor {
    /// `dating` reads timestamps that lack a zone or (syslog) a year.
    pub fn new(dating: impl Into<Dating>) -> Extractor {
        Extractor {
            record: 0,
            context: Context::new(CONTEXT_LINES as usize, dating),
            sse_error_at: None,
            after_an_error: false,
            block: None,
        }
    }

    /// The current record's sequence number: it grows by one at each line that starts a record.
    pub fn record(&self) -> u64 {
        self.record
    }

    /// Is a multi-line body being assembled?
    pub fn is_holding(&self) -> bool {
        self.block.is_some()
    }

    /// Takes one line and appends what it finds to `out`.
    #[inline(always)]
    pub fn push(&mut self, line: Line<'_>, lexicon: &Lexicon, out: &mut Vec<Finding>) {
        let (number, bytes) = (line.number, line.bytes);
        if let Some(block) = &mut self.block {
            let text = line.as_text();
            block.starts.push((block.text.len() + 1, number));
            block.text.push('\n');
            block.text.push_str(&text);
            block.depth += brace_balance(bytes);
            if block.depth <= 0
                || block.starts.len() >= MAX_BLOCK_LINES
                || block.text.len() >= MAX_BLOCK_BYTES
            {
                self.after_an_error = ends_an_error(bytes);
                self.finish_block(line.chunk, lexicon, out);
            }
            return;
        }
        let after_an_error = std::mem::replace(&mut self.after_an_error, ends_an_error(bytes));
        if !continues_record(bytes, after_an_error) {
            self.record += 1;
            self.context.start_record(line.placed(), line.envelope_time);
        }
        // A body printed over lines (`retrying 401 {`, Rust's `failed: ApiError(`): held until
        // its brackets close. Not the indented code lines of a traceback (`return f(`).
        let trimmed = bytes.trim_ascii_end();
        if trimmed.ends_with(b"{")
            || (trimmed.ends_with(b"(") && !bytes.first().is_some_and(u8::is_ascii_whitespace))
        {
            let depth = brace_balance(bytes);
            if depth > 0 {
                let text = line.as_text().into_owned();
                self.block = Some(Block { text, starts: vec![(0, number)], depth });
                return;
            }
        }
        // A line without a trigger word holds no clue worth knowing (every clue of a counted
        // provider, and every host, holds one): its hint is known to be none without a search.
        // One with only a message signal holds no host or field either.
        let hint = match line.look.unwrap_or_else(|| prefilter::look(bytes, lexicon)) {
            Look::Pass => LineHint::Known(None),
            Look::Glance => LineHint::Unknown { names_source: false },
            Look::Search => {
                let text = line.as_text();
                let found = self.search(&text, &[(0, number)], number, line.chunk, lexicon, out);
                match found {
                    // The line's hint, worked out from its own bytes, is the one context would find.
                    Some(hint) if matches!(text, std::borrow::Cow::Borrowed(_)) => LineHint::Known(hint),
                    _ => LineHint::Unknown { names_source: true },
                }
            }
        };
        self.context.push(self.record, line.placed(), hint, line.chunk, lexicon);
        if bytes.starts_with(b"event: error") || bytes.starts_with(b"event:error") {
            self.sse_error_at = Some(number);
        }
    }

    /// The source's line numbers start over (a file truncated, or resumed after the lines read
    /// again for context): an `event: error` line of before must not be taken for the one
    /// before a later line that has its number plus one.
    pub fn renumbered(&mut self) {
        self.sse_error_at = None;
    }

    /// The chunk the last lines came from is about to be reused: what is kept of it is copied.
    pub fn end_chunk(&mut self, chunk: &[u8]) {
        self.context.end_chunk(chunk);
    }

    /// End of input, or the source went quiet: search whatever is still held.
    pub fn flush(&mut self, lexicon: &Lexicon, out: &mut Vec<Finding>) {
        if self.block.is_some() {
            // Called between chunks: nothing kept is still in one.
            self.finish_block(&[], lexicon, out);
        }
    }

    /// `chunk`: the chunk being fed, where lines kept before the block may still be.
    fn finish_block(&mut self, chunk: &[u8], lexicon: &Lexicon, out: &mut Vec<Finding>) {
        let Some(block) = self.block.take() else { return };
        let last = block.starts.last().map_or(0, |s| s.1);
        self.search(&block.text, &block.starts, last, chunk, lexicon, out);
        for (i, (at, _)) in block.starts.iter().enumerate() {
            let end = block.starts.get(i + 1).map_or(block.text.len(), |n| n.0 - 1);
            // The block's text is its own, not the chunk's: its lines are kept as copies.
            let bytes = &block.text.as_bytes()[*at..end];
            let hint = LineHint::Unknown { names_source: true };
            self.context.push(self.record, Placed { bytes, at: None }, hint, chunk, lexicon);
        }
    }

    /// Searches `text`; returns its provider hint when there was a candidate to work it out for.
    fn search(
        &mut self,
        text: &str,
        starts: &[(usize, u64)],
        last: u64,
        chunk: &[u8],
        lexicon: &Lexicon,
        out: &mut Vec<Finding>,
    ) -> Option<Option<Hint>> {
        let candidates = spans::find(text, lexicon);
        if candidates.is_empty() {
            return None;
        }
        let line_hint = hints::find(text, lexicon);
        let ours = line_hint.is_some_and(|h| h.counted && h.strength >= hints::Strength::Host);
        let foreign_url = !ours && has_url(text);
        // Another service named on the line, or on the record's first line (`upstream
        // sms-gateway failed:` over a traceback), is the service of the bodies below it. Not
        // looked for with the provider's own host on the line: a clue on the line decides.
        let other_service = if ours { None } else { self.other_service(text, chunk, lexicon) };
        let (record, recent) = self.context.nearby(self.record, chunk, lexicon);
        let timestamp = self.context.record_time(chunk);
        for candidate in candidates {
            let line = starts.iter().rev().find(|(at, _)| *at <= candidate.offset).map_or(last, |s| s.1);
            let around = Surroundings {
                line: line_hint,
                record,
                recent,
                sse_error: self.sse_error_at.is_some_and(|at| at + 1 == line),
                foreign_url,
                other_service: other_service.clone(),
            };
            out.push(Finding { line, record: self.record, timestamp, candidate, around });
        }
        Some(line_hint)
    }
}

impl Extractor {
    fn other_service(&self, text: &str, chunk: &[u8], lexicon: &Lexicon) -> Option<String> {
        services::named(text, lexicon).or_else(|| {
            let head = self.context.record_head(chunk);
            // Most records are one line, which was just asked.
            if text.as_bytes().starts_with(head) {
                return None;
            }
            services::named(&String::from_utf8_lossy(head), lexicon)
        })
    }
}

/// A line as text: borrowed when it is valid UTF-8 (nearly always; `from_utf8` checks that far
/// faster than `from_utf8_lossy` walks it), else with the bad bytes replaced.
fn as_text(line: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(line) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(line),
    }
}

/// Lines that belong to the record before them (`after_an_error`: the line before
/// [`ends_an_error`]): indented lines,
/// traceback headers, blank lines between chained exceptions, and an exception line
/// (`openai.RateLimitError: ...`), which ends a Python traceback or follows the log line of a
/// Java one, unless what came before it was a finished error: the frames of a JavaScript
/// stack (`    at f (file.js:1:2)`) or the closing bracket of a printed object. Node prints
/// each error so, starting with its exception line.
#[inline(always)]
pub fn continues_record(line: &[u8], after_an_error: bool) -> bool {
    continues_record_alone(line) && !(after_an_error && is_exception_line(line))
}

/// `    at f (file.js:1:2)`, `}`: what ends an error Node printed.
pub fn ends_an_error(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    trimmed.first().is_some_and(|b| matches!(b, b'}' | b']'))
        || (line.first().is_some_and(u8::is_ascii_whitespace) && trimmed.starts_with(b"at "))
}

#[inline(always)]
fn continues_record_alone(line: &[u8]) -> bool {
    // Dispatched on the first byte: this runs on every line, and most start with a digit or `[`.
    match line.first() {
        None | Some(b' ' | b'\t') => true,
        Some(b'T') if line.starts_with(b"Traceback (most recent call last)") => true,
        Some(b'D') if line.starts_with(b"During handling of the above exception") => true,
        Some(b'T') if line.starts_with(b"The above exception was the direct cause") => true,
        Some(b'C') if line.starts_with(b"Caused by: ") => true,
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => is_exception_line(line),
        Some(_) => false,
    }
}

/// `zhipuai.core._errors.APIReachLimitError: ...`, `openai.RateLimitError: ...`.
fn is_exception_line(line: &[u8]) -> bool {
    // A qualified class name starts with a letter or `_`: most log lines start with a digit or `[`.
    if !line.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return false;
    }
    let name_end = line.iter().position(|b| *b == b':' || *b == b' ').unwrap_or(line.len());
    let name = &line[..name_end];
    name_end < line.len()
        && line[name_end] == b':'
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
        && [&b"Error"[..], b"Exception", b"Warning"].iter().any(|s| name.ends_with(s))
}

/// Opening minus closing brackets of any kind outside strings. A string opens at a quote where
/// a value or key may start (after a bracket, a separator or a space), so the apostrophe of
/// `We're` in bare text opens none; it closes at the same quote unescaped.
fn brace_balance(text: &[u8]) -> i64 {
    let mut depth = 0i64;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut prev = b' ';
    for &b in text {
        match (quote, b) {
            _ if escaped => escaped = false,
            (_, b'\\') => escaped = true,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"') => quote = Some(b),
            (None, b'\'') if matches!(prev, b' ' | b'\t' | b':' | b'=' | b',' | b'(' | b'[' | b'{') => {
                quote = Some(b)
            }
            (None, b'{' | b'[' | b'(') => depth += 1,
            (None, b'}' | b']' | b')') => depth -= 1,
            _ => {}
        }
        prev = b;
    }
    depth
}

/// Does `text` hold `://`? A literal search built once: every error line asks.
fn has_url(text: &str) -> bool {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memchr::memmem::Finder::new("://")).find(text.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(lines: &[&str]) -> Vec<Finding> {
        let catalog = crate::test_support::catalog();
        let mut x = Extractor::new(2026);
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            x.push(Line::alone(i as u64 + 1, l.as_bytes()), catalog.lexicon(), &mut out);
        }
        x.flush(catalog.lexicon(), &mut out);
        out
    }

    #[test]
    fn pretty_printed_body_is_one_finding_on_its_code_line() {
        let f = findings(&[
            "2026-11-02 10:00:01 ERROR upstream said: {",
            r#"  "error": {"#,
            r#"    "code": "1113","#,
            r#"    "message": "欠费""#,
            "  }",
            "}",
            "2026-11-02 10:00:02 INFO next",
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 3);
    }

    #[test]
    fn traceback_lines_share_one_record() {
        let lines = [
            "2026-11-02 10:00:01,000 ERROR app: llm call failed",
            "Traceback (most recent call last):",
            r#"  File "/usr/lib/python3/site-packages/zhipuai/core/_http_client.py", line 1, in request"#,
            "zhipuai.core._errors.APIReachLimitError: Error code: 429, with error text {\"error\":{\"code\":\"1302\",\"message\":\"x\"}}",
            "2026-11-02 10:00:02,000 INFO app: next",
        ];
        let f = findings(&lines);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].line, f[0].record), (4, 1));
        assert_eq!(
            f[0].around.record.map(|h| h.provider),
            Some(crate::catalog::Provider::from_static("zhipu"))
        );
        assert_eq!(crate::timestamp::format(f[0].timestamp.unwrap()), "2026-11-02T10:00:01Z");
    }

    #[test]
    fn exception_lines_are_recognized() {
        assert!(is_exception_line(b"openai.RateLimitError: Error code: 429"));
        assert!(!is_exception_line(b"2026-11-02 ERROR: x"));
        assert!(!is_exception_line(b"INFO: ok"));
    }
}
