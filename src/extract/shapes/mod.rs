//! Which provider a parsed response object looks like it came from, by its shape alone.
//!
//! The shapes are the descriptors' (`[[shape]]` in each catalog file), compiled into the
//! lexicon and tried most specific first. A shape says whether it is *distinctive* (could not
//! plausibly be another service's body); one that is not is only reported when other evidence
//! names the provider, or its code and message are documented.

mod fields;

use std::borrow::Cow;

use super::lexicon::{AloneSpec, Form, Lexicon, ShapeSpec};
use super::notation::Value;
use crate::catalog::descriptor::Context;
use crate::catalog::Provider;

pub use fields::Fields;

/// A provider-shaped response found in an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeMatch {
    pub provider: Provider,
    /// `false`: the body is another service's, recognized only to be set aside.
    pub counted: bool,
    pub code: String,
    pub message: Option<String>,
    pub http_status: Option<u16>,
    /// Could not plausibly be another service's body.
    pub distinctive: bool,
    /// The weakest provider evidence that makes a body of this shape the provider's.
    pub context: Context,
    /// Where the code's value starts in the text the body was read from.
    pub code_at: usize,
}

/// The shape `obj` fits best, if any: one object may fit several (PPIO's `code` + `reason` +
/// `message` also has the `code` and `message` of a bare Zhipu body), and the shape that finds
/// more of its parts in it is the better fit; among equals, the first declared.
pub fn recognize(obj: &Fields<'_>, lexicon: &Lexicon) -> Option<ShapeMatch> {
    let mut best: Option<(usize, ShapeMatch)> = None;
    let shapes = lexicon.shapes();
    for (envelope, members) in lexicon.shape_groups() {
        let enveloped;
        let body = match envelope {
            Some(path) => match obj.path(path, lexicon).and_then(|v| v.as_object()) {
                Some(inner) => {
                    enveloped = Fields::of(inner, lexicon);
                    &enveloped
                }
                None => continue,
            },
            None => obj,
        };
        for &i in members {
            // Scored before the match is made: most objects fit several shapes a little.
            let Some((score, code, code_value)) = fit(&shapes[i], body, lexicon) else { continue };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, matched(&shapes[i], body, code.into_owned(), code_value, lexicon)));
            }
        }
    }
    best.map(|(_, found)| found)
}

/// A counted shape's wrapper holding a message but no code (`{"error":{"message":"余额不足"}}`,
/// as Zhipu sends some errors): the message, for the catalog to match.
pub fn wrapped_message(obj: &Fields<'_>, lexicon: &Lexicon) -> Option<String> {
    let shapes = lexicon.shapes();
    for (envelope, members) in lexicon.shape_groups() {
        let Some(inner) = envelope.as_ref().and_then(|p| obj.path(p, lexicon)).and_then(|v| v.as_object())
        else {
            continue;
        };
        let body = Fields::of(inner, lexicon);
        for spec in members.iter().map(|&i| &shapes[i]).filter(|s| s.counted) {
            if spec.code.iter().any(|k| body.get(*k).is_some()) {
                continue;
            }
            if let Some(m) = spec.message.iter().find_map(|k| body.get(*k)?.as_str()) {
                return Some(m.decoded().into_owned());
            }
        }
    }
    None
}

/// A counted shape without an envelope holding its status and a message but no code
/// (`{"message":"...","statusCode":400}`, an Ark body without its code): the message and the
/// status, for the catalog to match.
pub fn message_beside_status(obj: &Fields<'_>, lexicon: &Lexicon) -> Option<(String, u16)> {
    let shapes = lexicon.shapes();
    let unwrapped = lexicon.shape_groups().iter().filter(|(envelope, _)| envelope.is_none());
    for spec in unwrapped.flat_map(|(_, members)| members).map(|&i| &shapes[i]).filter(|s| s.counted) {
        if spec.code.iter().any(|k| obj.get(*k).is_some()) {
            continue;
        }
        let Some(status) = spec.status.iter().find_map(|k| obj.get(*k).and_then(fields::status_of)) else {
            continue;
        };
        if let Some(m) = spec.message.iter().find_map(|k| obj.get(*k)?.as_str()) {
            return Some((m.decoded().into_owned(), status));
        }
    }
    None
}

/// How many of the shape's parts `body` (the object, or what its envelope wraps) has, when it
/// has the shape's code: with the code, and the value it was read from.
fn fit<'v>(
    spec: &ShapeSpec,
    body: &Fields<'v>,
    lexicon: &Lexicon,
) -> Option<(usize, Cow<'v, str>, Value<'v>)> {
    let code_value = spec.code.iter().find_map(|k| body.get(*k))?;
    let code = read_code(code_value, &spec.code_form)?;
    if spec.ok_codes.iter().any(|ok| *ok == *code)
        || !spec.requires.iter().all(|p| body.path(p, lexicon).is_some())
    {
        return None;
    }
    // A body inside its envelope is that envelope's shape, whatever its wrapper holds beside
    // it (pino's `err` has `code`, `message` and `type` of its own around `error: {...}`).
    let score = 100 * usize::from(spec.envelope.is_some())
        + spec.parts.iter().filter(|p| body.path(p, lexicon).is_some()).count();
    Some((score, code, code_value))
}

