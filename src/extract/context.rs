//! What came before a line in its source: the last lines with their provider hints worked out
//! only when a finding asks, and the current record's first line with its timestamp parsed only
//! when asked. Most lines hold no error, so they must cost next to nothing: a line that lies in
//! the chunk being fed is kept as its place in that chunk, and only the few still kept when the
//! chunk is done with are copied ([`Context::end_chunk`]).

use super::hints::{self, Hint};
use super::lexicon::Lexicon;
use crate::catalog::Provider;
use crate::timestamp::{self, Dating, EpochMillis, Stamp};

/// Bytes of a line kept for context; hosts and SDK names sit early in a line.
const KEPT_BYTES: usize = 2048;
/// Bytes of a record's first line kept for its timestamp.
const HEAD_BYTES: usize = 160;

/// A line's bytes where the context finds them: at their place in the chunk being fed, or in a
/// buffer of its own (reused from line to line, so keeping a line never allocates for long).
#[derive(Default)]
struct Kept {
    /// `(start, len)` in the chunk being fed.
    place: Option<(usize, usize)>,
    copy: Vec<u8>,
}

impl Kept {
    /// Keeps at most `cap` bytes of `line`.
    fn set(&mut self, line: Placed<'_>, cap: usize) {
        let len = line.bytes.len().min(cap);
        self.place = line.at.map(|start| (start, len));
        if self.place.is_none() {
            self.copy.clear();
            self.copy.extend_from_slice(&line.bytes[..len]);
        }
    }

    fn bytes<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
        match self.place {
            // Always in range: a chunk's lines are copied before the next chunk is fed.
            Some((start, len)) => chunk.get(start..start + len).unwrap_or_default(),
            None => &self.copy,
        }
    }

    /// The chunk is about to be reused: take a copy of the line.
    fn detach(&mut self, chunk: &[u8]) {
        if let Some((start, len)) = self.place.take() {
            self.copy.clear();
            self.copy.extend_from_slice(chunk.get(start..start + len).unwrap_or_default());
        }
    }
}

#[derive(Default)]
struct Recent {
    /// Its place among all the lines the context was given, kept or not.
    seq: u64,
    record: u64,
    text: Kept,
    /// `None` until asked; then the line's hint, if any.
    hint: Option<Option<Hint>>,
    /// May the line name the source's provider (see [`LineHint::Unknown`])?
    names_source: bool,
}

/// What the caller knows of a line's provider hint.
#[derive(Debug, Clone, Copy)]
pub enum LineHint {
    /// Worked out from all of the line (`None`: it has none).
    Known(Option<Hint>),
    /// Not worked out: it is when a finding asks. `names_source`: the line may hold a host or
    /// a `provider=` field, which speak for the source's provider, so its hint is worked out
    /// when it leaves the ring if no finding asked before.
    Unknown { names_source: bool },
}

/// A line handed to the context: its bytes, and where it starts in the chunk being fed when it
/// lies wholly inside it (`None`: it must be copied, as a line carried across chunks must).
#[derive(Clone, Copy)]
pub struct Placed<'a> {
    pub bytes: &'a [u8],
    pub at: Option<usize>,
}

pub struct Context {
    capacity: usize,
    /// The kept lines among the last `capacity` given, a ring: `live` of them from slot
    /// `start` on, oldest first. A line known to name no provider is not kept: it would only
    /// take a slot (most lines are such).
    lines: Vec<Recent>,
    start: usize,
    live: usize,
    /// Lines given so far, kept or not.
    given: u64,
    head: Kept,
    head_time: Option<Option<EpochMillis>>,
    dating: Dating,
    /// The envelope's time for the record's first line, for when the line carries none.
    head_stamp: Option<Stamp>,
    /// Where the lines whose hints are worked out together are, and their slots: kept
    /// between calls.
    stretch: Vec<(usize, usize)>,
    slots: Vec<usize>,
    source: SourceProvider,
}

/// The one provider a source has named by host or field, however long ago: a service that
/// logs its client's base URL once at start (`llm client ready baseURL=https://api.ppinfra.com`)
/// and then only `429 status code (no body)`. Once a source names a second provider (counted
/// or not, by any clue, a model name included), it talks to several, and no line far back says
/// whose an error is.
#[derive(Default, Clone, Copy)]
enum SourceProvider {
    #[default]
    Unknown,
    /// Only weaker clues (models, SDK frames) so far, all of this provider's.
    Clued(Provider),
    One(Hint),
    Several,
}

