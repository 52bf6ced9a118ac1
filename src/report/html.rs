//! The report as one self-contained HTML page: what `report --format html` writes and the
//! daemon's `/` serves live. Everything a person needs is inside the file (styles, the
//! charts as inline SVG, a few lines of script to sort the table), and the page's own
//! Content-Security-Policy forbids it to load anything else (or run any other script), so it opens from an e-mail
//! attachment or a ticket and asks no server for anything. The live page may fetch only its
//! own `/?fragment`, the report section it swaps in to refresh.
//!
//! The page shows the [`Report`] as built: it counts nothing itself. Markup comes from maud,
//! which escapes every spliced value, so log text (unknown codes, example messages, source
//! names) is shown as text, never run. Only the constant stylesheet and scripts below are
//! spliced unescaped.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::svg::{self, ProviderTimeline};
use super::words::{self, fill, Words};
use super::{ActionItem, CodeRow, Moment, Report, View};
use crate::catalog::{Category, Lang, Severity};
use crate::timestamp::{EpochMillis, Local, Zone};

/// Unknown-message templates shown without `--all`; the JSON report has them all. With the
/// other caps (codes per provider, templates kept) it bounds the page whatever the input.
const SHOWN_TEMPLATES: usize = 50;

/// What makes the daemon's page live: how often it refreshes itself, and when it was made.
#[derive(Debug, Clone, Copy)]
pub struct LivePage {
    pub refresh_seconds: u32,
    pub generated: EpochMillis,
}

/// The report file: the whole page, with no way to reach the network.
pub fn render(report: &Report, view: &View) -> String {
    page(report, view, None).into_string()
}

/// The daemon's `/`: the same page, which refreshes its report section from `?fragment`.
pub fn render_live(report: &Report, view: &View, live: &LivePage) -> String {
    page(report, view, Some(live)).into_string()
}

/// The report section alone, as the live page swaps it in.
pub fn render_live_fragment(report: &Report, view: &View, live: &LivePage) -> String {
    section(report, view, Some(live)).into_string()
}

/// No request of any kind, except (live) to the page's own origin; and no script but the
/// page's own, named by their hashes, so even markup that escaped escaping could not run.
fn csp(live: bool) -> String {
    let mut scripts = vec![script_hash(SORT_SCRIPT)];
    let connect = if live {
        scripts.push(script_hash(LIVE_SCRIPT));
        "connect-src 'self'; "
    } else {
        ""
    };
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src {}; {connect}img-src data:; \
         base-uri 'none'; form-action 'none'",
        scripts.join(" ")
    )
}

/// `'sha256-…'`: a script's source as CSP names it.
fn script_hash(source: &str) -> String {
    use base64::Engine;
    let digest = ring::digest::digest(&ring::digest::SHA256, source.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest.as_ref()))
}

fn page(report: &Report, view: &View, live: Option<&LivePage>) -> Markup {
    let w = Words::of(view.lang);
    let lang = match view.lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp(live.is_some()));
                meta name="viewport" content="width=device-width, initial-scale=1";
                // An empty icon: browsers otherwise ask the server (or the disk) for one.
                link rel="icon" href="data:,";
                title { (w.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (w.title) }
                    @if live.is_some() {
                        nav {
                            a href="metrics" { "/metrics" } " · "
                            a href="report" { "/report" } " · "
                            a href="healthz" { "/healthz" }
                        }
                    }
                }
                (svg::defs())
                main id="report" { (section(report, view, live)) }
                footer { p { (w.html_palette) } }
                script { (PreEscaped(SORT_SCRIPT)) }
                @if let Some(live) = live {
                    script data-refresh=(live.refresh_seconds) data-stale=(w.html_live_stale) {
                        (PreEscaped(LIVE_SCRIPT))
                    }
                }
            }
        }
    }
}

