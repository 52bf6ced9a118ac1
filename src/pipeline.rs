//! One source's way from lines to provider errors: extract, classify, then correlate.
//!
//! Correlation is what makes a count a count of errors rather than of mentions:
//! - an error printed more than once in one record (a chained traceback) counts once;
//! - a status-only line (the HTTP client's `"HTTP/1.1 429"`) is held for a while: when the
//!   SDK's exception for the same provider follows, the status joins it and is not counted on
//!   its own; when none follows within [`PENDING_RECORDS`] records, or at the end of input,
//!   the status is counted by itself.

use std::collections::VecDeque;

use crate::catalog::{Catalog, Provider};
use crate::classify::{classify, Detection, Evidence};
use crate::extract::{Extractor, Finding, Line};
use crate::timestamp::{Dating, EpochMillis};

/// Records after a status-only line during which an exception may still claim it.
pub const PENDING_RECORDS: u64 = 10;

/// A provider error, where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEvent {
    pub line: u64,
    pub timestamp: Option<EpochMillis>,
    pub detection: Detection,
}

/// Where a pipeline's events go as they are completed: a `Vec` to be read later, or straight to
/// a sink, so that each event is done with (its strings freed) before the next is made rather
/// than a chunk's thousands freed at once.
pub trait Events {
    fn put(&mut self, event: ErrorEvent);
}

impl Events for Vec<ErrorEvent> {
    fn put(&mut self, event: ErrorEvent) {
        self.push(event);
    }
}

struct Pending {
    record: u64,
    event: ErrorEvent,
}

pub struct Pipeline {
    extractor: Extractor,
    findings: Vec<Finding>,
    /// The record whose errors `seen` holds.
    seen_record: u64,
    seen: SeenCodes,
    pending: VecDeque<Pending>,
}

impl Pipeline {
    pub fn new(dating: impl Into<Dating>) -> Pipeline {
        Pipeline {
            extractor: Extractor::new(dating),
            findings: Vec::new(),
            seen_record: 0,
            seen: SeenCodes::default(),
            pending: VecDeque::new(),
        }
    }

    /// Takes one line; hands the errors it completes to `out`.
    pub fn push_line(&mut self, line: Line<'_>, catalog: &Catalog, out: &mut dyn Events) {
        self.extractor.push(line, catalog.lexicon(), &mut self.findings);
        if !self.findings.is_empty() {
            self.correlate(catalog, out);
        }
        if !self.pending.is_empty() {
            self.expire_pending(out);
        }
    }

    /// The chunk the last lines came from is about to be reused.
    pub fn end_chunk(&mut self, chunk: &[u8]) {
        self.extractor.end_chunk(chunk);
    }

    /// End of input, or the source is idle: nothing more will claim what is held.
    pub fn flush(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        self.extractor.flush(catalog.lexicon(), &mut self.findings);
        self.correlate(catalog, out);
        self.pending.drain(..).for_each(|p| out.put(p.event));
    }

    fn correlate(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        for finding in self.findings.drain(..) {
            let Some(detection) = classify(finding.candidate, &finding.around, catalog) else {
                continue;
            };
            let mut event = ErrorEvent { line: finding.line, timestamp: finding.timestamp, detection };
            if finding.record != self.seen_record {
                self.seen_record = finding.record;
                self.seen.clear();
            }
            if event.detection.evidence == Evidence::Status {
                // The status of an error this record already reported is that error's status.
                if !self.seen.has_provider(event.detection.provider) {
                    self.pending.push_back(Pending { record: finding.record, event });
                }
                continue;
            }
            if !self.seen.insert(event.detection.provider, &event.detection.code) {
                continue;
            }
            let provider = event.detection.provider;
            let mut i = 0;
            while i < self.pending.len() {
                if self.pending[i].event.detection.provider == provider {
                    let claimed = self.pending.remove(i).expect("index in range");
                    event.detection.http_status =
                        event.detection.http_status.or(claimed.event.detection.http_status);
                } else {
                    i += 1;
                }
            }
            out.put(event);
        }
    }

    /// Is evidence held back (a status waiting for its exception, a body being assembled)?
    pub fn is_holding(&self) -> bool {
        !self.pending.is_empty() || self.extractor.is_holding()
    }

    fn expire_pending(&mut self, out: &mut dyn Events) {
        let now = self.extractor.record();
        while self.pending.front().is_some_and(|p| now.saturating_sub(p.record) > PENDING_RECORDS) {
            self.pending.pop_front().into_iter().for_each(|p| out.put(p.event));
        }
    }
}

/// The errors one record has reported, by provider and code. Cleared for every record, so
/// its strings are kept and written over rather than allocated again.
#[derive(Default)]
struct SeenCodes {
    slots: Vec<(Provider, String)>,
    len: usize,
}

impl SeenCodes {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn has_provider(&self, provider: Provider) -> bool {
        self.slots[..self.len].iter().any(|(p, _)| *p == provider)
    }

    /// False when the record already reported this error.
    fn insert(&mut self, provider: Provider, code: &str) -> bool {
        if self.slots[..self.len].iter().any(|(p, c)| *p == provider && c == code) {
            return false;
        }
        match self.slots.get_mut(self.len) {
            Some((p, c)) => {
                *p = provider;
                c.clear();
                c.push_str(code);
            }
            None => self.slots.push((provider, code.to_string())),
        }
        self.len += 1;
        true
    }
}
