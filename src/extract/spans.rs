//! Finding candidate error responses in one text (a line, or a record assembled from lines).
//!
//! Objects are tried at each `{`; a parsed object is searched for provider shapes, and its
//! string values, which often carry another escaped body, are searched again. Escaped bodies
//! outside JSON (`err="{\"error\": ..}"`) are unescaped one level and searched. Then the SDK
//! exception texts, `key=value` pairs and HTTP status lines, which are not objects.
//!
//! Every line of a dense log goes through here, so the parse tapes, decoded strings and lists
//! a search needs are [`Scratch`] reused from one text to the next: past the first lines, a
//! search allocates only the candidates it returns.

use std::cell::RefCell;

use super::lexicon::Lexicon;
use super::notation::{self, Object, Tape, Value};
use super::shapes::{self, ShapeMatch};
use super::signals;
use super::text_forms;

/// How many times a string inside a string may be searched again: a body escaped in a log
/// record escaped in another record is real; deeper is an attack.
const MAX_STRING_DEPTH: usize = 4;
/// Bytes unescaped at once when an escaped body is found outside JSON.
const MAX_UNESCAPE_BYTES: usize = 256 * 1024;

/// Something on a line that may be a provider error, before the catalog is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Byte offset in the searched text where the code (or message, or status) appears.
    pub offset: usize,
    pub kind: CandidateKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateKind {
    /// A provider-shaped response body.
    Shape(ShapeMatch),
    /// A code in `key=value` form: the shape does not say which provider.
    Loose { code: String, message: Option<String>, http_status: Option<u16> },
    /// An SDK exception that kept only the status and the provider's message.
    Message { message: String, http_status: Option<u16> },
    /// Only an HTTP status, for the provider whose URL is on the line.
    Status { status: u16 },
}

/// Every candidate in `text`, in order of appearance.
pub fn find(text: &str, lexicon: &Lexicon) -> Vec<Candidate> {
    let mut out = Vec::new();
    Scratch::with(|scratch| search(text, 0, 0, Pairs::Search, lexicon, scratch, &mut out));
    attach_status(&mut out);
    out.sort_by_key(|c| c.offset);
    out
}

/// Buffers a search borrows and gives back, kept per thread between texts. Searches nest (a
/// string value is searched inside the search of its object), so tapes and decoded strings are
/// pools, one in use per level; the lists are stacks, each level using the part past where
/// it found them.
#[derive(Default)]
struct Scratch {
    tapes: Vec<Tape>,
    strings: Vec<String>,
    /// The parts of each text no object or escaped body covered.
    uncovered: Vec<(usize, usize)>,
    /// Fields of each object being visited, in the order to visit them.
    fields: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// A buffer grown past this by one huge line is dropped rather than kept for the next.
const KEPT_BYTES: usize = 1 << 20;

impl Scratch {
    fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|cell| {
            // Taken, not borrowed: were a search ever to start another, that one would begin
            // with empty buffers instead of panicking on a borrowed cell.
            let mut scratch = cell.take();
            let result = f(&mut scratch);
            cell.replace(scratch);
            result
        })
    }

    fn tape(&mut self) -> Tape {
        self.tapes.pop().unwrap_or_default()
    }

    fn give_tape(&mut self, tape: Tape) {
        if tape.heap_bytes() <= KEPT_BYTES {
            self.tapes.push(tape);
        }
    }

    fn string(&mut self) -> String {
        let mut s = self.strings.pop().unwrap_or_default();
        s.clear();
        s
    }

    fn give_string(&mut self, s: String) {
        if s.capacity() <= KEPT_BYTES {
            self.strings.push(s);
        }
    }
}

/// Whether the uncovered parts of a text are searched for `key=value` pairs: not in a body
/// unescaped from outside JSON, where they would be the same error's fields again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pairs {
    Search,
    Skip,
}

