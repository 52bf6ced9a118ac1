//! PPIO: `{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":..,"metadata":{}}`.

use super::{is_upper_snake, numeric_text, text_field, Fields, Key, ShapeMatch};
use crate::catalog::Provider;

pub(super) fn recognize(obj: &Fields<'_>) -> Option<ShapeMatch> {
    let reason = obj.get(Key::Reason)?.as_str()?.decoded();
    if !is_upper_snake(&reason) {
        return None;
    }
    let status = obj.get(Key::Code).and_then(numeric_text).and_then(|s| s.parse::<u16>().ok());
    let status = status.filter(|s| (400..600).contains(s));
    Some(ShapeMatch {
        provider: Provider::from_static("ppio"),
        code: reason.into_owned(),
        message: text_field(obj, Key::Message),
        http_status: status,
        // Go-kratos services answer in this very shape: only evidence or a documented
        // message makes it PPIO's.
        distinctive: false,
        recent_evidence_suffices: true,
    })
}
