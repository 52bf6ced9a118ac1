//! Reading sources to their end (`scan`, `report`, stdin for `watch`): each file or stdin
//! through its own [`Source`], events and read counts handed to the caller. gzip and zstd input
//! is decompressed, whatever its name. An unreadable file is reported and skipped; the others
//! are still read.

use std::fs::File;
use std::io::{self, BufReader, Read};

use crate::summary::Summary;

use crate::catalog::Catalog;
use crate::extract::{continues_record, ends_an_error};
use crate::framing::InputFormat;
use crate::input::{compressed, CHUNK_BYTES};
use crate::pipeline::{ErrorEvent, Events};
use crate::source::{ReadStats, Source};

/// Reading one source failed.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {error}")]
pub struct SourceError {
    pub source_name: String,
    #[source]
    pub error: io::Error,
}

#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    pub max_line: usize,
    pub dating: crate::timestamp::Dating,
    pub input_format: InputFormat,
}

/// What the caller does with each event; an `Err` (say, a closed stdout) stops reading.
pub trait EventSink {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()>;
    fn read(&mut self, _source: &str, _stats: &ReadStats) {}
}

/// Reads every source to its end. `-` is stdin; no sources means stdin.
pub fn read_all(
    sources: &[String],
    catalog: &Catalog,
    opts: BatchOptions,
    sink: &mut dyn EventSink,
) -> io::Result<Vec<SourceError>> {
    let stdin = ["-".to_string()];
    let sources = if sources.is_empty() { &stdin[..] } else { sources };
    let mut failures = Vec::new();
    for name in sources {
        let result = if name == "-" {
            read_decompressed(name, io::stdin().lock(), catalog, opts, sink)
        } else {
            match File::open(name) {
                Ok(f) => {
                    read_decompressed(name, BufReader::with_capacity(CHUNK_BYTES, f), catalog, opts, sink)
                }
                Err(error) => Err(Failure::Source(error)),
            }
        };
        match result {
            Ok(()) => {}
            Err(Failure::Source(error)) => failures.push(SourceError { source_name: name.clone(), error }),
            Err(Failure::Sink(e)) => return Err(e),
        }
    }
    Ok(failures)
}

enum Failure {
    Source(io::Error),
    Sink(io::Error),
}

/// Reads a source that may be compressed.
fn read_decompressed(
    name: &str,
    input: impl io::BufRead,
    catalog: &Catalog,
    opts: BatchOptions,
    sink: &mut dyn EventSink,
) -> Result<(), Failure> {
    let (input, _) = compressed::open(input).map_err(Failure::Source)?;
    read_one(name, input, catalog, opts, sink)
}

fn read_one(
    name: &str,
    mut input: impl Read,
    catalog: &Catalog,
    opts: BatchOptions,
    sink: &mut dyn EventSink,
) -> Result<(), Failure> {
    // Names the file in errwatch's own log: `--log-level debug` says which line of which file a
    // rule did not count.
    let _span = tracing::debug_span!("source", name).entered();
    let mut source = Source::new(opts.max_line, opts.dating).input_format(opts.input_format);
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut events = ToSink { name, sink, failed: None };
    let outcome = loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(Failure::Source(e)),
        };
        source.feed(&buf[..n], catalog, &mut events);
        events.check()?;
    };
    // What was read before an error still counts.
    source.finish(catalog, &mut events);
    events.check()?;
    events.sink.read(name, &source.stats);
    outcome
}

/// Events handed to the sink as the pipeline completes them. After the sink fails, the rest
/// are dropped: reading stops at the end of the chunk.
struct ToSink<'a> {
    name: &'a str,
    sink: &'a mut dyn EventSink,
    failed: Option<io::Error>,
}

impl ToSink<'_> {
    fn check(&mut self) -> Result<(), Failure> {
        self.failed.take().map_or(Ok(()), |e| Err(Failure::Sink(e)))
    }
}

impl Events for ToSink<'_> {
    fn put(&mut self, event: ErrorEvent) {
        if self.failed.is_none() {
            self.failed = self.sink.event(self.name, &event).err();
        }
    }
}

/// Files smaller than this are read by one worker: splitting costs more than it saves.
const MIN_PARALLEL_BYTES: u64 = 8 * 1024 * 1024;
/// How far past a split point to look for the start of a record.
const MAX_BOUNDARY_SCAN: usize = 64 * 1024;

