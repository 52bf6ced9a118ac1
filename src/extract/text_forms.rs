//! Error evidence that is not an object: SDK exception strings that kept only a message,
//! cozepy's `code: .., msg: .., logid: ..`, `key=value` pairs, and HTTP status lines.

use std::sync::OnceLock;

use regex::Regex;

use super::shapes::{self, ShapeMatch};
use super::spans::{Candidate, CandidateKind};
use crate::catalog::Provider;

fn openai_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // openai 1.x-3.x: `Error code: 429 - <body or message>`.
    RE.get_or_init(|| Regex::new(r"Error code: ([45]\d\d) - (.+)").unwrap())
}

fn cozepy_error() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // cozepy's CozeAPIError: `code: 4011, msg: ..., logid: 2024...`.
    RE.get_or_init(|| Regex::new(r"(?-u:\b)code: (\d+), msg: (.*?), logid: ([0-9A-Za-z]*)").unwrap())
}

fn key_value() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?-u:\b)([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|[^\s,;]+)"#).unwrap()
    })
}

fn status_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r#"HTTP/[12](?:\.[01])?"? ([45]\d\d)(?-u:\b)"#,
            r#"|(?-u:\b)(?:status|status_code|http_status|Error code)["']?\s*[=:]\s*["']?([45]\d\d)(?-u:\b)"#,
            // `upstream 429 body={..}`, `returned 429, response body: {`, Go's `-> 404 Not Found`.
            r"|(?-u:\b)([45]\d\d),? (?:response )?body(?-u:\b)",
            r"|(?-u:\b)(?:returned|upstream|responded|got) ([45]\d\d)(?-u:\b)",
            r"| -> ([45]\d\d) [A-Z]",
        ))
        .unwrap()
    })
}

/// A literal each alternative of [`status_line`] contains: most texts have none, and this
/// test is far cheaper than the regex.
fn status_literals() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::new([
            "HTTP/",
            "status",
            "Error code",
            "body",
            "returned",
            "upstream",
            "responded",
            "got ",
            " -> ",
        ])
        .expect("literals compile")
    })
}

/// SDK exception strings in `text`.
pub fn exception_texts(text: &str, base: usize, out: &mut Vec<Candidate>) {
    if text.contains("Error code: ") {
        for caps in openai_message().captures_iter(text) {
            let rest = caps[2].trim_start();
            if rest.starts_with('{') {
                continue; // the body itself is searched as an object
            }
            let status = caps[1].parse().ok();
            let message = trim_message(rest);
            if message.is_empty() {
                continue;
            }
            out.push(Candidate {
                offset: base + caps.get(2).map_or(0, |m| m.start()),
                kind: CandidateKind::Message { message: message.to_string(), http_status: status },
            });
        }
    }
    if text.contains(", logid: ") {
        for caps in cozepy_error().captures_iter(text) {
            let shape = ShapeMatch {
                provider: Provider::Coze,
                code: caps[1].to_string(),
                message: Some(caps[2].to_string()),
                http_status: None,
                distinctive: true,
                recent_evidence_suffices: true,
            };
            out.push(Candidate {
                offset: base + caps.get(1).map_or(0, |m| m.start()),
                kind: CandidateKind::Shape(shape),
            });
        }
    }
    if !status_literals().is_match(text) {
        return;
    }
    // find_iter, not captures: the status is the match's one 4xx/5xx number.
    for m in status_line().find_iter(text) {
        let bytes = m.as_str().as_bytes();
        let at = (0..bytes.len().saturating_sub(2)).find(|&i| {
            matches!(bytes[i], b'4' | b'5')
                && bytes[i + 1].is_ascii_digit()
                && bytes[i + 2].is_ascii_digit()
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
        });
        if let Some(i) = at {
            let digit = |k: usize| u16::from(bytes[i + k] - b'0');
            let status = digit(0) * 100 + digit(1) * 10 + digit(2);
            out.push(Candidate { offset: base + m.start() + i, kind: CandidateKind::Status { status } });
        }
    }
}