impl SourceProvider {
    #[inline]
    fn is_several(&self) -> bool {
        matches!(self, SourceProvider::Several)
    }

    /// A host or field names the source's provider; any clue of another one (a model, an SDK
    /// frame) shows that it calls several.
    #[inline]
    fn learn(&mut self, hint: Option<Hint>) {
        let (Some(h), false) = (hint, matches!(self, SourceProvider::Several)) else { return };
        let names = h.strength >= hints::Strength::Host;
        *self = match *self {
            SourceProvider::Unknown if names => SourceProvider::One(h),
            SourceProvider::Unknown => SourceProvider::Clued(h.provider),
            SourceProvider::Clued(p) if p == h.provider && names => SourceProvider::One(h),
            SourceProvider::Clued(p) if p == h.provider => SourceProvider::Clued(p),
            SourceProvider::One(known) if known.provider == h.provider => SourceProvider::One(known),
            SourceProvider::Clued(_) | SourceProvider::One(_) | SourceProvider::Several => {
                SourceProvider::Several
            }
        };
    }
}

impl Context {
    pub fn new(capacity: usize, dating: impl Into<Dating>) -> Context {
        Context {
            capacity: capacity.max(1),
            lines: Vec::with_capacity(capacity),
            start: 0,
            live: 0,
            given: 0,
            head: Kept::default(),
            head_time: None,
            dating: dating.into(),
            head_stamp: None,
            stretch: Vec::new(),
            slots: Vec::new(),
            source: SourceProvider::default(),
        }
    }

    /// A record starts at this line; `stamp` is the time its envelope gave it, if any.
    pub fn start_record(&mut self, first_line: Placed<'_>, stamp: Option<Stamp>) {
        self.head.set(first_line, HEAD_BYTES);
        self.head_time = None;
        self.head_stamp = stamp;
    }

    /// Keeps a line. A line leaving the last `capacity` that may name the source's provider and
    /// whose hint no finding asked for has it worked out then (from `chunk`, the chunk being fed).
    /// Every line of a source comes here, most of them only to be counted: that part is inlined
    /// into the line loop, and keeping a line is not.
    #[inline(always)]
    pub fn push(&mut self, record: u64, line: Placed<'_>, hint: LineHint, chunk: &[u8], lexicon: &Lexicon) {
        let seq = self.given;
        self.given += 1;
        while self.live > 0 && self.lines[self.start].seq + self.capacity as u64 <= seq {
            self.leave(chunk, lexicon);
        }
        // Nothing to learn or find later; a line cut to its kept part is kept all the same, its
        // hint then worked out from that part, as for any cut line.
        if !(matches!(hint, LineHint::Known(None)) && line.bytes.len() <= KEPT_BYTES) {
            self.keep(seq, record, line, hint);
        }
    }

    fn keep(&mut self, seq: u64, record: u64, line: Placed<'_>, hint: LineHint) {
        let (hint, names_source) = match hint {
            LineHint::Known(known) => {
                self.source.learn(known);
                (Some(known), false)
            }
            LineHint::Unknown { names_source } => (None, names_source),
        };
        let at = self.slot(self.live);
        if at == self.lines.len() {
            self.lines.push(Recent::default());
        }
        self.live += 1;
        let slot = &mut self.lines[at];
        slot.seq = seq;
        slot.record = record;
        slot.text.set(line, KEPT_BYTES);
        // A hint from the whole line holds for the kept part only when nothing was cut.
        slot.hint = hint.filter(|_| line.bytes.len() <= KEPT_BYTES);
        // A cut line's hint was known from all of it.
        slot.names_source = names_source || (slot.hint.is_none() && hint.is_some());
    }

    /// The slot of the `i`th kept line, oldest first (`live`: where the next one goes). Wrapped
    /// by a comparison, not `%`: a division on every kept line costs.
    fn slot(&self, i: usize) -> usize {
        let at = self.start + i;
        if at >= self.capacity {
            at - self.capacity
        } else {
            at
        }
    }

