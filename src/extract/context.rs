//! What came before a line in its source: the last lines (copied, capped) with their provider
//! hints worked out only when a finding asks, and the current record's first line with its
//! timestamp parsed only when asked. Most lines hold no error, so they must cost no more than
//! a copy.

use std::collections::VecDeque;

use super::hints::{self, Hint};
use crate::timestamp::{self, EpochMillis};

/// Bytes of a line kept for context; hosts and SDK names sit early in a line.
const KEPT_BYTES: usize = 2048;
/// Bytes of a record's first line kept for its timestamp.
const HEAD_BYTES: usize = 160;

struct Recent {
    number: u64,
    record: u64,
    text: Vec<u8>,
    /// `None` until asked; then the line's hint, if any.
    hint: Option<Option<Hint>>,
}

pub struct Context {
    capacity: usize,
    lines: VecDeque<Recent>,
    spare: Vec<Vec<u8>>,
    head: Vec<u8>,
    head_time: Option<Option<EpochMillis>>,
    default_year: i32,
}

impl Context {
    pub fn new(capacity: usize, default_year: i32) -> Context {
        Context {
            capacity,
            lines: VecDeque::with_capacity(capacity),
            spare: Vec::new(),
            head: Vec::with_capacity(HEAD_BYTES),
            head_time: None,
            default_year,
        }
    }

    /// A record starts at this line.
    pub fn start_record(&mut self, first_line: &[u8]) {
        self.head.clear();
        self.head.extend_from_slice(&first_line[..first_line.len().min(HEAD_BYTES)]);
        self.head_time = None;
    }

    /// Keeps a line; `hint` is its hint if the caller already worked it out from all of `line`.
    pub fn push(&mut self, number: u64, record: u64, line: &[u8], hint: Option<Option<Hint>>) {
        let mut text = if self.lines.len() == self.capacity {
            self.lines.pop_front().map(|r| r.text).unwrap_or_default()
        } else {
            self.spare.pop().unwrap_or_default()
        };
        text.clear();
        text.extend_from_slice(&line[..line.len().min(KEPT_BYTES)]);
        // A hint from the whole line holds for the kept part only when nothing was cut.
        let hint = hint.filter(|_| line.len() <= KEPT_BYTES);
        self.lines.push_back(Recent { number, record, text, hint });
    }

    /// The record's time, from its first line.
    pub fn record_time(&mut self) -> Option<EpochMillis> {
        if self.head_time.is_none() {
            // The kept head may end inside a character; the timestamp is well before that.
            let head = match std::str::from_utf8(&self.head) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&self.head[..e.valid_up_to()]).unwrap_or_default(),
            };
            self.head_time = Some(timestamp::parse(head, self.default_year));
        }
        self.head_time.flatten()
    }

    /// Provider evidence before line `number` of record `record`: the strongest in the same
    /// record, and the newest among all the kept lines.
    pub fn nearby(&mut self, number: u64, record: u64) -> (Option<Hint>, Option<Hint>) {
        let mut in_record: Option<Hint> = None;
        let mut newest: Option<Hint> = None;
        for r in self.lines.iter_mut().rev() {
            if r.number >= number {
                continue;
            }
            let hint = *r.hint.get_or_insert_with(|| hints::find(&r.text));
            let Some(h) = hint else { continue };
            if r.record == record && in_record.is_none_or(|b| h.strength > b.strength) {
                in_record = Some(h);
            }
            newest = newest.or(Some(h));
        }
        (in_record, newest)
    }
}
