//! A source on its way to errors: the byte chunks of one file or stream, split into lines,
//! taken out of their envelope by its own [`Framer`], through its own [`Pipeline`], with the
//! counts every report and metric starts from.

use crate::catalog::Catalog;
use crate::extract::{Line, Look, Triggers};
use crate::framing::{Framer, InputFormat, Logical, Replay, ResumePoint};
use crate::input::LineSplitter;
use crate::pipeline::{Events, Pipeline};

/// What was read from a source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// The source's own lines (a CRI chunk is one, as `wc -l` counts them).
    pub lines: u64,
    pub bytes: u64,
    /// Lines longer than the cap, searched in their first part only (a line joined from chunks
    /// counts once).
    pub long_lines: u64,
    /// Lines that were not valid UTF-8 (searched with the bad bytes replaced).
    pub invalid_utf8: u64,
}

impl ReadStats {
    pub fn add(&mut self, other: &ReadStats) {
        self.lines += other.lines;
        self.bytes += other.bytes;
        self.long_lines += other.long_lines;
        self.invalid_utf8 += other.invalid_utf8;
    }
}

pub struct Source {
    splitter: LineSplitter,
    framer: Framer,
    pipeline: Pipeline,
    /// Physical lines consumed.
    line_no: u64,
    pub stats: ReadStats,
}

impl Source {
    /// A source whose envelope is decided from its first line.
    pub fn new(max_line: usize, dating: impl Into<crate::timestamp::Dating>) -> Source {
        Source {
            splitter: LineSplitter::new(max_line),
            framer: Framer::new(InputFormat::Auto, max_line),
            pipeline: Pipeline::new(dating),
            line_no: 0,
            stats: ReadStats::default(),
        }
    }

    /// Read in this envelope (`Auto`: decided from the first line).
    pub fn input_format(mut self, format: InputFormat) -> Self {
        self.framer = Framer::new(format, self.splitter_cap());
        self
    }

    fn splitter_cap(&self) -> usize {
        self.splitter.max_line()
    }

    /// The next line's number is `after + 1`: for a followed file resumed mid-way.
    pub fn starting_after(mut self, after: u64) -> Self {
        self.restart_at(after, None);
        self
    }

    /// Reading starts over at a resume point: the next physical line is number `after + 1`, and
    /// `replay` (from that point's checkpoint) says which of the lines after it were read before.
    pub fn restart_at(&mut self, after: u64, replay: Option<Replay>) {
        self.splitter.reset();
        self.framer.reset(after, replay);
        self.line_no = after;
        self.pipeline.renumbered();
    }

    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// The envelope the source is read in (`Auto` until its first non-empty line).
    pub fn format(&self) -> InputFormat {
        self.framer.format()
    }

    pub fn feed(&mut self, chunk: &[u8], catalog: &Catalog, out: &mut dyn Events) {
        self.stats.bytes += chunk.len() as u64;
        // One pass over the chunk answers, for the lines wholly inside it, what a pass per
        // line would: which hold a trigger, and whether all are valid UTF-8 (a newline never
        // splits a character, so when the chunk up to its last newline is valid, each line is).
        let mut triggers = Triggers::scan(chunk, catalog.lexicon());
        let complete = memchr::memrchr(b'\n', chunk).map_or(0, |i| i + 1);
        let valid = simdutf8::basic::from_utf8(&chunk[..complete]).ok();
        let Source { splitter, framer, pipeline, line_no, stats } = self;
        splitter.feed(chunk, |line| {
            *line_no += 1;
            stats.lines += 1;
            framer.frame(line, *line_no, &mut |logical| {
                let known = match logical.at {
                    Some(at) if !logical.truncated => Known {
                        look: Some(triggers.within(at, at + logical.bytes.len())),
                        // A slice of a valid chunk that starts and ends at ASCII bytes (a newline,
                        // an envelope's separator) starts and ends at character boundaries.
                        text: valid.and_then(|v| v.get(at..at + logical.bytes.len())),
                        chunk,
                    },
                    _ => Known { chunk, ..Known::default() },
                };
                take_line(pipeline, catalog, stats, logical, known, out)
            });
        });
        pipeline.end_chunk(chunk);
    }

