//! The report for a terminal: what to do first, then per provider and category, then over
//! time. The layout follows the view's width (Chinese text counted as double width): text is
//! wrapped at spaces (anywhere in Chinese, which has none), never inside a word, so a code is
//! always whole and can be copied into `errwatch explain`; a code too long for its column
//! gets a line of its own. Colored only when asked.

use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::words::{self, fill, Words};
use super::{sparkline, CodeRow, Moment, Report, View};
use crate::catalog::Severity;
use crate::output::{lpad, pad, printable};
use crate::timestamp::{Local, Zone};

/// The narrowest layout: narrower terminals get this one and wrap it.
pub const MIN_WIDTH: usize = 80;
/// The width when nothing says otherwise (output to a file or a pipe).
pub const DEFAULT_WIDTH: usize = 100;
/// Where the text under an action item starts.
const ITEM_INDENT: usize = 11;
/// Unknown-code templates shown; the JSON report has them all.
const SHOWN_TEMPLATES: usize = 10;

/// Whether to color the output (a terminal, and NO_COLOR unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Color,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }

    fn severity(self, s: Severity, label: &str) -> String {
        let label = pad(label, 8);
        match s {
            Severity::Critical => self.paint("1;31", &label),
            Severity::High => self.paint("31", &label),
            Severity::Medium => self.paint("33", &label),
            Severity::Low => self.paint("2", &label),
        }
    }
}

pub fn render(report: &Report, view: &View) -> String {
    let w = Words::of(view.lang);
    let width = view.width.max(MIN_WIDTH);
    let style = view.style;
    let mut out = String::new();
    let head = format!(
        "{} — {}",
        w.title,
        fill(
            w.summary,
            &[
                ("lines", &report.lines),
                ("bytes", &human_bytes(report.bytes)),
                ("errors", &report.errors),
                ("known", &report.known),
                ("unknown", &report.unknown),
            ]
        )
    );
    let mut head_lines = wrap(&head, width, width - 2).into_iter();
    if let Some(first) = head_lines.next() {
        // The title alone in bold: the rest of the line is plain.
        let rest = first.strip_prefix(w.title).unwrap_or(&first);
        let _ = writeln!(out, "{}{rest}", style.paint("1", w.title));
    }
    for line in head_lines {
        let _ = writeln!(out, "  {line}");
    }
    for source in report.sources.iter().filter(|s| s.error.is_some()) {
        let problem = fill(
            w.cannot_read,
            &[("source", &printable(&source.source)), ("error", &source.error.as_deref().unwrap_or(""))],
        );
        push_wrapped(&mut out, &style.paint("1;31", "✗"), &problem, 2, width);
    }
    if report.long_lines > 0 || report.invalid_utf8_lines > 0 {
        let text =
            fill(w.long_and_invalid, &[("long", &report.long_lines), ("bad", &report.invalid_utf8_lines)]);
        push_wrapped(&mut out, "", &text, 2, width);
    }
    if report.errors == 0 {
        let _ = writeln!(out, "\n{}", w.none);
        return out;
    }
    push_wrapped(&mut out, "", &fill(w.times_in, &[("zone", &view.zone.name())]), 0, width);
    actions(&mut out, report, view, w, width);
    by_code(&mut out, report, view, w, width);
    templates(&mut out, report, view, w, width);
    timeline(&mut out, report, view, w);
    let evidence = fill(
        w.evidence,
        &[
            ("code", &report.evidence.code),
            ("message", &report.evidence.message),
            ("status", &report.evidence.status),
        ],
    );
    out.push('\n');
    push_wrapped(&mut out, "", &evidence, 0, width);
    out
}

