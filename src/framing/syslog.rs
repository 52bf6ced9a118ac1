//! Syslog files: RFC 3164 as syslog daemons write it (`Mar 14 09:00:36 host app[4127]: text`,
//! or with an RFC 3339 time, rsyslog's high-precision format), and RFC 5424 (`<14>1 <time>
//! host app 4127 msgid [sd] text`). A `<PRI>` before either is dropped. rsyslog writes a
//! message's newlines as `#012` (and tabs as `#011`): such a message is several lines again.

use super::{after_separator, cri::looks_like_rfc3339, Chunk};
use crate::timestamp::Stamp;

const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// Is this a syslog line, by a shape plain application logs do not have: a 3164 time with a
/// host, a 5424 header, or an RFC 3339 time followed by a host and an `app[pid]:` tag.
pub(super) fn detect(line: &[u8]) -> bool {
    let body = strip_pri(line).1;
    if rfc5424(line).is_some() {
        return true;
    }
    if bsd_time(body).is_some() {
        return header(body, 16).is_some();
    }
    match memchr::memchr(b' ', body) {
        Some(t) if looks_like_rfc3339(&body[..t]) => {
            let host = body[t + 1..].split(|b| *b == b' ').next().unwrap_or_default();
            // `<time> ERROR app[1]: ...` is an application's own format: a level is no host.
            let level = host.iter().all(u8::is_ascii_uppercase);
            !level && header(body, t + 1).is_some_and(|(_, tag)| tag.is_some_and(|t| t.ends_with(b"]:")))
        }
        _ => false,
    }
}

pub(super) fn frame<'a>(line: &'a [u8], scratch: &'a mut Vec<u8>) -> Option<Chunk<'a>> {
    let (offset, time, text) = if let Some(found) = rfc5424(line) {
        found
    } else {
        let (pri, body) = strip_pri(line);
        let (time, after_time) = match bsd_time(body) {
            Some(time) => (time, 16),
            None => {
                let t = memchr::memchr(b' ', body).filter(|t| looks_like_rfc3339(&body[..*t]))?;
                (&body[..t], t + 1)
            }
        };
        let (text_at, _) = header(body, after_time)?;
        let (at, text) = after_separator(body, text_at);
        (pri + at, time, text)
    };
    let stamp = Stamp::text(time);
    if memchr::memmem::find(text, b"#0").is_none() {
        return Some(Chunk {
            stream: 0,
            text,
            offset: Some(offset),
            partial: false,
            stamp,
            multiline: false,
        });
    }
    scratch.clear();
    let mut rest = text;
    while let Some(i) = memchr::memmem::find(rest, b"#01") {
        scratch.extend_from_slice(&rest[..i]);
        match rest.get(i + 3) {
            Some(b'2') => scratch.push(b'\n'),
            Some(b'1') => scratch.push(b'\t'),
            _ => {
                scratch.extend_from_slice(&rest[i..(i + 3).min(rest.len())]);
                rest = &rest[(i + 3).min(rest.len())..];
                continue;
            }
        }
        rest = &rest[i + 4..];
    }
    scratch.extend_from_slice(rest);
    Some(Chunk { stream: 0, text: scratch, offset: None, partial: false, stamp, multiline: true })
}

/// `<PRI>`, if the line starts with one: its length, and the rest.
fn strip_pri(line: &[u8]) -> (usize, &[u8]) {
    if line.first() == Some(&b'<') {
        if let Some(end) = line.iter().take(5).position(|b| *b == b'>') {
            if end > 1 && line[1..end].iter().all(u8::is_ascii_digit) {
                return (end + 1, &line[end + 1..]);
            }
        }
    }
    (0, line)
}

/// `Mar 14 09:00:36` (the day padded with a space or not... as `Mar  4`).
fn bsd_time(body: &[u8]) -> Option<&[u8]> {
    let t = body.get(..15)?;
    let month = MONTHS.iter().any(|m| &t[..3] == *m);
    let digit = |i: usize| t[i].is_ascii_digit();
    let shape = t[3] == b' '
        && (t[4] == b' ' || digit(4))
        && digit(5)
        && t[6] == b' '
        && digit(7)
        && digit(8)
        && t[9] == b':'
        && t[12] == b':'
        && digit(13)
        && digit(14);
    (month && shape && body.get(15) == Some(&b' ')).then_some(t)
}

