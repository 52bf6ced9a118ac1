//! Coze: `{"code":4011,"msg":..,"detail":{"logid":..}}`. Success is code 0.

use super::{numeric_text, text_field, Fields, Key, ShapeMatch};
use crate::catalog::Provider;
use crate::extract::jsonish::Value;

pub(super) fn recognize(obj: &Fields<'_>) -> Option<ShapeMatch> {
    let code = numeric_text(obj.get(Key::Code)?)?;
    let msg = text_field(obj, Key::Msg)?;
    if code == "0" {
        return None;
    }
    let has_logid = obj.get(Key::Detail).and_then(Value::as_object).is_some_and(|d| d.contains_key("logid"));
    Some(ShapeMatch {
        provider: Provider::from_static("coze"),
        code,
        message: Some(msg),
        http_status: None,
        distinctive: has_logid,
        recent_evidence_suffices: false,
    })
}
