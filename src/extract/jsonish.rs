//! A parser for the object syntaxes error bodies appear in: JSON, and Python's repr of a dict
//! (single or double quotes, `None`, `True`, `False`, tuples as lists). Built with nom.
//!
//! It parses one value at the start of its input and says how much it consumed, so the span
//! finder can try it at each `{` of a line and skip what it took. Nesting deeper than
//! [`MAX_DEPTH`] fails instead of recursing: log lines are attacker-influenced.

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char, multispace0};
use nom::combinator::{map, opt, recognize, value};
use nom::number::complete::recognize_float;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use serde_json::{Map, Value};

/// Provider error bodies nest three or four levels; a log record around one, a few more.
pub const MAX_DEPTH: usize = 48;

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_python_repr_give_the_same_value() {
        let json_text = r#"{"error": {"code": "1302", "message": "并发过高", "param": null, "ok": true}}"#;
        let repr_text = r#"{'error': {'code': '1302', 'message': '并发过高', 'param': None, 'ok': True}}"#;
        let expected = json!({"error": {"code": "1302", "message": "并发过高", "param": null, "ok": true}});
        assert_eq!(parse_object(json_text).unwrap().0, expected);
        assert_eq!(parse_object(repr_text).unwrap().0, expected);
    }

    #[test]
    fn reports_how_much_it_consumed() {
        let text = r#"{"code":4011,"msg":"余额不足"} trailing"#;
        let (v, used) = parse_object(text).unwrap();
        assert_eq!(v["code"], 4011);
        assert_eq!(&text[used..], " trailing");
    }

    #[test]
    fn escapes_and_mixed_quotes() {
        let text = r#"{'message': "it's \"quoted\"\n", 'u': '\u4f59', 't': (1, 2.5, -3)}"#;
        let (v, _) = parse_object(text).unwrap();
        assert_eq!(v["message"], "it's \"quoted\"\n");
        assert_eq!(v["u"], "余");
        assert_eq!(v["t"], json!([1, 2.5, -3]));
    }

    #[test]
    fn truncated_and_deep_input_fail_without_panicking() {
        assert!(parse_object(r#"{"error":{"code":"1302","mess"#).is_none());
        let deep = "{\"a\":".repeat(100_000);
        assert!(parse_object(&deep).is_none());
        let deep_list = format!("{{\"a\":{}", "[".repeat(100_000));
        assert!(parse_object(&deep_list).is_none());
    }
}