/// Searches `text`, whose offset 0 is `base` in the line. The ranges of it that no object or
/// escaped body covered are where the non-object forms are then looked for (so a body's own
/// text is not seen twice).
fn search(
    text: &str,
    base: usize,
    depth: usize,
    pairs: Pairs,
    lexicon: &Lexicon,
    scratch: &mut Scratch,
    out: &mut Vec<Candidate>,
) {
    let bytes = text.as_bytes();
    let first = scratch.uncovered.len();
    let mut tape = scratch.tape();
    let mut resume = 0;
    for at in memchr::memchr3_iter(b'{', b'(', b'[', bytes) {
        if at < resume || !opens_fields(bytes, at) {
            continue;
        }
        // Python's repr of bytes (`b'{"message":"\xe5\x9b\xbe.."}'`): its escapes are the
        // literal's, not the body's. Decoded once, then searched as the body it holds.
        if bytes[at] == b'{' && at >= 2 && &bytes[at - 2..at] == b"b'" && depth < MAX_STRING_DEPTH {
            let mut decoded = scratch.string();
            if let Some(used) = notation::quoted(&text[at - 1..], &mut decoded) {
                let before = out.len();
                search(&decoded, base + at, depth + 1, Pairs::Skip, lexicon, scratch, out);
                // Offsets in the decoded text do not map back to the line: the literal's.
                out[before..].iter_mut().for_each(|c| c.offset = base + at);
                scratch.give_string(decoded);
                scratch.uncovered.push((resume, at));
                resume = at - 1 + used;
                continue;
            }
            scratch.give_string(decoded);
        }
        if let Some((value, used)) = tape.parse_object(&text[at..]) {
            visit(value, &text[at..at + used], base + at, depth, None, lexicon, scratch, out);
            scratch.uncovered.push((resume, at));
            resume = at + used;
            continue;
        }
        if bytes[at] == b'{' && depth < MAX_STRING_DEPTH && starts_escaped(&bytes[at + 1..]) {
            let end = (at + MAX_UNESCAPE_BYTES).min(text.len());
            let end = (0..=end - at).rev().map(|n| at + n).find(|&e| text.is_char_boundary(e)).unwrap_or(at);
            let mut unescaped = scratch.string();
            unescape_once(&text[at..end], &mut unescaped);
            search(&unescaped, base + at, depth + 1, Pairs::Skip, lexicon, scratch, out);
            scratch.give_string(unescaped);
            scratch.uncovered.push((resume, at));
            resume = end;
        }
    }
    scratch.uncovered.push((resume, text.len()));
    runs(text, base, depth, first, &mut tape, lexicon, scratch, out);
    scratch.give_tape(tape);
    let uncovered = &scratch.uncovered[first..];
    for &(start, end) in uncovered.iter().filter(|(s, e)| e > s) {
        // A part that ends where a body starts: what leads up to it introduces that body.
        let body_follows = end < text.len();
        text_forms::exception_texts(&text[start..end], base + start, body_follows, lexicon, out);
    }
    if pairs == Pairs::Search {
        for &(start, end) in uncovered.iter().filter(|(s, e)| e > s) {
            text_forms::key_values(&text[start..end], base + start, out);
        }
    }
    scratch.uncovered.truncate(first);
}

/// Reads the runs of bracket-less fields that start with a code (`code: 4100, msg: ..`) in
/// the parts of `text` no object covered (`scratch.uncovered[first..]`); a run that is a
/// provider's body covers its part too.
#[allow(clippy::too_many_arguments)]
fn runs(
    text: &str,
    base: usize,
    depth: usize,
    first: usize,
    tape: &mut Tape,
    lexicon: &Lexicon,
    scratch: &mut Scratch,
    out: &mut Vec<Candidate>,
) {
    let bytes = text.as_bytes();
    let mut i = first;
    while i < scratch.uncovered.len() {
        let (start, end) = scratch.uncovered[i];
        let part = &bytes[start..end];
        let found = memchr::memchr2_iter(b'c', b'C', part).map(|at| start + at).find_map(|at| {
            if !starts_run(bytes, at) {
                return None;
            }
            let (value, used) = tape.parse_run(&text[at..end])?;
            let before = out.len();
            visit(value, &text[at..at + used], base + at, depth, None, lexicon, scratch, out);
            (out.len() > before).then_some((at, at + used))
        });
        match found {
            Some((at, after)) => {
                scratch.uncovered[i] = (start, at);
                scratch.uncovered.insert(i + 1, (after, end));
                i += 1;
            }
            None => i += 1,
        }
    }
}

