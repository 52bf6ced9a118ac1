//! Zhipu (BigModel and Z.ai): `{"error":{"code":"1113","message":..}}`, code numeric.

use super::{numeric_text, text_field, Fields, Key, ShapeMatch};
use crate::catalog::Provider;

pub(super) fn recognize(obj: &Fields<'_>) -> Option<ShapeMatch> {
    let err = Fields::of(obj.get(Key::Error)?.as_object()?);
    let code = numeric_text(err.get(Key::Code)?)?;
    let n: u32 = code.parse().ok()?;
    Some(ShapeMatch {
        provider: Provider::from_static("zhipu"),
        code,
        message: text_field(&err, Key::Message),
        http_status: None,
        // 1000..1399 is Zhipu's business-code family; a bare HTTP-like code is not distinctive.
        distinctive: (1000..1400).contains(&n),
        recent_evidence_suffices: (1000..1400).contains(&n),
    })
}
