//! The HTML report's charts, drawn here as SVG markup from the [`Report`]: a stacked timeline
//! per provider and a bar chart of the most frequent codes. Each chart names itself for
//! screen readers (`role="img"`, a `<title>` and a `<desc>` that say what it shows in words);
//! the numbers behind it are the page's to table. Every text is spliced through maud, so log
//! text (unknown codes) is escaped like anywhere else on the page.
//!
//! Colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), chosen to
//! stay apart for the common colour-vision deficiencies; the eight colours are too few for
//! twelve categories and some are close in greyscale, so categories sharing a colour differ
//! by a pattern (hatching or dots) drawn over it, and the stacking order is fixed (the
//! taxonomy's), so a chart printed in grey still reads with its legend.

use maud::{html, Markup};

use super::words::{fill, Words};
use super::{Moment, Report};
use crate::catalog::{Category, Provider, Severity};
use crate::timestamp::{Local, Zone};

/// Okabe–Ito colours by name.
mod okabe_ito {
    pub const ORANGE: &str = "#E69F00";
    pub const BLUISH_GREEN: &str = "#009E73";
    pub const YELLOW: &str = "#F0E442";
    // Sky blue (#56B4E9) is left out: in greyscale it is orange's and grey's twin.
    pub const BLUE: &str = "#0072B2";
    pub const VERMILLION: &str = "#D55E00";
    pub const REDDISH_PURPLE: &str = "#CC79A7";
    pub const BLACK: &str = "#000000";
    /// Not one of the eight: the grey usually paired with them, for what errwatch cannot name.
    pub const GREY: &str = "#999999";
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Solid,
    Hatch,
    Dots,
}

/// A category's colour and pattern. Within one pattern the colours are at least 30 apart in
/// greyscale (luma 0..255, tested), so a grey print keeps them apart; meaning pairs share a
/// hue where that allows (auth and permission, billing and account).
fn look(category: Category) -> (&'static str, Pattern) {
    use okabe_ito::*;
    match category {
        Category::Auth => (VERMILLION, Pattern::Solid),
        Category::Permission => (VERMILLION, Pattern::Dots),
        Category::Account => (BLACK, Pattern::Hatch),
        Category::Billing => (BLACK, Pattern::Solid),
        Category::RateLimit => (ORANGE, Pattern::Solid),
        Category::ContentPolicy => (REDDISH_PURPLE, Pattern::Hatch),
        Category::InvalidRequest => (BLUE, Pattern::Solid),
        Category::NotFound => (BLUE, Pattern::Dots),
        Category::ContextLength => (YELLOW, Pattern::Solid),
        Category::ServerError => (BLUISH_GREEN, Pattern::Hatch),
        Category::Unavailable => (YELLOW, Pattern::Hatch),
        Category::Unknown => (GREY, Pattern::Dots),
    }
}

/// Greyscale value of `#RRGGBB` (Rec. 601 luma), 0..255.
fn luma(colour: &str) -> u32 {
    let c = |i: usize| u32::from_str_radix(colour.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    (299 * c(1) + 587 * c(3) + 114 * c(5)) / 1000
}

/// Pattern strokes: white over dark colours, black over light ones.
fn ink(colour: &str) -> &'static str {
    if luma(colour) < 128 {
        "#FFFFFF"
    } else {
        "#000000"
    }
}

/// The fill of a category's shapes: its colour, or its pattern (which carries the colour).
pub fn fill_of(category: Category) -> String {
    match look(category) {
        (colour, Pattern::Solid) => colour.to_string(),
        _ => format!("url(#ew-{})", category.as_str()),
    }
}