/// `code:` or `Code :` after punctuation (`Error: code: 4100`, `"Code: 5000`), not a word's
/// end (`status code: 400` is go-openai's status), nor `code=` (a `key=value` pair).
fn starts_run(bytes: &[u8], at: usize) -> bool {
    let word = bytes.get(at..at + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"code"));
    let before = bytes[..at].iter().rev().find(|b| **b != b' ');
    let at_start = before.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    let colon = bytes[at + 4.min(bytes.len() - at)..].iter().position(|b| *b != b' ');
    word && at_start
        && colon.is_some_and(|c| bytes[at + 4 + c] == b':' && bytes.get(at + 5 + c) != Some(&b'/'))
}

/// Could an object start at `bytes[at]`? Any `{`; the `(` of `Name(key=` (Java, Kotlin,
/// Lombok); the `[` of Go's `map[key:`. Parentheses and brackets are everywhere in prose and
/// stack frames: only those are tried.
fn opens_fields(bytes: &[u8], at: usize) -> bool {
    match bytes[at] {
        b'{' => true,
        b'(' => {
            at > 0
                && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
                && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic)
                && {
                    let key = bytes[at + 1..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_');
                    bytes.get(at + 1 + key.count()) == Some(&b'=')
                }
        }
        _ => bytes[..at].ends_with(b"map") && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic),
    }
}

/// `{\"error\"` or `{ \'code\'`: a body escaped inside a quoted string.
fn starts_escaped(after_brace: &[u8]) -> bool {
    let rest = after_brace.iter().skip_while(|b| **b == b' ');
    let mut rest = rest.copied();
    rest.next() == Some(b'\\') && matches!(rest.next(), Some(b'"' | b'\'' | b'\\'))
}

/// Appends `text` to `out` with one level of backslash escapes taken off.
fn unescape_once(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let mut after = rest[at + 1..].chars();
        match after.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
        rest = after.as_str();
    }
    out.push_str(rest);
}

/// Searches a parsed value, a body or a part of one that [`may_hold_candidates`] let through,
/// for provider shapes. A matched object is not searched further: its insides are the same
/// error. A `status` field beside a body is the body's status.
#[allow(clippy::too_many_arguments)]
fn visit(
    value: Value<'_>,
    span: &str,
    offset: usize,
    depth: usize,
    status: Option<u16>,
    lexicon: &Lexicon,
    scratch: &mut Scratch,
    out: &mut Vec<Candidate>,
) {
    if let Some(obj) = value.as_object() {
        let fields = shapes::Fields::of(obj, lexicon);
        // The object's own status (`status: 429` beside `error: {...}`) is its body's.
        let own_status = fields.status(lexicon.status_keys());
        let status = own_status.or(status);
        if let Some(mut shape) = shapes::recognize(&fields, lexicon) {
            shape.http_status = shape.http_status.or(status);
            // An SDK's error object copies its body's fields (`code: 400`, `message: '400 ..'`)
            // around the body itself (`error: {code, reason, message}`): a body inside an
            // object that only looks like one is the error.
            // (Only a body of another shape: the same provider's is this one, read without
            // what its wrapper adds.)
            if !shape.distinctive {
                let before = out.len();
                visit_fields(obj, span, offset, depth, status, lexicon, scratch, out);
                let other = |c: &Candidate| matches!(&c.kind, CandidateKind::Shape(s) if s.provider != shape.provider);
                if out[before..].iter().any(other) {
                    return;
                }
                out.truncate(before);
            }
            // The code's own place: `status: 500` may come before `code: '500'`.
            let at = shape.code_at.min(span.len());
            out.push(Candidate { offset: offset + at, kind: CandidateKind::Shape(shape) });
            return;
        }
        if let Some(message) = shapes::wrapped_message(&fields, lexicon) {
            out.push(Candidate { offset, kind: CandidateKind::Message { message, http_status: status } });
            return;
        }
        let before = out.len();
        visit_fields(obj, span, offset, depth, status, lexicon, scratch, out);
        if out.len() > before {
            return;
        }
        // Nothing in its fields: a body that kept its status and message but not its code
        // (an Ark body without `code`) is known by the message; an error that kept only its
        // status (go-openai's `&{HTTPStatus:404 Not Found HTTPStatusCode:404 Err:<nil>
        // Body:[]}`) is that status, as `status=404` in text is.
        if let Some((message, status)) = shapes::message_beside_status(&fields, lexicon) {
            out.push(Candidate {
                offset,
                kind: CandidateKind::Message { message, http_status: Some(status) },
            });
        } else if let Some(status) = own_status {
            out.push(Candidate { offset, kind: CandidateKind::Status { status } });
        }
        return;
    }
    for item in value.items().filter(|v| may_hold_candidates(*v)) {
        visit(item, span, offset, depth, status, lexicon, scratch, out);
    }
    let Some(text) = value.as_str().filter(|_| depth < MAX_STRING_DEPTH) else {
        return;
    };
    let mut decoded = scratch.string();
    // A string without escapes got here only if it might hold an error.
    let s = match text.plain() {
        Some(raw) => Some(raw),
        None => {
            text.decode_into(&mut decoded);
            Some(decoded.as_str()).filter(|s| might_hold_error(s))
        }
    };
    if let Some(s) = s {
        let before = out.len();
        search(s, offset, depth + 1, Pairs::Search, lexicon, scratch, out);
        // Offsets inside a decoded string do not map back to the line; use the object's.
        for c in &mut out[before..] {
            c.offset = offset;
        }
    }
    scratch.give_string(decoded);
}

