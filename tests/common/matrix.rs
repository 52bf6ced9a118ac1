//! What the message matrix is generated from besides the catalog: how each SDK prints an error
//! (its message forms), the spellings of request-id tails, and how each kind of provider clue
//! appears around an error line. The clues' values are the descriptors' own.

#![allow(dead_code)]

use errwatch::catalog::{Catalog, Descriptor};
use errwatch::classify::Detection;
use errwatch::extract::Line;
use errwatch::pipeline::{ErrorEvent, Pipeline};

/// A request id as SDKs append it: no provider's shape (so that it is no clue of its own).
pub const REQUEST_ID: &str = "req7f3a9c21e4b85d06";

/// The catalog's message with its placeholders filled as a service fills them.
pub fn fill(template: &str) -> String {
    let mut out = template.to_string();
    // `${name}` placeholders the list below does not name: a field's name stands for them.
    let generic = |out: &mut String| {
        while let Some(at) = out.find("${") {
            let Some(end) = out[at..].find('}') else { break };
            out.replace_range(at..at + end + 1, "temperature");
        }
    };
    for (placeholder, value) in [
        ("${field}", "messages"),
        ("${request_id}", REQUEST_ID),
        ("${error_id}", "2026072314261388604"),
        ("${method}", "POST"),
        ("${next_flush_time}", "2026-07-23 19:00:00"),
        ("${number}", "5"),
        ("${unit}", "小时"),
        ("{{Parameter}}", "model"),
        ("{{ResourceType}}", "endpoint"),
        ("{{ResourceContent}}", "xyz123"),
        ("{id}", REQUEST_ID),
        ("%s", "xyz123"),
        ("{}", "xyz123"),
    ] {
        out = out.replace(placeholder, value);
    }
    generic(&mut out);
    out
}

/// The message without a request-id tail its document gives it (`... Request ID: {id}`).
pub fn without_tail(template: &str) -> &str {
    let lower = template.to_ascii_lowercase();
    for tail in ["request id: {id}", "request_id: {id}"] {
        if let Some(at) = lower.rfind(tail).filter(|at| at + tail.len() == lower.len()) {
            return template[..at].trim_end();
        }
    }
    template
}

/// Each text a message is met as: as documented, without its tail, and with a tail in each
/// spelling the SDKs and services write.
pub fn texts(template: &str) -> Vec<String> {
    let base = fill(without_tail(template));
    let mut out = vec![fill(template), base.clone()];
    for tail in [" Request id: ", " Request ID: ", ", request_id: ", " (request id: "] {
        let close = if tail.contains('(') { ")" } else { "" };
        out.push(format!("{base}{tail}{REQUEST_ID}{close}"));
    }
    out.dedup();
    out
}

/// The openai SDKs' exception class for a status, which litellm, openai-node and others copy.
pub fn class_of(status: u16) -> &'static str {
    match status {
        400 => "BadRequestError",
        401 => "AuthenticationError",
        403 => "PermissionDeniedError",
        404 => "NotFoundError",
        409 => "ConflictError",
        422 => "UnprocessableEntityError",
        429 => "RateLimitError",
        500 => "InternalServerError",
        503 => "ServiceUnavailableError",
        _ => "APIStatusError",
    }
}