    /// Reads `before`, the lines that end at line `through`, for context only: what they say
    /// of the provider is there for the lines after them, as if they had just been read, but
    /// nothing in them is counted, not even as lines. For a file followed from a saved position
    /// or from its end: its lines before were counted, or were meant to be skipped.
    pub fn warm(&mut self, before: &[u8], through: u64, catalog: &Catalog) {
        if before.is_empty() {
            return;
        }
        let lines = memchr::memchr_iter(b'\n', before).count() as u64;
        // What a rule sets aside in them is logged (`--log-level debug`) as context.
        let _span = tracing::debug_span!("context", lines).entered();
        let stats = self.stats;
        self.restart_at(through.saturating_sub(lines), None);
        let mut dropped = Vec::new();
        self.feed(before, catalog, &mut dropped);
        self.pipeline.flush(catalog, &mut dropped);
        self.stats = stats;
    }

    /// End of input: the partial last line counts, unfinished chunked lines are lines, held
    /// evidence is settled.
    pub fn finish(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        let Source { splitter, framer, pipeline, line_no, stats } = self;
        splitter.finish(|line| {
            *line_no += 1;
            stats.lines += 1;
            framer.frame(line, *line_no, &mut |l| {
                take_line(pipeline, catalog, stats, l, Known::default(), out)
            });
        });
        framer.finish(&mut |l| take_line(pipeline, catalog, stats, l, Known::default(), out));
        pipeline.flush(catalog, out);
    }

    /// The source went quiet: settle held evidence but keep a partial line waiting.
    pub fn idle(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        self.pipeline.flush(catalog, out);
    }

    /// Where a restart must resume so that no line, and no chunked line, is cut: the start of
    /// the incomplete last line, or the first chunk of the earliest unfinished chunked line.
    pub fn resume_point(&self) -> ResumePoint {
        self.framer.resume_point(self.splitter.line_start(), self.line_no, self.splitter.fed())
    }

    /// Bytes read but not yet handed on as lines: an incomplete last line, chunks of unfinished
    /// lines.
    pub fn partial_bytes(&self) -> usize {
        self.splitter.pending_bytes() as usize + self.framer.held_bytes()
    }

    /// Is evidence held back that later lines may still change?
    pub fn is_holding(&self) -> bool {
        self.pipeline.is_holding()
    }

    /// The file was truncated or replaced: a held partial line belonged to the old content.
    pub fn restart_lines(&mut self) {
        self.restart_at(0, None);
    }
}

/// What a pass over a line's whole chunk already found out about it.
#[derive(Default)]
struct Known<'c> {
    look: Option<Look>,
    /// The line as text, when its chunk was found valid UTF-8 (`None`: not known).
    text: Option<&'c str>,
    /// The chunk being fed, which the line's `at` places it in (empty at the end of input).
    chunk: &'c [u8],
}

#[inline(always)]
fn take_line(
    pipeline: &mut Pipeline,
    catalog: &Catalog,
    stats: &mut ReadStats,
    line: Logical<'_>,
    known: Known<'_>,
    out: &mut dyn Events,
) {
    stats.long_lines += u64::from(line.truncated);
    if known.text.is_none() && !line.bytes.is_ascii() && std::str::from_utf8(line.bytes).is_err() {
        stats.invalid_utf8 += 1;
    }
    let line = Line {
        number: line.number,
        bytes: line.bytes,
        text: known.text,
        look: known.look,
        chunk: known.chunk,
        at: line.at,
        envelope_time: line.stamp,
    };
    pipeline.push_line(line, catalog, out);
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Provider;

    /// The buffer a chunk was read into is reused for the next: evidence from a line of an
    /// earlier chunk must still be found once the bytes it was read from are gone.
    #[test]
    fn evidence_outlives_the_buffer_it_was_read_into() {
        let catalog = Catalog::embedded();
        let request = b"2026-11-02 10:00:00,000 INFO httpx: HTTP Request: POST https://ark.cn-beijing.volces.com/api/v3/chat/completions\n";
        // Not distinctive on its own (no `type`, no documented message): the request before it
        // is what makes it Ark's.
        let error = br#"2026-11-02 10:00:01,000 ERROR app: {"error":{"code":"RateLimitExceeded.EndpointRPMExceeded","message":"m"}}"#;
        let mut buffer = request.to_vec();
        let mut source = Source::new(1 << 20, 2026);
        let mut out = Vec::new();
        source.feed(&buffer, &catalog, &mut out);
        buffer.fill(b'x');
        buffer.clear();
        buffer.extend_from_slice(error);
        buffer.push(b'\n');
        source.feed(&buffer, &catalog, &mut out);
        source.finish(&catalog, &mut out);
        let found: Vec<_> = out.iter().map(|e| (e.line, e.detection.provider)).collect();
        assert_eq!(found, vec![(2, Provider::from_static("volcengine"))]);
    }
}
