//! Lines being joined from their chunks, one per stream: CRI's `P` chunks and Docker's `log`
//! values without a trailing newline, until the stream's final chunk. A joined line is capped
//! at the line cap (the rest of it is dropped and the line counted as long); envelopes have two
//! streams (stdout and stderr), so memory stays bounded whatever the input.

use super::Logical;
use crate::timestamp::Stamp;

struct Run {
    stream: u64,
    /// The first chunk's physical line number and stream offset.
    number: u64,
    start: u64,
    stamp: Option<Stamp>,
    bytes: Vec<u8>,
    truncated: bool,
}

impl Run {
    fn append(&mut self, text: &[u8], truncated: bool, max_line: usize) {
        let room = max_line.saturating_sub(self.bytes.len());
        self.bytes.extend_from_slice(&text[..text.len().min(room)]);
        self.truncated |= truncated || text.len() > room;
    }

    fn logical(&self) -> Logical<'_> {
        Logical {
            number: self.number,
            bytes: &self.bytes,
            truncated: self.truncated,
            at: None,
            stamp: self.stamp,
        }
    }
}

#[derive(Default)]
pub(super) struct Runs {
    /// Oldest first.
    open: Vec<Run>,
    /// Buffers of finished runs, kept for the next ones.
    spare: Vec<Vec<u8>>,
}

impl Runs {
    pub(super) fn is_open(&self, stream: u64) -> bool {
        self.open.iter().any(|r| r.stream == stream)
    }

    /// A chunk the stream's line goes on after.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        stream: u64,
        number: u64,
        start: u64,
        stamp: Option<Stamp>,
        text: &[u8],
        truncated: bool,
        max_line: usize,
    ) {
        if let Some(run) = self.open.iter_mut().find(|r| r.stream == stream) {
            return run.append(text, truncated, max_line);
        }
        let mut bytes = self.spare.pop().unwrap_or_default();
        bytes.clear();
        let mut run = Run { stream, number, start, stamp, bytes, truncated: false };
        run.append(text, truncated, max_line);
        self.open.push(run);
    }

    /// The stream's final chunk: its line is handed on whole.
    pub(super) fn finish(
        &mut self,
        stream: u64,
        text: &[u8],
        stamp: Option<Stamp>,
        truncated: bool,
        max_line: usize,
        emit: &mut impl FnMut(Logical<'_>),
    ) {
        let Some(i) = self.open.iter().position(|r| r.stream == stream) else { return };
        let mut run = self.open.remove(i);
        run.append(text, truncated, max_line);
        run.stamp = run.stamp.or(stamp);
        emit(run.logical());
        self.spare.push(run.bytes);
    }

    /// End of input: unfinished lines are handed on as they stand, in the order they began.
    pub(super) fn flush(&mut self, emit: &mut impl FnMut(Logical<'_>)) {
        for run in std::mem::take(&mut self.open) {
            emit(run.logical());
            self.spare.push(run.bytes);
        }
    }

    pub(super) fn clear(&mut self) {
        let open = std::mem::take(&mut self.open);
        self.spare.extend(open.into_iter().map(|r| r.bytes));
    }

    /// Stream offset and physical line number of the earliest unfinished line's first chunk.
    pub(super) fn earliest(&self) -> Option<(u64, u64)> {
        self.open.iter().map(|r| (r.start, r.number)).min()
    }

    /// Each unfinished line's stream and first chunk's offset.
    pub(super) fn starts(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.open.iter().map(|r| (r.stream, r.start))
    }

    pub(super) fn held_bytes(&self) -> usize {
        self.open.iter().map(|r| r.bytes.len()).sum()
    }
}
