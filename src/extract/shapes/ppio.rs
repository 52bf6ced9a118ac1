//! PPIO: `{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":..,"metadata":{}}`.

use serde_json::{Map, Value};

use super::{is_upper_snake, numeric_text, text_field, ShapeMatch};
use crate::catalog::Provider;

pub(super) fn recognize(obj: &Map<String, Value>) -> Option<ShapeMatch> {
    let reason = obj.get("reason")?.as_str()?;
    if !is_upper_snake(reason) {
        return None;
    }
    let status = obj.get("code").and_then(numeric_text).and_then(|s| s.parse::<u16>().ok());
    let status = status.filter(|s| (400..600).contains(s));
    Some(ShapeMatch {
        provider: Provider::Ppio,
        code: reason.to_string(),
        message: text_field(obj, "message"),
        http_status: status,
        // Go-kratos services answer in this very shape: only evidence or a documented
        // message makes it PPIO's.
        distinctive: false,
        recent_evidence_suffices: true,
    })
}