/// Everything that changes with the data: what the live page refreshes.
fn section(report: &Report, view: &View, live: Option<&LivePage>) -> Markup {
    let w = Words::of(view.lang);
    let zone = view.zone;
    html! {
        @if let Some(live) = live {
            p class="live" role="status" id="live-status" {
                (fill(w.html_live, &[("at", &Local::new(live.generated, zone))]))
            }
        }
        (totals(report, view, w))
        @if report.errors == 0 {
            p class="none" { (w.none) }
        } @else {
            (actions(report, zone, w))
            (timelines(report, view, w))
            section id="top-codes" {
                h2 { (w.html_top_codes) }
                (svg::top_codes(report, w))
            }
            (by_code(report, zone, w))
            (templates(report, view, w))
            p class="evidence" {
                (fill(w.evidence, &[
                    ("code", &report.evidence.code),
                    ("message", &report.evidence.message),
                    ("status", &report.evidence.status),
                ]))
            }
        }
    }
}

fn time(at: Option<Moment>, zone: Zone, w: &Words) -> String {
    at.map_or_else(|| w.no_timestamp.to_string(), |m| Local::new(m.0, zone).to_string())
}

/// A time as a sortable cell value: milliseconds, or nothing.
fn sort_key(at: Option<Moment>) -> String {
    at.map_or_else(String::new, |m| m.0.to_string())
}

/// The span of the errors' timestamps, from the rows' own first and last seen.
fn range(report: &Report) -> Option<(Moment, Moment)> {
    let first = report.by_code.iter().filter_map(|r| r.first_seen).min()?;
    let last = report.by_code.iter().filter_map(|r| r.last_seen).max()?;
    Some((first, last))
}

