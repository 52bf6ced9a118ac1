//! The catalog can never silently miss a documented row: every code row of the providers' own
//! documents in `fixtures/provider-docs/` is read here, independently of the catalog files,
//! and must have its entry with the same message and HTTP status.

use std::collections::HashMap;
use std::fs;

use errwatch::catalog::{Catalog, CatalogEntry, Category, Provider};

/// One documented row, as the provider's document states it.
#[derive(Debug)]
struct DocRow {
    provider: Provider,
    api: &'static str,
    code: String,
    http_status: Option<u16>,
    message: String,
    error_type: Option<String>,
}

fn doc(name: &str) -> String {
    fs::read_to_string(format!("{}/fixtures/provider-docs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Cells of a Markdown table row `| a | b | c |`; `None` for other lines and separators.
fn cells(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    if !line.starts_with('|') || line.contains("---") {
        return None;
    }
    Some(line.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
}

fn bigmodel_http() -> Vec<DocRow> {
    doc("zhipu-bigmodel-http.md")
        .lines()
        .filter_map(cells)
        .filter(|c| c[0].parse::<u16>().is_ok())
        // 200 "业务处理成功" is success, not an error.
        .filter(|c| c[0] != "200")
        .map(|c| DocRow {
            provider: Provider::from_static("zhipu"),
            api: "bigmodel_http",
            code: c[0].clone(),
            http_status: c[0].parse().ok(),
            message: c[1].clone(),
            error_type: None,
        })
        .collect()
}

fn zai_business() -> Vec<DocRow> {
    doc("zhipu-zai-business.txt")
        .lines()
        .filter_map(|line| {
            // `Basic Error | 500 | Internal Error |` or `| 1001 | message |`
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            let at = parts.iter().position(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
            Some(DocRow {
                provider: Provider::from_static("zhipu"),
                api: "zai",
                code: parts[at].to_string(),
                http_status: None,
                message: parts.get(at + 1)?.to_string(),
                error_type: None,
            })
        })
        .collect()
}

fn ppio() -> Vec<DocRow> {
    let mut api = "";
    let mut rows = Vec::new();
    for line in doc("ppio.md").lines() {
        if line.starts_with("## ") {
            api = match line.trim_start_matches("## ").trim() {
                "图片 / 视频 / 音频" => "media",
                "大语言" => "llm",
                "账单" => "billing",
                other => panic!("unknown PPIO section {other:?}"),
            };
        }
        let Some(c) = cells(line) else { continue };
        let Ok(status) = c[1].parse::<u16>() else {
            continue;
        };
        rows.push(DocRow {
            provider: Provider::from_static("ppio"),
            api,
            code: c[0].clone(),
            http_status: Some(status),
            message: c[2].clone(),
            error_type: None,
        });
    }
    rows
}

fn coze() -> Vec<DocRow> {
    doc("coze.md")
        .lines()
        .filter_map(cells)
        .filter(|c| c[0].parse::<u32>().is_ok())
        .map(|c| DocRow {
            provider: Provider::from_static("coze"),
            api: "openapi",
            code: c[0].clone(),
            http_status: None,
            message: c[1].replace("<br>", " "),
            error_type: None,
        })
        .collect()
}

/// Ark's page lists each row as lines: status, type, code, message (sometimes two lines), meaning.
fn volcengine() -> Vec<DocRow> {
    let text = doc("volcengine-ark.txt");
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut rows = Vec::new();
    for i in 0..lines.len().saturating_sub(4) {
        let is_status = lines[i].len() == 3 && lines[i].bytes().all(|b| b.is_ascii_digit());
        let is_type = lines[i + 1].bytes().all(|b| b.is_ascii_alphabetic()) && lines[i + 1].len() > 3;
        if !(is_status && is_type) {
            continue;
        }
        let mut message = lines[i + 3].to_string();
        if lines[i + 4].starts_with("Request ID:") {
            message = format!("{message} {}", lines[i + 4]);
        }
        rows.push(DocRow {
            provider: Provider::from_static("volcengine"),
            api: "ark",
            code: lines[i + 2].to_string(),
            http_status: lines[i].parse().ok(),
            message,
            error_type: Some(lines[i + 1].to_string()),
        });
    }
    rows
}

fn all_doc_rows() -> Vec<DocRow> {
    [bigmodel_http(), zai_business(), ppio(), coze(), volcengine()].into_iter().flatten().collect()
}

#[test]
fn the_documents_have_159_error_rows() {
    let rows = all_doc_rows();
    let per = |p: Provider| rows.iter().filter(|r| r.provider == p).count();
    assert_eq!(
        (
            per(Provider::from_static("zhipu")),
            per(Provider::from_static("ppio")),
            per(Provider::from_static("coze")),
            per(Provider::from_static("volcengine"))
        ),
        (46, 38, 36, 39)
    );
    assert_eq!(rows.len(), 159);
}

#[test]
fn every_documented_row_has_its_entry_with_the_same_status_and_message() {
    let catalog = Catalog::embedded();
    let mut missing = Vec::new();
    for row in all_doc_rows() {
        let found = catalog.entries().iter().find(|e| {
            e.provider == row.provider && e.code == row.code && e.api == row.api && e.message == row.message
        });
        match found {
            None => missing.push(format!("{:?} {} ({}) {:?}", row.provider, row.code, row.api, row.message)),
            Some(e) => {
                if row.http_status.is_some() {
                    assert_eq!(e.http_status, row.http_status, "{} {}", e.provider, e.code);
                }
                if row.error_type.is_some() {
                    assert_eq!(e.error_type, row.error_type, "{} {}", e.provider, e.code);
                }
            }
        }
    }
    assert!(missing.is_empty(), "documented rows without an entry:\n{}", missing.join("\n"));
    assert_eq!(catalog.len(), 159, "the catalog has entries no document backs");
}

#[test]
fn entries_are_complete_and_consistent() {
    let catalog = Catalog::embedded();
    for e in catalog.entries() {
        let what = e.key();
        for (field, text) in [
            ("message", &e.message),
            ("description_zh", &e.description_zh),
            ("description_en", &e.description_en),
            ("remedy_zh", &e.remedy_zh),
            ("remedy_en", &e.remedy_en),
        ] {
            assert!(!text.trim().is_empty(), "{what}: empty {field}");
        }
        let transient =
            matches!(e.category, Category::RateLimit | Category::Unavailable | Category::ServerError);
        assert_eq!(e.retryable, transient, "{what}: retryable must follow the category");
        assert_ne!(e.category, Category::Unknown, "{what}");
    }
    let mut keys: HashMap<String, usize> = HashMap::new();
    for e in catalog.entries() {
        *keys.entry(e.key()).or_default() += 1;
    }
    assert!(keys.values().all(|n| *n == 1));
}

#[test]
fn rows_sharing_a_code_are_told_apart() {
    let catalog = Catalog::embedded();
    let pick = |p: Provider, code: &str, status: Option<u16>, message: Option<&str>| -> &CatalogEntry {
        let res = catalog.resolve_code(p, code, status, message, None).unwrap();
        catalog.get(res.entry)
    };
    // PPIO's INVALID_API_KEY: the media API's and the LLM API's, by message; the LLM one by default.
    assert_eq!(
        pick(Provider::from_static("ppio"), "INVALID_API_KEY", Some(403), Some("API Key 校验失败")).api,
        "media"
    );
    assert_eq!(
        pick(Provider::from_static("ppio"), "INVALID_API_KEY", Some(403), Some("未提供 API Key")).api,
        "llm"
    );
    assert_eq!(pick(Provider::from_static("ppio"), "INVALID_API_KEY", None, None).api, "llm");
    // Ark's two QuotaExceeded rows: the free-trial one is billing, the queue one a rate limit.
    let trial = pick(
        Provider::from_static("volcengine"),
        "QuotaExceeded",
        Some(429),
        Some("Your account [2100001] has exhausted its free trial quota for the [doubao-pro] model. Request ID: 0217"),
    );
    assert_eq!(trial.category, Category::Billing);
    let queue = pick(
        Provider::from_static("volcengine"),
        "QuotaExceeded",
        Some(429),
        Some("The request has exceeded the quota. Request ID: 0217"),
    );
    assert_eq!(queue.category, Category::RateLimit);
    // BigModel's 429 rows by message; the concurrency row when nothing says which.
    assert_eq!(
        pick(Provider::from_static("zhipu"), "429", Some(429), Some("账户余额已用完")).category,
        Category::Billing
    );
    assert_eq!(pick(Provider::from_static("zhipu"), "429", Some(429), None).category, Category::RateLimit);
}

#[test]
fn templated_codes_match_concrete_names() {
    let catalog = Catalog::embedded();
    let res = catalog
        .resolve_code(Provider::from_static("volcengine"), "InvalidParameter.model", None, None, None)
        .unwrap();
    assert_eq!(catalog.get(res.entry).code, "InvalidParameter.{{Parameter}}");
    let res = catalog
        .resolve_code(Provider::from_static("volcengine"), "InvalidParameter", None, None, None)
        .unwrap();
    assert_eq!(catalog.get(res.entry).code, "InvalidParameter");
    assert!(catalog
        .resolve_code(Provider::from_static("volcengine"), "NoSuchThing.x", None, None, None)
        .is_none());
}

#[test]
fn documented_messages_match_with_their_placeholders_filled() {
    let catalog = Catalog::embedded();
    let first = |text: &str| catalog.match_message(text).first().map(|m| catalog.get(m.entry).code.clone());
    assert_eq!(
        first("The Inflight Batchsize limit for free account has been exceeded.Request ID: 021730000000abc")
            .as_deref(),
        Some("InflightBatchsizeExceeded")
    );
    assert_eq!(first("Current model does not support sse call method").as_deref(), Some("1212"));
    assert_eq!(first("当前账户的 Coze Token 余额不足").as_deref(), Some("4011"));
    assert_eq!(first("something else entirely"), None);
}

#[test]
fn a_user_file_overrides_and_adds_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    fs::write(
        &path,
        r#"provider = "coze"
[[entry]]
code = "700012006"
api = "openapi"
message = "access token invalid"
category = "auth"
retryable = false
severity = "critical"
action = "check_credentials"
description_zh = "访问令牌无效"
description_en = "The access token is invalid."
remedy_zh = "检查令牌"
remedy_en = "Check the token."
"#,
    )
    .unwrap();
    let catalog = Catalog::with_overrides(&[&path]).unwrap();
    assert_eq!(catalog.len(), 160);
    assert!(catalog.knows_code(Provider::from_static("coze"), "700012006"));
}

#[test]
fn a_malformed_user_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(&path, "provider = \"coze\"\n[[entry]]\ncode = \"1\"\ncategory = \"sleepy\"\n").unwrap();
    let err = Catalog::with_overrides(&[&path]).unwrap_err().to_string();
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(err.contains(":4:") || err.contains(":2:"), "{err}");
}

#[test]
fn every_documented_message_matches_its_own_entry() {
    let catalog = Catalog::embedded();
    let placeholder = regex::Regex::new(r"\{\{[^}]*\}\}|\$\{[^}]*\}|\{[A-Za-z_]+\}|%s").unwrap();
    let mut unmatched = Vec::new();
    for (id, e) in catalog.entries().iter().enumerate() {
        let filled = placeholder.replace_all(&e.message, "x1").into_owned();
        let found = catalog.match_message(&filled);
        // Rows whose documented message is word for word another row's match that row too.
        let ok = found.iter().any(|m| m.entry == id || catalog.get(m.entry).message == e.message);
        if !ok {
            unmatched.push(format!("{}: {filled:?}", e.key()));
        }
    }
    assert!(unmatched.is_empty(), "messages that do not match their entry:\n{}", unmatched.join("\n"));
}
