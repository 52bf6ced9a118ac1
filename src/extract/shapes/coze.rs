//! Coze: `{"code":4011,"msg":..,"detail":{"logid":..}}`. Success is code 0.

use serde_json::{Map, Value};

use super::{numeric_text, text_field, ShapeMatch};
use crate::catalog::Provider;

pub(super) fn recognize(obj: &Map<String, Value>) -> Option<ShapeMatch> {
    let code = numeric_text(obj.get("code")?)?;
    let msg = text_field(obj, "msg")?;
    if code == "0" {
        return None;
    }
    let has_logid = obj.get("detail").and_then(Value::as_object).is_some_and(|d| d.contains_key("logid"));
    Some(ShapeMatch {
        provider: Provider::Coze,
        code,
        message: Some(msg),
        http_status: None,
        distinctive: has_logid,
        recent_evidence_suffices: false,
    })
}
