//! When a log line was written, from the timestamp formats applications commonly use:
//! ISO 8601 / RFC 3339, Python logging's `2026-11-02 10:00:01,123`, syslog `Nov  2 10:00:01`,
//! and epoch seconds or milliseconds in JSON `ts`/`time`/`timestamp` fields.
//!
//! A timestamp with no zone is taken as UTC; a syslog one, which has no year, as the given
//! default year. Only the first bytes of a line are searched, where loggers put the time.

use std::sync::OnceLock;

use regex::Regex;

/// Milliseconds since the Unix epoch.
pub type EpochMillis = i64;

const SEARCH_BYTES: usize = 160;

fn iso() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))?",
        )
        .unwrap()
    })
}

fn syslog() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:<\d+>)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})")
            .unwrap()
    })
}

fn epoch_field() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#""(?:ts|time|timestamp|@timestamp|t)"\s*:\s*(\d{10}(?:\.\d+)?|\d{13})(?-u:\b)"#).unwrap()
    })
}

/// The time an envelope (a container runtime's, journald's, syslog's) gave a line, kept as the
/// envelope wrote it and parsed only when a record that holds an error asks: most lines never
/// need it. A copy, not a borrow, so that it outlives the chunk the line was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    Millis(EpochMillis),
    /// RFC 3339 or syslog's `Mmm dd hh:mm:ss`, as [`parse`] reads them.
    Text {
        bytes: [u8; STAMP_BYTES],
        len: u8,
    },
}

/// Longest envelope time kept as text: RFC 3339 with nanoseconds and an offset is 35 bytes.
pub const STAMP_BYTES: usize = 40;

impl Stamp {
    /// `None` when `text` is empty or too long to be a time.
    pub fn text(text: &[u8]) -> Option<Stamp> {
        if text.is_empty() || text.len() > STAMP_BYTES {
            return None;
        }
        let mut bytes = [0u8; STAMP_BYTES];
        bytes[..text.len()].copy_from_slice(text);
        Some(Stamp::Text { bytes, len: text.len() as u8 })
    }

    pub fn millis(&self, default_year: i32) -> Option<EpochMillis> {
        match self {
            Stamp::Millis(ms) => Some(*ms),
            Stamp::Text { bytes, len } => parse(&bytes[..usize::from(*len)], default_year),
        }
    }
}

