//! Where an SDK's exception text puts the provider's message: after a lead that says "what
//! follows is an error". The forms differ by SDK, the leads are few:
//!
//! - an exception class, qualified or not, any number of times: `openai.RateLimitError: `,
//!   litellm's `litellm.RateLimitError: RateLimitError: NovitaException - `, openai-node's
//!   `AuthenticationError [Error]: `, Vercel's `AI_APICallError: `, Spring's
//!   `NonTransientAiException: `;
//! - a status right after it (openai-node `RateLimitError: 429 <message>`, Spring `400 - {..}`),
//!   or openai-python's `Error code: 429 - `;
//! - the words an application puts before an error: `failed: `, `error: `, `Error: `.
//!
//! The message is what follows the last lead, to the end of the line. Whether it is a provider's
//! is for the catalog to say: only documented and real messages match. A class named for a status
//! (`RateLimitError`) gives that status when no number does.

use crate::extract::literals::Literals;

/// A message and the status its leads gave, if any: where the message starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead<'t> {
    pub at: usize,
    pub status: Option<u16>,
    pub message: &'t str,
    /// The SDK stated the error without a message of the provider's (`429 status code (no
    /// body)`): an error of its own, `message` the SDK's words.
    pub stated: bool,
}

/// The openai SDKs' exception classes, which the other SDKs copy, and the status each stands for.
const CLASS_STATUS: &[(&str, u16)] = &[
    ("BadRequestError", 400),
    ("AuthenticationError", 401),
    ("PermissionDeniedError", 403),
    ("NotFoundError", 404),
    ("ConflictError", 409),
    ("UnprocessableEntityError", 422),
    ("RateLimitError", 429),
    ("InternalServerError", 500),
    ("ServiceUnavailableError", 503),
];

/// What every first lead ends with: a class (`…Error`, `…Exception`) or a lead word (`failed`,
/// `error`, `Error code`, go-openai's `error, status code`) and its separator. A text without
/// one holds no lead; looking for them costs a fraction of [`find`].
const LEAD_ENDS: &[&str] = &[
    "rror: ",
    "rror - ",
    "rror [Error]",
    "rror code: ",
    "rror, status code: ",
    "xception: ",
    "xception - ",
    "xception [Error]",
    "failed: ",
    NO_BODY,
    UNDEFINED,
];

/// What openai-node (and the SDKs that copy it) make of an error response without a body:
/// `<status> status code (no body)`. Applications print it after words of their own (`llm call
/// failed 400 status code (no body)`), with or without a separator: the statement says all
/// there is wherever it stands.
const NO_BODY: &str = " status code (no body";

/// What `console.warn('retrying', err.status, err.error)` prints of an error without a body:
/// `retrying 429 undefined`, the status ending the line.
const UNDEFINED: &str = " undefined";

/// What every lead ends with ([`LEAD_ENDS`]): a text without one holds no lead.
pub fn lead_ends() -> &'static [&'static str] {
    LEAD_ENDS
}

/// The exception classes that stand for a status (`RateLimitError`).
pub fn status_classes() -> impl Iterator<Item = &'static str> {
    CLASS_STATUS.iter().map(|(name, _)| *name)
}

/// Could `text` hold a lead? False only when [`find`] finds none.
pub fn may_hold(text: &[u8]) -> bool {
    static ENDS: std::sync::OnceLock<Literals> = std::sync::OnceLock::new();
    ENDS.get_or_init(|| Literals::new(LEAD_ENDS, false).expect("the lead ends are literals")).is_match(text)
}

/// The message of each lead chain in `text`, one per line at most.
pub fn find(text: &str) -> Vec<Lead<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // One SIMD scan rules out most texts, which the separators' walk would not (a timestamp
    // alone holds four).
    if !may_hold(bytes) {
        return out;
    }
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(text.len(), |n| line_start + n);
        if let Some(lead) = in_line(text, line_start, line_end) {
            out.push(lead);
        }
        line_start = line_end + 1;
    }
    out
}

