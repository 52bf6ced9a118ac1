//! From a candidate and its provider evidence to a catalog entry: which provider sent it, which
//! documented row it is, or that it is a provider-shaped response the catalog lacks.
//!
//! Pure: no state, no I/O. The rules, in order:
//! - A response's shape names a provider. Evidence on the line or in its record (host, explicit
//!   field) overrides the shape only where the evidenced provider documents the code.
//! - A known code is reported; an unknown one only when the shape is distinctive or other
//!   evidence names the same provider, so that `{"code":1062,"msg":"Duplicate entry"}` from a
//!   database is never an error of Coze's.
//! - A message alone is matched against every documented message; a status alone needs the
//!   provider's URL on the same line.

use std::borrow::Cow;

use serde::Serialize;

use crate::catalog::descriptor::Context;
use crate::catalog::{narrow, Catalog, Category, EntryId, EntryRef, Provider, Resolution};
use crate::extract::hints::Strength;
use crate::extract::{Candidate, CandidateKind, ShapeMatch, Surroundings};
use crate::redact;

/// How errwatch knows what the error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The provider's code was on the line.
    Code,
    /// Only the provider's documented message was.
    Message,
    /// Only the HTTP status, next to the provider's URL.
    Status,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Code => "code",
            Evidence::Message => "message",
            Evidence::Status => "status",
        }
    }
}

/// One provider error found in the logs.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub provider: Provider,
    pub code: String,
    pub http_status: Option<u16>,
    pub category: Category,
    pub retryable: bool,
    /// The catalog row, when the code (or message) is documented: the entry itself, so that
    /// a catalog reloaded before a sink reads it cannot change what was found.
    pub entry: Option<EntryRef>,
    /// The provider's message from the line.
    pub message: Option<LineMessage>,
    pub evidence: Evidence,
    pub ambiguous: bool,
}

impl Detection {
    pub fn known(&self) -> bool {
        self.entry.is_some()
    }
}

/// A provider's message as the line had it. Secrets never leave errwatch, so its text is to
/// be had only redacted; redacting waits until a sink wants the text, as most never do (a
/// count needs no message).
#[derive(Clone, PartialEq)]
pub struct LineMessage(String);

impl LineMessage {
    pub fn redacted(&self) -> Cow<'_, str> {
        redact::secrets(&self.0)
    }

    /// A hash of the text, to tell whether two findings said the same without keeping it.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        self.0.hash(&mut hasher);
        hasher.finish()
    }
}

/// Redacted here too: a detection printed for debugging is text leaving errwatch.
impl std::fmt::Debug for LineMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LineMessage").field(&self.redacted()).finish()
    }
}

/// How the provider of a finding was known. A clue on the line or in its record is what
/// counts most; without one, a body's shape, the lines before or a message have to be borne out
/// by the rest of the finding (see [`gate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// A clue on the line or in its record names the provider.
    Close,
    /// The body's shape alone (distinctive), an SSE `event: error`, or a code only one
    /// provider documents.
    Shape,
    /// Only the lines before name it.
    Recent,
    /// The message is one only this provider documents or sends.
    Message,
}

/// Why a provider-like finding is not counted, for errwatch's debug log: a user who wonders why
/// an error was not counted runs with `--log-level debug`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Dropped {
    /// Nothing made it a provider's error: most candidates end here, and are not logged.
    #[error("nothing names a provider, and no code or message is documented")]
    NotAnError,
    #[error("an error of {0}, a provider errwatch only recognizes: not counted as one of ours")]
    OtherProvider(Provider),
    #[error("the line or its record names another service ({0}): its error, not {1}'s")]
    OtherService(String, Provider),
    #[error("{provider} {code} was reached without a clue on the line or in its record, and the message {message:?} is not one {provider} sends for it")]
    MessageContradicts { provider: Provider, code: String, message: String },
}

impl Dropped {
    /// Worth a line in the debug log: a rule set aside something that looked like an error.
    pub fn is_rule(&self) -> bool {
        *self != Dropped::NotAnError
    }

    /// The rule's name, as the debug log and the README's "Attribution rules" write it, so that a
    /// user can grep a log for one rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Dropped::NotAnError => "not_an_error",
            Dropped::OtherProvider(_) => "other_provider",
            Dropped::OtherService(..) => "other_service",
            Dropped::MessageContradicts { .. } => "message_contradicts",
        }
    }
}

