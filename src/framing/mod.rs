//! Framing: the lines a source holds, as the line splitter cuts them (*physical* lines), to the
//! lines the application wrote (*logical* lines), before anything looks at what they say.
//!
//! Logs reach errwatch wrapped: a container runtime's CRI file (`<time> stdout F <line>`, long
//! lines cut into `P` chunks), Docker's json-file (`{"log":"<line>\n",...}`), a journald JSON
//! export, a syslog file (every line of a traceback behind its own `host app[pid]:` prefix).
//! Each envelope has its own module that takes one physical line apart; this one decides which
//! envelope a source uses (from its first line, unless told), joins the chunks of a line per
//! stream (stdout and stderr chunks interleave), and hands each logical line on with the number
//! of its first physical line and the envelope's time.
//!
//! It knows nothing of errors, files or checkpoints: where a restart must resume so that no
//! line is split ([`Framer::resume_point`]) is told in bytes and lines of the stream.

mod cri;
mod docker;
mod journald;
mod runs;
mod syslog;

use serde::{Deserialize, Serialize};

use crate::input::RawLine;
use crate::timestamp::Stamp;

use runs::Runs;

/// How a source's lines are wrapped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Decided per source from its first non-empty line.
    #[default]
    Auto,
    /// The application's own lines.
    Plain,
    /// Kubernetes CRI logging (containerd, CRI-O): `<RFC 3339> stdout|stderr P|F <text>`.
    Cri,
    /// Docker's json-file driver: `{"log":"<text>\n","stream":"stderr","time":"..."}`.
    Docker,
    /// `journalctl -o json`: one entry per line, its `MESSAGE` the text.
    Journald,
    /// RFC 3164 (`Mar 14 09:00:36 host app[4127]: <text>`, also with an RFC 3339 time, as
    /// rsyslog writes it) and RFC 5424 (`<14>1 <time> host app 4127 - - <text>`).
    Syslog,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Plain => "plain",
            InputFormat::Cri => "cri",
            InputFormat::Docker => "docker",
            InputFormat::Journald => "journald",
            InputFormat::Syslog => "syslog",
        }
    }

    /// The envelope `line` is in, if it is in one errwatch knows: what `auto` decides from a
    /// source's first non-empty line.
    pub fn detect(line: &[u8]) -> InputFormat {
        let mut scratch = Vec::new();
        if cri::frame(line).is_some() {
            InputFormat::Cri
        } else if line.starts_with(b"{\"log\":") && docker::frame(line, &mut scratch).is_some() {
            InputFormat::Docker
        } else if line.starts_with(b"{")
            && journald::looks_like(line)
            && journald::frame(line, &mut scratch).is_some()
        {
            InputFormat::Journald
        } else if syslog::detect(line) {
            InputFormat::Syslog
        } else {
            InputFormat::Plain
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Streams of an envelope that has them; lines of different streams are joined apart.
pub const STDOUT: u64 = 1;
pub const STDERR: u64 = 2;

/// One physical line's content, as its envelope frames it.
#[derive(Debug)]
struct Chunk<'a> {
    /// The stream it was written to (`0` for envelopes without streams).
    stream: u64,
    text: &'a [u8],
    /// Where `text` starts in the physical line, when it is a slice of it rather than decoded.
    offset: Option<usize>,
    /// The line goes on in the stream's next chunk (CRI's `P`, Docker's `log` without `\n`).
    partial: bool,
    stamp: Option<Stamp>,
    /// `text` may hold several lines, one per `\n` (journald's `MESSAGE`, syslog's `#012`).
    multiline: bool,
}

/// A line as the application wrote it, on its way to the extractor.
#[derive(Debug, Clone, Copy)]
pub struct Logical<'a> {
    /// The number of its first physical line.
    pub number: u64,
    pub bytes: &'a [u8],
    /// Longer than the cap: `bytes` holds its first part.
    pub truncated: bool,
    /// Where it starts in the chunk being fed, when it is a slice of a physical line lying
    /// wholly inside it.
    pub at: Option<usize>,
    pub stamp: Option<Stamp>,
}

/// Where a restarted reader must resume so that no line is cut, and what it must skip there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumePoint {
    /// Bytes before the end of what was fed.
    pub back: u64,
    /// Physical lines before the resume point.
    pub line: u64,
    /// Lines after the resume point that were read already, when chunks of unfinished lines
    /// of one stream are followed by finished lines of another.
    pub replay: Option<Replay>,
}

/// After a resume point that lies at the first chunk of an unfinished line: which of the lines
/// that follow it are read again. Those of the unfinished lines are (their chunks are joined
/// again); the others were read before the checkpoint and are skipped, so none counts twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    /// Bytes after the resume point that hold lines read already.
    pub read: u64,
    /// Each unfinished line: its stream, and where its first chunk starts, in bytes after the
    /// resume point. From there on, that stream's chunks are read again.
    pub unfinished: Vec<(u64, u64)>,
}

pub struct Framer {
    requested: InputFormat,
    /// What this source turned out to be; `Auto` until its first non-empty line.
    format: InputFormat,
    runs: Runs,
    max_line: usize,
    /// Decoded text (unescaped JSON, a journald byte array).
    scratch: Vec<u8>,
    /// Lines after the resume point still to be sorted into read and unread.
    replay: Option<Replay>,
    /// Physical lines before the stream's start (a source resumed mid-file).
    base_line: u64,
}