fn in_line(text: &str, start: usize, end: usize) -> Option<Lead<'_>> {
    let line = &text[start..end];
    if let Some((at, status, message)) = no_body(line).or_else(|| undefined_body(line)) {
        return Some(Lead { at: start + at, status: Some(status), message, stated: true });
    }
    if let Some((at, status)) = go_openai(line) {
        let message = trim(&line[at..]);
        return (!message.is_empty()).then_some(Lead {
            at: start + at,
            status: Some(status),
            message,
            stated: false,
        });
    }
    // The first lead on the line: a separator after a class name or a lead word.
    let (mut at, mut status) = first_lead(line)?;
    // Peel further leads: `RateLimitError: NovitaException - `, `429 `, `Error code: 429 - `.
    loop {
        let rest = &line[at..];
        if let Some((after, class_status)) = class_lead(rest) {
            at += after;
            status = class_status.or(status);
            continue;
        }
        if let Some((after, s)) = status_lead(rest) {
            at += after;
            status = Some(s);
            continue;
        }
        break;
    }
    let message = trim(&line[at..]);
    // A lead with nothing after it on the line still gave a status: the body that follows it
    // (searched as an object) is of that status.
    (!message.is_empty() || status.is_some()).then_some(Lead {
        at: start + at,
        status,
        message,
        stated: false,
    })
}

/// Is there a text a lead could introduce that is not the body itself (searched as an object)?
pub fn is_message(lead: &Lead<'_>) -> bool {
    lead.stated || (!lead.message.is_empty() && !lead.message.contains('{'))
}

/// The first `Class: `, `Class - ` or lead word `: ` of a line: where what follows it starts,
/// and the status the class stands for.
fn first_lead(line: &str) -> Option<(usize, Option<u16>)> {
    let bytes = line.as_bytes();
    for sep in memchr::memchr2_iter(b':', b'-', bytes) {
        let (before, after) = match bytes[sep] {
            b':' if bytes.get(sep + 1) == Some(&b' ') => (&line[..sep], sep + 2),
            b'-' if sep > 0 && bytes[sep - 1] == b' ' && bytes.get(sep + 1) == Some(&b' ') => {
                (&line[..sep - 1], sep + 2)
            }
            _ => continue,
        };
        let before = before.strip_suffix(" [Error]").unwrap_or(before);
        let word = last_word(before);
        if is_class(word) {
            return Some((after, class_status(word)));
        }
        if bytes[sep] == b':'
            && (["failed", "error", "Error"].contains(&word) || before.ends_with("Error code"))
        {
            return Some((after, None));
        }
    }
    None
}

/// The first [`NO_BODY`] statement of `line` whose status is a word of its own: where its
/// status starts, the status, and the statement's words (`status code (no body)`).
fn no_body(line: &str) -> Option<(usize, u16, &str)> {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(NO_BODY));
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(found) = finder.find(&bytes[from..]) {
        let at = from + found;
        from = at + 1;
        let Some(digits) = at.checked_sub(3).map(|d| &bytes[d..at]) else { continue };
        let word_before = at > 3 && (bytes[at - 4].is_ascii_alphanumeric() || bytes[at - 4] == b'_');
        let Some(status) = error_status(digits).filter(|_| !word_before) else { continue };
        let words = at + 1..at + NO_BODY.len();
        let closed = bytes.get(words.end) == Some(&b')');
        return Some((at - 3, status, &line[words.start..words.end + usize::from(closed)]));
    }
    None
}

/// `<status> undefined` ending the line: where the status starts, the status, and `undefined`.
fn undefined_body(line: &str) -> Option<(usize, u16, &str)> {
    let before = line.trim_end().strip_suffix(UNDEFINED)?;
    let bytes = before.as_bytes();
    let at = bytes.len().checked_sub(3)?;
    let digits = &bytes[at..];
    let word_before = at > 0 && !matches!(bytes[at - 1], b' ' | b'\t' | b':' | b'=');
    let status = error_status(digits).filter(|_| !word_before)?;
    Some((at, status, &line[before.len() + 1..before.len() + UNDEFINED.len()]))
}