/// After the time: `host tag: ` or `host `. Returns where the text starts (before its
/// separator space) and the tag, if there is one.
fn header(body: &[u8], at: usize) -> Option<(usize, Option<&[u8]>)> {
    let rest = body.get(at..)?;
    let host_end = memchr::memchr(b' ', rest)?;
    if host_end == 0 {
        return None;
    }
    let tag_at = at + host_end + 1;
    let rest = &body[tag_at..];
    let tag_end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    let tag = &rest[..tag_end];
    if tag.len() > 1 && tag.ends_with(b":") {
        Some((tag_at + tag_end, Some(tag)))
    } else {
        Some((tag_at - 1, None))
    }
}

/// `<PRI>VERSION TIME HOST APP PROCID MSGID SD [MSG]`: where the message starts, the time, and
/// the message (a BOM before it dropped).
fn rfc5424(line: &[u8]) -> Option<(usize, &[u8], &[u8])> {
    let (pri, body) = strip_pri(line);
    if pri == 0 {
        return None;
    }
    let version_end = memchr::memchr(b' ', body)?;
    if !(1..=2).contains(&version_end) || !body[..version_end].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut at = version_end + 1;
    let mut fields = [&b""[..]; 5];
    for field in &mut fields {
        let rest = body.get(at..)?;
        let end = memchr::memchr(b' ', rest)?;
        *field = &rest[..end];
        at += end + 1;
    }
    let time = fields[0];
    if time != b"-" && !looks_like_rfc3339(time) {
        return None;
    }
    at = structured_data_end(body, at)?;
    let (mut at, mut text) = after_separator(body, at);
    if let Some(t) = text.strip_prefix("\u{feff}".as_bytes()) {
        (at, text) = (at + 3, t);
    }
    Some((pri + at, if time == b"-" { b"" } else { time }, text))
}

/// STRUCTURED-DATA is `-` or `[id k="v" ...]...`, where a value may hold `\]` and `\"`.
fn structured_data_end(body: &[u8], at: usize) -> Option<usize> {
    match body.get(at)? {
        b'-' => Some(at + 1),
        b'[' => {
            let mut i = at;
            while body.get(i) == Some(&b'[') {
                let mut in_value = false;
                i += 1;
                loop {
                    match *body.get(i)? {
                        b'\\' if in_value => i += 1,
                        b'"' => in_value = !in_value,
                        b']' if !in_value => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            Some(i)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &str) -> Option<(String, Option<Stamp>)> {
        let mut scratch = Vec::new();
        let c = frame(line.as_bytes(), &mut scratch)?;
        Some((String::from_utf8(c.text.to_vec()).unwrap(), c.stamp))
    }

    #[test]
    fn rfc3164_lines() {
        let (t, stamp) = text("Mar 14 09:00:36 host app[4127]: Traceback (most recent call last):").unwrap();
        assert_eq!(t, "Traceback (most recent call last):");
        assert_eq!(stamp, Stamp::text(b"Mar 14 09:00:36"));
        assert_eq!(text("<13>Nov  2 10:00:00 web-1 kernel:  indented").unwrap().0, " indented");
        assert_eq!(text("Nov  2 10:00:00 web-1 no tag here").unwrap().0, "no tag here");
        assert_eq!(text("Nov  2 10:00:00 host app[1]: ").unwrap().0, "");
        assert_eq!(
            text("Nov  2 10:00:00 host app[1]: a#012  File \"x\"#011y").unwrap().0,
            "a\n  File \"x\"\ty"
        );
        assert_eq!(
            text("2026-11-02T10:00:00.123456+08:00 host app[1]: hp format").unwrap(),
            ("hp format".to_string(), Stamp::text(b"2026-11-02T10:00:00.123456+08:00"))
        );
        assert!(detect(b"Nov  2 10:00:00 host app[1]: x"));
        assert!(detect(b"2026-11-02T10:00:00Z host app[1]: x"));
        // Application logs that start with a time are not syslog.
        assert!(!detect(b"2026-11-02T10:00:00Z ERROR app: x"));
        assert!(!detect(b"2026-11-02T10:00:00Z ERROR app[7]: x"));
        assert!(!detect(b"2026-11-02 10:00:00,000 ERROR app: x"));
    }

    #[test]
    fn rfc5424_lines() {
        let line = r#"<14>1 2026-11-02T10:00:00.000Z host app 4127 ID7 [ex@32473 a="x\]y" b="q"][n@1 c="d"] msg here"#;
        assert_eq!(text(line).unwrap().0, "msg here");
        assert_eq!(text("<14>1 2026-11-02T10:00:00Z host app - - - \u{feff}bom'd").unwrap().0, "bom'd");
        assert_eq!(text("<14>1 - host app - - -").unwrap(), (String::new(), None));
        assert!(detect(b"<14>1 2026-11-02T10:00:00Z host app - - - x"));
    }
}
