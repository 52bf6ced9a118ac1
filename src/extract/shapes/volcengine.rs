//! Ark: `{"error":{"code":"RateLimitExceeded.EndpointRPMExceeded","message":..,"type":..}}`.

use serde_json::{Map, Value};

use super::{is_camel_code, text_field, ShapeMatch};
use crate::catalog::Provider;

pub(super) fn recognize(obj: &Map<String, Value>) -> Option<ShapeMatch> {
    let err = obj.get("error")?.as_object()?;
    let code = err.get("code")?.as_str()?;
    if !is_camel_code(code) {
        return None;
    }
    let error_type = err.get("type").and_then(Value::as_str);
    Some(ShapeMatch {
        provider: Provider::Volcengine,
        code: code.to_string(),
        message: text_field(err, "message"),
        http_status: error_type.and_then(ark_type_status),
        distinctive: error_type.and_then(ark_type_status).is_some(),
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
