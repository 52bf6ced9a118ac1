//! Static checks of what ships for Prometheus and Grafana (no network, no Prometheus needed):
//! dashboards/errwatch.json (structure, datasources, variables, queries) and
//! dashboards/alerts.yml (every alert has a severity and a summary). tests/prometheus.rs runs
//! the same queries and rules against a real Prometheus.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::ALERTS;
use serde_json::Value;

/// Every metric errwatch serves (src/metrics.rs), plus Prometheus's own `up`.
const METRICS: &[&str] = &[
    "errwatch_errors_total",
    "errwatch_last_error_timestamp_seconds",
    "errwatch_lines_read_total",
    "errwatch_bytes_read_total",
    "errwatch_long_lines_total",
    "errwatch_invalid_utf8_lines_total",
    "errwatch_read_errors_total",
    "errwatch_rotations_total",
    "errwatch_sources_followed",
    "errwatch_build_info",
];

/// Grafana's global variables that may appear in queries.
const BUILTINS: &[&str] =
    &["__rate_interval", "__range", "__range_s", "__range_ms", "__interval", "__interval_ms"];

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn dashboard() -> Value {
    let path = repo_file("dashboards/errwatch.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

/// All panels, rows' nested panels included, depth first.
fn all_panels(dash: &Value) -> Vec<&Value> {
    fn walk<'a>(panels: &'a Value, out: &mut Vec<&'a Value>) {
        for p in panels.as_array().into_iter().flatten() {
            out.push(p);
            if let Some(nested) = p.get("panels") {
                walk(nested, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&dash["panels"], &mut out);
    out
}

fn title(panel: &Value) -> String {
    panel["title"].as_str().unwrap_or("<untitled>").to_string()
}

/// Names referenced as `$name` or `${name}` / `${name:format}` in a string.
fn variable_refs(s: &str) -> Vec<String> {
    let bytes = s.as_bytes();
    let mut refs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        i += 1;
        let braced = bytes.get(i) == Some(&b'{');
        if braced {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            refs.push(s[start..i].to_string());
        }
    }
    refs
}

fn variables(dash: &Value) -> Vec<&Value> {
    dash["templating"]["list"].as_array().expect("templating.list is an array").iter().collect()
}

fn variable<'a>(dash: &'a Value, name: &str) -> &'a Value {
    variables(dash)
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no templating variable {name:?}"))
}

fn is_prometheus_ds(ds: &Value) -> bool {
    ds["type"] == "prometheus" && ds["uid"] == "${datasource}"
}

/// (panel title, expr) for every target of every panel.
fn exprs(dash: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in all_panels(dash) {
        for t in p["targets"].as_array().into_iter().flatten() {
            let expr = t["expr"].as_str().unwrap_or_else(|| panic!("{}: target without expr", title(p)));
            out.push((title(p), expr.to_string()));
        }
    }
    out
}

/// The `errwatch_*` metric names (and `up`) an expression mentions.
fn metric_names(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':')
            {
                i += 1;
            }
            let word = &expr[start..i];
            let prev = if start > 0 { bytes[start - 1] } else { b' ' };
            // Skip label values ("..."), `$__range` and the like.
            if prev != b'$' && prev != b'"' && (word.starts_with("errwatch_") || word == "up") {
                names.push(word.to_string());
            }
        } else {
            i += 1;
        }
    }
    names
}

#[test]
fn dashboard_has_identity_and_current_schema() {
    let d = dashboard();
    assert_eq!(d["uid"], "errwatch");
    assert!(d["title"].as_str().is_some_and(|t| !t.trim().is_empty()), "dashboard title missing");
    let schema = d["schemaVersion"].as_u64().expect("schemaVersion");
    assert!(schema >= 39, "schemaVersion {schema} < 39");
    assert!(d.get("id").is_none_or(Value::is_null), "a provisioned dashboard must not pin an id");
}

