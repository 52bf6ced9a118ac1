//! Fuzz target: arbitrary bytes through the line pipeline (`Source`: line splitting, UTF-8
//! repair, extraction, classification, correlation), fed in a few chunks.
//!
//! Input layout (see fuzz/README.md):
//!   byte 0          control: bits 0-1 = number of cuts (0..=3), bits 2-3 = max_line choice
//!   next 2*cuts     little-endian u16 cut positions into the payload (taken modulo its length)
//!   rest            the payload: log bytes, fed as 1..=4 chunks split at the (sorted) cuts
//!
//! Invariants checked (a failed assert is a crash):
//! - no panic anywhere in feed/finish;
//! - every event's `line` is in 1..=lines fed (+1 for an unterminated last line);
//! - the source counted exactly that many lines and exactly the payload's bytes;
//! - `detection.known()` => `detection.entry` is a valid catalog id whose provider is
//!   `detection.provider`;
//! - a known, non-ambiguous detection has its entry's category.
#![no_main]

use std::sync::OnceLock;

use errwatch::catalog::Catalog;
use errwatch::pipeline::ErrorEvent;
use errwatch::source::Source;
use libfuzzer_sys::fuzz_target;

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// `--max-line-bytes` is user-set; small caps exercise the truncation paths.
const MAX_LINES: [usize; 4] = [1024 * 1024, 4096, 97, 1];
const DEFAULT_YEAR: i32 = 2026;

fuzz_target!(|data: &[u8]| {
    let catalog = CATALOG.get_or_init(Catalog::embedded);

    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let cuts_wanted = usize::from(control & 0b11);
    let max_line = MAX_LINES[usize::from((control >> 2) & 0b11)];
    let header = (2 * cuts_wanted).min(rest.len());
    let (cut_bytes, payload) = rest.split_at(header);

    let mut cuts: Vec<usize> = cut_bytes
        .chunks_exact(2)
        .map(|c| usize::from(u16::from_le_bytes([c[0], c[1]])) % (payload.len() + 1))
        .collect();
    cuts.sort_unstable();

    let mut source = Source::new(max_line, DEFAULT_YEAR);
    let mut events: Vec<ErrorEvent> = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(payload.len())) {
        source.feed(&payload[start..cut], catalog, &mut events);
        start = cut;
    }
    source.finish(catalog, &mut events);

    let newlines = payload.iter().filter(|&&b| b == b'\n').count() as u64;
    let unterminated = u64::from(payload.last().is_some_and(|&b| b != b'\n'));
    let lines = newlines + unterminated;

    assert_eq!(source.stats.lines, lines, "lines counted");
    assert_eq!(source.line_no(), lines, "line_no after finish");
    assert_eq!(source.stats.bytes, payload.len() as u64, "bytes counted");
    assert!(source.stats.long_lines <= lines);
    assert!(source.stats.invalid_utf8 <= lines);
    assert!(!source.is_holding(), "evidence still held after finish");
    assert_eq!(source.partial_bytes(), 0, "partial line kept after finish");

    for ev in &events {
        assert!(ev.line >= 1 && ev.line <= lines, "event line {} outside 1..={lines}: {ev:?}", ev.line);
        let d = &ev.detection;
        if d.known() {
            let id = d.entry.expect("known() means entry is Some");
            assert!(id < catalog.len(), "entry {id} out of range: {ev:?}");
            let entry = catalog.get(id);
            assert_eq!(
                entry.provider,
                d.provider,
                "entry {} belongs to another provider: {ev:?}",
                entry.key()
            );
            if !d.ambiguous {
                assert_eq!(entry.category, d.category, "category differs from entry {}: {ev:?}", entry.key());
            }
        }
    }
});