/// Three ASCII digits of a 4xx or 5xx status.
fn error_status(digits: &[u8]) -> Option<u16> {
    let [b'4' | b'5', rest @ ..] = digits else { return None };
    (rest.len() == 2 && rest.iter().all(u8::is_ascii_digit))
        .then(|| digits.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
}

/// go-openai's `APIError`: `error, status code: 429, status: 429 Too Many Requests, message: <message>`.
/// Its parts are fixed by the SDK's format string, so the message is what follows `, message: `.
fn go_openai(line: &str) -> Option<(usize, u16)> {
    const HEAD: &str = "error, status code: ";
    // Built once: this is asked of every searched line, and a searcher costs more to build than
    // a line costs to search.
    static HEAD_FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let finder = HEAD_FINDER.get_or_init(|| memchr::memmem::Finder::new(HEAD));
    let head = finder.find(line.as_bytes())? + HEAD.len();
    let digits = line.as_bytes().get(head..head + 3)?;
    if !digits.iter().all(u8::is_ascii_digit) || line.as_bytes().get(head + 3) != Some(&b',') {
        return None;
    }
    let status = digits.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    const MESSAGE: &str = ", message: ";
    let at = head + memchr::memmem::find(&line.as_bytes()[head..], MESSAGE.as_bytes())? + MESSAGE.len();
    Some((at, status))
}

/// `Class: ` or `Class - ` at the start of `rest`.
fn class_lead(rest: &str) -> Option<(usize, Option<u16>)> {
    let name_end = rest.find([':', ' ', '['])?;
    let name = &rest[..name_end];
    if !is_class(name) {
        return None;
    }
    let after = &rest[name_end..];
    let after = after.strip_prefix(" [Error]").unwrap_or(after);
    let sep = after.strip_prefix(": ").or_else(|| after.strip_prefix(" - "))?;
    Some((rest.len() - sep.len(), class_status(name)))
}

/// `429 `, `429 - ` or `Error code: 429 - ` at the start of `rest`.
fn status_lead(rest: &str) -> Option<(usize, u16)> {
    let s = rest.strip_prefix("Error code: ").unwrap_or(rest);
    let status = error_status(s.as_bytes().get(..3)?)?;
    let after = &s[3..];
    let after = after.strip_prefix(" - ").or_else(|| after.strip_prefix(' '))?;
    Some((rest.len() - after.len(), status))
}

/// `openai.RateLimitError`, `NovitaException`, `AI_APICallError`: a dotted name whose last part
/// names an error.
fn is_class(word: &str) -> bool {
    let last = word.rsplit(['.', '$']).next().unwrap_or(word);
    last.len() > "Error".len()
        && last.as_bytes()[0].is_ascii_alphabetic()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'$')
        && (last.ends_with("Error") || last.ends_with("Exception"))
}

fn class_status(word: &str) -> Option<u16> {
    let last = word.rsplit('.').next().unwrap_or(word);
    CLASS_STATUS.iter().find(|(name, _)| *name == last).map(|(_, s)| *s)
}

fn last_word(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '$'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &s[start..]
}