/// Takes the candidate: its code and message become the detection's, not copies of them.
pub fn classify(
    candidate: Candidate,
    around: &Surroundings,
    catalog: &Catalog,
) -> Result<Detection, Dropped> {
    let (detection, basis) = match candidate.kind {
        CandidateKind::Shape(shape) => from_shape(shape, around, catalog)?,
        CandidateKind::Loose { code, message, http_status } => {
            from_loose(code, message, http_status, around, catalog).ok_or(Dropped::NotAnError)?
        }
        CandidateKind::Message { message, http_status } => {
            from_message(message, http_status, around, catalog)?
        }
        CandidateKind::Status { status } => from_status(status, around, catalog, false)?,
    };
    gate(detection, basis, around, catalog)
}

/// The rules that weigh a finding's evidence against the rest of what surrounds it:
/// - a provider only recognized (OpenAI, DashScope, ...) is named so that its errors are set
///   aside, never counted;
/// - a line or record that names another service (another provider's clue, a host that is not a
///   provider's, `upstream sms-gateway`, `service=payment`) makes the error that service's,
///   unless a clue of the provider's own is on the line or in the record;
/// - a documented code reached without such a clue (by the body's shape, or only through the
///   lines before) counts only when the body's message fits that entry (its documented or real
///   texts, or a message too short or generic to contradict it); an error known by its status
///   alone through the lines before, only when no other message contradicts it.
fn gate(d: Detection, basis: Basis, around: &Surroundings, catalog: &Catalog) -> Result<Detection, Dropped> {
    if !catalog.counts(d.provider) {
        return Err(Dropped::OtherProvider(d.provider));
    }
    if basis == Basis::Close {
        return Ok(d);
    }
    if let Some(h) = around.close().filter(|h| !h.counted) {
        return Err(Dropped::OtherService(h.provider.to_string(), d.provider));
    }
    if let Some(service) = &around.other_service {
        return Err(Dropped::OtherService(service.clone(), d.provider));
    }
    if around.foreign_url {
        return Err(Dropped::OtherService("a host that is not a provider's".into(), d.provider));
    }
    if matches!(basis, Basis::Shape | Basis::Recent) {
        let message = d.message.as_ref().map(|m| m.0.as_str());
        let fits = match (&d.entry, d.evidence) {
            (_, Evidence::Status) => message.is_none_or(is_generic),
            (Some(entry), _) => message.is_none_or(|m| is_generic(m) || catalog.message_fits(entry, m)),
            // A code the catalog lacks has no text to compare: its distinctive shape stands.
            (None, _) => true,
        };
        if !fits {
            let message = d.message.as_ref().map(|m| m.redacted().into_owned()).unwrap_or_default();
            return Err(Dropped::MessageContradicts { provider: d.provider, code: d.code, message });
        }
    }
    Ok(d)
}

/// A message too short or too generic to say whose error it is: `x`, `error`, an HTTP reason
/// phrase (`Too Many Requests`), an SDK's words for "there was no body".
fn is_generic(message: &str) -> bool {
    const REASONS: &[&str] = &[
        "bad request",
        "unauthorized",
        "payment required",
        "forbidden",
        "not found",
        "too many requests",
        "internal server error",
        "internal error",
        "bad gateway",
        "service unavailable",
        "gateway timeout",
        "error",
        "failed",
        "unknown error",
        // JavaScript's printing of a body that is not there (`retrying 429 undefined`).
        "undefined",
    ];
    let m = message.trim().trim_end_matches(['.', '。', '!', '！']).trim();
    m.chars().count() <= 4 || no_body(m) || is_nil(m) || REASONS.iter().any(|r| m.eq_ignore_ascii_case(r))
}

/// Go's printing of a nil message (`%!s(<nil>)`, `<nil>`): go-openai's `message: %!s(<nil>)`
/// when the body had none.
fn is_nil(message: &str) -> bool {
    message.trim_start_matches("%!s(").trim_end_matches(')') == "<nil>"
}

