//! Splitting a byte stream into lines, fed in chunks as they are read.
//!
//! Invariants: only complete lines are handed out; the partial tail of a chunk is carried to
//! the next; the carried tail never grows past `max_line` bytes: the rest of an overlong line is
//! dropped and the line is handed out once, truncated, when its newline arrives. Lines inside a
//! chunk are handed out as slices of it, without copying.

use memchr::memchr_iter;

/// A line as it leaves the splitter: without its `\n` (and `\r\n`'s `\r`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    pub bytes: &'a [u8],
    /// The line was longer than the cap; `bytes` holds its first `max_line` bytes.
    pub truncated: bool,
    /// Where the line starts in the chunk just fed, when it lies wholly inside it (not carried
    /// over from an earlier chunk): what a pass over the whole chunk found is then the line's.
    pub at: Option<usize>,
    /// Where the line starts in the stream: bytes fed before it since the splitter was made or
    /// reset.
    pub start: u64,
}

#[derive(Debug)]
pub struct LineSplitter {
    max_line: usize,
    partial: Vec<u8>,
    /// The line being carried has already lost bytes.
    partial_truncated: bool,
    /// Stream offset where the line being carried (or the next line) starts.
    line_start: u64,
    /// Bytes fed since the splitter was made or reset.
    fed: u64,
}

impl LineSplitter {
    pub fn new(max_line: usize) -> LineSplitter {
        LineSplitter {
            max_line: max_line.max(1),
            partial: Vec::new(),
            partial_truncated: false,
            line_start: 0,
            fed: 0,
        }
    }

    /// Bytes of an incomplete line read but not handed out, including those a cap dropped.
    pub fn pending_bytes(&self) -> u64 {
        self.fed - self.line_start
    }

    pub fn max_line(&self) -> usize {
        self.max_line
    }

    /// Bytes fed since the splitter was made or reset.
    pub fn fed(&self) -> u64 {
        self.fed
    }

    /// Stream offset where the incomplete line (or the next line) starts.
    pub fn line_start(&self) -> u64 {
        self.line_start
    }

    /// Hands every line that `chunk` completes to `emit`.
    pub fn feed(&mut self, chunk: &[u8], mut emit: impl FnMut(RawLine<'_>)) {
        let base = self.fed;
        self.fed += chunk.len() as u64;
        let mut start = 0;
        for nl in memchr_iter(b'\n', chunk) {
            let line_start = self.line_start;
            self.line_start = base + nl as u64 + 1;
            if self.partial.is_empty() && !self.partial_truncated {
                let (bytes, truncated) = self.cap(&chunk[start..nl]);
                emit(RawLine {
                    bytes: trim_cr(bytes, truncated),
                    truncated,
                    at: Some(start),
                    start: line_start,
                });
            } else {
                self.carry(&chunk[start..nl]);
                let truncated = self.partial_truncated;
                let line = std::mem::take(&mut self.partial);
                emit(RawLine { bytes: trim_cr(&line, truncated), truncated, at: None, start: line_start });
                self.partial = line;
                self.partial.clear();
                self.partial_truncated = false;
            }
            start = nl + 1;
        }
        self.carry(&chunk[start..]);
    }

    /// End of input: the held partial line, if any, is a line.
    pub fn finish(&mut self, mut emit: impl FnMut(RawLine<'_>)) {
        if !self.partial.is_empty() || self.partial_truncated {
            let truncated = self.partial_truncated;
            let start = self.line_start;
            emit(RawLine { bytes: trim_cr(&self.partial, truncated), truncated, at: None, start });
        }
        self.reset();
    }

    /// Forgets any partial line (the file it came from was truncated or replaced); offsets
    /// count from here again.
    pub fn reset(&mut self) {
        self.partial.clear();
        self.partial_truncated = false;
        self.line_start = 0;
        self.fed = 0;
    }

    fn cap<'a>(&self, line: &'a [u8]) -> (&'a [u8], bool) {
        if line.len() > self.max_line {
            (&line[..self.max_line], true)
        } else {
            (line, false)
        }
    }

    fn carry(&mut self, bytes: &[u8]) {
        let room = self.max_line - self.partial.len();
        if bytes.len() > room {
            self.partial.extend_from_slice(&bytes[..room]);
            self.partial_truncated = true;
        } else {
            self.partial.extend_from_slice(bytes);
        }
    }
}

fn trim_cr(bytes: &[u8], truncated: bool) -> &[u8] {
    match bytes.split_last() {
        Some((b'\r', rest)) if !truncated => rest,
        _ => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<(Vec<u8>, bool)> {
        let mut s = LineSplitter::new(max);
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, |l| out.push((l.bytes.to_vec(), l.truncated)));
        }
        s.finish(|l| out.push((l.bytes.to_vec(), l.truncated)));
        out
    }

    #[test]
    fn lines_across_chunks() {
        let got = split(&[b"ab", b"c\r\nde", b"f\n\ng"], 100);
        let want: Vec<(Vec<u8>, bool)> =
            vec![(b"abc".to_vec(), false), (b"def".to_vec(), false), (vec![], false), (b"g".to_vec(), false)];
        assert_eq!(got, want);
    }

    #[test]
    fn long_lines_are_capped_once() {
        let got = split(&[b"0123456789", b"abc\nxy\n0123456789ab\n"], 4);
        let want: Vec<(Vec<u8>, bool)> =
            vec![(b"0123".to_vec(), true), (b"xy".to_vec(), false), (b"0123".to_vec(), true)];
        assert_eq!(got, want);
    }

    #[test]
    fn a_partial_line_waits_for_its_newline() {
        let mut s = LineSplitter::new(100);
        let mut n = 0;
        s.feed(b"half a li", |_| n += 1);
        assert_eq!((n, s.pending_bytes()), (0, 9));
        s.feed(b"ne\n", |l| {
            assert_eq!(l.bytes, b"half a line");
            n += 1
        });
        assert_eq!(n, 1);
    }

    #[test]
    fn lines_know_where_they_start_and_a_capped_partial_its_length() {
        let mut s = LineSplitter::new(4);
        let mut starts = Vec::new();
        s.feed(b"ab\r\n0123456789", |l| starts.push(l.start));
        assert_eq!((s.line_start(), s.pending_bytes()), (4, 10));
        s.feed(b"xy\nz", |l| starts.push(l.start));
        s.finish(|l| starts.push(l.start));
        assert_eq!(starts, vec![0, 4, 17]);
    }
}