fn reason_of(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// How one SDK prints an error.
pub struct Form {
    pub name: &'static str,
    /// The form prints the HTTP status.
    pub says_status: bool,
    /// Only an SDK of the provider whose descriptor has this exception class prints it (Ark's
    /// runtime SDK).
    only_class: Option<&'static str>,
    /// Only a provider whose descriptor has what the form prints.
    only_if: fn(&Descriptor) -> bool,
    render: fn(&str, u16, &Descriptor) -> String,
}

impl Form {
    pub fn fits(&self, d: &Descriptor) -> bool {
        self.only_class.is_none_or(|c| d.identify.classes.iter().any(|k| k == c)) && (self.only_if)(d)
    }

    pub fn render(&self, message: &str, status: u16, d: &Descriptor) -> String {
        (self.render)(message, status, d)
    }
}

/// The message forms of issue 18, as the SDKs print them.
fn any(_: &Descriptor) -> bool {
    true
}

/// The keys of a shape without an envelope that holds the status apart from the code (PPIO's
/// `code` beside its `reason`), and its message key.
fn status_beside_message(d: &Descriptor) -> Option<(&str, &str)> {
    d.shapes.iter().filter(|s| s.envelope.is_none()).find_map(|s| {
        let status = s.status.iter().find(|k| !s.code.contains(k))?;
        Some((status.as_str(), s.message.first()?.as_str()))
    })
}

pub fn forms() -> Vec<Form> {
    vec![
        Form {
            name: "openai-python",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, _| format!("openai.{}: Error code: {s} - {m}", class_of(s)),
        },
        Form {
            name: "litellm",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, _| format!("litellm.{c}: {c}: OpenAIException - {m}", c = class_of(s)),
        },
        Form {
            // litellm's own route for the provider names it by an exception class of its
            // descriptor's: `NovitaException`, `ZaiException`, `VolcengineException`.
            name: "litellm-provider-route",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, d| {
                let route = d
                    .identify
                    .classes
                    .iter()
                    .find(|c| c.ends_with("Exception"))
                    .map_or("OpenAIException", String::as_str);
                format!("litellm.{c}: {c}: {route} - {m}", c = class_of(s))
            },
        },
        Form {
            name: "openai-node",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, _| format!("{}: {s} {m}", class_of(s)),
        },
        Form {
            name: "vercel-ai",
            says_status: false,
            only_class: None,
            only_if: any,
            render: |m, _, _| format!("AI_APICallError: {m}"),
        },
        Form {
            name: "go-openai",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, _| format!("error, status code: {s}, status: {s} {}, message: {m}", reason_of(s)),
        },
        Form {
            name: "ark-stream",
            says_status: false,
            only_class: Some("ArkAPIError"),
            only_if: any,
            render: |m, _, _| format!("ArkAPIError: {m}, request_id: {REQUEST_ID}"),
        },
        Form {
            // A body that kept its status and message but not its code (PPIO's without its
            // `reason`): whatever shape it then has, the message is what says whose it is.
            name: "body-without-code",
            says_status: true,
            only_class: None,
            only_if: |d| status_beside_message(d).is_some(),
            render: |m, s, d| {
                let (status, message) = status_beside_message(d).expect("only_if");
                let body = serde_json::json!({status: s, message: m, "metadata": {}});
                format!("openai.{}: Error code: {s} - {body}", class_of(s))
            },
        },
        Form {
            name: "spring-ai",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |m, s, _| {
                let body = serde_json::json!({"error": {"message": m}});
                format!("org.springframework.ai.retry.NonTransientAiException: {s} - {body}")
            },
        },
    ]
}

/// `raise_for_status()`: only the status and the URL.
pub fn status_forms() -> Vec<Form> {
    vec![
        Form {
            name: "httpx",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |_, s, d| {
                let host = host(d);
                let kind = if s >= 500 { "Server error" } else { "Client error" };
                format!(
                    "httpx.HTTPStatusError: {kind} '{s} {}' for url 'https://{host}/v1/chat/completions'",
                    reason_of(s)
                )
            },
        },
        Form {
            name: "requests",
            says_status: true,
            only_class: None,
            only_if: any,
            render: |_, s, d| {
                let host = host(d);
                let kind = if s >= 500 { "Server Error" } else { "Client Error" };
                format!(
                    "requests.exceptions.HTTPError: {s} {kind}: {} for url: https://{host}/v1/chat/completions",
                    reason_of(s)
                )
            },
        },
    ]
}

/// The provider's first API host, a wildcard's with `api.` for its subdomain.
pub fn host(d: &Descriptor) -> String {
    let h = d.identify.hosts.first().map(String::as_str).unwrap_or("example.invalid");
    h.strip_prefix("*.").map_or_else(|| h.to_string(), |rest| format!("api.{rest}"))
}

/// One kind of provider clue, with the descriptor's word for it.
#[derive(Debug, Clone)]
pub struct Clue {
    pub kind: &'static str,
    value: String,
}

impl Clue {
    /// The lines of a log where `error` is printed with this clue around it.
    pub fn lines(&self, error: &str) -> Vec<String> {
        let v = &self.value;
        match self.kind {
            "host" => vec![format!("ERROR [app] POST https://{v}/v1/chat/completions: {error}")],
            "class" => vec![format!("ERROR [app] {v} caught: {error}")],
            "package" => vec![
                "ERROR [app] chat failed".to_string(),
                "Traceback (most recent call last):".to_string(),
                format!("  File \"/srv/app/.venv/lib/python3.11/site-packages/{v}/_client.py\", line 120, in create"),
                "    raise self._make_status_error(err.response)".to_string(),
                error.to_string(),
            ],
            "field" => vec![format!("ERROR [app] provider={v} chat failed: {error}")],
            "model" => vec![format!("ERROR [app] chat with {v} failed: {error}")],
            "lines before" => vec![
                format!("INFO [httpx] HTTP Request: POST https://{v}/v1/chat/completions \"HTTP/1.1 200 OK\""),
                "INFO [app] retrying".to_string(),
                format!("ERROR [app] chat failed: {error}"),
            ],
            other => unreachable!("no clue kind {other}"),
        }
    }
}

/// Every kind of clue the descriptor declares a word for.
pub fn clues(d: &Descriptor) -> Vec<Clue> {
    let id = &d.identify;
    let word = |list: &[String]| {
        list.iter().find(|w| w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).cloned()
    };
    let model = id.models.first().map(|m| {
        if m.ends_with('-') {
            format!("{m}pro")
        } else if m.ends_with(|c: char| c.is_ascii_digit()) {
            format!("{m}250101-abcde")
        } else {
            format!("{m}-pro")
        }
    });
    let mut out = Vec::new();
    let mut add = |kind, value: Option<String>| {
        if let Some(value) = value {
            out.push(Clue { kind, value });
        }
    };
    add("host", (!id.hosts.is_empty()).then(|| host(d)));
    add("class", id.classes.first().cloned());
    add("package", word(&id.packages));
    add("field", id.fields.first().cloned());
    add("model", model);
    add("lines before", (!id.hosts.is_empty()).then(|| host(d)));
    out
}

/// The detections of a small log, through a fresh pipeline.
pub fn run(catalog: &Catalog, lines: Vec<String>) -> Vec<Detection> {
    let mut pipeline = Pipeline::new(2026);
    let mut events: Vec<ErrorEvent> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        pipeline.push_line(Line::alone(i as u64 + 1, line.as_bytes()), catalog, &mut events);
    }
    pipeline.flush(catalog, &mut events);
    events.into_iter().map(|e| e.detection).collect()
}
