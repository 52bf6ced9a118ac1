//! Extraction: from the lines of one source to candidate provider errors with the evidence
//! around them. Knows lines and text; knows nothing of files, the catalog or metrics.
//!
//! Per source it keeps: the current *record* (a log line with its continuation lines, such as
//! a Python traceback), so one error printed twice in a traceback is one error; the provider
//! evidence of that record and of the last [`CONTEXT_LINES`] lines; and pretty-printed JSON
//! bodies spread over several lines, assembled into one text before searching.

pub mod hints;
mod jsonish;
mod prefilter;
mod shapes;
mod spans;
mod text_forms;

pub use hints::Hint;
pub use shapes::ShapeMatch;
pub use spans::{Candidate, CandidateKind};

use crate::timestamp::{self, EpochMillis};

/// Lines after a provider is named during which a bare error is taken to be that provider's.
pub const CONTEXT_LINES: u64 = 20;
/// A multi-line JSON body longer than this is searched line by line instead.
const MAX_BLOCK_LINES: usize = 200;
const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// Evidence about the provider from around a candidate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// From the same line (or the same multi-line body).
    pub line: Option<Hint>,
    /// From the same record or the recent lines of the same source.
    pub nearby: Option<Hint>,
    /// The line follows an SSE `event: error`.
    pub sse_error: bool,
}

impl Surroundings {
    pub fn best(&self) -> Option<Hint> {
        self.line.or(self.nearby)
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

/// A pretty-printed body being assembled.
struct Block {
    text: String,
    /// Byte offset in `text` where each line starts, with its line number.
    starts: Vec<(usize, u64)>,
    depth: i64,
}

/// The per-source extraction state.
pub struct Extractor {
    default_year: i32,
    record: u64,
    record_time: Option<EpochMillis>,
    record_hint: Option<Hint>,
    recent_hint: Option<(Hint, u64)>,
    sse_error_at: Option<u64>,
    block: Option<Block>,
}

impl Extractor {
    /// `default_year` dates syslog lines, which carry none.
    pub fn new(default_year: i32) -> Extractor {
        Extractor {
            default_year,
            record: 0,
            record_time: None,
            record_hint: None,
            recent_hint: None,
            sse_error_at: None,
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

    /// Takes one line (without its newline) and appends what it finds to `out`.
    pub fn push(&mut self, number: u64, text: &str, out: &mut Vec<Finding>) {
        if let Some(block) = &mut self.block {
            block.starts.push((block.text.len() + 1, number));
            block.text.push('\n');
            block.text.push_str(text);
            block.depth += brace_balance(text);
            if block.depth <= 0
                || block.starts.len() >= MAX_BLOCK_LINES
                || block.text.len() >= MAX_BLOCK_BYTES
            {
                self.finish_block(out);
            }
            return;
        }
        if !continues_record(text) {
            self.start_record(text);
        }
        let line_hint = hints::find(text);
        self.note_hint(line_hint, number);
        if text.trim_end().ends_with('{') && brace_balance(text) > 0 {
            self.block = Some(Block {
                text: text.to_string(),
                starts: vec![(0, number)],
                depth: brace_balance(text),
            });
            return;
        }
        if prefilter::worth_searching(text) {
            self.search(text, &[(0, number)], line_hint, number, out);
        }
        if text.starts_with("event: error") || text.starts_with("event:error") {
            self.sse_error_at = Some(number);
        }
    }

    /// End of input, or the source went quiet: search whatever is still held.
    pub fn flush(&mut self, out: &mut Vec<Finding>) {
        if self.block.is_some() {
            self.finish_block(out);
        }
    }

    fn finish_block(&mut self, out: &mut Vec<Finding>) {
        let Some(block) = self.block.take() else {
            return;
        };
        let last = block.starts.last().map_or(0, |s| s.1);
        let hint = hints::find(&block.text);
        self.note_hint(hint, last);
        self.search(&block.text, &block.starts, hint, last, out);
    }

    fn start_record(&mut self, first_line: &str) {
        self.record += 1;
        self.record_hint = None;
        self.record_time = timestamp::parse(first_line, self.default_year);
    }

    fn note_hint(&mut self, hint: Option<Hint>, number: u64) {
        if let Some(h) = hint {
            if self.record_hint.is_none_or(|r| h.strength >= r.strength) {
                self.record_hint = Some(h);
            }
            self.recent_hint = Some((h, number));
        }
    }

    fn search(
        &self,
        text: &str,
        starts: &[(usize, u64)],
        line_hint: Option<Hint>,
        last: u64,
        out: &mut Vec<Finding>,
    ) {
        let recent = self
            .recent_hint
            .filter(|(_, at)| last.saturating_sub(*at) <= CONTEXT_LINES)
            .map(|(h, _)| h);
        for candidate in spans::find(text) {
            let line = starts
                .iter()
                .rev()
                .find(|(at, _)| *at <= candidate.offset)
                .map_or(last, |s| s.1);
            let around = Surroundings {
                line: line_hint,
                nearby: self.record_hint.or(recent),
                sse_error: self.sse_error_at.is_some_and(|at| at + 1 == line),
            };
            out.push(Finding {
                line,
                record: self.record,
                timestamp: self.record_time,
                candidate,
                around,
            });
        }
    }
}

/// Lines that belong to the record before them: indented lines, traceback headers, the
/// exception line that ends a traceback, and blank lines between chained exceptions.
fn continues_record(line: &str) -> bool {
    let first = line.as_bytes().first();
    first.is_none()
        || matches!(first, Some(b' ' | b'\t'))
        || line.starts_with("Traceback (most recent call last)")
        || line.starts_with("During handling of the above exception")
        || line.starts_with("The above exception was the direct cause")
        || line.starts_with("Caused by: ")
        || is_exception_line(line)
}

/// `zhipuai.core._errors.APIReachLimitError: ...`, `openai.RateLimitError: ...`.
fn is_exception_line(line: &str) -> bool {
    let name_end = line.find([':', ' ']).unwrap_or(line.len());
    let name = &line[..name_end];
    name_end < line.len()
        && line.as_bytes()[name_end] == b':'
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && ["Error", "Exception", "Warning"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Opening minus closing braces outside double-quoted strings.
fn brace_balance(text: &str) -> i64 {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => in_string = !in_string,
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(lines: &[&str]) -> Vec<Finding> {
        let mut x = Extractor::new(2026);
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            x.push(i as u64 + 1, l, &mut out);
        }
        x.flush(&mut out);
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
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].record), (4, 1));
        assert_eq!(
            f[0].around.nearby.map(|h| h.provider),
            Some(crate::catalog::Provider::Zhipu)
        );
        assert_eq!(
            crate::timestamp::format(f[0].timestamp.unwrap()),
            "2026-11-02T10:00:01Z"
        );
    }

    #[test]
    fn exception_lines_are_recognized() {
        assert!(is_exception_line("openai.RateLimitError: Error code: 429"));
        assert!(!is_exception_line("2026-11-02 ERROR: x"));
        assert!(!is_exception_line("INFO: ok"));
    }
}