/// The match of a shape `body` fits, its code read from `code_value`.
fn matched(
    spec: &ShapeSpec,
    body: &Fields<'_>,
    code: String,
    code_value: Value<'_>,
    lexicon: &Lexicon,
) -> ShapeMatch {
    let text = |keys: &[u8]| keys.iter().find_map(|k| Some(body.get(*k)?.as_str()?.decoded().into_owned()));
    let error_type = text(&spec.type_keys);
    let typed_status = error_type
        .as_deref()
        .and_then(|t| spec.type_status.iter().find(|(name, _)| name == t))
        .map(|(_, s)| *s);
    let distinctive = match &spec.alone {
        AloneSpec::Never => false,
        AloneSpec::Always => true,
        AloneSpec::CodeRange(lo, hi) => code.parse::<u64>().is_ok_and(|n| (*lo..=*hi).contains(&n)),
        AloneSpec::Has(paths) => paths.iter().any(|p| body.path(p, lexicon).is_some()),
        AloneSpec::TypeKnown => typed_status.is_some(),
    };
    ShapeMatch {
        provider: spec.provider,
        counted: spec.counted,
        message: text(&spec.message),
        http_status: body.status(&spec.status).or(typed_status),
        code,
        distinctive,
        context: spec.context,
        code_at: code_value.offset(),
    }
}

/// The code in `v`, if it has the shape's form. Borrowed from the line when the line holds it
/// as sent: every object is tried against every shape that has its code key.
fn read_code<'v>(v: Value<'v>, form: &Form) -> Option<Cow<'v, str>> {
    match form {
        Form::Digits => numeric(v),
        Form::Any => numeric(v).or_else(|| v.as_str().map(|s| s.decoded())).filter(|c| !c.is_empty()),
        Form::Camel => string_if(v, is_camel_code),
        Form::UpperSnake => string_if(v, |c| is_upper_snake(c) || is_upper_word(c)),
        Form::LowerSnake => string_if(v, is_lower_snake),
        Form::Pattern(re) => {
            numeric(v).or_else(|| v.as_str().map(|s| s.decoded())).filter(|c| re.is_match(c))
        }
    }
}

fn string_if<'v>(v: Value<'v>, form: fn(&str) -> bool) -> Option<Cow<'v, str>> {
    let s = v.as_str()?.decoded();
    form(&s).then_some(s)
}

/// A code sent as a number or as a string of digits.
fn numeric<'v>(v: Value<'v>) -> Option<Cow<'v, str>> {
    if let Some(i) = v.as_i64() {
        return Some(Cow::Owned(i.to_string()));
    }
    let s = v.as_str()?.decoded();
    (!s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// `RateLimitExceeded.EndpointRPMExceeded`, `InvalidParameter.model`, `AuthenticationError`.
pub fn is_camel_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'_')
        && code.len() <= 96
}

/// `RATE_LIMIT_EXCEEDED`: at least one underscore, so a plain word like `OK` is not one.
pub fn is_upper_snake(code: &str) -> bool {
    code.contains('_')
        && code.len() <= 64
        && code.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
        && code.as_bytes()[0].is_ascii_uppercase()
}

/// `UNKNOWN`: a code of one upper-case word, read only where a shape's code key holds it
/// (`reason`), never from free text, where such words are everywhere.
fn is_upper_word(code: &str) -> bool {
    (2..=32).contains(&code.len())
        && code.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && code.as_bytes()[0].is_ascii_uppercase()
}

/// `insufficient_quota`: at least one underscore, so a plain word like `error` is not one.
pub fn is_lower_snake(code: &str) -> bool {
    code.contains('_')
        && code.len() <= 64
        && code.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && code.as_bytes()[0].is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::notation::Tape;
    use serde_json::json;

    fn shape(v: serde_json::Value) -> Option<ShapeMatch> {
        let catalog = crate::test_support::catalog();
        let text = v.to_string();
        let mut tape = Tape::default();
        let lexicon = catalog.lexicon();
        recognize(&Fields::of(tape.parse_object(&text).unwrap().0.as_object().unwrap(), lexicon), lexicon)
    }

    fn p(id: &'static str) -> Provider {
        Provider::from_static(id)
    }

    #[test]
    fn each_provider_shape() {
        let ark = shape(json!({"error":{"code":"RateLimitExceeded.EndpointRPMExceeded","message":"m","type":"TooManyRequests"}})).unwrap();
        assert_eq!((ark.provider, ark.http_status, ark.distinctive), (p("volcengine"), Some(429), true));
        let zhipu = shape(json!({"error":{"code":"1113","message":"欠费"}})).unwrap();
        assert_eq!((zhipu.provider, zhipu.code.as_str(), zhipu.distinctive), (p("zhipu"), "1113", true));
        let ppio =
            shape(json!({"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"m","metadata":{}})).unwrap();
        assert_eq!((ppio.provider, ppio.http_status), (p("ppio"), Some(429)));
        let coze = shape(json!({"code":4011,"msg":"余额不足","detail":{"logid":"x"}})).unwrap();
        assert_eq!((coze.provider, coze.code.as_str(), coze.distinctive), (p("coze"), "4011", true));
    }

    #[test]
    fn ordinary_objects_are_not_provider_shaped() {
        assert_eq!(shape(json!({"code":0,"msg":"success"})), None);
        assert_eq!(shape(json!({"user_id":1113,"status":"ok"})), None);
        assert!(shape(json!({"error":{"code":"rate_limit_exceeded"}})).is_none_or(|s| !s.counted));
        assert!(!shape(json!({"error":{"code":"500","message":"x"}})).unwrap().distinctive);
        assert!(!shape(json!({"code":1062,"msg":"Duplicate entry"})).unwrap().distinctive);
    }
}
