//! Which provider a parsed response object looks like it came from, by its shape alone.
//!
//! One small recognizer per provider, same signature, tried in the order of [`RECOGNIZERS`].
//! A recognizer says whether its shape is *distinctive* (could not plausibly be another
//! service's body); a body that is not distinctive is only reported when other evidence on the
//! line names the provider, or its code and message are documented.

mod coze;
mod fields;
mod ppio;
mod volcengine;
mod zhipu;

use super::jsonish::Value;
use crate::catalog::Provider;

pub use fields::{Fields, Key};

/// A provider-shaped response found in an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeMatch {
    pub provider: Provider,
    pub code: String,
    pub message: Option<String>,
    pub http_status: Option<u16>,
    /// Could not plausibly be another service's body.
    pub distinctive: bool,
    /// Provider evidence in the lines just before is enough to take it as the provider's
    /// (not so for shapes as common as Coze's `code` + `msg`).
    pub recent_evidence_suffices: bool,
}

type Recognizer = fn(&Fields<'_>) -> Option<ShapeMatch>;

/// Ark before Zhipu: both wrap `{"error":{"code":..}}`, told apart by the code's form.
const RECOGNIZERS: [Recognizer; 4] =
    [volcengine::recognize, zhipu::recognize, ppio::recognize, coze::recognize];

pub fn recognize(obj: &Fields<'_>) -> Option<ShapeMatch> {
    RECOGNIZERS.iter().find_map(|r| r(obj))
}

pub(super) fn text_field(obj: &Fields<'_>, key: Key) -> Option<String> {
    Some(obj.get(key)?.as_str()?.decoded().into_owned())
}

/// A code sent as a number or as a string of digits.
pub(super) fn numeric_text(v: Value<'_>) -> Option<String> {
    if let Some(i) = v.as_i64() {
        return Some(i.to_string());
    }
    let s = v.as_str()?.decoded();
    (!s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::jsonish::Tape;
    use serde_json::json;

    fn shape(v: serde_json::Value) -> Option<ShapeMatch> {
        let text = v.to_string();
        let mut tape = Tape::default();
        recognize(&Fields::of(tape.parse_object(&text).unwrap().0.as_object().unwrap()))
    }

    #[test]
    fn each_provider_shape() {
        let ark = shape(json!({"error":{"code":"RateLimitExceeded.EndpointRPMExceeded","message":"m","type":"TooManyRequests"}})).unwrap();
        assert_eq!(
            (ark.provider, ark.http_status, ark.distinctive),
            (Provider::from_static("volcengine"), Some(429), true)
        );
        let zhipu = shape(json!({"error":{"code":"1113","message":"欠费"}})).unwrap();
        assert_eq!(
            (zhipu.provider, zhipu.code.as_str(), zhipu.distinctive),
            (Provider::from_static("zhipu"), "1113", true)
        );
        let ppio =
            shape(json!({"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"m","metadata":{}})).unwrap();
        assert_eq!((ppio.provider, ppio.http_status), (Provider::from_static("ppio"), Some(429)));
        let coze = shape(json!({"code":4011,"msg":"余额不足","detail":{"logid":"x"}})).unwrap();
        assert_eq!(
            (coze.provider, coze.code.as_str(), coze.distinctive),
            (Provider::from_static("coze"), "4011", true)
        );
    }

    #[test]
    fn ordinary_objects_are_not_provider_shaped() {
        assert_eq!(shape(json!({"code":0,"msg":"success"})), None);
        assert_eq!(shape(json!({"user_id":1113,"status":"ok"})), None);
        assert_eq!(shape(json!({"error":{"code":"rate_limit_exceeded"}})), None);
        assert!(!shape(json!({"error":{"code":"500","message":"x"}})).unwrap().distinctive);
        assert!(!shape(json!({"code":1062,"msg":"Duplicate entry"})).unwrap().distinctive);
    }
}
