//! Ark: `{"error":{"code":"RateLimitExceeded.EndpointRPMExceeded","message":..,"type":..}}`.

use super::{is_camel_code, text_field, Fields, Key, ShapeMatch};
use crate::catalog::Provider;
use crate::extract::jsonish::Value;

pub(super) fn recognize(obj: &Fields<'_>) -> Option<ShapeMatch> {
    let err = Fields::of(obj.get(Key::Error)?.as_object()?);
    let code = err.get(Key::Code)?.as_str()?.decoded();
    if !is_camel_code(&code) {
        return None;
    }
    let error_type = err.get(Key::Type).and_then(Value::as_str).map(|t| t.decoded());
    Some(ShapeMatch {
        provider: Provider::from_static("volcengine"),
        code: code.into_owned(),
        message: text_field(&err, Key::Message),
        http_status: error_type.as_deref().and_then(ark_type_status),
        distinctive: error_type.as_deref().and_then(ark_type_status).is_some(),
        recent_evidence_suffices: true,
    })
}

/// Ark's `type` names its HTTP status.
fn ark_type_status(t: &str) -> Option<u16> {
    Some(match t {
        "BadRequest" => 400,
        "Unauthorized" => 401,
        "Forbidden" => 403,
        "NotFound" => 404,
        "TooManyRequests" => 429,
        "InternalServerError" => 500,
        _ => return None,
    })
}