/// What follows `Error code: 429 - ` up to the end of the exception text: the closing quote
/// and parenthesis of a repr, or the end of a JSON string value, are not part of it.
fn trim_message(rest: &str) -> &str {
    let rest = rest.trim_end();
    let rest = rest.strip_suffix("\")").or_else(|| rest.strip_suffix("')")).unwrap_or(rest);
    rest.trim_end_matches(['"', '\'', '}', ',']).trim_end()
}

/// `code=4011 msg="..."` and the like. Only when a code-like key is present.
pub fn key_values(text: &str, base: usize, out: &mut Vec<Candidate>) {
    if !(text.contains("code=") || text.contains("reason=")) {
        return;
    }
    let (mut code, mut message, mut status, mut at) = (None, None, None, 0);
    for caps in key_value().captures_iter(text) {
        let key = caps[1].to_ascii_lowercase();
        let raw = &caps[2];
        let value = raw
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .map_or_else(|| raw.to_string(), |v| v.replace("\\\"", "\""));
        match key.as_str() {
            // A PPIO `reason` names the error better than its numeric `code`.
            "code" | "error_code" | "err_code" | "errcode" | "error.code" | "reason"
                if code.is_none() || key == "reason" =>
            {
                at = caps.get(2).map_or(0, |m| m.start());
                code = Some(value);
            }
            "msg" | "message" | "error_msg" | "err_msg" | "error.message" => message = Some(value),
            "status" | "status_code" | "http_status" => status = value.parse::<u16>().ok(),
            _ => {}
        }
    }
    let Some(code) = code.filter(|c| looks_like_code(c)) else {
        return;
    };
    out.push(Candidate {
        offset: base + at,
        kind: CandidateKind::Loose { code, message, http_status: status.filter(|s| *s >= 400) },
    });
}

/// A provider code: digits, CamelCase with dots, or UPPER_SNAKE; never free text.
fn looks_like_code(c: &str) -> bool {
    (!c.is_empty() && c.len() <= 12 && c.bytes().all(|b| b.is_ascii_digit()) && c != "0")
        || shapes::is_camel_code(c)
        || shapes::is_upper_snake(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<CandidateKind> {
        let mut out = Vec::new();
        exception_texts(text, 0, &mut out);
        key_values(text, 0, &mut out);
        out.into_iter().map(|c| c.kind).collect()
    }

    #[test]
    fn openai_message_only_form() {
        let k = kinds("openai.PermissionDeniedError: Error code: 403 - 余额不足");
        assert_eq!(
            k,
            vec![
                CandidateKind::Message { message: "余额不足".into(), http_status: Some(403) },
                CandidateKind::Status { status: 403 },
            ]
        );
        let k = kinds(r#"RateLimitError("Error code: 429 - The limit has been exceeded.Request ID: 0217")"#);
        assert_eq!(
            k[0],
            CandidateKind::Message {
                message: "The limit has been exceeded.Request ID: 0217".into(),
                http_status: Some(429)
            }
        );
    }

    #[test]
    fn logfmt_pairs() {
        let k = kinds(r#"level=error provider=coze code=4011 msg="余额 不足" status=200"#);
        assert_eq!(
            k,
            vec![CandidateKind::Loose {
                code: "4011".into(),
                message: Some("余额 不足".into()),
                http_status: None
            }]
        );
        assert!(kinds("user_id=1113 order_code=abc").is_empty());
        assert!(kinds("exit code=0").is_empty());
    }

    #[test]
    fn status_lines() {
        let k = kinds(r#"HTTP Request: POST https://open.bigmodel.cn/x "HTTP/1.1 429 Too Many Requests""#);
        assert_eq!(k, vec![CandidateKind::Status { status: 429 }]);
        assert!(kinds(r#"GET /x "HTTP/1.1 200 OK""#).is_empty());
    }
}
