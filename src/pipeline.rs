//! One source's way from lines to provider errors: extract, classify, then correlate.
//!
//! Correlation is what makes a count a count of errors rather than of mentions:
//! - an error printed more than once in one record (a chained traceback) counts once;
//! - a status-only line (the HTTP client's `"HTTP/1.1 429"`) is held for a while: when the
//!   SDK's exception for the same provider follows, the status joins it and is not counted on
//!   its own; a later status-only line of the same provider (requests' exception after
//!   urllib3's request line) takes its place; when none follows within [`PENDING_RECORDS`]
//!   records, or at the end of input, the status is counted by itself;
//! - an error known by its message is held to the end of its record: the body the record goes
//!   on to print (openai-node's dump after `RateLimitError: 429 <message>`) names its code,
//!   and that error is counted in its place, once.

use std::collections::VecDeque;

use crate::catalog::{Catalog, Provider};
use crate::classify::{classify, Detection, Evidence, LineMessage};
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
    /// The last record during which a later finding may still claim it.
    until: u64,
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
    #[inline(always)]
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

    /// The source's line numbers start over (see [`crate::extract::Extractor::renumbered`]).
    pub fn renumbered(&mut self) {
        self.extractor.renumbered();
    }

    /// End of input, or the source is idle: nothing more will claim what is held.
    pub fn flush(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        self.extractor.flush(catalog.lexicon(), &mut self.findings);
        self.correlate(catalog, out);
        self.pending.drain(..).for_each(|p| out.put(p.event));
    }

    fn correlate(&mut self, catalog: &Catalog, out: &mut dyn Events) {
        // Taken for the loop and given back, so that its room is kept from line to line.
        let mut findings = std::mem::take(&mut self.findings);
        for finding in findings.drain(..) {
            let detection = match classify(finding.candidate, &finding.around, catalog) {
                Ok(d) => d,
                Err(dropped) => {
                    if dropped.is_rule() {
                        tracing::debug!(line = finding.line, rule = dropped.rule(), "not counted: {dropped}");
                    }
                    continue;
                }
            };
            self.expire_before(finding.record, out);
            let record = finding.record;
            let mut event = ErrorEvent { line: finding.line, timestamp: finding.timestamp, detection };
            if record != self.seen_record {
                self.seen_record = record;
                self.seen.clear();
            }
            let provider = event.detection.provider;
            match event.detection.evidence {
                Evidence::Status => {
                    // The status of an error this record already reported is that error's status.
                    if self.seen.has_provider(provider) {
                        continue;
                    }
                    // An SDK's exception that says only the status (requests' `429 Client Error`)
                    // is the error the HTTP client's line before it logged: it takes its place.
                    if event.detection.message.is_some() {
                        let status = event.detection.http_status;
                        // Said again in the same record (the logger's line, then the stack
                        // Node prints under it): one error.
                        if self.pending.iter().any(|p| {
                            let held = &p.event.detection;
                            p.record == record
                                && held.evidence == Evidence::Status
                                && held.provider == provider
                                && held.http_status == status
                                && held.message == event.detection.message
                        }) {
                            continue;
                        }
                        self.take(|p| {
                            p.evidence == Evidence::Status
                                && p.provider == provider
                                && p.http_status == status
                                && p.message.is_none()
                        });
                    }
                    let until = record + PENDING_RECORDS;
                    self.pending.push_back(Pending { record, until, event });
                }
                Evidence::Message => {
                    // The record's body said this message, and was counted by its code: the
                    // SDK's statement under it (`Error: 404 <message>`) is that error again.
                    if self.seen.said(provider, event.detection.message.as_ref()) {
                        continue;
                    }
                    if !self.seen.insert(provider, &event.detection.code) {
                        continue;
                    }
                    self.claim_statuses(&mut event);
                    self.pending.push_back(Pending { record, until: record, event });
                }
                Evidence::Code => {
                    let message = self.pending.iter().position(|p| {
                        p.record == record
                            && p.event.detection.evidence == Evidence::Message
                            && p.event.detection.provider == provider
                    });
                    match message.and_then(|i| self.pending.remove(i)) {
                        Some(said) => {
                            // The record's message was this error's: counted here, by its code.
                            let status = &mut event.detection.http_status;
                            *status = status.or(said.event.detection.http_status);
                            self.seen.insert(provider, &event.detection.code);
                        }
                        None if !self.seen.insert(provider, &event.detection.code) => continue,
                        None => {}
                    }
                    self.claim_stated(record, &mut event);
                    self.claim_statuses(&mut event);
                    if let Some(message) = &event.detection.message {
                        self.seen.say(provider, message);
                    }
                    out.put(event);
                }
            }
        }
        self.findings = findings;
    }

    /// An SDK's statement of this record that gave a status and a message the catalog does not
    /// know (openai-node's `RateLimitError: 429 <message>` over the body it printed below, whose
    /// code is undocumented) was this error, said first: the body's code counts, once.
    fn claim_stated(&mut self, record: u64, event: &mut ErrorEvent) {
        let d = &event.detection;
        let (provider, status, message) = (d.provider, d.http_status, &d.message);
        let mut said_status = None;
        self.pending.retain(|p| {
            let held = &p.event.detection;
            let said = p.record == record
                && held.evidence == Evidence::Status
                && held.provider == provider
                && held.message.is_some()
                && (held.message == *message || (status.is_some() && held.http_status == status));
            if said {
                said_status = said_status.or(held.http_status);
            }
            !said
        });
        let status = &mut event.detection.http_status;
        *status = status.or(said_status);
    }

    /// Held statuses of the event's provider join it: the HTTP client's lines (a status and
    /// nothing else) of the same status, or of any when the event has none. A status an SDK
    /// stated as its error (`435 status code (no body)`) is an error of its own.
    fn claim_statuses(&mut self, event: &mut ErrorEvent) {
        let provider = event.detection.provider;
        let status = event.detection.http_status;
        for claimed in self.take(|p| {
            p.evidence == Evidence::Status
                && p.provider == provider
                && p.message.is_none()
                && (status.is_none() || p.http_status == status)
        }) {
            event.detection.http_status = event.detection.http_status.or(claimed.event.detection.http_status);
        }
    }

    /// Removes the held events `which` picks, in order.
    fn take(&mut self, which: impl Fn(&Detection) -> bool) -> Vec<Pending> {
        let (taken, kept): (Vec<Pending>, Vec<Pending>) =
            self.pending.drain(..).partition(|p| which(&p.event.detection));
        self.pending.extend(kept);
        taken
    }

    /// Hands on, in order, what no finding of record `now` or later may claim.
    fn expire_before(&mut self, now: u64, out: &mut dyn Events) {
        if self.pending.iter().any(|p| p.until < now) {
            for p in self.take_expired(now) {
                out.put(p.event);
            }
        }
    }

    fn take_expired(&mut self, now: u64) -> Vec<Pending> {
        let (expired, kept): (Vec<Pending>, Vec<Pending>) =
            self.pending.drain(..).partition(|p| p.until < now);
        self.pending.extend(kept);
        expired
    }

    /// Is evidence held back (a status waiting for its exception, a body being assembled)?
    pub fn is_holding(&self) -> bool {
        !self.pending.is_empty() || self.extractor.is_holding()
    }

    fn expire_pending(&mut self, out: &mut dyn Events) {
        self.expire_before(self.extractor.record(), out);
    }
}