impl Framer {
    pub fn new(format: InputFormat, max_line: usize) -> Framer {
        Framer {
            requested: format,
            format,
            runs: Runs::default(),
            max_line: max_line.max(1),
            scratch: Vec::new(),
            replay: None,
            base_line: 0,
        }
    }

    /// The stream starts over (a file truncated or replaced, or a restart at a resume point):
    /// unfinished lines are dropped and the envelope is decided again.
    pub fn reset(&mut self, base_line: u64, replay: Option<Replay>) {
        self.format = self.requested;
        self.runs.clear();
        self.base_line = base_line;
        self.replay = replay.filter(|r| r.read > 0 && !r.unfinished.is_empty());
    }

    /// The envelope this source is read in (`Auto` while undecided).
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// Takes physical line `number` and hands on the logical lines it completes.
    #[inline(always)]
    pub fn frame(&mut self, line: RawLine<'_>, number: u64, emit: &mut impl FnMut(Logical<'_>)) {
        if self.format == InputFormat::Auto && !line.bytes.is_empty() {
            self.format = InputFormat::detect(line.bytes);
        }
        if self.replay.is_some() && !self.read_again(&line) {
            return;
        }
        let plain =
            Logical { number, bytes: line.bytes, truncated: line.truncated, at: line.at, stamp: None };
        let scratch = &mut self.scratch;
        let chunk = match self.format {
            InputFormat::Auto | InputFormat::Plain => None,
            InputFormat::Cri => cri::frame(line.bytes),
            InputFormat::Docker => docker::frame(line.bytes, scratch),
            InputFormat::Journald => journald::frame(line.bytes, scratch),
            InputFormat::Syslog => syslog::frame(line.bytes, scratch),
        };
        // A line outside the envelope (a runtime's own message, garbage) is read as it is.
        let Some(chunk) = chunk else { return emit(plain) };
        let at = |chunk: &Chunk<'_>, from: usize| Some(line.at? + chunk.offset? + from);
        if chunk.partial {
            self.runs.push(
                chunk.stream,
                number,
                line.start,
                chunk.stamp,
                chunk.text,
                line.truncated,
                self.max_line,
            );
            return;
        }
        if self.runs.is_open(chunk.stream) {
            let (text, stamp) = (chunk.text, chunk.stamp);
            return self.runs.finish(chunk.stream, text, stamp, line.truncated, self.max_line, emit);
        }
        let whole = |bytes, at| Logical { number, bytes, truncated: line.truncated, at, stamp: chunk.stamp };
        if !chunk.multiline || memchr::memchr(b'\n', chunk.text).is_none() {
            return emit(whole(chunk.text, at(&chunk, 0)));
        }
        let mut from = 0;
        for piece in chunk.text.split(|b| *b == b'\n') {
            emit(whole(piece, at(&chunk, from)));
            from += piece.len() + 1;
        }
    }

    /// End of input: unfinished lines are lines.
    pub fn finish(&mut self, emit: &mut impl FnMut(Logical<'_>)) {
        self.runs.flush(emit);
        self.replay = None;
    }

    /// Is the physical line one that must be read again after a restart (a chunk of a line
    /// that was unfinished at the checkpoint), rather than one read before it?
    fn read_again(&mut self, line: &RawLine<'_>) -> bool {
        let Some(replay) = &self.replay else { return true };
        if line.start >= replay.read {
            self.replay = None;
            return true;
        }
        let stream = match self.format {
            InputFormat::Cri => cri::frame(line.bytes).map(|c| c.stream),
            InputFormat::Docker => docker::frame(line.bytes, &mut self.scratch).map(|c| c.stream),
            _ => None,
        };
        stream.is_some_and(|s| replay.unfinished.iter().any(|&(u, at)| u == s && line.start >= at))
    }

    /// Where a restart must resume. `line_start` and `lines`: where the splitter's incomplete
    /// line starts and the physical lines before it; `fed`: bytes fed (all since the stream's
    /// start).
    pub fn resume_point(&self, line_start: u64, lines: u64, fed: u64) -> ResumePoint {
        if let Some(replay) = &self.replay {
            // Still sorting the lines after the last resume point: nothing was handed on since
            // (the chunks read again are all of unfinished lines), so resume there again.
            return ResumePoint { back: fed, line: self.base_line, replay: Some(replay.clone()) };
        }
        match self.runs.earliest() {
            None => ResumePoint { back: fed - line_start, line: lines, replay: None },
            Some((start, number)) => ResumePoint {
                back: fed - start,
                line: number - 1,
                replay: Some(Replay {
                    read: line_start - start,
                    unfinished: self.runs.starts().map(|(stream, at)| (stream, at - start)).collect(),
                }),
            },
        }
    }

    /// Bytes held in unfinished lines.
    pub fn held_bytes(&self) -> usize {
        self.runs.held_bytes()
    }
}

/// The text of a message after a prefix: one space after the prefix is the separator, not the
/// text's own.
fn after_separator(line: &[u8], at: usize) -> (usize, &[u8]) {
    let rest = &line[at.min(line.len())..];
    match rest.first() {
        Some(b' ') => (at + 1, &rest[1..]),
        _ => (at.min(line.len()), rest),
    }
}

#[cfg(test)]
mod tests;