/// What an SDK prints in place of a body it did not get: openai-node's `429 status code (no
/// body)` (its closing parenthesis may be cut with the text around it). No message at all.
fn no_body(message: &str) -> bool {
    let m = message.trim();
    // With its status, as a body's `message` field holds it: `400 status code (no body)`.
    let m = m
        .split_once(' ')
        .filter(|(s, _)| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
        .map_or(m, |(_, rest)| rest);
    m.trim_end_matches(')').eq_ignore_ascii_case("status code (no body")
}

fn from_shape(
    shape: ShapeMatch,
    around: &Surroundings,
    catalog: &Catalog,
) -> Result<(Detection, Basis), Dropped> {
    let hint = around.best();
    let knows = |p: Provider| catalog.knows_code(p, &key_of(catalog, p, &shape));
    let provider = match hint {
        Some(h)
            if h.provider != shape.provider
                && knows(h.provider)
                && (h.strength >= Strength::Host || !knows(shape.provider)) =>
        {
            h.provider
        }
        _ => shape.provider,
    };
    if !shape.counted && provider == shape.provider {
        return Err(Dropped::OtherProvider(shape.provider));
    }
    // A body that a provider only recognized has the shape of (DeepSeek's is OpenAI's to the
    // letter) is taken by the counted provider a clue names, under that provider's own rule for
    // the lines before.
    let context = match catalog.descriptor(provider) {
        Some(d)
            if !shape.counted
                && provider != shape.provider
                && d.shapes.iter().any(|s| s.context == Context::Recent) =>
        {
            Context::Recent
        }
        _ => shape.context,
    };
    let recent = context == Context::Recent && !around.foreign_url;
    let recently_named = around.recent.is_some_and(|h| h.provider == provider);
    let basis = if around.close().is_some_and(|h| h.provider == provider) {
        Some(Basis::Close)
    } else if shape.distinctive || around.sse_error {
        Some(Basis::Shape)
    } else if recent && recently_named {
        Some(Basis::Recent)
    } else {
        None
    };
    let code = key_of(catalog, provider, &shape).into_owned();
    let shape = ShapeMatch { code, ..shape };
    let message = shape.message.as_deref();
    match catalog.resolve_code(provider, &shape.code, shape.http_status, message, None) {
        Some(res) => {
            let basis = match basis {
                Some(b) => b,
                None if message_confirms(catalog, &res, message) => Basis::Message,
                None => return said_in_body(shape.message, shape.http_status, around, catalog),
            };
            let d =
                known(catalog, provider, shape.code, shape.http_status, shape.message, res, Evidence::Code);
            Ok((d, basis))
        }
        None => {
            // A code the catalog lacks has no message to bear the body out: the shape alone does
            // not make it the provider's, the line, its record or the lines before must too.
            // A code the catalog lacks: a provider-shaped body all the same, when the shape is
            // distinctive or a clue names the provider.
            let Some(basis) = basis else {
                return said_in_body(shape.message, shape.http_status, around, catalog);
            };
            let d = unknown(provider, shape.code, shape.http_status, shape.message, Evidence::Code);
            Ok((d, basis))
        }
    }
}

/// A body whose shape, read as its shape's provider's, counts nothing may still say a
/// documented message (`{'code': 400, 'message': '未检测到人脸', 'metadata': {}}`: Zhipu's shape,
/// PPIO's words, a PPIO body without its `reason`): known by that message, as the same message
/// after an SDK's exception class is.
fn said_in_body(
    message: Option<String>,
    status: Option<u16>,
    around: &Surroundings,
    catalog: &Catalog,
) -> Result<(Detection, Basis), Dropped> {
    let message = message.filter(|m| !m.is_empty()).ok_or(Dropped::NotAnError)?;
    match from_message(message, status, around, catalog) {
        Ok((d, basis)) if d.evidence == Evidence::Message => Ok((d, basis)),
        _ => Err(Dropped::NotAnError),
    }
}

/// The code a body is looked up by in `provider`'s rows: the body's own, or its HTTP status for a
/// provider whose codes are statuses (DeepSeek's body says `invalid_request_error` for every
/// error; `Error code: 402` before it is what tells them apart).
fn key_of<'s>(catalog: &Catalog, provider: Provider, shape: &'s ShapeMatch) -> Cow<'s, str> {
    match (catalog.descriptor(provider), shape.http_status) {
        (Some(d), Some(status)) if d.keyed_by_status() => Cow::Owned(status.to_string()),
        _ => Cow::Borrowed(&shape.code),
    }
}

/// A code in `key=value` form names no provider by its shape: the line itself must (`exit
/// code=1` and `promo code=1302` are everywhere), or the code must be one only a single
/// provider documents and not a bare number.
fn from_loose(
    code: String,
    message: Option<String>,
    status: Option<u16>,
    around: &Surroundings,
    catalog: &Catalog,
) -> Option<(Detection, Basis)> {
    let (provider, basis) = match around.line {
        Some(h) => (h.provider, Basis::Close),
        None if !code.bytes().all(|b| b.is_ascii_digit()) => {
            let owners: Vec<Provider> =
                catalog.providers().iter().copied().filter(|p| catalog.knows_code(*p, &code)).collect();
            match owners.as_slice() {
                [one] => (*one, Basis::Shape),
                _ => return None,
            }
        }
        None => return None,
    };
    let d = match catalog.resolve_code(provider, &code, status, message.as_deref(), None) {
        Some(res) => known(catalog, provider, code, status, message, res, Evidence::Code),
        None => unknown(provider, code, status, message, Evidence::Code),
    };
    Some((d, basis))
}