#[test]
fn dashboard_variables() {
    let d = dashboard();
    let ds = variable(&d, "datasource");
    assert_eq!(ds["type"], "datasource");
    assert_eq!(ds["query"], "prometheus");
    for (name, metric) in [("provider", "errwatch_errors_total"), ("category", "errwatch_errors_total")] {
        let v = variable(&d, name);
        assert_eq!(v["type"], "query", "${name}");
        assert!(is_prometheus_ds(&v["datasource"]), "${name}: datasource must be ${{datasource}}");
        assert_eq!(v["multi"], true, "${name} must be multi-value");
        assert_eq!(v["includeAll"], true, "${name} must include All");
        let def = v["definition"].as_str().expect("definition");
        let query = v["query"]["query"].as_str().or(v["query"].as_str()).expect("query");
        assert_eq!(def, query, "${name}: definition and query differ");
        assert!(
            def.starts_with(&format!("label_values({metric}")) && def.ends_with(&format!(", {name})")),
            "${name} must be filled by label_values({metric}, {name}): {def}"
        );
    }
    let names: Vec<&str> = variables(&d).iter().filter_map(|v| v["name"].as_str()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate variable names: {names:?}");
}

#[test]
fn every_panel_and_target_has_the_datasource() {
    let d = dashboard();
    let panels = all_panels(&d);
    assert!(panels.len() >= 10, "only {} panels", panels.len());
    let mut ids = BTreeSet::new();
    for p in &panels {
        let t = title(p);
        assert!(p["title"].as_str().is_some_and(|s| !s.is_empty()), "a panel has no title: {p}");
        assert!(
            is_prometheus_ds(&p["datasource"]),
            "{t}: datasource must be {{type: prometheus, uid: ${{datasource}}}}"
        );
        assert!(p["gridPos"].is_object(), "{t}: no gridPos");
        let id = p["id"].as_u64().unwrap_or_else(|| panic!("{t}: no id"));
        assert!(ids.insert(id), "{t}: duplicate panel id {id}");
        if p["type"] == "row" {
            continue;
        }
        let targets = p["targets"].as_array().unwrap_or_else(|| panic!("{t}: no targets"));
        assert!(!targets.is_empty(), "{t}: no targets");
        let mut refs = BTreeSet::new();
        for target in targets {
            assert!(
                is_prometheus_ds(&target["datasource"]),
                "{t}: a target has no ${{datasource}} datasource"
            );
            let r = target["refId"].as_str().unwrap_or_else(|| panic!("{t}: target without refId"));
            assert!(refs.insert(r.to_string()), "{t}: duplicate refId {r}");
        }
    }
}

#[test]
fn every_variable_used_is_defined() {
    let d = dashboard();
    let defined: BTreeSet<String> =
        variables(&d).iter().filter_map(|v| v["name"].as_str()).map(String::from).collect();
    let check = |place: &str, s: &str| {
        for name in variable_refs(s) {
            assert!(
                defined.contains(&name) || BUILTINS.contains(&name.as_str()),
                "{place}: ${name} is neither a dashboard variable nor a Grafana builtin (in {s:?})"
            );
        }
    };
    for p in all_panels(&d) {
        let t = title(p);
        check(&t, p["datasource"]["uid"].as_str().unwrap_or(""));
        for target in p["targets"].as_array().into_iter().flatten() {
            check(&t, target["expr"].as_str().unwrap_or(""));
            check(&t, target["datasource"]["uid"].as_str().unwrap_or(""));
        }
    }
    for v in variables(&d) {
        let name = v["name"].as_str().unwrap_or("?");
        check(&format!("variable {name}"), v["definition"].as_str().unwrap_or(""));
        check(&format!("variable {name}"), v["datasource"]["uid"].as_str().unwrap_or(""));
        let query = v["query"]["query"].as_str().or(v["query"].as_str()).unwrap_or("");
        check(&format!("variable {name}"), query);
        for r in variable_refs(query) {
            assert_ne!(r, name, "variable {name} refers to itself");
        }
    }
    // The parser itself.
    assert_eq!(
        variable_refs(r#"x{a=~"$provider"}[${__rate_interval}] ${datasource:raw} "b$""#),
        ["provider", "__rate_interval", "datasource"]
    );
}

#[test]
fn every_query_is_about_errwatch_and_aggregates() {
    let d = dashboard();
    let all = exprs(&d);
    assert!(all.len() >= 10, "only {} queries", all.len());
    for (t, expr) in &all {
        let names = metric_names(expr);
        assert!(!names.is_empty(), "{t}: {expr:?} mentions no errwatch_ metric nor up");
        for n in &names {
            assert!(n == "up" || METRICS.contains(&n.as_str()), "{t}: unknown metric {n} in {expr:?}");
        }
        assert!(
            expr.contains("sum by (") || expr.contains("max by ("),
            "{t}: no sum by (...) / max by (...) in {expr:?}"
        );
        // Ranges come from Grafana, never hard-coded.
        for (i, _) in expr.match_indices('[') {
            let rest = &expr[i + 1..];
            assert!(
                rest.starts_with("$__rate_interval]") || rest.starts_with("$__range]"),
                "{t}: hard-coded range in {expr:?}"
            );
        }
        for f in ["rate(", "increase("] {
            if expr.contains(f) {
                assert!(
                    expr.contains("[$__rate_interval]") || expr.contains("[$__range]"),
                    "{t}: {f} without a Grafana range in {expr:?}"
                );
            }
        }
        if names.iter().any(|n| n == "errwatch_errors_total" || n == "errwatch_last_error_timestamp_seconds")
        {
            assert!(expr.contains(r#"provider=~"$provider""#), "{t}: not filtered by $provider: {expr:?}");
            assert!(
                expr.contains(r#"category=~"$category""#) || expr.contains(r#"category=""#),
                "{t}: neither filtered by $category nor pinned to a category: {expr:?}"
            );
        }
    }
    // The panels the dashboard exists for.
    let has = |needle: &str| all.iter().any(|(_, e)| e.contains(needle));
    assert!(has("sum by (provider) (rate(errwatch_errors_total"), "no error rate per provider");
    assert!(has("sum by (category) (rate(errwatch_errors_total"), "no error rate per category");
    assert!(
        has("topk(") && has("sum by (provider, category, code) (increase(errwatch_errors_total"),
        "no top codes table"
    );
    assert!(has(r#"category="unknown""#), "no unknown-codes panel");
    for m in ["errwatch_lines_read_total", "errwatch_sources_followed", "errwatch_read_errors_total", "up{"] {
        assert!(has(m), "no health panel using {m}");
    }
}

#[test]
fn billing_auth_account_stats_turn_red() {
    let d = dashboard();
    for category in ["billing", "auth", "account"] {
        let needle = format!(r#"category="{category}""#);
        let panel = all_panels(&d)
            .into_iter()
            .find(|p| {
                p["type"] == "stat"
                    && p["targets"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|t| t["expr"].as_str().is_some_and(|e| e.contains(&needle)))
            })
            .unwrap_or_else(|| panic!("no stat panel for {category}"));
        let t = title(panel);
        let expr = panel["targets"][0]["expr"].as_str().unwrap();
        assert!(
            expr.contains("increase(") && expr.contains("[$__range]"),
            "{t}: not an increase over the range: {expr}"
        );
        let steps =
            panel["fieldConfig"]["defaults"]["thresholds"]["steps"].as_array().expect("threshold steps");
        assert_eq!(steps[0]["color"], "green", "{t}: base color");
        assert!(steps[0]["value"].is_null(), "{t}: base step must have value null");
        let red =
            steps.iter().find(|s| s["color"] == "red").unwrap_or_else(|| panic!("{t}: no red threshold"));
        let at = red["value"].as_f64().expect("red threshold value");
        // Counts are integers and increase() never returns less than the counted delta, so
        // "red from 1" is "red when > 0".
        assert!(at > 0.0 && at <= 1.0, "{t}: red threshold {at} is not 'more than zero'");
    }
}

/// One `- alert:` block of alerts.yml, as text.
struct AlertBlock {
    name: String,
    lines: Vec<String>,
}

fn alert_blocks(text: &str) -> Vec<AlertBlock> {
    let mut blocks: Vec<AlertBlock> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(name) = trimmed.strip_prefix("- alert:") {
            blocks.push(AlertBlock { name: name.trim().to_string(), lines: Vec::new() });
        } else if trimmed.starts_with("- ")
            && !trimmed.starts_with("- alert:")
            && line.len() - trimmed.len() <= 4
        {
            // A new group or a recording rule ends the block.
            if let Some(b) = blocks.last_mut() {
                b.lines.push(String::new());
            }
        } else if let Some(b) = blocks.last_mut() {
            b.lines.push(line.to_string());
        }
    }
    blocks
}

/// The value of `key:` in a block, following YAML block scalars (`>-`, `|`) over their indented
/// lines.
fn block_value(block: &AlertBlock, key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    let mut lines = block.lines.iter();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix(&prefix) else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        let rest = rest.trim();
        if !rest.starts_with('>') && !rest.starts_with('|') {
            return Some(rest.trim_matches('"').trim_matches('\'').to_string());
        }
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
            .map(|l| l.trim())
            .collect();
        return Some(body.join(" ").trim().to_string());
    }
    None
}

#[test]
fn alert_rules_have_severity_and_summary() {
    let path = repo_file("dashboards/alerts.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(text.lines().any(|l| l.trim() == "groups:"), "no groups:");
    assert!(text.lines().any(|l| l.trim() == "- name: errwatch"), "no group errwatch");
    assert!(!text.contains('\t'), "tabs in YAML");
    let blocks = alert_blocks(&text);
    let names: Vec<&str> = blocks.iter().map(|b| b.name.as_str()).collect();
    for want in ALERTS {
        assert!(names.contains(want), "alert {want} missing (have {names:?})");
    }
    assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), names.len(), "duplicate alert names: {names:?}");
    for b in &blocks {
        let n = &b.name;
        let expr = block_value(b, "expr").unwrap_or_else(|| panic!("{n}: no expr"));
        assert!(!expr.is_empty(), "{n}: empty expr");
        let metrics = metric_names(&expr);
        assert!(!metrics.is_empty(), "{n}: expr mentions no errwatch metric: {expr}");
        for m in &metrics {
            assert!(m == "up" || METRICS.contains(&m.as_str()), "{n}: unknown metric {m}");
        }
        if metrics.iter().any(|m| m == "errwatch_errors_total") {
            assert!(
                expr.contains("sum by (provider"),
                "{n}: must aggregate with sum by (provider...): {expr}"
            );
        }
        let severity = block_value(b, "severity").unwrap_or_else(|| panic!("{n}: no severity label"));
        assert!(["critical", "warning", "info"].contains(&severity.as_str()), "{n}: severity {severity:?}");
        let summary = block_value(b, "summary").unwrap_or_else(|| panic!("{n}: no summary annotation"));
        assert!(!summary.is_empty(), "{n}: empty summary");
        let description =
            block_value(b, "description").unwrap_or_else(|| panic!("{n}: no description annotation"));
        assert!(description.len() > 40, "{n}: description too short: {description}");
        if expr.contains("errwatch_errors_total") {
            assert!(summary.contains("{{ $labels.provider }}"), "{n}: summary does not name the provider");
        }
    }
    let get = |n: &str| blocks.iter().find(|b| b.name == n).unwrap();
    let billing = get("ErrwatchBillingExhausted");
    assert_eq!(block_value(billing, "severity").as_deref(), Some("critical"));
    assert!(
        matches!(block_value(billing, "for").as_deref(), None | Some("0m") | Some("0s")),
        "billing must fire at once"
    );
    let desc = block_value(billing, "description").unwrap();
    for remedy in
        ["1113", "AccountOverdueError", "4011", "4019", "4022", "NOT_ENOUGH_BALANCE", "Top up", "top up"]
    {
        assert!(desc.contains(remedy), "billing description does not mention {remedy}");
    }
    assert!(block_value(get("ErrwatchDown"), "expr").unwrap().contains(r#"up{job="errwatch"} == 0"#));
    assert_eq!(block_value(get("ErrwatchUnknownCode"), "severity").as_deref(), Some("info"));
    assert_eq!(block_value(get("ErrwatchRateLimitStorm"), "severity").as_deref(), Some("warning"));
}

#[test]
fn provisioning_points_at_the_dashboard() {
    let ds = std::fs::read_to_string(repo_file("dashboards/grafana/provisioning/datasources/prometheus.yml"))
        .unwrap();
    assert!(ds.contains("type: prometheus"), "datasource provisioning is not a prometheus datasource");
    let dp = std::fs::read_to_string(repo_file("dashboards/grafana/provisioning/dashboards/errwatch.yml"))
        .unwrap();
    assert!(
        dp.contains("type: file") && dp.contains("path:"),
        "dashboard provisioning is not a file provider"
    );
    let prom = std::fs::read_to_string(repo_file("dashboards/prometheus.yml")).unwrap();
    assert!(prom.contains("job_name: errwatch") && prom.contains("alerts.yml") && prom.contains(":9847"));
}