/// The errors one record has reported, by provider and code. Cleared for every record, so
/// its strings are kept and written over rather than allocated again.
#[derive(Default)]
struct SeenCodes {
    slots: Vec<(Provider, String)>,
    len: usize,
    /// The messages of the errors the record's bodies reported by code, as fingerprints.
    messages: Vec<(Provider, u64)>,
}

impl SeenCodes {
    fn clear(&mut self) {
        self.len = 0;
        self.messages.clear();
    }

    fn say(&mut self, provider: Provider, message: &LineMessage) {
        self.messages.push((provider, message.fingerprint()));
    }

    /// Did a body of this record, counted by its code, say `message`?
    fn said(&self, provider: Provider, message: Option<&LineMessage>) -> bool {
        message.is_some_and(|m| {
            let said = m.fingerprint();
            self.messages.iter().any(|(p, f)| *p == provider && *f == said)
        })
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

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::source::Source;

    fn counted(log: &str) -> Vec<(u64, String, Option<u16>)> {
        let catalog = Catalog::embedded();
        let mut source = Source::new(1 << 20, 2026);
        let mut out = Vec::new();
        source.feed(log.as_bytes(), &catalog, &mut out);
        source.finish(&catalog, &mut out);
        out.iter().map(|e| (e.line, e.detection.code.clone(), e.detection.http_status)).collect()
    }

    /// openai-node's `console.error(err)` of an error whose code Zhipu does not document, as
    /// captured: the statement (`RateLimitError: 429 <message>`), the stack, then the body.
    const STATED_THEN_PRINTED: &str = "\
2026-11-02 10:05:00 INFO httpx: HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/chat/completions
RateLimitError: 429 该模型当前访问量过大，请您稍后再试
    at APIError.generate (/srv/app/node_modules/openai/error.js:63:20)
    at async main (/srv/app/capture.js:79:46) {
  status: 429,
  error: { code: '1305', message: '该模型当前访问量过大，请您稍后再试' },
  code: '1305'
}
";

    #[test]
    fn a_statement_over_the_body_it_printed_is_that_body_s_error() {
        assert_eq!(counted(STATED_THEN_PRINTED), vec![(6, "1305".to_string(), Some(429))]);
    }

    /// winston's line with the body (counted by its code), then the stack Node prints under
    /// it, whose statement repeats the body's message: one error.
    #[test]
    fn a_statement_under_the_body_it_repeats_is_that_body_s_error() {
        let log = "\
2026-11-02T10:03:15.000Z info: POST https://ark.cn-beijing.volces.com/api/v3/chat/completions
2026-11-02T10:03:16.090Z error: llm call failed 404 The specified endpoint ep-20261030173512-x7k2p is not found. {\"status\":404,\"error\":{\"code\":\"NotFound.temperature\",\"message\":\"The specified endpoint ep-20261030173512-x7k2p is not found.\",\"type\":\"NotFound\"}}
Error: 404 The specified endpoint ep-20261030173512-x7k2p is not found.
    at APIError.generate (/srv/app/node_modules/openai/error.js:54:20)
";
        let found = counted(log);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "NotFound.temperature");
    }

    #[test]
    fn a_statement_of_another_record_is_an_error_of_its_own() {
        // The same statement, then another error's body in a record of its own.
        let log = "\
2026-11-02 10:05:00 INFO httpx: HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/chat/completions
RateLimitError: 429 该模型当前访问量过大，请您稍后再试
    at async main (/srv/app/capture.js:79:46)
2026-11-02 10:05:02 ERROR app: {\"error\":{\"code\":\"1305\",\"message\":\"该模型当前访问量过大，请您稍后再试\"}}
";
        let mut lines: Vec<u64> = counted(log).iter().map(|(line, _, _)| *line).collect();
        lines.sort();
        assert_eq!(lines, vec![2, 4]);
    }
}
