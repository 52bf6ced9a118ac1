//! When a log line was written, from the timestamp formats applications commonly use:
//! ISO 8601 / RFC 3339, Python logging's `2026-11-02 10:00:01,123`, syslog `Nov  2 10:00:01`,
//! and epoch seconds or milliseconds in JSON `ts`/`time`/`timestamp` fields.
//!
//! A timestamp with no zone is read in the [`Dating`]'s zone (the local one unless
//! `--timezone` says otherwise: an application logging China time writes China time); a
//! syslog one, which has no year, in its year too. Only the first bytes of a line are searched,
//! where loggers put the time.

use std::fmt;
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use regex::Regex;

/// Milliseconds since the Unix epoch.
pub type EpochMillis = i64;

/// A time zone, cheap to copy into every source's pipeline: the zone is made once per run and
/// lives as long as the process (`Zone::named` leaks one small value for that).
#[derive(Clone, Copy)]
pub struct Zone {
    tz: &'static TimeZone,
    /// Seconds east of UTC when the zone never changes offset (UTC above all): read without
    /// a lookup in the zone's rules.
    fixed: Option<i64>,
}

static UTC: TimeZone = TimeZone::UTC;

impl Zone {
    pub const UTC: Zone = Zone { tz: &UTC, fixed: Some(0) };

    fn leak(tz: TimeZone) -> Zone {
        let fixed = tz.to_fixed_offset().ok().map(|o| i64::from(o.seconds()));
        if fixed == Some(0) {
            return Zone::UTC;
        }
        Zone { tz: Box::leak(Box::new(tz)), fixed }
    }

    /// A zone by its IANA name (`Asia/Shanghai`, `UTC`).
    pub fn named(name: &str) -> Result<Zone, ZoneError> {
        TimeZone::get(name.trim())
            .map(Zone::leak)
            .map_err(|e| ZoneError { name: name.to_string(), reason: e.to_string() })
    }

    /// The local zone: `TZ`, else the system's (`/etc/localtime`); UTC when neither can be
    /// read, with the reason.
    pub fn local() -> (Zone, Option<ZoneError>) {
        match TimeZone::try_system() {
            Ok(tz) if tz.is_unknown() => (Zone::UTC, None),
            Ok(tz) => (Zone::leak(tz), None),
            Err(e) => {
                let name = std::env::var("TZ").unwrap_or_else(|_| "/etc/localtime".to_string());
                (Zone::UTC, Some(ZoneError { name, reason: e.to_string() }))
            }
        }
    }

    /// The zone's name for people: its IANA name, else its offset (`UTC+08:00`).
    pub fn name(&self) -> String {
        match (self.tz.iana_name(), self.fixed) {
            (Some(n), _) => n.to_string(),
            (None, Some(0)) => "UTC".to_string(),
            (None, Some(secs)) => format!("UTC{}", offset_text(secs)),
            (None, None) => "local".to_string(),
        }
    }

    /// Seconds since the epoch of a wall-clock time in this zone (a time a change of offset
    /// skips or repeats is read as the offset before the change, as most loggers meant).
    fn to_epoch(self, days: i64, secs_of_day: i64) -> Option<i64> {
        if let Some(offset) = self.fixed {
            return Some(days * 86_400 + secs_of_day - offset);
        }
        let (y, m, d) = civil_from_days(days);
        let dt = jiff::civil::DateTime::new(
            i16::try_from(y).ok()?,
            m as i8,
            d as i8,
            (secs_of_day / 3600) as i8,
            (secs_of_day % 3600 / 60) as i8,
            (secs_of_day % 60) as i8,
            0,
        )
        .ok()?;
        self.tz.to_timestamp(dt).ok().map(|t| t.as_second())
    }

    /// Seconds east of UTC at `ms`.
    pub fn offset_at(self, ms: EpochMillis) -> i64 {
        if let Some(offset) = self.fixed {
            return offset;
        }
        jiff::Timestamp::from_millisecond(ms).map_or(0, |t| i64::from(self.tz.to_offset(t).seconds()))
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name())
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.tz == other.tz
    }
}

/// A `--timezone` (or `TZ`) that names no zone errwatch knows.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{name:?} is not a time zone errwatch knows ({reason}); use an IANA name such as Asia/Shanghai or UTC"
)]
pub struct ZoneError {
    pub name: String,
    pub reason: String,
}

/// What a timestamp that lacks a part is read with: the zone for those written without one,
/// and the year for syslog's, which have none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dating {
    pub year: i32,
    pub zone: Zone,
}

