//! The span finder as it was before its parser read bodies in place: serde_json values built
//! by a nom parser, recognizers over maps. Kept, in tests only, as the oracle the finder is
//! compared with: same candidates, same offsets, same order, on every text.

use std::borrow::Cow;

use memchr::memchr_iter;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char, multispace0};
use nom::combinator::{map, opt, recognize, value};
use nom::number::complete::recognize_float;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use serde_json::{Map, Value};

use super::super::jsonish::MAX_DEPTH;
use super::super::shapes::{self, ShapeMatch};
use super::super::text_forms;
use super::{attach_status, Candidate, CandidateKind, MAX_STRING_DEPTH, MAX_UNESCAPE_BYTES};

/// [`super::find`], the old way.
pub fn find(text: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (start, end) in search(text, 0, 0, &mut out) {
        text_forms::key_values(&text[start..end], start, &mut out);
    }
    attach_status(&mut out);
    out.sort_by_key(|c| c.offset);
    out
}

fn search(text: &str, base: usize, depth: usize, out: &mut Vec<Candidate>) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut resume = 0;
    let mut uncovered = Vec::new();
    for at in memchr_iter(b'{', bytes) {
        if at < resume {
            continue;
        }
        if let Some((value, used)) = parse_object(&text[at..]) {
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
        let body_follows = end < text.len();
        text_forms::exception_texts(
            &text[start..end],
            base + start,
            body_follows,
            crate::test_support::lexicon(),
            out,
        );
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
            if let Some(mut shape) = shape(map) {
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

/// The shapes are the lexicon's, whichever finder reads the body: the object, written out as
/// JSON, is read by the tape and shown to them.
fn shape(obj: &Map<String, Value>) -> Option<ShapeMatch> {
    let catalog = crate::test_support::catalog();
    let text = Value::Object(obj.clone()).to_string();
    let mut tape = super::super::jsonish::Tape::default();
    let parsed = tape.parse_object(&text)?.0.as_object()?;
    shapes::recognize(&shapes::Fields::of(parsed, catalog.lexicon()), catalog.lexicon())
}

/// Parses one object at the start of `input`: the value and the number of bytes it took.
pub fn parse_object(input: &str) -> Option<(Value, usize)> {
    match object(input, 0) {
        Ok((rest, v)) => Some((v, input.len() - rest.len())),
        Err(_) => None,
    }
}

fn ws(input: &str) -> IResult<&str, &str> {
    multispace0(input)
}

fn value_at(input: &str, depth: usize) -> IResult<&str, Value> {
    if depth > MAX_DEPTH {
        return Err(nom::Err::Failure(nom::error::Error::new(input, nom::error::ErrorKind::TooLarge)));
    }
    let (input, _) = ws(input)?;
    match input.as_bytes().first() {
        Some(b'{') => object(input, depth),
        Some(b'[') | Some(b'(') => list(input, depth),
        Some(b'"') | Some(b'\'') => map(string, Value::String).parse(input),
        _ => scalar(input),
    }
}

fn scalar(input: &str) -> IResult<&str, Value> {
    alt((
        value(Value::Null, alt((tag("null"), tag("None")))),
        value(Value::Bool(true), alt((tag("true"), tag("True")))),
        value(Value::Bool(false), alt((tag("false"), tag("False")))),
        map(recognize(preceded(opt(char('-')), recognize_float)), number),
    ))
    .parse(input)
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or_else(|| Value::String(text.to_string()), Value::Number)
}

fn object(input: &str, depth: usize) -> IResult<&str, Value> {
    let (mut input, _) = char('{')(input)?;
    let mut fields = Map::new();
    loop {
        let (rest, _) = ws(input)?;
        if let Ok((rest, _)) = char::<_, nom::error::Error<&str>>('}')(rest) {
            return Ok((rest, Value::Object(fields)));
        }
        let (rest, key) = string(rest)?;
        let (rest, _) = (ws, char(':')).parse(rest)?;
        let (rest, v) = value_at(rest, depth + 1)?;
        fields.insert(key, v);
        let (rest, _) = ws(rest)?;
        input = match char::<_, nom::error::Error<&str>>(',')(rest) {
            Ok((rest, _)) => rest,
            Err(_) => {
                let (rest, _) = char('}')(rest)?;
                return Ok((rest, Value::Object(fields)));
            }
        };
    }
}

fn list(input: &str, depth: usize) -> IResult<&str, Value> {
    let (mut input, open) = alt((char('['), char('('))).parse(input)?;
    let close = if open == '[' { ']' } else { ')' };
    let mut items = Vec::new();
    loop {
        let (rest, _) = ws(input)?;
        if let Ok((rest, _)) = char::<_, nom::error::Error<&str>>(close)(rest) {
            return Ok((rest, Value::Array(items)));
        }
        let (rest, v) = value_at(rest, depth + 1)?;
        items.push(v);
        let (rest, _) = ws(rest)?;
        input = match char::<_, nom::error::Error<&str>>(',')(rest) {
            Ok((rest, _)) => rest,
            Err(_) => {
                let (rest, _) = char(close)(rest)?;
                return Ok((rest, Value::Array(items)));
            }
        };
    }
}

/// A JSON or Python string literal, either quote, with its escapes decoded.
fn string(input: &str) -> IResult<&str, String> {
    let quote = match input.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Char))),
    };
    let body = &input[1..];
    // Fast path: no escape before the closing quote, the common case.
    match memchr::memchr2(quote, b'\\', body.as_bytes()) {
        Some(i) if body.as_bytes()[i] == quote => return Ok((&body[i + 1..], body[..i].to_string())),
        None => return Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Eof))),
        Some(_) => {}
    }
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c as u32 == quote as u32 => return Ok((&body[i + 1..], out)),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'u')) => out.push(hex_char(&mut chars, 4)),
                Some((_, 'x')) => out.push(hex_char(&mut chars, 2)),
                Some((_, other)) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Eof)))
}

fn hex_char(chars: &mut std::str::CharIndices<'_>, digits: usize) -> char {
    let hex: String = chars.by_ref().take(digits).map(|(_, c)| c).collect();
    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}')
}
