//! A source on its way to errors: the byte chunks of one file or stream, split into lines,
//! through its own [`Pipeline`], with the counts every report and metric starts from.

use crate::catalog::Catalog;
use crate::extract::{Line, Triggers};
use crate::input::{LineSplitter, RawLine};
use crate::pipeline::{Events, Pipeline};

/// What was read from a source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub lines: u64,
    pub bytes: u64,
    /// Lines longer than the cap, searched in their first part only.
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
    pipeline: Pipeline,
    line_no: u64,
    pub stats: ReadStats,
}

impl Source {
    pub fn new(max_line: usize, dating: impl Into<crate::timestamp::Dating>) -> Source {
        Source {
            splitter: LineSplitter::new(max_line),
            pipeline: Pipeline::new(dating),
            line_no: 0,
            stats: ReadStats::default(),
        }
    }

    /// The next line's number is `after + 1`: for a followed file resumed mid-way.
    pub fn starting_after(mut self, after: u64) -> Self {
        self.line_no = after;
        self
    }

    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    pub fn feed(&mut self, chunk: &[u8], catalog: &Catalog, out: &mut dyn Events) {
        self.stats.bytes += chunk.len() as u64;
        // One pass over the chunk answers, for the lines wholly inside it, what a pass per
        // line would: which hold a trigger, and whether all are valid UTF-8 (a newline never
        // splits a character, so when the chunk up to its last newline is valid, each line is).
        let mut triggers = Triggers::scan(chunk, catalog.lexicon());
        let complete = memchr::memrchr(b'\n', chunk).map_or(0, |i| i + 1);
        let valid = simdutf8::basic::from_utf8(&chunk[..complete]).ok();
        let Source { splitter, pipeline, line_no, stats } = self;
        splitter.feed(chunk, |line| {
            let known = match line.at {
                Some(at) if !line.truncated => Known {
                    triggered: Some(triggers.within(at, at + line.bytes.len())),
                    // A line of a valid chunk starts and ends at character boundaries.
                    text: valid.and_then(|v| v.get(at..at + line.bytes.len())),
                    chunk,
                },
                _ => Known { chunk, ..Known::default() },
            };
            take_line(pipeline, catalog, line_no, stats, line, known, out)
        });
        pipeline.end_chunk(chunk);
    }

    /// End of input: the partial last line counts, held evidence is settled.
    pub fn finish(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        let Source { splitter, pipeline, line_no, stats } = self;
        splitter.finish(|line| take_line(pipeline, catalog, line_no, stats, line, Known::default(), out));
        pipeline.flush(catalog, out);
    }

    /// The source went quiet: settle held evidence but keep a partial line waiting.
    pub fn idle(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        self.pipeline.flush(catalog, out);
    }

    /// Bytes of an incomplete last line, read but not yet a line.
    pub fn partial_bytes(&self) -> usize {
        self.splitter.pending_bytes()
    }

    /// Is evidence held back that later lines may still change?
    pub fn is_holding(&self) -> bool {
        self.pipeline.is_holding()
    }

    /// The file was truncated or replaced: a held partial line belonged to the old content.
    pub fn restart_lines(&mut self) {
        self.splitter.reset();
        self.line_no = 0;
    }
}

/// What a pass over a line's whole chunk already found out about it.
#[derive(Default)]
struct Known<'c> {
    triggered: Option<bool>,
    /// The line as text, when its chunk was found valid UTF-8 (`None`: not known).
    text: Option<&'c str>,
    /// The chunk being fed, which the line's `at` places it in (empty at the end of input).
    chunk: &'c [u8],
}

fn take_line(
    pipeline: &mut Pipeline,
    catalog: &Catalog,
    line_no: &mut u64,
    stats: &mut ReadStats,
    line: RawLine<'_>,
    known: Known<'_>,
    out: &mut dyn Events,
) {
    *line_no += 1;
    stats.lines += 1;
    stats.long_lines += u64::from(line.truncated);
    if known.text.is_none() && !line.bytes.is_ascii() && std::str::from_utf8(line.bytes).is_err() {
        stats.invalid_utf8 += 1;
    }
    let line = Line {
        number: *line_no,
        bytes: line.bytes,
        text: known.text,
        triggered: known.triggered,
        chunk: known.chunk,
        at: line.at,
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