/// The time a line carries, if any. The line may end inside a character (a kept head is cut
/// at a byte count) or hold invalid UTF-8: the common format is read from its bytes, the
/// others from its valid text.
pub fn parse(line: &[u8], default_year: i32) -> Option<EpochMillis> {
    if let Some(t) = iso_fast(&line[..line.len().min(SEARCH_BYTES)]) {
        return Some(t);
    }
    let line = match simdutf8::compat::from_utf8(line) {
        Ok(text) => text,
        Err(e) => simdutf8::compat::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut end = line.len().min(SEARCH_BYTES);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &line[..end];
    if let Some(c) = iso().captures(head) {
        let n = |i: usize| c.get(i).map_or(0, |m| m.as_str().parse::<i64>().unwrap_or(0));
        let frac = c.get(7).map_or(0, |m| {
            let digits = &m.as_str()[..m.as_str().len().min(3)];
            digits.parse::<i64>().unwrap_or(0) * 10_i64.pow(3 - digits.len() as u32)
        });
        let offset_min = match c.get(9) {
            Some(sign) => {
                let m = n(10) * 60 + n(11);
                if sign.as_str() == "-" {
                    -m
                } else {
                    m
                }
            }
            None => 0,
        };
        let secs = civil_to_epoch(n(1) as i32, n(2) as u32, n(3) as u32)? + n(4) * 3600 + n(5) * 60 + n(6)
            - offset_min * 60;
        return Some(secs * 1000 + frac);
    }
    if let Some(c) = syslog().captures(head) {
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            .iter()
            .position(|m| *m == &c[1])? as u32
            + 1;
        let n = |i: usize| c[i].parse::<i64>().unwrap_or(0);
        let secs = civil_to_epoch(default_year, month, n(2) as u32)? + n(3) * 3600 + n(4) * 60 + n(5);
        return Some(secs * 1000);
    }
    if let Some(c) = epoch_field().captures(line) {
        let raw = &c[1];
        return if raw.len() == 13 && !raw.contains('.') {
            raw.parse().ok()
        } else {
            raw.parse::<f64>().ok().map(|s| (s * 1000.0) as i64)
        };
    }
    None
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.,fff][Z|±HH:MM]` without a regex: the common case, on the
/// first line of every record that holds an error.
fn iso_fast(head: &[u8]) -> Option<EpochMillis> {
    let digits = |b: &[u8]| -> Option<i64> {
        b.iter().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let mut from = 0;
    while let Some(rel) = memchr::memchr(b'-', &head[from..]) {
        let dash = from + rel;
        from = dash + 1;
        if dash < 4 || head.len() < dash + 15 {
            continue;
        }
        let s = &head[dash - 4..];
        if !(s[7] == b'-' && matches!(s[10], b'T' | b' ') && s[13] == b':' && s[16] == b':') {
            continue;
        }
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(sec)) = (
            digits(&s[0..4]),
            digits(&s[5..7]),
            digits(&s[8..10]),
            digits(&s[11..13]),
            digits(&s[14..16]),
            digits(&s[17..19]),
        ) else {
            continue;
        };
        let mut rest = &s[19..];
        let mut ms = 0;
        if let [b'.' | b',', tail @ ..] = rest {
            let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            let frac = &tail[..n.min(3)];
            ms = digits(frac).unwrap_or(0) * 10_i64.pow(3 - frac.len() as u32);
            rest = &tail[n..];
        }
        let offset_min = match rest {
            [sign @ (b'+' | b'-'), a, b, b':', c, d, ..] | [sign @ (b'+' | b'-'), a, b, c, d, ..]
                if [a, b, c, d].iter().all(|x| x.is_ascii_digit()) =>
            {
                let m =
                    i64::from((a - b'0') * 10 + (b - b'0')) * 60 + i64::from((c - b'0') * 10 + (d - b'0'));
                if *sign == b'-' {
                    -m
                } else {
                    m
                }
            }
            _ => 0,
        };
        let days = civil_to_epoch(y as i32, mo as u32, d as u32)?;
        return Some((days + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000 + ms);
    }
    None
}

/// Days-from-civil (Howard Hinnant's algorithm), in seconds.
fn civil_to_epoch(y: i32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

/// This year, for syslog lines, which carry none.
pub fn current_year() -> i32 {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    civil_from_days(secs.div_euclid(86_400)).0 as i32
}

/// RFC 3339 in UTC, to the second, for reports.
pub fn format(ms: EpochMillis) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formats() {
        let t = parse(b"2026-11-02 10:00:01,123 ERROR x", 2026).unwrap();
        assert_eq!(format(t), "2026-11-02T10:00:01Z");
        assert_eq!(t % 1000, 123);
        let t = parse(b"2026-11-02T18:00:01+08:00 x", 2026).unwrap();
        assert_eq!(format(t), "2026-11-02T10:00:01Z");
        assert_eq!(format(parse(b"Nov  2 10:00:01 host app[1]: x", 2026).unwrap()), "2026-11-02T10:00:01Z");
        assert_eq!(format(parse(br#"{"ts":1793613601,"msg":"x"}"#, 2026).unwrap()), "2026-11-02T10:00:01Z");
        assert_eq!(
            format(parse(br#"{"ts":1793613601000,"msg":"x"}"#, 2026).unwrap()),
            "2026-11-02T10:00:01Z"
        );
        assert_eq!(parse(b"no time here", 2026), None);
    }

    #[test]
    fn envelope_stamps() {
        let cri = Stamp::text(b"2026-11-02T10:00:01.123456789Z").unwrap();
        assert_eq!(cri.millis(2026), parse(b"2026-11-02T10:00:01.123Z", 2026));
        let syslog = Stamp::text(b"Nov  2 10:00:01").unwrap();
        assert_eq!(syslog.millis(2026).map(format).as_deref(), Some("2026-11-02T10:00:01Z"));
        assert_eq!(Stamp::Millis(5).millis(2026), Some(5));
        assert_eq!(Stamp::text(&[b'1'; 41]), None);
        assert_eq!(Stamp::text(b""), None);
    }
}