fn actions(out: &mut String, report: &Report, view: &View, w: &Words, width: usize) {
    let style = view.style;
    let _ = writeln!(out, "\n{}", style.paint("1", w.act));
    let shown = view.shown_actions(&report.actions);
    for a in &report.actions[..shown] {
        let head = format!(
            "{:>6}×  {} {}  {}  {}",
            a.count,
            a.provider,
            unbreakable(&printable(&a.label())),
            a.category,
            since(a.since, view.zone, w)
        );
        let lines = wrap(&head, width - ITEM_INDENT, width - ITEM_INDENT);
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "  {} {line}", style.severity(a.severity, w.severity(a.severity)));
            } else {
                let _ = writeln!(out, "{}{line}", " ".repeat(ITEM_INDENT));
            }
        }
        push_wrapped(out, "", &format!("{} → {}", a.what, a.todo), ITEM_INDENT, width);
    }
    let hidden = report.actions.len() - shown;
    if hidden > 0 {
        push_wrapped(out, "", &fill(w.more_actions, &[("n", &hidden), ("how", &"--all")]), 2, width);
    }
}

/// `since 2026-11-02 10:00:06 +08:00`, or `no timestamp`: kept on one line.
fn since(at: Option<Moment>, zone: Zone, w: &Words) -> String {
    unbreakable(&match at {
        Some(m) => format!("{} {}", w.since, Local::new(m.0, zone)),
        None => w.no_timestamp.to_string(),
    })
}

/// The table's columns, sized to what they hold and to the width.
struct Columns {
    category: usize,
    code: usize,
    count: usize,
    share: usize,
    seen: usize,
}

impl Columns {
    fn fit(report: &Report, spans: &[String], w: &Words, width: usize) -> Columns {
        let max = |it: &mut dyn Iterator<Item = usize>| it.max().unwrap_or(0);
        let category = max(&mut report.by_code.iter().map(|r| r.category.as_str().len()))
            .max(w.provider_category.width().saturating_sub(2));
        let count = max(&mut report.by_code.iter().map(|r| r.count.to_string().len()))
            .max(report.errors.to_string().len())
            .max(w.count.width());
        let share = "100.0%".len().max(w.share.width());
        let seen = max(&mut spans.iter().map(|s| s.width())).max(w.seen.width());
        let longest_code =
            max(&mut report.by_code.iter().map(|r| printable(&r.label()).width())).max(w.code.width());
        let fixed = 4 + category + 1 + 1 + count + 1 + share + 2 + seen + 2 + w.retry.width();
        let code = longest_code.min(width.saturating_sub(fixed)).max(w.code.width());
        Columns { category, code, count, share, seen }
    }
}

fn by_code(out: &mut String, report: &Report, view: &View, w: &Words, width: usize) {
    let style = view.style;
    let one_day = one_local_day(report, view.zone);
    let spans: Vec<String> = report.by_code.iter().map(|r| seen_span(r, view.zone, one_day, w)).collect();
    let c = Columns::fit(report, &spans, w, width);
    let _ = writeln!(out, "\n{}", style.paint("1", w.by_provider));
    let _ = writeln!(
        out,
        "  {} {} {} {}  {}  {}",
        pad(w.provider_category, c.category + 2),
        pad(w.code, c.code),
        lpad(w.count, c.count),
        lpad(w.share, c.share),
        pad(w.seen, c.seen),
        w.retry
    );
    for (provider, total) in report.provider_totals() {
        let share = format!("{:.1}%", 100.0 * total as f64 / report.errors as f64);
        let name = pad(provider.as_str(), c.category + 2 + 1 + c.code);
        let row = format!("  {name} {} {}", lpad(&total.to_string(), c.count), lpad(&share, c.share));
        let _ = writeln!(out, "{}", style.paint("1", &row));
        for (r, span) in report.by_code.iter().zip(&spans).filter(|(r, _)| r.provider == provider) {
            let label = r.label();
            let code = printable(&label);
            let rest = format!(
                "{} {}  {}  {}",
                lpad(&r.count.to_string(), c.count),
                lpad(&format!("{:.1}%", 100.0 * r.share), c.share),
                pad(span, c.seen),
                w.yes_no(r.retryable)
            );
            let category = pad(r.category.as_str(), c.category);
            if code.width() <= c.code {
                let _ = writeln!(out, "    {category} {} {rest}", pad(&code, c.code));
            } else {
                // Too long for its column: whole on a line of its own, the rest below it.
                let _ = writeln!(out, "    {category} {code}");
                let _ = writeln!(out, "    {} {} {rest}", " ".repeat(c.category), " ".repeat(c.code));
            }
        }
    }
}