/// Visits an object's fields in key order, as a map of them would give them: the order of two
/// candidates of one object decides which of them correlation keeps, and it has always been this.
#[allow(clippy::too_many_arguments)]
fn visit_fields(
    obj: Object<'_>,
    span: &str,
    offset: usize,
    depth: usize,
    status: Option<u16>,
    lexicon: &Lexicon,
    scratch: &mut Scratch,
    out: &mut Vec<Candidate>,
) {
    let first = scratch.fields.len();
    obj.push_map_order(may_hold_candidates, &mut scratch.fields);
    for i in first..scratch.fields.len() {
        let field = obj.value(scratch.fields[i]);
        visit(field, span, offset, depth, status, lexicon, scratch, out);
    }
    scratch.fields.truncate(first);
}

/// Could visiting `value` find anything? Not in a number, nor in a string [`might_hold_error`]
/// turns down (decoding never lengthens a string, and only an escape could make a `{` or a
/// `code` that is not there already).
fn may_hold_candidates(value: Value<'_>) -> bool {
    match value.as_str() {
        Some(text) => text.raw().len() > 8 && (text.plain().is_none() || might_hold_error(text.raw())),
        None => value.as_object().is_some() || value.items().next().is_some(),
    }
}

/// Could a string hold an error: a body, a code, a status line, or an SDK's exception text
/// (a JSON log's `"err": "400 Client Error: Bad Request for url: .."`)?
fn might_hold_error(s: &str) -> bool {
    // One pass for the three, not one per literal: this is asked of every string of a body.
    let bytes = s.as_bytes();
    s.len() > 8
        && (memchr::memchr3_iter(b'{', b'c', b'H', bytes).any(|at| {
            let rest = &bytes[at..];
            rest[0] == b'{' || rest.starts_with(b"code") || rest.starts_with(b"HTTP/")
        }) || memchr::memchr_iter(b'C', bytes).any(|at| bytes[at..].starts_with(b"Code"))
            // A status line or an exception text is words: ids and codes hold no space.
            || (memchr::memchr(b' ', bytes).is_some()
                && (signals::has_error_status(bytes) || text_forms::may_hold_statement(bytes))))
}