fn from_message(
    message: String,
    status: Option<u16>,
    around: &Surroundings,
    catalog: &Catalog,
) -> Result<(Detection, Basis), Dropped> {
    let hint = around.best();
    let matches = catalog.match_message(&message);
    let mut ids: Vec<EntryId> = matches.iter().map(|m| m.entry).collect();
    if let Some(h) = hint {
        narrow(&mut ids, |id| catalog.get(id).provider == h.provider);
    }
    if let Some(s) = status {
        narrow(&mut ids, |id| catalog.get(id).http_status == Some(s));
    }
    if ids.is_empty() {
        // Not a documented message: the status still says something, if we know who sent it.
        let status = status.ok_or(Dropped::NotAnError)?;
        return from_status(status, around, catalog, true).map(|(mut d, basis)| {
            d.message = (!message.is_empty()).then_some(LineMessage(message));
            (d, basis)
        });
    }
    let first = catalog.get(ids[0]);
    if hint.is_none() && ids.iter().any(|&id| catalog.get(id).provider != first.provider) {
        ids.retain(|&id| catalog.get(id).provider == first.provider);
    }
    let ambiguous = ids.len() > 1;
    let pick = ids.iter().copied().find(|&id| catalog.get(id).default).unwrap_or(ids[0]);
    let entry = catalog.get(pick);
    let shared = ids.iter().all(|&id| catalog.get(id).category == entry.category);
    let parameter = matches.iter().find(|m| m.entry == pick).and_then(|m| m.parameter.as_deref());
    let code = entry.reported_code(parameter);
    let basis = if around.close().is_some_and(|h| h.provider == entry.provider) {
        Basis::Close
    } else {
        Basis::Message
    };
    let d = Detection {
        provider: entry.provider,
        code,
        http_status: status.or(entry.http_status),
        category: match (shared, status) {
            (true, _) => entry.category,
            (false, Some(s)) => Category::of_status(s),
            (false, None) => Category::Unknown,
        },
        retryable: entry.retryable,
        entry: Some(catalog.entry_ref(pick)),
        message: Some(LineMessage(message)),
        evidence: Evidence::Message,
        ambiguous,
    };
    Ok((d, basis))
}

/// Only the status, and who sent it: a generic status line (`"HTTP/1.1 429"`, `status=429`)
/// needs the provider's host (or an explicit field) on its own line; an SDK's error statement
/// that kept only the status (`statement`: `429 status code (no body)`, requests' `429 Client
/// Error`) takes the provider from any clue, the lines before included.
///
/// What is counted:
/// - a provider whose codes are HTTP statuses (BigModel's HTTP table, DeepSeek): the status is
///   its code; several rows of it are told apart no further (`ambiguous`);
/// - otherwise, one row at that status is that row; several, or none, are counted under the
///   code `http_<status>` (so dashboards tell an exact code from a status), `known: false`;
/// - the category is the one all the provider's rows at that status share, else the status's
///   usual one ([`Category::of_status`]).
fn from_status(
    status: u16,
    around: &Surroundings,
    catalog: &Catalog,
    statement: bool,
) -> Result<(Detection, Basis), Dropped> {
    let hint = if statement { around.best() } else { around.line.filter(|h| h.strength >= Strength::Host) };
    let hint = hint.ok_or(Dropped::NotAnError)?;
    // Said here rather than left to `gate`, so that the debug log names the provider it was.
    if !hint.counted {
        return Err(Dropped::OtherProvider(hint.provider));
    }
    let provider = hint.provider;
    let basis =
        if around.close().is_some_and(|h| h.provider == provider) { Basis::Close } else { Basis::Recent };
    by_status(status, provider, catalog).map(|d| (d, basis)).ok_or(Dropped::NotAnError)
}

fn by_status(status: u16, provider: Provider, catalog: &Catalog) -> Option<Detection> {
    let code = status.to_string();
    if let Some(api) = catalog.descriptor(provider).and_then(|d| d.status_api()) {
        let rows: Vec<EntryId> = catalog
            .rows_for_code(provider, &code)
            .into_iter()
            .filter(|&id| catalog.get(id).api == api)
            .collect();
        if !rows.is_empty() {
            return Some(at_status(catalog, provider, code, status, &rows));
        }
        return Some(unknown_status(provider, code, status));
    }
    let rows = catalog.rows_for_status(provider, status);
    if let [one] = rows.as_slice() {
        let entry = catalog.get(*one);
        let res = Resolution { entry: *one, ambiguous: false };
        let code = entry.reported_code(None);
        return Some(known(catalog, provider, code, Some(status), None, res, Evidence::Status));
    }
    let mut d = unknown_status(provider, format!("http_{status}"), status);
    if let Some(category) = shared_category(catalog, &rows) {
        d.category = category;
    }
    d.retryable = !rows.is_empty() && rows.iter().all(|&id| catalog.get(id).retryable);
    d.ambiguous = rows.len() > 1;
    Some(d)
}