/// Whether every time in the table falls on one day in the zone: then the table shows times
/// of day only.
fn one_local_day(report: &Report, zone: Zone) -> bool {
    let mut days = report
        .by_code
        .iter()
        .flat_map(|r| [r.first_seen, r.last_seen])
        .flatten()
        .map(|m| Local::new(m.0, zone).date);
    match days.next() {
        Some(first) => days.all(|d| d == first),
        None => true,
    }
}

/// `10:00:06 → 10:00:08` when the table is of one day, else `11-02 10:00:06 → 11-03 09:00:00`;
/// `no timestamp` when the row had none.
fn seen_span(r: &CodeRow, zone: Zone, one_day: bool, w: &Words) -> String {
    let show = |m: Moment| {
        let t = Local::new(m.0, zone);
        if one_day {
            t.time
        } else {
            format!("{} {}", &t.date[5..], t.time)
        }
    };
    match (r.first_seen, r.last_seen) {
        (Some(a), Some(b)) => format!("{} → {}", show(a), show(b)),
        _ => w.no_timestamp.to_string(),
    }
}

fn templates(out: &mut String, report: &Report, view: &View, w: &Words, width: usize) {
    if report.unknown_templates.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", view.style.paint("1", w.unknown_codes));
    let shown = if view.all_actions { report.unknown_templates.len() } else { SHOWN_TEMPLATES };
    for t in report.unknown_templates.iter().take(shown) {
        let head = format!("{} {} ×{}", pad(t.provider.as_str(), 11), printable(&t.code), t.count);
        push_wrapped(out, "", &head, 2, width);
        if !t.example.is_empty() {
            push_wrapped(out, "", &format!("{}{}", w.example_short, printable(&t.example)), 6, width);
        }
    }
    let hidden = report.unknown_templates.len().saturating_sub(shown);
    if hidden > 0 {
        push_wrapped(out, "", &fill(w.more_templates, &[("n", &hidden), ("how", &"--all")]), 2, width);
    }
}

/// One labelled sparkline per provider, up to the last mark that holds an error.
fn timeline(out: &mut String, report: &Report, view: &View, w: &Words) {
    let Some(start) = report.timeline.start else { return };
    let used = report.timeline.used_buckets();
    let label = fill(
        w.timeline,
        &[
            ("width", &words::seconds(report.timeline.bucket_seconds, view.lang)),
            ("start", &Local::new(start.0, view.zone)),
        ],
    );
    let _ = writeln!(out, "\n{}", view.style.paint("1", &label));
    let name_width = report.timeline.buckets.keys().map(|p| p.as_str().len()).max().unwrap_or(0).max(10) + 1;
    for (provider, total) in report.provider_totals() {
        if let Some(b) = report.timeline.buckets.get(&provider) {
            let _ =
                writeln!(out, "  {}|{}| {total}", pad(provider.as_str(), name_width), sparkline(&b[..used]));
        }
    }
}

/// Wraps `text` at `indent` within `width`, the first line led by `mark` (already painted,
/// one column wide when not empty).
fn push_wrapped(out: &mut String, mark: &str, text: &str, indent: usize, width: usize) {
    let lead = if mark.is_empty() { 0 } else { 2 };
    let room = width.saturating_sub(indent + lead).max(20);
    for (i, line) in wrap(text, room, room).iter().enumerate() {
        let _ = match (i, mark.is_empty()) {
            (0, false) => writeln!(out, "{}{mark} {line}", " ".repeat(indent)),
            (_, false) => writeln!(out, "{}{line}", " ".repeat(indent + lead)),
            _ => writeln!(out, "{}{line}", " ".repeat(indent)),
        };
    }
}