/// `status=429 body={...}`: the status belongs to the body beside it, not a second error.
fn attach_status(out: &mut Vec<Candidate>) {
    let has_status = out.iter().any(|c| matches!(c.kind, CandidateKind::Status { .. }));
    let has_other = out.iter().any(|c| !matches!(c.kind, CandidateKind::Status { .. }));
    if has_status && !has_other {
        // The same status said twice (`Error code: 400 - {"statusCode":400}`) is one error's.
        let mut said: Vec<u16> = Vec::new();
        out.retain(|c| match c.kind {
            CandidateKind::Status { status } if said.contains(&status) => false,
            CandidateKind::Status { status } => {
                said.push(status);
                true
            }
            _ => true,
        });
    }
    if !(has_status && has_other) {
        return;
    }
    let status = out.iter().find_map(|c| match c.kind {
        CandidateKind::Status { status } => Some(status),
        _ => None,
    });
    out.retain(|c| !matches!(c.kind, CandidateKind::Status { .. }));
    for c in out.iter_mut() {
        let slot = match &mut c.kind {
            CandidateKind::Shape(s) => &mut s.http_status,
            CandidateKind::Loose { http_status, .. } | CandidateKind::Message { http_status, .. } => {
                http_status
            }
            CandidateKind::Status { .. } => continue,
        };
        if slot.is_none() {
            *slot = status;
        }
    }
}

/// The text of each fixture log.
#[cfg(test)]
pub(super) fn fixture_logs() -> Vec<String> {
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs")];
    let mut logs = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures readable") {
            let path = entry.expect("fixtures readable").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "log") {
                let bytes = std::fs::read(&path).expect("fixtures readable");
                logs.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    logs
}