/// The message without what closes the text around it: a repr's quote and parenthesis, a JSON
/// string's quote and braces. A bracket the message itself opened stays (`%!s(<nil>)`).
fn trim(message: &str) -> &str {
    let m = message.trim();
    let mut m = m.strip_suffix("\")").or_else(|| m.strip_suffix("')")).unwrap_or(m);
    while let Some(last) = m.chars().last() {
        let opener = match last {
            ')' => '(',
            '}' => '{',
            '"' | '\'' | ',' => last,
            _ => break,
        };
        let opened = m.matches(opener).count();
        if opener != last && opened >= m.matches(last).count() {
            break;
        }
        m = m[..m.len() - 1].trim_end();
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leads(text: &str) -> Vec<(Option<u16>, &str)> {
        find(text).into_iter().map(|l| (l.status, l.message)).collect()
    }

    #[test]
    fn the_sdks_forms() {
        let cases: &[(&str, Option<u16>, &str)] = &[
            ("litellm.RateLimitError: RateLimitError: NovitaException - 请求过快，请稍后重试", Some(429), "请求过快，请稍后重试"),
            ("litellm.NotFoundError: NotFoundError: ZaiException - 微调功能未开放", Some(404), "微调功能未开放"),
            ("RateLimitError: 429 您的账户已欠费，请充值后重试", Some(429), "您的账户已欠费，请充值后重试"),
            ("AuthenticationError [Error]: 401 Incorrect API key", Some(401), "Incorrect API key"),
            ("AI_APICallError: The messages parameter is illegal. Please check the documentation.", None, "The messages parameter is illegal. Please check the documentation."),
            ("2026-11-02 ERROR app: LLM call failed: 429 余额不足或无可用资源包,请充值。", Some(429), "余额不足或无可用资源包,请充值。"),
            ("openai.PermissionDeniedError: Error code: 403 - 余额不足", Some(403), "余额不足"),
            ("ArkAPIError: The request failed because it is missing one or multiple required parameters., request_id: 0217", None, "The request failed because it is missing one or multiple required parameters., request_id: 0217"),
            ("org.springframework.ai.retry.NonTransientAiException: 400 - {\"error\":{}}", Some(400), "{\"error\":{}}"),
            ("org.springframework.ai.retry.NonTransientAiException: 400 - ", Some(400), ""),
            ("error, status code: 429, status: 429 Too Many Requests, message: 当前API请求过多，请稍后重试。", Some(429), "当前API请求过多，请稍后重试。"),
            ("chat failed: error, status code: 401, status: 401 Unauthorized, message: Authentication Failed", Some(401), "Authentication Failed"),
            ("RateLimitError: 429 status code (no body)", Some(429), "status code (no body)"),
            ("error, status code: 429, status: 429 Too Many Requests, message: %!s(<nil>)", Some(429), "%!s(<nil>)"),
            ("APIStatusError('Error code: 429 - 请求过快')", Some(429), "请求过快"),
            ("error: llm call failed 400 status code (no body) {\"status\":400}", Some(400), "status code (no body)"),
            ("LLM call failed: 503 status code (no body", Some(503), "status code (no body"),
            ("retrying 429 undefined", Some(429), "undefined"),
            ("2026-11-02T10:00:01Z warn: retrying status=503 undefined  ", Some(503), "undefined"),
        ];
        for (text, status, message) in cases {
            assert_eq!(leads(text), vec![(*status, *message)], "{text}");
            assert!(may_hold(text.as_bytes()), "{text}");
        }
    }

    /// `may_hold` is a necessary condition: every line of every fixture log (and the forms
    /// above) in which `find` finds a lead passes it.
    #[test]
    fn a_line_with_a_lead_may_hold_one() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/logs");
        let (mut leads, mut lines) = (0, 0);
        for path in glob::glob(&format!("{root}/**/*.log")).expect("pattern").flatten() {
            let bytes = std::fs::read(&path).expect("readable");
            for line in String::from_utf8_lossy(&bytes).lines() {
                lines += 1;
                if !find(line).is_empty() {
                    leads += 1;
                    assert!(may_hold(line.as_bytes()), "{}: {line:?}", path.display());
                }
            }
        }
        assert!(leads > 1000 && lines > leads, "{leads} lines with a lead of {lines}");
        assert!(!may_hold(b"INFO app: chat ok tokens=12 error_rate=0"));
    }

    #[test]
    fn ordinary_text_has_no_lead() {
        for text in [
            "INFO app: chat ok tokens=12",
            "a - b: c",
            "ErrorHandler registered: 3",
            "x: y - z",
            ": - ",
            "id 1429 status code (no body)",
            "200 status code (no body)",
            "retrying 4290 undefined",
            "x=undefined 429 undefined y",
            "order 200 undefined",
            "id-429 undefined",
        ] {
            assert_eq!(leads(text), vec![], "{text}");
        }
    }
}
