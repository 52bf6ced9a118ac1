//! No catalog placeholder ever becomes a label value. Lines are generated from every entry of
//! the catalog (embedded, and with the example DeepSeek file loaded), in every form a finding
//! comes in (a body in the provider's own shape, `code=` beside its host, the message beside
//! its host, the message alone, the status beside its host); no label value of any detection,
//! nor of the zero-valued series, holds `{`, `}`, `%s` or `$`.

use errwatch::catalog::{Catalog, CatalogEntry, Descriptor};
use errwatch::metrics::Metrics;
use errwatch::pipeline::ErrorEvent;
use errwatch::source::Source;

const PLACEHOLDER_MARKS: &[&str] = &["{", "}", "%s", "$"];

fn holds_placeholder(value: &str) -> bool {
    PLACEHOLDER_MARKS.iter().any(|m| value.contains(m))
}

/// The entry's text with each placeholder given a value, as the provider fills it in.
fn filled(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut named = 0;
    while let Some(at) = rest.find(['{', '$', '%']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (value, len) = if let Some(end) = tail.strip_prefix("{{").and_then(|t| t.find("}}")) {
            named += 1;
            let value = match &tail[2..2 + end] {
                "Parameter" => "model",
                _ if named == 1 => "Endpoint",
                _ => "ep-20261102-abcde",
            };
            (value, end + 4)
        } else if let Some(end) = tail.strip_prefix("${").and_then(|t| t.find('}')) {
            ("messages", end + 3)
        } else if let Some(end) = tail.strip_prefix('{').and_then(|t| t.find('}')) {
            ("0217202611021000", end + 2)
        } else if tail.starts_with("%s") {
            ("doubao-pro-32k", 2)
        } else {
            (&tail[..1], 1)
        };
        out.push_str(value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

fn host(d: &Descriptor) -> Option<String> {
    let h = d.identify.hosts.first()?;
    Some(match h.strip_prefix("*.") {
        Some(bare) => format!("api.{bare}"),
        None => h.clone(),
    })
}

/// A body in the provider's first shape: its envelope, its code key, its message key.
fn body(d: &Descriptor, code: &str, message: &str, error_type: Option<&str>) -> Option<String> {
    let shape = d.shapes.first()?;
    let mut fields = vec![
        (shape.code[0].clone(), serde_json::Value::from(code)),
        (shape.message.first().cloned().unwrap_or_else(|| "message".into()), message.into()),
    ];
    if let (Some(key), Some(t)) = (shape.type_keys.first(), error_type) {
        fields.push((key.clone(), t.into()));
    }
    let mut value = serde_json::Value::Object(fields.into_iter().collect());
    for key in shape.envelope.iter().flat_map(|e| e.rsplit('.')) {
        value = serde_json::json!({ key: value });
    }
    Some(value.to_string())
}

fn lines_for(e: &CatalogEntry, d: &Descriptor) -> Vec<String> {
    let code = filled(&e.code);
    let mut texts = vec![e.message.clone()];
    texts.extend(e.aliases.iter().cloned());
    let mut lines = Vec::new();
    let at = "2026-11-02 10:00:00 ERROR";
    for text in texts.iter().map(|t| filled(t)) {
        lines.push(format!("{at} request failed: {text}"));
        if let Some(host) = host(d) {
            lines.push(format!("{at} POST https://{host}/v1 failed: {text}"));
            lines.push(format!("{at} POST https://{host}/v1 failed code={code} message=\"{text}\""));
            if let Some(b) = body(d, &code, &text, e.error_type.as_deref()) {
                lines.push(format!("{at} POST https://{host}/v1 failed body={b}"));
            }
        }
    }
    if let (Some(host), Some(status)) = (host(d), e.http_status) {
        lines.push(format!("{at} POST https://{host}/v1 \"HTTP/1.1 {status} Error\""));
    }
    lines
}

fn detections(catalog: &Catalog, line: &str) -> Vec<ErrorEvent> {
    let mut source = Source::new(1 << 20, 2026);
    let mut events = Vec::new();
    source.feed(format!("{line}\n").as_bytes(), catalog, &mut events);
    source.finish(catalog, &mut events);
    events
}

fn check(catalog: &Catalog) -> usize {
    let mut found = 0;
    let mut filled_in = 0;
    for e in catalog.entries() {
        let d = catalog.descriptor(e.provider).expect("every entry's provider is declared");
        for line in lines_for(e, d) {
            for event in detections(catalog, &line) {
                let det = &event.detection;
                let mut labels = vec![det.provider.as_str(), det.code.as_str(), det.category.as_str()];
                if let Some(entry) = &det.entry {
                    labels.extend([entry.severity.as_str(), entry.action.as_str()]);
                    labels.extend(entry.variant.as_deref());
                }
                if let Some(bad) = labels.iter().find(|l| holds_placeholder(l)) {
                    panic!("label value {bad:?} from {line:?}");
                }
                found += 1;
                if e.code_is_template() && det.entry.as_ref().is_some_and(|x| x.code == e.code) {
                    filled_in += 1;
                }
            }
        }
    }
    let templated = catalog.entries().iter().filter(|e| e.code_is_template()).count();
    assert!(filled_in >= templated, "every templated entry was found ({filled_in} of {templated})");
    let zeros = Metrics::new(catalog).render();
    for line in zeros.lines().filter(|l| !l.starts_with('#')) {
        let labels = line.split_once('{').and_then(|(_, rest)| rest.rsplit_once('}')).map_or("", |(l, _)| l);
        for value in labels.split("\",").filter_map(|kv| kv.split_once("=\"")).map(|(_, v)| v) {
            assert!(!holds_placeholder(value.trim_end_matches('"')), "series {line}");
        }
    }
    found
}

#[test]
fn no_label_of_the_embedded_catalog_holds_a_placeholder() {
    let catalog = Catalog::embedded();
    let found = check(&catalog);
    assert!(found >= catalog.len(), "{found} detections from {} entries", catalog.len());
}

#[test]
fn no_label_of_a_loaded_catalog_holds_a_placeholder() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/catalogs/deepseek.toml");
    let catalog = Catalog::with_overrides(&[file]).unwrap();
    let found = check(&catalog);
    assert!(found >= catalog.len(), "{found} detections from {} entries", catalog.len());
}

#[test]
fn an_ark_message_known_only_by_its_text_fills_the_code_in() {
    let catalog = Catalog::embedded();
    let line = "2026-11-02 10:00:00 ERROR POST https://ark.cn-beijing.volces.com/api/v3/chat/completions failed: The specified Endpoint ep-20261102-abcde is not found.";
    let found = detections(&catalog, line);
    let codes: Vec<&str> = found.iter().map(|e| e.detection.code.as_str()).collect();
    assert_eq!(codes, ["NotFound.Endpoint"]);
}