/// Every line of every fixture log.
#[cfg(test)]
pub(super) fn fixture_lines() -> Vec<String> {
    fixture_logs().iter().flat_map(|log| log.lines().map(str::to_string).collect::<Vec<_>>()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Provider;
    use proptest::prelude::*;

    fn shapes_in(text: &str) -> Vec<(Provider, String)> {
        find(text, crate::test_support::lexicon())
            .into_iter()
            .filter_map(|c| match c.kind {
                CandidateKind::Shape(s) => Some((s.provider, s.code)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn raw_escaped_nested_and_repr_bodies() {
        let raw = r#"2026-11-02 10:00:01 ERROR upstream 429 body={"error":{"code":"1302","message":"x"}}"#;
        assert_eq!(shapes_in(raw), vec![(Provider::from_static("zhipu"), "1302".to_string())]);
        let escaped = r#"{"level":"error","err":"Error code: 429 - {\"error\": {\"code\": \"1113\", \"message\": \"m\"}}"}"#;
        assert_eq!(shapes_in(escaped), vec![(Provider::from_static("zhipu"), "1113".to_string())]);
        let twice =
            r#"{"log":"{\"level\":\"error\",\"err\":\"{\\\"code\\\":4011,\\\"msg\\\":\\\"m\\\"}\"}"}"#;
        assert_eq!(shapes_in(twice), vec![(Provider::from_static("coze"), "4011".to_string())]);
        let repr = r#"openai.RateLimitError: Error code: 429 - {'error': {'code': '1302', 'message': 'x', 'param': None}}"#;
        assert_eq!(shapes_in(repr), vec![(Provider::from_static("zhipu"), "1302".to_string())]);
        let logfmt =
            r#"level=error err="{\"code\":429,\"reason\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"m\"}""#;
        assert_eq!(
            shapes_in(logfmt),
            vec![(Provider::from_static("ppio"), "RATE_LIMIT_EXCEEDED".to_string())]
        );
    }

    #[test]
    fn the_status_beside_a_body_is_its_status() {
        let line =
            r#"status=429 body={"error":{"code":"1302","message":"x"}} url=https://open.bigmodel.cn/api"#;
        let found = find(line, crate::test_support::lexicon());
        assert_eq!(found.len(), 1);
        match &found[0].kind {
            CandidateKind::Shape(s) => assert_eq!(s.http_status, Some(429)),
            other => panic!("expected a shape, got {other:?}"),
        }
    }

    /// An error object that kept only its status is that status; one with a body, or whose
    /// status is not an error's, is not a second one.
    #[test]
    fn an_object_with_only_a_status_is_that_status() {
        let statuses = |line: &str| -> Vec<Option<u16>> {
            find(line, crate::test_support::lexicon())
                .into_iter()
                .map(|c| match c.kind {
                    CandidateKind::Status { status } => Some(status),
                    _ => None,
                })
                .collect()
        };
        let go = r#"level=error error="&{HTTPStatus:404 Not Found HTTPStatusCode:404 Err:<nil> Body:[]}" url=https://api.ppinfra.com/v3"#;
        assert_eq!(statuses(go), vec![Some(404)]);
        let json = r#"{"msg":"llm call failed","err":{"status":503,"name":"APIError"},"url":"https://api.ppinfra.com"}"#;
        assert_eq!(statuses(json), vec![Some(503)]);
        let ok = r#"{"msg":"request completed","status":200,"url":"https://api.ppinfra.com"}"#;
        assert_eq!(statuses(ok), Vec::<Option<u16>>::new());
        let body = r#"{"status":429,"body":{"error":{"code":"1302","message":"x"}}}"#;
        assert_eq!(statuses(body), vec![None]);
    }

    /// The bodies the finder this one replaced read, one line per way of writing one (taken
    /// from the fixtures when the two agreed, before the old one was retired): each still gives
    /// the same provider shapes. (Where the old finder was wrong, the corpus holds the right
    /// reading: 39 PPIO bodies inside openai-node's error objects, which it read as Zhipu's, and
    /// 6 whose `reason` is the one-word `UNKNOWN`, which both read as Zhipu's.)
    #[test]
    fn reads_every_body_of_the_regression_corpus() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regression/bodies.jsonl");
        let corpus = std::fs::read_to_string(path).expect("the corpus is readable");
        let mut wrong = Vec::new();
        let mut lines = 0;
        for line in corpus.lines() {
            lines += 1;
            let case: serde_json::Value = serde_json::from_str(line).expect("a corpus line is JSON");
            let text = case["text"].as_str().expect("a text");
            let found: Vec<serde_json::Value> = find(text, crate::test_support::lexicon())
                .into_iter()
                .filter_map(|c| match c.kind {
                    CandidateKind::Shape(s) => Some(serde_json::json!({
                        "provider": s.provider.as_str(), "code": s.code, "http_status": s.http_status,
                    })),
                    _ => None,
                })
                .collect();
            // A status the old finder gave must still be given; one it missed (an object's own
            // `status` beside its `error`) may be found now.
            let expected = case["shapes"].as_array().cloned().unwrap_or_default();
            let agrees = found.len() == expected.len()
                && found.iter().zip(&expected).all(|(f, e)| {
                    f["provider"] == e["provider"]
                        && f["code"] == e["code"]
                        && (e["http_status"].is_null() || f["http_status"] == e["http_status"])
                });
            if !agrees {
                wrong.push(format!("{text}\n  expected {}\n  found    {found:?}", case["shapes"]));
            }
        }
        assert!(lines > 1000, "the corpus was read");
        assert!(wrong.is_empty(), "{} of {lines} corpus lines differ:\n{}", wrong.len(), wrong.join("\n"));
    }

    /// Pieces of the syntaxes the finder reads, to make texts of: broken ones mostly.
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ":",
        ",",
        " ",
        "\n",
        "\"",
        "'",
        "\\",
        "\\\"",
        "\\\\\\\"",
        "\\'",
        "\"error\"",
        "\"code\"",
        "\"message\"",
        "\"msg\"",
        "\"reason\"",
        "\"status\"",
        "\"type\"",
        "\"detail\"",
        "\"logid\"",
        "'error'",
        "'code'",
        "\"co\\u0064e\"",
        "1302",
        "429",
        "4011",
        "0",
        "-0",
        "1e999",
        "1.5",
        ".5",
        "1e",
        "+7",
        "None",
        "true",
        "False",
        "null",
        "\"1113\"",
        "\"1302\"",
        "\"RateLimitExceeded.X\"",
        "\"TooManyRequests\"",
        "\"RATE_LIMIT_EXCEEDED\"",
        "\\u0041",
        "\\u12",
        "\\x4",
        "\\ud83d",
        "余额",
        "code=4011 ",
        "reason=RATE_LIMIT ",
        "msg=\"m\" ",
        "Error code: 429 - ",
        "HTTP/1.1 429",
        "status=503 ",
        "body=",
        "\0",
        "{\"error\":{\"code\":\"1302\",\"message\":\"m\"}}",
        "{\\\"code\\\":4011,\\\"msg\\\":\\\"m\\\"}",
        "{'code': 4011, 'msg': 'x', 'detail': {'logid': 'l'}}",
        "code: 4011, msg: m, logid: 1",
    ];

    /// A JSON text made of the keys and values provider bodies have, fields in any order and
    /// keys repeated, whose string values may hold another such text: the escaped bodies of
    /// log records.
    fn body() -> impl Strategy<Value = String> {
        let keys = prop::sample::select(vec![
            "error", "code", "message", "msg", "reason", "status", "type", "detail", "logid", "log", "err",
            "a",
        ]);
        let leaf = prop::sample::select(vec![
            "0",
            "429",
            "503",
            "1113",
            "1302",
            "4011",
            "-5",
            "200",
            "1.5",
            "null",
            "\"1302\"",
            "\"RateLimitExceeded.X\"",
            "\"TooManyRequests\"",
            "\"RATE_LIMIT_EXCEEDED\"",
            "\"m\"",
            "\"余额不足\"",
            "\"\"",
            "\"code=4011 msg=x\"",
            "\"Error code: 429 - over\"",
            "\"HTTP/1.1 429\"",
        ])
        .prop_map(str::to_string);
        leaf.prop_recursive(5, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec((keys.clone(), inner.clone()), 0..9).prop_map(|fields| {
                    let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", fields.join(","))
                }),
                prop::collection::vec(inner.clone(), 0..3).prop_map(|items| format!("[{}]", items.join(","))),
                inner.prop_map(|v| serde_json::Value::String(format!("prefix {v}")).to_string()),
            ]
        })
    }

    /// A body written out as a log line might hold it: JSON, a Python repr, escaped once
    /// outside JSON, behind a status, repeated keys.
    fn line() -> impl Strategy<Value = String> {
        let written = (body(), 0..5u8).prop_map(|(json, how)| match how {
            0 => json,
            1 => json.replace('"', "'").replace("null", "None"),
            2 => format!("err=\"{}\"", json.replace('\\', "\\\\").replace('"', "\\\"")),
            3 => format!("status=429 body={json} url=https://open.bigmodel.cn"),
            _ => json.replacen('{', "{\"code\":1,\"code\":\"1113\",", 1),
        });
        let pieces = prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat());
        prop_oneof![written, pieces.clone(), (pieces.clone(), line_cut()).prop_map(|(a, b)| a + &b)]
    }

    /// A real body cut short somewhere.
    fn line_cut() -> impl Strategy<Value = String> {
        let text = r#"{"log":"{\"err\":\"Error code: 429 - {\\\"error\\\":{\\\"code\\\":\\\"1302\\\"}}\"}"}"#;
        (0..=text.len()).prop_map(move |n| text[..n].to_string())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Whatever the text, the finder ends, and every candidate is placed inside it.
        #[test]
        fn any_text_gives_candidates_placed_inside_it(text in line()) {
            for c in find(&text, crate::test_support::lexicon()) {
                proptest::prop_assert!(c.offset <= text.len(), "{c:?}");
            }
        }

        /// On a JSON text, the reader gives what a JSON parser gives.
        #[test]
        fn reads_json_as_serde_json_does(json in body()) {
            if let Ok(expected @ serde_json::Value::Object(_)) = serde_json::from_str::<serde_json::Value>(&json) {
                let mut tape = Tape::default();
                let read = tape.parse_object(&json).map(|(v, used)| (v.to_json(), used));
                proptest::prop_assert_eq!(read, Some((expected, json.len())));
            }
        }
    }

    #[test]
    fn truncated_bodies_and_garbage_give_nothing() {
        assert!(shapes_in(r#"body={"error":{"code":"1302","mess"#).is_empty());
        assert!(shapes_in(&"{\\\"".repeat(10_000)).is_empty());
        assert!(shapes_in(&"{".repeat(100_000)).is_empty());
    }
}