/// The patterns, in a hidden SVG of their own that every chart on the page refers to.
pub fn defs() -> Markup {
    html! {
        svg width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute" {
            defs {
                @for c in Category::ALL {
                    @let (colour, pattern) = look(*c);
                    @if pattern != Pattern::Solid {
                        pattern id={ "ew-" (c.as_str()) } width="6" height="6" patternUnits="userSpaceOnUse" {
                            rect width="6" height="6" fill=(colour) {}
                            @if pattern == Pattern::Hatch {
                                path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke=(ink(colour)) stroke-width="1.5" {}
                            } @else {
                                circle cx="3" cy="3" r="1.4" fill=(ink(colour)) {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A legend swatch for a category.
pub fn swatch(category: Category) -> Markup {
    html! {
        svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
            rect width="14" height="14" fill=(fill_of(category)) stroke="#333" stroke-width="1" {}
        }
    }
}

const WIDTH: f64 = 760.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 20.0;
const PLOT_HEIGHT: f64 = 120.0;
const BOTTOM: f64 = 26.0;

/// Time of a bucket's start, short: the time of day when the chart spans one day in the
/// zone, else the date too.
fn short_time(ms: i64, zone: Zone, one_day: bool) -> String {
    let t = Local::new(ms, zone);
    if one_day {
        t.time
    } else {
        format!("{} {}", &t.date[5..], &t.time[..5])
    }
}

/// What a timeline chart draws for one provider, worked out once for the chart and its
/// table.
pub struct ProviderTimeline<'r> {
    pub provider: Provider,
    /// Categories present, in stacking order, with their buckets.
    pub rows: Vec<(Category, &'r [u64])>,
    /// Buckets shown: up to the last that holds an error of any provider.
    pub used: usize,
    pub start_ms: i64,
    pub bucket_ms: i64,
    pub total: u64,
    pub peak: u64,
    /// Critical codes of this provider: label and first time seen, earliest first; the
    /// chart marks each by its number (from 1) in this list.
    pub critical: Vec<(String, Moment)>,
}

impl<'r> ProviderTimeline<'r> {
    pub fn of(report: &'r Report, provider: Provider) -> Option<ProviderTimeline<'r>> {
        let start = report.timeline.start?;
        let categories = report.timeline.categories.get(&provider)?;
        let used = report.timeline.used_buckets().max(1);
        let rows: Vec<(Category, &[u64])> =
            categories.iter().map(|(c, b)| (*c, &b[..used.min(b.len())])).collect();
        let sums: Vec<u64> =
            (0..used).map(|i| rows.iter().map(|(_, b)| b.get(i).copied().unwrap_or(0)).sum()).collect();
        let mut critical: Vec<(String, Moment)> = report
            .by_code
            .iter()
            .filter(|r| r.provider == provider && r.severity == Some(Severity::Critical))
            .filter_map(|r| r.first_seen.map(|m| (r.label(), m)))
            .collect();
        // Numbered in time order: the marks read left to right.
        critical.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        Some(ProviderTimeline {
            provider,
            rows,
            used,
            start_ms: start.0,
            bucket_ms: (report.timeline.bucket_seconds * 1000.0).round() as i64,
            total: sums.iter().sum(),
            peak: sums.iter().copied().max().unwrap_or(0),
            critical,
        })
    }

    pub fn bucket_start(&self, i: usize) -> i64 {
        self.start_ms + i as i64 * self.bucket_ms
    }

    /// Whether the chart's span falls on one day in the zone.
    pub fn one_day(&self, zone: Zone) -> bool {
        Local::new(self.start_ms, zone).date == Local::new(self.bucket_start(self.used) - 1, zone).date
    }

    /// The bars' pieces, bottom up in stacking order, `scale` pixels per error.
    fn segments(&self, scale: f64) -> Vec<Segment> {
        let mut out = Vec::new();
        for bucket in 0..self.used {
            let mut top = 0.0;
            for (category, counts) in &self.rows {
                let count = counts.get(bucket).copied().unwrap_or(0);
                if count > 0 {
                    let height = count as f64 * scale;
                    top += height;
                    out.push(Segment { bucket, category: *category, count, top, height });
                }
            }
        }
        out
    }

    /// One mark per bar holding a first occurrence: the bar, and the numbers of its codes
    /// (`1,2`), so marks never print over each other's codes.
    fn marks(&self) -> Vec<(usize, String)> {
        let mut marks: Vec<(usize, String)> = Vec::new();
        for (i, (_, at)) in self.critical.iter().enumerate() {
            let bucket = self.bucket_of(at.0);
            match marks.iter_mut().find(|(b, _)| *b == bucket) {
                Some((_, numbers)) => numbers.push_str(&format!(",{}", i + 1)),
                None => marks.push((bucket, (i + 1).to_string())),
            }
        }
        marks
    }

    fn bucket_of(&self, ms: i64) -> usize {
        (((ms - self.start_ms) / self.bucket_ms.max(1)).max(0) as usize).min(self.used - 1)
    }
}

/// One category's piece of one bar; `top` is its upper edge above the axis.
struct Segment {
    bucket: usize,
    category: Category,
    count: u64,
    top: f64,
    height: f64,
}

/// The stacked bars of one provider's errors over time, with a ▼ over the bar where each of
/// its critical codes first appeared.
pub fn timeline(t: &ProviderTimeline, zone: Zone, w: &Words) -> Markup {
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let plot_width = WIDTH - LEFT - RIGHT;
    let bar = plot_width / t.used as f64;
    let gap = if bar > 4.0 { 1.0 } else { 0.0 };
    let scale = PLOT_HEIGHT / t.peak.max(1) as f64;
    let one_day = t.one_day(zone);
    let end = t.bucket_start(t.used);
    let id = format!("tl-{}", t.provider);
    let alt = fill(
        w.html_timeline_alt,
        &[
            ("provider", &t.provider),
            ("total", &t.total),
            ("start", &Local::new(t.start_ms, zone)),
            ("end", &Local::new(end, zone)),
            ("peak", &t.peak),
        ],
    );
    let mut marks = String::new();
    for (code, at) in &t.critical {
        marks.push_str(&fill(w.html_critical_first, &[("code", code), ("at", &Local::new(at.0, zone))]));
        marks.push_str("; ");
    }
    html! {
        svg class="chart timeline" data-provider=(t.provider) data-series=(t.rows.len())
            viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" role="img"
            aria-labelledby={ (id) "-title " (id) "-desc" } xmlns="http://www.w3.org/2000/svg" {
            title id={ (id) "-title" } { (t.provider) ": " (w.html_timeline) }
            desc id={ (id) "-desc" } { (alt) " " (marks) }
            // Axes: the peak and zero on the left, the span's ends below.
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(TOP + PLOT_HEIGHT) stroke="#555" {}
            line x1=(LEFT) y1=(TOP + PLOT_HEIGHT) x2=(WIDTH - RIGHT) y2=(TOP + PLOT_HEIGHT) stroke="#555" {}
            text x=(LEFT - 4.0) y=(TOP + 4.0) text-anchor="end" class="axis" { (t.peak) }
            text x=(LEFT - 4.0) y=(TOP + PLOT_HEIGHT) text-anchor="end" class="axis" { "0" }
            text x=(LEFT) y=(height - 8.0) class="axis" { (short_time(t.start_ms, zone, one_day)) }
            text x=(WIDTH - RIGHT) y=(height - 8.0) text-anchor="end" class="axis" { (short_time(end, zone, one_day)) }
            @for s in t.segments(scale) {
                rect class="seg" data-category=(s.category.as_str()) x=(fmt(LEFT + s.bucket as f64 * bar + gap / 2.0))
                    y=(fmt(TOP + PLOT_HEIGHT - s.top)) width=(fmt(bar - gap)) height=(fmt(s.height))
                    fill=(fill_of(s.category)) {
                    title { (s.category.as_str()) ": " (s.count) ", " (short_time(t.bucket_start(s.bucket), zone, one_day)) }
                }
            }
            @for (bucket, numbers) in t.marks() {
                @let x = LEFT + (bucket as f64 + 0.5) * bar;
                g class="critical-mark" {
                    line x1=(fmt(x)) y1=(TOP - 2.0) x2=(fmt(x)) y2=(TOP + PLOT_HEIGHT) stroke="#000"
                        stroke-width="1" stroke-dasharray="3 2" {}
                    text x=(fmt(x)) y=(TOP - 6.0) text-anchor="middle" class="mark" { "▼" (numbers) }
                }
            }
        }
    }
}

/// Codes shown in the top-codes chart.
pub const TOP_CODES: usize = 10;

/// Horizontal bars of the most frequent codes, coloured by category.
pub fn top_codes(report: &Report, w: &Words) -> Markup {
    let mut rows: Vec<&super::CodeRow> = report.by_code.iter().collect();
    // Stable: ties keep the table's order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.count));
    rows.truncate(TOP_CODES);
    let label_width = 260.0;
    let row_height = 22.0;
    let height = rows.len() as f64 * row_height + 8.0;
    let room = WIDTH - label_width - 70.0;
    let max = rows.first().map_or(1, |r| r.count.max(1)) as f64;
    let list: Vec<String> =
        rows.iter().map(|r| format!("{} {} ({})", r.provider, r.label(), r.count)).collect();
    let alt = fill(w.html_top_alt, &[("n", &rows.len()), ("list", &list.join(", "))]);
    html! {
        svg class="chart top-codes" data-series=(rows.len()) viewBox={ "0 0 " (WIDTH) " " (height) } width="100%"
            role="img" aria-labelledby="top-title top-desc" xmlns="http://www.w3.org/2000/svg" {
            title id="top-title" { (w.html_top_codes) }
            desc id="top-desc" { (alt) }
            @for (i, r) in rows.iter().enumerate() {
                @let y = 4.0 + i as f64 * row_height;
                @let len = (r.count as f64 / max * room).max(1.0);
                text x=(label_width - 6.0) y=(y + 15.0) text-anchor="end" class="label" {
                    (r.provider) " " (clip(&r.label(), 28))
                }
                rect x=(label_width) y=(y + 3.0) width=(fmt(len)) height=(row_height - 6.0) fill=(fill_of(r.category)) {
                    title { (r.provider) " " (r.label()) " (" (r.category.as_str()) "): " (r.count) }
                }
                text x=(fmt(label_width + len + 6.0)) y=(y + 15.0) class="label" { (r.count) }
            }
        }
    }
}

/// At most `n` characters of `text`, marked `…` when cut: a chart label has a fixed room;
/// the table beside it has the code whole.
fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(n - 1).collect();
    cut.push('…');
    cut
}

/// A coordinate to one decimal: the page stays small and the numbers stable.
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_its_own_look() {
        let looks: Vec<(&str, bool, bool)> = Category::ALL
            .iter()
            .map(|c| {
                let (colour, p) = look(*c);
                (colour, p == Pattern::Hatch, p == Pattern::Dots)
            })
            .collect();
        for (i, a) in looks.iter().enumerate() {
            for (j, b) in looks.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{:?} and {:?} look alike", Category::ALL[i], Category::ALL[j]);
            }
        }
    }

    #[test]
    fn one_pattern_s_colours_differ_in_greyscale() {
        for (i, a) in Category::ALL.iter().enumerate() {
            for b in &Category::ALL[i + 1..] {
                let ((ca, pa), (cb, pb)) = (look(*a), look(*b));
                if pa == pb {
                    assert!(luma(ca).abs_diff(luma(cb)) >= 30, "{a:?} and {b:?} are alike in grey");
                }
            }
        }
    }

    #[test]
    fn clipped_labels_say_so() {
        assert_eq!(clip("RateLimitExceeded.EndpointRPMExceeded", 10), "RateLimit…");
        assert_eq!(clip("1113", 10), "1113");
    }
}