/// Lines of `text` at most `first` columns wide for the first and `rest` for the others,
/// broken at spaces and between wide (Chinese) characters, never inside a word of other
/// characters: a word longer than a line is a line of its own, longer than the room.
pub fn wrap(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut cols = 0;
    for token in tokens(text) {
        let room = if lines.is_empty() { first } else { rest };
        let w = token.width();
        let space = token.starts_with(' ');
        if cols > 0 && cols + w > room {
            lines.push(shown(&line));
            line.clear();
            cols = 0;
        }
        if space && cols == 0 && !lines.is_empty() {
            continue;
        }
        line.push_str(token);
        cols += w;
    }
    if !line.trim().is_empty() {
        lines.push(shown(&line));
    }
    lines
}

/// Holds its neighbours together on one line; shown as a space.
pub const GLUE: char = '\u{a0}';
/// Holds its neighbours together on one line; not shown (a word joiner).
const JOIN: char = '\u{2060}';

/// `text` kept on one line: its spaces glued, its characters joined.
fn unbreakable(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && c != ' ' && !out.ends_with(GLUE) {
            out.push(JOIN);
        }
        out.push(if c == ' ' { GLUE } else { c });
    }
    out
}

/// A wrapped line as shown: glue as spaces, joiners gone.
fn shown(line: &str) -> String {
    line.trim_end().replace(GLUE, " ").replace(JOIN, "")
}

/// Runs of spaces, and runs of other characters cut where a line may break: next to a wide
/// (Chinese) character, but never before closing punctuation, after opening punctuation, or
/// on either side of [`GLUE`].
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let wide = |c: char| c.width().unwrap_or(0) > 1;
    let may_break = move |a: char, b: char| {
        (wide(a) || wide(b))
            && ![a, b].iter().any(|c| *c == GLUE || *c == JOIN)
            && !"。，、；：！？）」』》”’…,.;:!?)".contains(b)
            && !"（「『《“‘".contains(a)
    };
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let end = if first == ' ' {
            rest.find(|c| c != ' ').unwrap_or(rest.len())
        } else {
            let mut prev = first;
            rest.char_indices()
                .skip(1)
                .find(|&(_, c)| {
                    let cut = c == ' ' || may_break(prev, c);
                    prev = c;
                    cut
                })
                .map_or(rest.len(), |(i, _)| i)
        };
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_breaks_between_characters_but_not_before_closing_punctuation() {
        let text = "请前往火山方舟控制台开通管理页开通对应模型服务。然后重试，谢谢";
        for room in 4..30 {
            for line in wrap(text, room, room) {
                assert!(line.width() <= room, "{room}: {line:?}");
                assert!(!line.starts_with(['。', '，']), "{room}: {line:?}");
            }
        }
        let glued = unbreakable("始于 2026-11-02 10:00:06");
        let lines = wrap(&format!("{} {glued}", "x".repeat(30)), 35, 35);
        assert_eq!(lines[1], "始于 2026-11-02 10:00:06", "{lines:?}");
    }

    #[test]
    fn wrapping_never_cuts_a_word() {
        let text = "since RateLimitExceeded.EndpointRPMExceeded happened the account 欠费了请充值后重试 now";
        for room in [10, 20, 30, 45] {
            let lines = wrap(text, room, room);
            for line in &lines {
                assert!(line.width() <= room || !line.contains(' '), "{room}: {line:?}");
            }
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split(' ')).collect();
            assert!(words.contains(&"RateLimitExceeded.EndpointRPMExceeded"), "{room}: {lines:?}");
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let want: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, want, "nothing lost or added at {room}");
        }
    }
}
