//! The notation matrix, generated from the catalog: every counted provider's entries, as the
//! bodies its descriptor's shapes describe (with their envelope and, where a shape has none,
//! without it), printed in every notation programs print objects in: JSON, Python's repr,
//! Node's util.inspect over several lines, Java's `toString()`, Lombok's, Go's `%+v` of a
//! struct and of a map, Rust's pretty Debug. Each is read inside a plain log line naming the
//! provider's host, single-line ones also as a JSON log field escaped once and twice, and as a
//! Python traceback's exception line; JSON also as Python bytes (`b'{"message":"\xe5..."}'`),
//! whose message must come out as the provider wrote it. Every case must give the entry's provider and code, on
//! the line the code is on; the noise fixture stays empty (tests/fixtures.rs).
//!
//! Nothing here lists codes or providers: a new row, shape or provider is covered as it is.

#[path = "common/matrix.rs"]
mod matrix;

use errwatch::catalog::descriptor::{CodeForm, Shape};
use errwatch::catalog::{Catalog, CatalogEntry, Descriptor};
use errwatch::extract::Line;
use errwatch::pipeline::{ErrorEvent, Pipeline};
use matrix::{fill, host};

/// A body as a tree: what every notation prints.
#[derive(Clone, Debug)]
enum Node {
    Str(String),
    Num(u64),
    Obj(&'static str, Vec<(String, Node)>),
}

fn fits(form: &CodeForm, code: &str) -> bool {
    let upper_snake = |c: &str| {
        c.starts_with(|c: char| c.is_ascii_uppercase())
            && c.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    match form {
        CodeForm::Digits => !code.is_empty() && code.len() <= 12 && code.bytes().all(|b| b.is_ascii_digit()),
        CodeForm::Camel => {
            code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.bytes().any(|b| b.is_ascii_lowercase())
                && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
        }
        CodeForm::UpperSnake => upper_snake(code),
        CodeForm::LowerSnake => {
            code.contains('_')
                && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }
        CodeForm::Any => !code.is_empty(),
        CodeForm::Pattern(p) => regex::Regex::new(&format!("^(?:{p})$")).unwrap().is_match(code),
    }
}

/// The entry's body as `shape` lays it out, or none when the entry's code is not of the
/// shape's form.
fn body(entry: &CatalogEntry, shape: &Shape) -> Option<Node> {
    let code = fill(&entry.code);
    if !fits(&shape.code_form, &code) || shape.ok_codes.contains(&code) {
        return None;
    }
    let mut fields = Vec::new();
    let digits = matches!(shape.code_form, CodeForm::Digits);
    let code_node = if digits { Node::Num(code.parse().ok()?) } else { Node::Str(code) };
    fields.push((shape.code[0].clone(), code_node));
    if let Some(m) = shape.message.first() {
        fields.push((m.clone(), Node::Str(fill(&entry.message))));
    }
    if let (Some(key), Some(status)) = (shape.status.first(), entry.http_status) {
        if !fields.iter().any(|(k, _)| k == key) {
            fields.push((key.clone(), Node::Num(u64::from(status))));
        }
    }
    if let (Some(key), Some(t)) = (shape.type_keys.first(), &entry.error_type) {
        fields.push((key.clone(), Node::Str(t.clone())));
    }
    // A log id where the shape reads one: what makes some shapes the provider's on their own.
    let required = shape.requires.iter().chain(&shape.request_id);
    for path in required {
        if fields.iter().any(|(k, _)| k == path) {
            continue;
        }
        let id = Node::Str("20261102100000ABCDEF0123456789".into());
        match path.split_once('.') {
            Some((outer, inner)) => {
                fields.push((outer.to_string(), Node::Obj("Detail", vec![(inner.to_string(), id)])))
            }
            None => fields.push((path.clone(), id)),
        }
        break;
    }
    let mut node = Node::Obj("ErrorBody", fields);
    if let Some(envelope) = &shape.envelope {
        for key in envelope.rsplit('.') {
            node = Node::Obj("Response", vec![(key.to_string(), node)]);
        }
    }
    Some(node)
}

fn capitalized(key: &str) -> String {
    let mut c = key.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn py_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The notations, each a way to print a tree on one line or several.
const NOTATIONS: &[&str] = &["json", "python", "inspect", "java", "lombok", "go-struct", "go-map", "rust"];

fn render(node: &Node, notation: &str, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let close_pad = "  ".repeat(indent);
    match node {
        Node::Num(n) => n.to_string(),
        Node::Str(s) => match notation {
            "json" => json_str(s),
            "python" | "inspect" => py_str(s),
            "java" => format!("'{s}'"),
            "rust" => json_str(s),
            _ => s.clone(),
        },
        Node::Obj(name, fields) => {
            let item = |(k, v): &(String, Node)| {
                let v = render(v, notation, indent + 1);
                match notation {
                    "json" => format!("{}:{v}", json_str(k)),
                    "python" => format!("{}: {v}", py_str(k)),
                    "inspect" | "rust" => format!("{k}: {v}"),
                    "java" | "lombok" => format!("{k}={v}"),
                    "go-struct" => format!("{}:{v}", capitalized(k)),
                    _ => format!("{k}:{v}"),
                }
            };
            let items: Vec<String> = fields.iter().map(item).collect();
            match notation {
                "json" => format!("{{{}}}", items.join(",")),
                "python" => format!("{{{}}}", items.join(", ")),
                "inspect" => format!("{{\n{pad}{}\n{close_pad}}}", items.join(&format!(",\n{pad}"))),
                "rust" => format!("{name} {{\n{pad}{},\n{close_pad}}}", items.join(&format!(",\n{pad}"))),
                "java" => format!("{name}{{{}}}", items.join(", ")),
                "lombok" => format!("{name}({})", items.join(", ")),
                "go-struct" if indent == 0 => format!("&{{{}}}", items.join(" ")),
                "go-struct" => format!("{{{}}}", items.join(" ")),
                _ => format!("map[{}]", items.join(" ")),
            }
        }
    }
}

/// The log lines a printed body is met in, each with the line its code is on.
fn placements(printed: &str, notation: &str, host: &str) -> Vec<(&'static str, Vec<String>)> {
    let url = format!("https://{host}/v1/chat/completions");
    let mut out = vec![(
        "plain line",
        format!("2026-11-02 10:00:01 ERROR app.llm: POST {url} failed: {printed}")
            .lines()
            .map(str::to_string)
            .collect(),
    )];
    if !printed.contains('\n') {
        let once = serde_json::json!({"level": "error", "url": url, "err": printed}).to_string();
        out.push(("JSON field", vec![once.clone()]));
        let twice = serde_json::json!({"log": once, "stream": "stderr"}).to_string();
        out.push(("JSON field escaped twice", vec![twice]));
    }
    if notation == "json" {
        // Python's repr of the bytes a client received (novita-client prints bodies so):
        // every byte past ASCII as `\xNN`.
        let mut bytes = String::new();
        for b in printed.bytes() {
            match b {
                b'\'' => bytes.push_str("\\'"),
                b'\\' => bytes.push_str("\\\\"),
                0x20..=0x7e => bytes.push(char::from(b)),
                _ => bytes.push_str(&format!("\\x{b:02x}")),
            }
        }
        out.push((
            "Python bytes",
            vec![format!("2026-11-02 10:00:01 ERROR app.llm: POST {url}: b'{bytes}'")],
        ));
    }
    if notation == "python" {
        out.push((
            "traceback",
            vec![
                format!("2026-11-02 10:00:01,000 ERROR app.llm: request to {url} failed"),
                "Traceback (most recent call last):".into(),
                "  File \"/srv/app/llm.py\", line 12, in call".into(),
                "    return client.chat.completions.create(**kwargs)".into(),
                format!("openai.APIStatusError: Error code: 400 - {printed}"),
            ],
        ));
    }
    out
}

fn run(catalog: &Catalog, lines: &[String]) -> Vec<ErrorEvent> {
    let mut pipeline = Pipeline::new(2026);
    let mut events = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        pipeline.push_line(Line::alone(i as u64 + 1, line.as_bytes()), catalog, &mut events);
    }
    pipeline.flush(catalog, &mut events);
    events
}

fn shapes_of(d: &Descriptor) -> &[Shape] {
    &d.shapes
}

#[test]
fn every_entry_in_every_notation_and_placement() {
    let catalog = Catalog::embedded();
    let (mut cases, mut failures) = (0usize, Vec::new());
    for &provider in catalog.providers() {
        let descriptor = catalog.descriptor(provider).unwrap();
        let host = host(descriptor);
        for entry in catalog.entries().iter().filter(|e| e.provider == provider) {
            // Every documented code can be sent in one of the provider's shapes: a code no
            // shape reads is a code errwatch could never count by its body.
            if shapes_of(descriptor).iter().all(|shape| body(entry, shape).is_none()) {
                failures.push(format!(
                    "{} {}: no shape of the provider reads this code",
                    provider.as_str(),
                    entry.code
                ));
            }
            for shape in shapes_of(descriptor) {
                let Some(tree) = body(entry, shape) else { continue };
                for notation in NOTATIONS {
                    let printed = render(&tree, notation, 0);
                    for (placement, lines) in placements(&printed, notation, &host) {
                        cases += 1;
                        let want_code = fill(&entry.code);
                        let got = run(&catalog, &lines);
                        // The message as the provider wrote it, decoded once whatever the
                        // escaping (never UTF-8 read as Latin-1).
                        let wide = fill(&entry.message).chars().any(|c| c > '\u{ff}');
                        let message_ok = |e: &ErrorEvent| {
                            shape.message.is_empty()
                                || e.detection.message.as_ref().is_some_and(|m| {
                                    let text = m.redacted();
                                    !text.chars().any(|c| ('\u{80}'..='\u{bf}').contains(&c))
                                        && (!wide || text.chars().any(|c| c > '\u{ff}'))
                                })
                        };
                        let ok = got.len() == 1
                            && got[0].detection.provider == provider
                            && got[0].detection.code == want_code
                            && (placement != "Python bytes" || message_ok(&got[0]));
                        if !ok {
                            let seen: Vec<_> = got
                                .iter()
                                .map(|e| (e.detection.provider.as_str(), e.detection.code.clone()))
                                .collect();
                            failures.push(format!(
                                "{notation} in {placement}: {} {want_code}: got {seen:?}\n    {}",
                                provider.as_str(),
                                lines.join("\n    ")
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 2_000, "the matrix is too small: {cases} cases");
    println!("{cases} cases");
    let shown: Vec<&String> = failures.iter().take(40).collect();
    assert!(failures.is_empty(), "{} of {cases} cases failed; the first:\n{shown:#?}", failures.len());
}