fn totals(report: &Report, view: &View, w: &Words) -> Markup {
    let zone = view.zone;
    html! {
        section id="totals" {
            dl class="totals" {
                div {
                    dt { (w.html_range) }
                    dd data-total="range" {
                        @match range(report) {
                            Some((a, b)) => { (Local::new(a.0, zone)) " → " (Local::new(b.0, zone)) }
                            None => { (w.no_timestamp) }
                        }
                    }
                }
                div { dt { (w.html_lines) } dd data-total="lines" data-value=(report.lines) { (report.lines) } }
                div {
                    dt { (w.html_bytes) }
                    dd data-total="bytes" data-value=(report.bytes) { (super::text::human_bytes(report.bytes)) }
                }
                div {
                    dt { (w.html_errors) }
                    dd data-total="errors" data-value=(report.errors) {
                        strong { (report.errors) } " "
                        span class="sub" {
                            (fill(w.html_known_unknown, &[("known", &report.known), ("unknown", &report.unknown)]))
                        }
                    }
                }
                @for (provider, total) in report.provider_totals() {
                    div class="provider-total" {
                        dt { (provider) } dd data-provider=(provider) data-value=(total) { (total) }
                    }
                }
            }
            @if report.long_lines > 0 || report.invalid_utf8_lines > 0 {
                p { (fill(w.long_and_invalid, &[("long", &report.long_lines), ("bad", &report.invalid_utf8_lines)])) }
            }
            p { (fill(w.times_in, &[("zone", &zone.name())])) }
            details class="sources" open[report.sources.iter().any(|s| s.error.is_some())] {
                summary { (w.html_sources) " (" (report.sources.len()) ")" }
                ul {
                    @for s in &report.sources {
                        @if let Some(error) = &s.error {
                            li class="unreadable" data-source=(s.source) {
                                strong { "✗ " } code { (s.source) } " — " (w.html_unreadable) ": " (error)
                            }
                        } @else {
                            li data-source=(s.source) {
                                code { (s.source) } " — " (s.lines) " / " (super::text::human_bytes(s.bytes))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `errwatch explain --provider P 'CODE'` as a shell takes it: the code single-quoted, since
/// codes come from logs.
fn explain_command(a: &ActionItem) -> String {
    let code = match &a.variant {
        Some(v) => format!("{}#{v}", a.code),
        None => a.code.clone(),
    };
    format!("errwatch explain --provider {} '{}'", a.provider, code.replace('\'', r"'\''"))
}

fn severity_class(s: Severity) -> &'static str {
    s.as_str()
}

/// Every action item: the page has room, and the issue it answers is "what do I do".
fn actions(report: &Report, zone: Zone, w: &Words) -> Markup {
    html! {
        section id="actions" {
            h2 { (w.md_act) }
            ol class="actions" {
                @for a in &report.actions {
                    li class={ "action " (severity_class(a.severity)) } data-provider=(a.provider) data-code=(a.label())
                        data-count=(a.count) {
                        div class="head" {
                            span class="severity" { (w.severity(a.severity)) }
                            " "
                            span class="count" { (a.count) "×" }
                            " "
                            span class="provider" { (a.provider) }
                            " "
                            code class="code" { (a.label()) }
                            " "
                            span class="category" { (a.category.as_str()) }
                        }
                        p class="seen" {
                            (w.html_first) " " (time(a.since, zone, w)) " · " (w.html_last) " " (time(a.last_seen, zone, w))
                        }
                        dl {
                            dt { (w.html_meaning) } dd class="what" { (a.what) }
                            dt { (w.html_todo) } dd class="todo" { (a.todo) }
                            @if a.known {
                                dt { (w.html_in_full) } dd { code class="explain" { (explain_command(a)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn timelines(report: &Report, view: &View, w: &Words) -> Markup {
    let zone = view.zone;
    let Some(start) = report.timeline.start else {
        return html! { section id="timeline" { h2 { (w.html_timeline) } p { (w.html_no_times) } } };
    };
    let charts: Vec<ProviderTimeline> =
        report.provider_totals().iter().filter_map(|(p, _)| ProviderTimeline::of(report, *p)).collect();
    let mut seen: Vec<Category> = charts.iter().flat_map(|c| c.rows.iter().map(|(c, _)| *c)).collect();
    seen.sort();
    seen.dedup();
    let note = fill(
        w.html_timeline_note,
        &[
            ("width", &words::seconds(report.timeline.bucket_seconds, view.lang)),
            ("start", &Local::new(start.0, zone)),
        ],
    );
    html! {
        section id="timeline" {
            h2 { (w.html_timeline) }
            p { (note) }
            ul class="legend" {
                @for c in &seen { li { (svg::swatch(*c)) " " (c.as_str()) } }
            }
            @for chart in &charts {
                figure class="provider-timeline" data-provider=(chart.provider) {
                    figcaption { strong { (chart.provider) } " — " (chart.total) }
                    (svg::timeline(chart, zone, w))
                    @if !chart.critical.is_empty() {
                        ol class="critical" {
                            @for (code, at) in &chart.critical {
                                li data-code=(code) {
                                    (fill(w.html_critical_first, &[("code", code), ("at", &Local::new(at.0, zone))]))
                                }
                            }
                        }
                    }
                    (timeline_table(chart, zone, w))
                }
            }
        }
    }
}

/// The chart's numbers, the text alternative a screen reader or a copy-paste needs: one row
/// per bar that holds errors.
fn timeline_table(chart: &ProviderTimeline, zone: Zone, w: &Words) -> Markup {
    html! {
        details class="chart-data" {
            summary { (w.html_chart_data) }
            table {
                thead { tr {
                    th scope="col" { (w.html_time) }
                    @for (c, _) in &chart.rows { th scope="col" { (c.as_str()) } }
                    th scope="col" { (w.html_total) }
                } }
                tbody {
                    @for i in 0..chart.used {
                        @let counts: Vec<u64> = chart.rows.iter().map(|(_, b)| b.get(i).copied().unwrap_or(0)).collect();
                        @let total: u64 = counts.iter().sum();
                        @if total > 0 {
                            tr {
                                th scope="row" { (Local::new(chart.bucket_start(i), zone)) }
                                @for n in &counts { td { (n) } }
                                td { (total) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A header cell that sorts its table: a button, so keyboards reach it.
fn sort_header(label: &str, col: usize, numeric: bool) -> Markup {
    html! {
        th scope="col" data-num=[numeric.then_some("1")] {
            button type="button" data-col=(col) { (label) }
        }
    }
}

fn by_code(report: &Report, zone: Zone, w: &Words) -> Markup {
    let headers: [(&str, bool); 12] = [
        (w.provider, false),
        (w.category, false),
        (w.code, false),
        (w.html_severity, false),
        (w.html_status, true),
        (w.count, true),
        (w.share, true),
        (w.first_seen, true),
        (w.last_seen, true),
        (w.retryable, false),
        (w.html_evidence, false),
        (w.description, false),
    ];
    html! {
        section id="by-code" {
            h2 { (w.md_by_code) }
            p class="hint" { (w.html_sort_hint) }
            div class="scroll" {
                table class="sortable by-code" {
                    thead { tr { @for (i, (label, num)) in headers.iter().enumerate() { (sort_header(label, i, *num)) } } }
                    tbody { @for r in &report.by_code { (code_row(r, zone, w)) } }
                }
            }
        }
    }
}

fn code_row(r: &CodeRow, zone: Zone, w: &Words) -> Markup {
    let severity_rank = r.severity.map_or(9, |s| Severity::ALL.iter().position(|x| *x == s).unwrap_or(9));
    let ev = &r.evidence;
    html! {
        tr class=[(!r.known).then_some("unknown")] data-provider=(r.provider) data-code=(r.label()) data-count=(r.count) {
            td { (r.provider) }
            td { (svg::swatch(r.category)) " " (r.category.as_str()) }
            td { code { (r.label()) } }
            td data-v=(severity_rank) {
                @match r.severity { Some(s) => (w.severity(s)), None => "—" }
            }
            td class="num" data-v=(r.http_status.map_or(0, u32::from)) {
                @match r.http_status { Some(s) => (s), None => "—" }
            }
            td class="num" data-v=(r.count) { (r.count) }
            td class="num" data-v=(r.share) { (format!("{:.1}%", 100.0 * r.share)) }
            td data-v=(sort_key(r.first_seen)) { (time(r.first_seen, zone, w)) }
            td data-v=(sort_key(r.last_seen)) { (time(r.last_seen, zone, w)) }
            td { (w.yes_no(r.retryable)) }
            td class="evidence" data-code=(ev.code) data-message=(ev.message) data-status=(ev.status) {
                (evidence_share(ev.code, r.count)) " " (w.html_by_code_ev) " · "
                (evidence_share(ev.message, r.count)) " " (w.html_by_message_ev) " · "
                (evidence_share(ev.status, r.count)) " " (w.html_by_status_ev)
            }
            td {
                @if r.known {
                    (r.description.as_deref().unwrap_or(""))
                } @else {
                    em { (w.html_unknown) } " " (w.unknown_code)
                }
            }
        }
    }
}

fn evidence_share(n: u64, of: u64) -> String {
    if of == 0 {
        return "0%".to_string();
    }
    format!("{:.0}%", 100.0 * n as f64 / of as f64)
}

fn templates(report: &Report, view: &View, w: &Words) -> Markup {
    if report.unknown_templates.is_empty() {
        return html! {};
    }
    let shown = if view.all_actions { report.unknown_templates.len() } else { SHOWN_TEMPLATES };
    let hidden = report.unknown_templates.len().saturating_sub(shown);
    html! {
        section id="unknown" {
            h2 { (w.md_unknown) }
            p { (w.unknown_codes) }
            div class="scroll" {
                table class="templates" {
                    thead { tr { th { (w.provider) } th { (w.code) } th class="num" { (w.count) } th { (w.example) } } }
                    tbody {
                        @for t in report.unknown_templates.iter().take(shown) {
                            tr {
                                td { (t.provider) }
                                td { code { (t.code) } }
                                td class="num" { (t.count) }
                                td { code class="example" { (t.example) } }
                            }
                        }
                    }
                }
            }
            @if hidden > 0 {
                p { (fill(w.more_templates, &[("n", &hidden), ("how", &"--all, --format json")])) }
            }
        }
    }
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #ccc; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 1200px; padding: 16px 24px; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.2em; border-bottom: 1px solid var(--line); padding-bottom: 2px; margin-top: 28px; }
header nav { color: var(--muted); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
.totals { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 8px 0; }
.totals dt { color: var(--muted); font-size: 0.85em; }
.totals dd { margin: 0; font-size: 1.15em; }
.totals .sub { font-size: 0.8em; color: var(--muted); }
.unreadable { color: #a00; }
.live { color: var(--muted); font-size: 0.9em; margin: 0; }
ol.actions { padding-left: 1.6em; display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 0 28px; }
.action { margin: 0 0 12px; padding: 6px 10px; border-left: 6px solid #999; }
.action.critical { border-left: 6px double #000; }
.action.high { border-left: 6px solid #D55E00; }
.action.medium { border-left: 6px dashed #E69F00; }
.action.low { border-left: 6px dotted #999; }
.action .severity { font-weight: 700; text-transform: uppercase; font-size: 0.85em; padding: 0 4px; border: 1px solid currentColor; }
.action .count { font-weight: 700; }
.action .seen { margin: 2px 0; color: var(--muted); font-size: 0.9em; }
.action dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 0; }
.action dt { color: var(--muted); }
.action dd { margin: 0; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.swatch { vertical-align: -2px; }
figure { margin: 12px 0 20px; }
svg.chart { max-width: 760px; height: auto; display: block; }
svg .axis, svg .label { font-size: 11px; fill: #333; }
svg .mark { font-size: 11px; fill: #000; font-weight: 700; }
ol.critical { margin: 2px 0; font-size: 0.9em; padding-left: 2.4em; }
ol.critical li::marker { content: "▼" counter(list-item) " "; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
th button { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
th[aria-sort=ascending] button::after { content: " ▲"; }
th[aria-sort=descending] button::after { content: " ▼"; }
tr.unknown td { background: #f4f4f4; }
.example { white-space: pre-wrap; }
details.chart-data summary, details.sources summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 0.85em; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  header nav, .hint, .live { display: none; }
  details::details-content { content-visibility: visible; display: block; }
  .action, figure, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
}
"#;

/// Sorts a table by the clicked column: `data-v` where a cell has one (numbers, times as
/// milliseconds), else its text. Delegated from the document, so a refreshed section needs
/// no new handlers.
const SORT_SCRIPT: &str = r#"
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('th button[data-col]');
  if (!button) return;
  var th = button.parentNode, table = th.closest('table'), col = Number(button.dataset.col);
  var numeric = th.dataset.num === '1';
  var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
  table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
  th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  var body = table.tBodies[0];
  var value = function (row) {
    var cell = row.cells[col];
    return cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim();
  };
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = value(a), y = value(b);
    if (numeric) return ((x === '' ? -Infinity : Number(x)) - (y === '' ? -Infinity : Number(y))) * dir || 0;
    return x.localeCompare(y) * dir;
  });
  rows.forEach(function (row) { body.appendChild(row); });
});
"#;

/// Refreshes the report section from `?fragment` (the page's own address, so its
/// credentials come along) every `data-refresh` seconds; on a failure it says so in the
/// status line and tries again.
const LIVE_SCRIPT: &str = r#"
(function () {
  var me = document.currentScript;
  var every = Math.max(1, Number(me.dataset.refresh) || 5) * 1000;
  var stale = me.dataset.stale;
  var params = new URLSearchParams(location.search);
  params.set('fragment', '1');
  function tick() {
    fetch('?' + params.toString(), { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (text) { document.getElementById('report').innerHTML = text; })
      .catch(function (e) {
        var status = document.getElementById('live-status');
        if (status) status.textContent = stale.replace('{error}', e.message);
      })
      .then(function () { setTimeout(tick, every); });
  }
  setTimeout(tick, every);
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Provider;

    fn hostile_report() -> Report {
        let provider = Provider::from_static("zhipu");
        let evil = "<script>alert(1)</script>\"'&";
        Report {
            version: 1,
            lines: 1,
            bytes: 10,
            long_lines: 0,
            invalid_utf8_lines: 0,
            errors: 1,
            known: 0,
            unknown: 1,
            evidence: super::super::Evidence { code: 1, message: 0, status: 0 },
            sources: vec![super::super::SourceRow {
                source: format!("/logs/{evil}.log"),
                lines: 1,
                bytes: 10,
                error: Some(evil.to_string()),
            }],
            actions: vec![ActionItem {
                severity: Severity::Medium,
                provider,
                code: evil.to_string(),
                variant: None,
                category: Category::Unknown,
                count: 1,
                since: Some(Moment(1_793_613_600_000)),
                last_seen: Some(Moment(1_793_613_600_000)),
                known: false,
                what: evil.to_string(),
                todo: evil.to_string(),
            }],
            by_code: vec![CodeRow {
                provider,
                category: Category::Unknown,
                code: evil.to_string(),
                variant: None,
                count: 1,
                share: 1.0,
                first_seen: Some(Moment(1_793_613_600_000)),
                last_seen: Some(Moment(1_793_613_600_000)),
                retryable: false,
                severity: None,
                action: None,
                http_status: None,
                known: false,
                ambiguous: 0,
                evidence: super::super::Evidence { code: 1, message: 0, status: 0 },
                message: None,
                description: None,
                remedy: None,
            }],
            unknown_templates: vec![super::super::TemplateRow {
                provider,
                code: evil.to_string(),
                count: 1,
                example: evil.to_string(),
            }],
            timeline: super::super::Timeline {
                start: Some(Moment(1_793_613_600_000)),
                bucket_seconds: 1.0,
                buckets: [(provider, vec![1])].into_iter().collect(),
                categories: [(provider, [(Category::Unknown, vec![1])].into_iter().collect())]
                    .into_iter()
                    .collect(),
            },
        }
    }

    #[test]
    fn log_text_is_escaped_everywhere() {
        let report = hostile_report();
        let live = LivePage { refresh_seconds: 5, generated: 0 };
        for page in [
            render(&report, &View::new(Lang::En)),
            render_live(&report, &View::new(Lang::Zh), &live),
            render_live_fragment(&report, &View::new(Lang::En), &live),
        ] {
            assert!(!page.contains("<script>alert"), "a log's <script> got through");
            assert!(!page.contains("\"'&"), "quotes and ampersands unescaped");
            assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            // The page's own scripts only: two at most, none in the fragment.
            assert!(page.matches("<script").count() <= 2);
        }
    }

    #[test]
    fn the_file_may_load_nothing_and_the_live_page_only_its_own_origin() {
        let report = hostile_report();
        let file = render(&report, &View::new(Lang::En));
        assert!(file.contains("default-src 'none'") && !file.contains("connect-src"));
        assert!(!file.contains("script-src 'unsafe-inline'"), "no inline script but the page's own");
        assert!(file.contains(&script_hash(SORT_SCRIPT)) && !file.contains(&script_hash(LIVE_SCRIPT)));
        let live = render_live(&report, &View::new(Lang::En), &LivePage { refresh_seconds: 5, generated: 0 });
        assert!(live.contains("connect-src 'self'"));
        for page in [file, live] {
            assert!(!page.contains("https://"), "no absolute links to fetch");
            assert!(!page.contains("src=\""), "nothing loaded by src");
        }
    }

    #[test]
    fn a_report_of_nothing_says_so_in_both_languages() {
        let summary = crate::summary::Summary::new(100);
        for lang in [Lang::En, Lang::Zh] {
            let report = Report::build(&summary, crate::test_support::catalog(), lang);
            let page = render(&report, &View::new(lang));
            assert!(page.contains(Words::of(lang).none));
            assert!(!page.contains("class=\"action"), "no action items");
        }
    }

    #[test]
    fn explain_commands_survive_a_shell() {
        let mut a = hostile_report().actions.remove(0);
        a.code = "it's".to_string();
        assert_eq!(explain_command(&a), r"errwatch explain --provider zhipu 'it'\''s'");
        a.code = "429".to_string();
        a.variant = Some("balance_exhausted".to_string());
        assert_eq!(explain_command(&a), "errwatch explain --provider zhipu '429#balance_exhausted'");
    }
}