/// Reads one regular file into a summary with `threads` workers, each over its own byte range
/// (split at the start of a record, so a traceback is not cut in two), merged in order.
pub fn summarize_file(
    path: &str,
    threads: usize,
    catalog: &Catalog,
    opts: BatchOptions,
    max_unknown_codes: usize,
) -> Result<Summary, SourceError> {
    let fail = |error| SourceError { source_name: path.to_string(), error };
    let file = File::open(path).map_err(fail)?;
    let len = file.metadata().map_err(fail)?.len();
    let workers = if len < MIN_PARALLEL_BYTES || !splittable(&file, opts.input_format).map_err(fail)? {
        1
    } else {
        threads.max(1)
    };
    if workers == 1 {
        let mut summary = Summary::new(max_unknown_codes);
        let input = BufReader::with_capacity(CHUNK_BYTES, file);
        return match read_decompressed(path, input, catalog, opts, &mut SummarySink(&mut summary)) {
            Ok(()) => Ok(summary),
            Err(Failure::Source(e) | Failure::Sink(e)) => Err(fail(e)),
        };
    }
    let mut bounds = vec![0u64];
    for i in 1..workers {
        let at = record_start_after(&file, len * i as u64 / workers as u64).map_err(fail)?;
        if at > *bounds.last().unwrap_or(&0) && at < len {
            bounds.push(at);
        }
    }
    bounds.push(len);
    let parts: Vec<io::Result<Summary>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| {
                let (start, end) = (w[0], w[1]);
                scope.spawn(move || summarize_range(path, start, end, catalog, opts, max_unknown_codes))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("worker panicked"))))
            .collect()
    });
    let mut total = Summary::new(max_unknown_codes);
    for part in parts {
        total.merge(part.map_err(fail)?);
    }
    Ok(total)
}

fn summarize_range(
    path: &str,
    start: u64,
    end: u64,
    catalog: &Catalog,
    opts: BatchOptions,
    max_unknown_codes: usize,
) -> io::Result<Summary> {
    let file = File::open(path)?;
    let mut input = io::BufReader::with_capacity(CHUNK_BYTES, file);
    input.seek_relative(start as i64)?;
    let mut input = input.take(end - start);
    let mut summary = Summary::new(max_unknown_codes);
    let mut sink = SummarySink(&mut summary);
    match read_one(path, &mut input, catalog, opts, &mut sink) {
        Ok(()) => {}
        Err(Failure::Source(e) | Failure::Sink(e)) => return Err(e),
    }
    Ok(summary)
}

/// Can the file be read in byte ranges, each by its own worker? Plain text can; a compressed
/// file cannot be entered mid-way, nor an envelope whose lines are joined from chunks.
fn splittable(file: &File, format: InputFormat) -> io::Result<bool> {
    use std::os::unix::fs::FileExt;
    let mut head = vec![0u8; MAX_BOUNDARY_SCAN];
    let n = file.read_at(&mut head, 0)?;
    let head = &head[..n];
    if compressed::sniff(head) != compressed::Sniffed::Text {
        return Ok(false);
    }
    let format = match format {
        InputFormat::Auto => {
            let first = head.split(|b| *b == b'\n').find(|l| !l.is_empty()).unwrap_or_default();
            InputFormat::detect(first)
        }
        forced => forced,
    };
    Ok(format == InputFormat::Plain)
}

struct SummarySink<'a>(&'a mut Summary);

impl EventSink for SummarySink<'_> {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()> {
        self.0.add(source, event);
        Ok(())
    }

    fn read(&mut self, source: &str, stats: &ReadStats) {
        self.0.add_read(source, stats);
    }
}

/// The offset of the first line at or after `at` where a worker can start: a line that starts
/// a record by the extractor's own rule, and does not close a pretty-printed body.
fn record_start_after(file: &File, at: u64) -> io::Result<u64> {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0u8; MAX_BOUNDARY_SCAN];
    let n = file.read_at(&mut buf, at)?;
    let buf = &buf[..n];
    let mut pos = match memchr::memchr(b'\n', buf) {
        Some(i) => i + 1,
        None => return Ok(at + n as u64),
    };
    let mut after_an_error = ends_an_error(&buf[..pos - 1]);
    while pos < buf.len() {
        let rest = &buf[pos..];
        let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        if !continues_record(line, after_an_error) && !matches!(line.first(), Some(b'}' | b']')) {
            break;
        }
        after_an_error = ends_an_error(line);
        pos += line.len() + 1;
    }
    Ok(at + pos.min(buf.len()) as u64)
}
