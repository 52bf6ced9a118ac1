//! Finding candidate error responses in one text (a line, or a record assembled from lines).
//!
//! Objects are tried at each `{`; a parsed object is searched for provider shapes, and its
//! string values, which often carry another escaped body, are searched again. Escaped bodies
//! outside JSON (`err="{\"error\": ..}"`) are unescaped one level and searched. Then the SDK
//! exception texts, `key=value` pairs and HTTP status lines, which are not objects.

use std::borrow::Cow;

use memchr::memchr_iter;
use serde_json::Value;

use super::jsonish;
use super::shapes::{self, ShapeMatch};
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
pub fn find(text: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (start, end) in search(text, 0, 0, &mut out) {
        text_forms::key_values(&text[start..end], start, &mut out);
    }
    attach_status(&mut out);
    out.sort_by_key(|c| c.offset);
    out
}

/// Searches `text`; returns the byte ranges of it that no object or escaped body covered,
/// where the non-object forms are then looked for (so a body's own text is not seen twice).
fn search(text: &str, base: usize, depth: usize, out: &mut Vec<Candidate>) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut resume = 0;
    let mut uncovered = Vec::new();
    for at in memchr_iter(b'{', bytes) {
        if at < resume {
            continue;
        }
        if let Some((value, used)) = jsonish::parse_object(&text[at..]) {
            visit(&value, &text[at..at + used], base + at, depth, None, out);
            uncovered.push((resume, at));
            resume = at + used;
            continue;
        }
        if depth < MAX_STRING_DEPTH && starts_escaped(&bytes[at + 1..]) {
            let end = (at + MAX_UNESCAPE_BYTES).min(text.len());
            let end = (0..=end - at).rev().map(|n| at + n).find(|&e| text.is_char_boundary(e)).unwrap_or(at);
            let unescaped = unescape_once(&text[at..end]);
            search(&unescaped, base + at, depth + 1, out);
            uncovered.push((resume, at));
            resume = end;
        }
    }
    uncovered.push((resume, text.len()));
    uncovered.retain(|(s, e)| e > s);
    for &(start, end) in &uncovered {
        text_forms::exception_texts(&text[start..end], base + start, out);
    }
    uncovered
}

/// `{\"error\"` or `{ \'code\'`: a body escaped inside a quoted string.
fn starts_escaped(after_brace: &[u8]) -> bool {
    let rest = after_brace.iter().skip_while(|b| **b == b' ');
    let mut rest = rest.copied();
    rest.next() == Some(b'\\') && matches!(rest.next(), Some(b'"' | b'\'' | b'\\'))
}

fn unescape_once(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Searches a parsed value for provider shapes. A matched object is not searched further:
/// its insides are the same error. A `status` field beside a body is the body's status.
fn visit(
    value: &Value,
    span: &str,
    offset: usize,
    depth: usize,
    status: Option<u16>,
    out: &mut Vec<Candidate>,
) {
    match value {
        Value::Object(map) => {
            if let Some(mut shape) = shapes::recognize(map) {
                shape.http_status = shape.http_status.or(status);
                let at = span.find(&shape.code).unwrap_or(0);
                out.push(Candidate { offset: offset + at, kind: CandidateKind::Shape(shape) });
                return;
            }
            let status = ["status", "status_code", "http_status", "statusCode"]
                .iter()
                .filter_map(|k| map.get(*k)?.as_u64())
                .find(|s| (400..600).contains(s))
                .map(|s| s as u16)
                .or(status);
            for v in map.values() {
                visit(v, span, offset, depth, status, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| visit(v, span, offset, depth, status, out)),
        Value::String(s) if depth < MAX_STRING_DEPTH && might_hold_error(s) => {
            let before = out.len();
            for (start, end) in search(s, offset, depth + 1, out) {
                text_forms::key_values(&s[start..end], 0, out);
            }
            // Offsets inside a decoded string do not map back to the line; use the object's.
            for c in &mut out[before..] {
                c.offset = offset;
            }
        }
        _ => {}
    }
}

fn might_hold_error(s: &str) -> bool {
    s.len() > 8 && (s.contains('{') || s.contains("code") || s.contains("HTTP/"))
}

/// `status=429 body={...}`: the status belongs to the body beside it, not a second error.
fn attach_status(out: &mut Vec<Candidate>) {
    let has_status = out.iter().any(|c| matches!(c.kind, CandidateKind::Status { .. }));
    let has_other = out.iter().any(|c| !matches!(c.kind, CandidateKind::Status { .. }));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Provider;

    fn shapes_in(text: &str) -> Vec<(Provider, String)> {
        find(text)
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
        assert_eq!(shapes_in(raw), vec![(Provider::Zhipu, "1302".to_string())]);
        let escaped = r#"{"level":"error","err":"Error code: 429 - {\"error\": {\"code\": \"1113\", \"message\": \"m\"}}"}"#;
        assert_eq!(shapes_in(escaped), vec![(Provider::Zhipu, "1113".to_string())]);
        let twice =
            r#"{"log":"{\"level\":\"error\",\"err\":\"{\\\"code\\\":4011,\\\"msg\\\":\\\"m\\\"}\"}"}"#;
        assert_eq!(shapes_in(twice), vec![(Provider::Coze, "4011".to_string())]);
        let repr = r#"openai.RateLimitError: Error code: 429 - {'error': {'code': '1302', 'message': 'x', 'param': None}}"#;
        assert_eq!(shapes_in(repr), vec![(Provider::Zhipu, "1302".to_string())]);
        let logfmt =
            r#"level=error err="{\"code\":429,\"reason\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"m\"}""#;
        assert_eq!(shapes_in(logfmt), vec![(Provider::Ppio, "RATE_LIMIT_EXCEEDED".to_string())]);
    }

    #[test]
    fn the_status_beside_a_body_is_its_status() {
        let line =
            r#"status=429 body={"error":{"code":"1302","message":"x"}} url=https://open.bigmodel.cn/api"#;
        let found = find(line);
        assert_eq!(found.len(), 1);
        match &found[0].kind {
            CandidateKind::Shape(s) => assert_eq!(s.http_status, Some(429)),
            other => panic!("expected a shape, got {other:?}"),
        }
    }

    #[test]
    fn truncated_bodies_and_garbage_give_nothing() {
        assert!(shapes_in(r#"body={"error":{"code":"1302","mess"#).is_empty());
        assert!(shapes_in(&"{\\\"".repeat(10_000)).is_empty());
        assert!(shapes_in(&"{".repeat(100_000)).is_empty());
    }
}