impl Dating {
    /// This year, in `zone`.
    pub fn now_in(zone: Zone) -> Dating {
        Dating { year: current_year(), zone }
    }
}

/// A year, in UTC: what tests and tools that need no zone pass.
impl From<i32> for Dating {
    fn from(year: i32) -> Dating {
        Dating { year, zone: Zone::UTC }
    }
}

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

    pub fn millis(&self, dating: Dating) -> Option<EpochMillis> {
        match self {
            Stamp::Millis(ms) => Some(*ms),
            Stamp::Text { bytes, len } => parse(&bytes[..usize::from(*len)], dating),
        }
    }
}

/// The time a line carries, if any. The line may end inside a character (a kept head is cut
/// at a byte count) or hold invalid UTF-8: the common format is read from its bytes, the
/// others from its valid text.
pub fn parse(line: &[u8], dating: Dating) -> Option<EpochMillis> {
    if let Some(t) = iso_fast(&line[..line.len().min(SEARCH_BYTES)], dating.zone) {
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
        let offset_min = match (c.get(8), c.get(9)) {
            (Some(_), _) => Some(0),
            (None, Some(sign)) => {
                let m = n(10) * 60 + n(11);
                Some(if sign.as_str() == "-" { -m } else { m })
            }
            (None, None) => None,
        };
        let days = civil_to_days(n(1) as i32, n(2) as u32, n(3) as u32)?;
        let secs = in_zone(days, n(4) * 3600 + n(5) * 60 + n(6), offset_min, dating.zone)?;
        return Some(secs * 1000 + frac);
    }
    if let Some(c) = syslog().captures(head) {
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            .iter()
            .position(|m| *m == &c[1])? as u32
            + 1;
        let n = |i: usize| c[i].parse::<i64>().unwrap_or(0);
        let days = civil_to_days(dating.year, month, n(2) as u32)?;
        return Some(dating.zone.to_epoch(days, n(3) * 3600 + n(4) * 60 + n(5))? * 1000);
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

/// Seconds since the epoch of a day and time of day, at a written offset (minutes east of
/// UTC) or, written without one, in `zone`.
fn in_zone(days: i64, secs_of_day: i64, offset_min: Option<i64>, zone: Zone) -> Option<i64> {
    match offset_min {
        Some(m) => Some(days * 86_400 + secs_of_day - m * 60),
        None => zone.to_epoch(days, secs_of_day),
    }
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.,fff][Z|±HH:MM]` without a regex: the common case, on the
/// first line of every record that holds an error.
fn iso_fast(head: &[u8], zone: Zone) -> Option<EpochMillis> {
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
            [b'Z' | b'z', ..] => Some(0),
            [sign @ (b'+' | b'-'), a, b, b':', c, d, ..] | [sign @ (b'+' | b'-'), a, b, c, d, ..]
                if [a, b, c, d].iter().all(|x| x.is_ascii_digit()) =>
            {
                let m =
                    i64::from((a - b'0') * 10 + (b - b'0')) * 60 + i64::from((c - b'0') * 10 + (d - b'0'));
                Some(if *sign == b'-' { -m } else { m })
            }
            _ => None,
        };
        let days = civil_to_days(y as i32, mo as u32, d as u32)?;
        return Some(in_zone(days, h * 3600 + mi * 60 + sec, offset_min, zone)? * 1000 + ms);
    }
    None
}

/// Days since 1970-01-01 of a date (Howard Hinnant's days-from-civil).
fn civil_to_days(y: i32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// This year, for syslog lines, which carry none.
pub fn current_year() -> i32 {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    civil_from_days(secs.div_euclid(86_400)).0 as i32
}

/// RFC 3339 in UTC, to the second, for machines.
pub fn format(ms: EpochMillis) -> String {
    let t = Local::new(ms, Zone::UTC);
    format!("{}T{}Z", t.date, t.time)
}

/// A moment as a person in a zone reads it, to the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// `2026-11-02`
    pub date: String,
    /// `10:00:06`
    pub time: String,
    /// `+08:00`
    pub offset: String,
}

impl Local {
    pub fn new(ms: EpochMillis, zone: Zone) -> Local {
        let offset = zone.offset_at(ms);
        let secs = ms.div_euclid(1000) + offset;
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        let rem = secs.rem_euclid(86_400);
        Local {
            date: format!("{y:04}-{m:02}-{d:02}"),
            time: format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
            offset: offset_text(offset),
        }
    }
}

/// `2026-11-02 10:00:06 +08:00`
impl fmt::Display for Local {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.date, self.time, self.offset)
    }
}

/// `+08:00`, `-03:30`, `+00:00`
fn offset_text(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
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
        let t = parse(b"2026-11-02 10:00:01,123 ERROR x", 2026.into()).unwrap();
        assert_eq!(format(t), "2026-11-02T10:00:01Z");
        assert_eq!(t % 1000, 123);
        let t = parse(b"2026-11-02T18:00:01+08:00 x", 2026.into()).unwrap();
        assert_eq!(format(t), "2026-11-02T10:00:01Z");
        assert_eq!(
            format(parse(b"Nov  2 10:00:01 host app[1]: x", 2026.into()).unwrap()),
            "2026-11-02T10:00:01Z"
        );
        assert_eq!(
            format(parse(br#"{"ts":1793613601,"msg":"x"}"#, 2026.into()).unwrap()),
            "2026-11-02T10:00:01Z"
        );
        assert_eq!(
            format(parse(br#"{"ts":1793613601000,"msg":"x"}"#, 2026.into()).unwrap()),
            "2026-11-02T10:00:01Z"
        );
        assert_eq!(parse(b"no time here", 2026.into()), None);
    }

    fn in_zone(name: &str) -> Dating {
        Dating { year: 2026, zone: Zone::named(name).unwrap() }
    }

    #[test]
    fn zoneless_times_are_read_in_the_given_zone() {
        let shanghai = in_zone("Asia/Shanghai");
        // Python logging's format, the regex's (slashes) and syslog's: all zone-less.
        for line in
            [&b"2026-11-02 10:00:06,002 ERROR x"[..], b"2026/11/02 10:00:06 x", b"Nov  2 10:00:06 h a: x"]
        {
            assert_eq!(format(parse(line, shanghai).unwrap()), "2026-11-02T02:00:06Z", "{line:?}");
        }
        // A written zone wins over the given one.
        assert_eq!(format(parse(b"2026-11-02T10:00:06Z x", shanghai).unwrap()), "2026-11-02T10:00:06Z");
        assert_eq!(format(parse(b"2026-11-02 10:00:06+01:00 x", shanghai).unwrap()), "2026-11-02T09:00:06Z");
        assert_eq!(format(parse(b"t=2026/11/02 10:00:06Z x", shanghai).unwrap()), "2026-11-02T10:00:06Z");
        // Epoch seconds are absolute.
        assert_eq!(format(parse(br#"{"ts":1793613601}"#, shanghai).unwrap()), "2026-11-02T10:00:01Z");
    }

    #[test]
    fn offsets_follow_the_zone_rules() {
        let ny = in_zone("America/New_York");
        // Summer and winter time; 02:30 on the spring-forward day does not exist and is read
        // with the offset before the change.
        assert_eq!(format(parse(b"2026-07-01 12:00:00 x", ny).unwrap()), "2026-07-01T16:00:00Z");
        assert_eq!(format(parse(b"2026-12-01 12:00:00 x", ny).unwrap()), "2026-12-01T17:00:00Z");
        assert_eq!(format(parse(b"2026-03-08 02:30:00 x", ny).unwrap()), "2026-03-08T07:30:00Z");
        let t = parse(b"2026-07-01T16:00:00Z", ny).unwrap();
        assert_eq!(Local::new(t, ny.zone).to_string(), "2026-07-01 12:00:00 -04:00");
        let t = parse(b"2026-12-31T20:00:00Z", in_zone("Asia/Shanghai")).unwrap();
        assert_eq!(
            Local::new(t, Zone::named("Asia/Shanghai").unwrap()).to_string(),
            "2027-01-01 04:00:00 +08:00"
        );
    }

    #[test]
    fn zones_are_named_or_refused() {
        assert_eq!(Zone::named("Asia/Shanghai").unwrap().name(), "Asia/Shanghai");
        assert_eq!(Zone::named("utc").unwrap(), Zone::UTC);
        let e = Zone::named("Mars/Olympus").unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"), "{e}");
    }

    #[test]
    fn envelope_stamps() {
        let cri = Stamp::text(b"2026-11-02T10:00:01.123456789Z").unwrap();
        assert_eq!(cri.millis(2026.into()), parse(b"2026-11-02T10:00:01.123Z", 2026.into()));
        let syslog = Stamp::text(b"Nov  2 10:00:01").unwrap();
        assert_eq!(syslog.millis(2026.into()).map(format).as_deref(), Some("2026-11-02T10:00:01Z"));
        assert_eq!(Stamp::Millis(5).millis(2026.into()), Some(5));
        assert_eq!(Stamp::text(&[b'1'; 41]), None);
        assert_eq!(Stamp::text(b""), None);
    }
}