    /// The oldest kept line leaves: the source's provider is learned from it.
    fn leave(&mut self, chunk: &[u8], lexicon: &Lexicon) {
        let leaving = &self.lines[self.start];
        let known = match leaving.hint {
            Some(known) => known,
            // Only the source's provider is learned from it, and a source known to call
            // several stays so.
            None if leaving.names_source && !self.source.is_several() => {
                hints::find(leaving.text.bytes(chunk), lexicon)
            }
            None => None,
        };
        self.source.learn(known);
        self.start = self.slot(1);
        self.live -= 1;
    }

    /// The chunk lines were placed in is about to be reused: copy what is still kept of it.
    pub fn end_chunk(&mut self, chunk: &[u8]) {
        for i in 0..self.live {
            let at = self.slot(i);
            self.lines[at].text.detach(chunk);
        }
        self.head.detach(chunk);
    }

    /// The first bytes of the record's first line. `chunk` is the chunk being fed.
    pub fn record_head<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
        self.head.bytes(chunk)
    }

    /// The record's time, from its first line, else from that line's envelope. `chunk` is the
    /// chunk being fed.
    pub fn record_time(&mut self, chunk: &[u8]) -> Option<EpochMillis> {
        if self.head_time.is_none() {
            let own = timestamp::parse(self.head.bytes(chunk), self.dating);
            let dating = self.dating;
            self.head_time = Some(own.or_else(|| self.head_stamp.and_then(|s| s.millis(dating))));
        }
        self.head_time.flatten()
    }

    /// Provider evidence before the line being searched, of record `record`: the strongest in
    /// the same record, and the newest among all the kept lines (else the source's one
    /// provider). Every kept line is before it: a line is kept after its search. By their order
    /// given, not their numbers, which start over when a file does (and, for the lines read
    /// again before a resumed file, come before what they precede only by that order). `chunk` is
    /// the chunk being fed.
    pub fn nearby(&mut self, record: u64, chunk: &[u8], lexicon: &Lexicon) -> (Option<Hint>, Option<Hint>) {
        self.work_out_hints(chunk, lexicon);
        let mut in_record: Option<Hint> = None;
        let mut newest: Option<Hint> = None;
        let mut newest_in_record = false;
        for at in (0..self.live).rev() {
            let at = self.slot(at);
            let r = &mut self.lines[at];
            // Records only grow: past this record's lines, nothing can change `in_record`, and
            // once `newest` is known the older lines cannot change anything.
            if r.record != record && newest.is_some() {
                break;
            }
            let hint = *r.hint.get_or_insert_with(|| hints::find(r.text.bytes(chunk), lexicon));
            let Some(h) = hint else { continue };
            if r.record == record && in_record.is_none_or(|b| h.strength > b.strength) {
                in_record = Some(h);
            }
            if newest.is_none() {
                newest = Some(h);
                newest_in_record = r.record == record;
            }
        }
        // Once a source is known to call several providers, nothing it logs changes that.
        if !matches!(self.source, SourceProvider::Several) {
            for i in 0..self.live {
                self.source.learn(self.lines[self.slot(i)].hint.flatten());
            }
        }
        // In a source that calls several providers, a model or SDK frame named in an earlier
        // record (`llm call failed {"model":"glm-4-plus",...}`) says whose that call was, not
        // whose the next one is: their lines interleave. Only a host or a `provider=` field
        // there (the request line of this very call) still speaks for it.
        let several = matches!(self.source, SourceProvider::Several);
        if several && !newest_in_record && newest.is_some_and(|h| h.strength < hints::Strength::Host) {
            newest = None;
        }
        let source = match self.source {
            SourceProvider::One(h) => Some(h),
            _ => None,
        };
        (in_record, newest.or(source))
    }

    /// Works out the hints not yet known of the kept lines that lie whole in the chunk, by one
    /// search over their stretch of it. Lines kept as copies, and lines cut to [`KEPT_BYTES`],
    /// are left to [`hints::find`] one by one.
    fn work_out_hints(&mut self, chunk: &[u8], lexicon: &Lexicon) {
        // When the line just before has its hint (findings line after line, as in a log of
        // errors), the lines before it are likely to have theirs: gathering would cost more
        // than it saves. Whatever is not worked out here is, line by line, when asked.
        let newest = self.live.checked_sub(1).map(|i| self.slot(i));
        if newest.is_none_or(|slot| self.lines[slot].hint.is_some()) {
            return;
        }
        let (mut lines, mut slots) = (std::mem::take(&mut self.stretch), std::mem::take(&mut self.slots));
        lines.clear();
        slots.clear();
        // Oldest first: the lines of a chunk are placed in the order they come.
        for slot in (0..self.live).map(|i| self.slot(i)) {
            let r = &self.lines[slot];
            match r.text.place {
                Some((start, len)) if r.hint.is_none() && len < KEPT_BYTES => {
                    lines.push((start, start + len));
                    slots.push(slot);
                }
                _ => {}
            }
        }
        if lines.len() > 1 {
            hints::find_each(chunk, &lines, lexicon, |i, hint| self.lines[slots[i]].hint = Some(hint));
        }
        (self.stretch, self.slots) = (lines, slots);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_kept_in_place_survive_their_chunk() {
        let mut c = Context::new(3, 2026);
        let chunk = b"2026-11-02 10:00:01 POST https://api.coze.cn/v3/chat\nnext\n".to_vec();
        c.start_record(Placed { bytes: &chunk[..52], at: Some(0) }, None);
        let catalog = crate::test_support::catalog();
        let unknown = LineHint::Unknown { names_source: true };
        c.push(1, Placed { bytes: &chunk[..52], at: Some(0) }, unknown, &chunk, catalog.lexicon());
        c.push(2, Placed { bytes: &chunk[53..57], at: Some(53) }, unknown, &chunk, catalog.lexicon());
        c.end_chunk(&chunk);
        // The next chunk reuses the buffer: what was kept must not be read from it.
        let next = vec![b'x'; chunk.len()];
        let (_, recent) = c.nearby(3, &next, catalog.lexicon());
        assert_eq!(recent.map(|h| h.provider), Some(Provider::from_static("coze")));
        assert_eq!(
            c.record_time(&next).map(crate::timestamp::format).as_deref(),
            Some("2026-11-02T10:00:01Z")
        );
    }

    /// Lines known to name no provider are not kept, but still count: a model named on a line
    /// is recent for the 20 lines after it, whatever they are, and not for the 21st (a model is
    /// no host: past the window it names nothing).
    #[test]
    fn lines_not_kept_still_end_the_window() {
        let catalog = crate::test_support::catalog();
        let recent_after = |ordinary: u64| {
            let mut c = Context::new(20, 2026);
            let model = b"chat ok model=glm-4-plus";
            let hint = LineHint::Known(hints::find(model, catalog.lexicon()));
            c.push(1, Placed { bytes: model, at: None }, hint, b"", catalog.lexicon());
            for n in 2..ordinary + 2 {
                let quiet = Placed { bytes: b"INFO nothing here", at: None };
                c.push(n, quiet, LineHint::Known(None), b"", catalog.lexicon());
            }
            let n = ordinary + 2;
            c.nearby(n, b"", catalog.lexicon()).1.map(|h| h.provider.to_string())
        };
        assert_eq!(recent_after(19).as_deref(), Some("zhipu"));
        assert_eq!(recent_after(20), None);
    }

    /// Each line its own record, as a JSON logger writes them. What the line before says holds
    /// for the next line while the source calls one provider; once it calls several, only a
    /// host before still does, not another call's model.
    #[test]
    fn another_calls_model_does_not_name_the_next_error() {
        let catalog = crate::test_support::catalog();
        let recent_after = |lines: &[&str]| {
            let mut c = Context::new(8, 2026);
            for (i, line) in lines.iter().enumerate() {
                let n = i as u64 + 1;
                let placed = Placed { bytes: line.as_bytes(), at: None };
                let hint = LineHint::Known(hints::find(line.as_bytes(), catalog.lexicon()));
                c.start_record(placed, None);
                c.push(n, placed, hint, b"", catalog.lexicon());
            }
            let n = lines.len() as u64 + 1;
            c.nearby(n, b"", catalog.lexicon()).1.map(|h| h.provider.to_string())
        };
        let glm = r#"{"msg":"chat ok","model":"glm-4-plus"}"#;
        let doubao = r#"{"msg":"llm call failed","model":"doubao-seed-1-6-250615"}"#;
        let ark = "POST https://ark.cn-beijing.volces.com/api/v3/chat/completions";
        assert_eq!(recent_after(&[glm]).as_deref(), Some("zhipu"));
        assert_eq!(recent_after(&[glm, glm]).as_deref(), Some("zhipu"));
        assert_eq!(recent_after(&[glm, doubao]), None);
        assert_eq!(recent_after(&[doubao, glm, ark]).as_deref(), Some("volcengine"));
    }
}