/// The rows of a status-keyed code: one is that row; several are the row of the category they
/// share, else of the status's usual one, else none.
fn at_status(
    catalog: &Catalog,
    provider: Provider,
    code: String,
    status: u16,
    rows: &[EntryId],
) -> Detection {
    let category = shared_category(catalog, rows).unwrap_or_else(|| Category::of_status(status));
    let pick = rows
        .iter()
        .copied()
        .filter(|&id| catalog.get(id).category == category)
        .min_by_key(|&id| !catalog.get(id).default);
    match pick {
        Some(id) => {
            let res = Resolution { entry: id, ambiguous: rows.len() > 1 };
            known(catalog, provider, code, Some(status), None, res, Evidence::Status)
        }
        None => {
            let mut d = unknown_status(provider, code, status);
            d.category = category;
            d.ambiguous = true;
            d
        }
    }
}

fn shared_category(catalog: &Catalog, rows: &[EntryId]) -> Option<Category> {
    let first = catalog.get(*rows.first()?).category;
    rows.iter().all(|&id| catalog.get(id).category == first).then_some(first)
}

fn unknown_status(provider: Provider, code: String, status: u16) -> Detection {
    let mut d = unknown(provider, code, Some(status), None, Evidence::Status);
    d.category = Category::of_status(status);
    d
}

/// A code that a non-distinctive body carries is trusted when the body's message is the one
/// documented for it.
fn message_confirms(catalog: &Catalog, res: &Resolution, message: Option<&str>) -> bool {
    message.is_some_and(|m| catalog.match_message(m).iter().any(|mm| mm.entry == res.entry))
}

fn known(
    catalog: &Catalog,
    provider: Provider,
    code: String,
    status: Option<u16>,
    message: Option<String>,
    res: Resolution,
    evidence: Evidence,
) -> Detection {
    let entry = catalog.get(res.entry);
    Detection {
        provider,
        code,
        http_status: status.or(entry.http_status),
        category: entry.category,
        retryable: entry.retryable,
        entry: Some(catalog.entry_ref(res.entry)),
        message: message.map(LineMessage),
        evidence,
        ambiguous: res.ambiguous,
    }
}

fn unknown(
    provider: Provider,
    code: String,
    status: Option<u16>,
    message: Option<String>,
    evidence: Evidence,
) -> Detection {
    Detection {
        provider,
        code,
        http_status: status,
        category: Category::Unknown,
        retryable: false,
        entry: None,
        message: message.map(LineMessage),
        evidence,
        ambiguous: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What cannot contradict an entry's message: too short, a reason phrase, an SDK's words for
    /// "no body". Anything that says something can.
    #[test]
    fn generic_messages() {
        for m in [
            "x",
            "error",
            "Not Found",
            "Too Many Requests.",
            "status code (no body)",
            "status code (no body",
            "429 status code (no body)",
            "%!s(<nil>)",
            "<nil>",
            "undefined",
        ] {
            assert!(is_generic(m), "{m}");
        }
        for m in [
            "template not approved",
            "too many sms",
            "余额不足或无可用资源包,请充值。",
            "status code 429",
            "%!s(<nil>) at x",
        ] {
            assert!(!is_generic(m), "{m}");
        }
    }

    #[test]
    fn every_rule_has_a_name() {
        let rules = [
            Dropped::OtherProvider(Provider::from_static("openai")),
            Dropped::OtherService("sms-gateway".into(), Provider::from_static("zhipu")),
            Dropped::MessageContradicts {
                provider: Provider::from_static("zhipu"),
                code: "1211".into(),
                message: "m".into(),
            },
        ];
        let names: std::collections::BTreeSet<&str> = rules.iter().map(Dropped::rule).collect();
        assert_eq!(names.len(), rules.len());
        assert!(rules.iter().all(Dropped::is_rule) && !Dropped::NotAnError.is_rule());
    }

    #[test]
    fn a_line_message_shows_only_redacted_text() {
        let message = LineMessage("bad key Bearer abcdefgh12345678".to_string());
        assert_eq!(message.redacted(), "bad key Bearer [REDACTED]");
        let debug = format!("{message:?}");
        assert!(debug.contains("[REDACTED]") && !debug.contains("abcdefgh12345678"), "{debug}");
    }
}
