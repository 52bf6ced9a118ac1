//! Kubernetes CRI log lines, as containerd and CRI-O write them under `/var/log/pods`:
//! `<RFC 3339 time> <stdout|stderr> <tags> <text>`. The tags are `F` (the line ends here) or
//! `P` (it goes on in the stream's next chunk: containerd cuts lines at 16 KiB, CRI-O at 8 KiB),
//! possibly with more `:`-separated tags after.

use super::{Chunk, STDERR, STDOUT};
use crate::timestamp::Stamp;

pub(super) fn frame(line: &[u8]) -> Option<Chunk<'_>> {
    let time_end = memchr::memchr(b' ', line)?;
    let time = &line[..time_end];
    if !looks_like_rfc3339(time) {
        return None;
    }
    let rest = &line[time_end + 1..];
    let (stream, rest) = if let Some(r) = rest.strip_prefix(b"stdout ") {
        (STDOUT, r)
    } else if let Some(r) = rest.strip_prefix(b"stderr ") {
        (STDERR, r)
    } else {
        return None;
    };
    let tags_end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    let tags = &rest[..tags_end];
    let partial = match tags.split(|b| *b == b':').next() {
        Some(b"P") => true,
        Some(b"F") => false,
        _ => return None,
    };
    let offset = (time_end + 1 + 7 + tags_end + 1).min(line.len());
    Some(Chunk {
        stream,
        text: &line[offset..],
        offset: Some(offset),
        partial,
        stamp: Stamp::text(time),
        multiline: false,
    })
}

/// `2026-11-02T10:00:00.123456789Z` or with an offset: checked by shape, parsed only if asked.
pub(super) fn looks_like_rfc3339(time: &[u8]) -> bool {
    time.len() >= 20
        && time[..4].iter().all(u8::is_ascii_digit)
        && time[4] == b'-'
        && time[7] == b'-'
        && time[10] == b'T'
        && time[13] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_and_their_streams() {
        let c = frame(b"2026-11-02T10:00:00.123456789Z stderr P half a").unwrap();
        assert_eq!((c.stream, c.text, c.partial, c.offset), (STDERR, &b"half a"[..], true, Some(40)));
        let c = frame(b"2026-11-02T10:00:00.1+08:00 stdout F  indented").unwrap();
        assert_eq!((c.stream, c.text, c.partial), (STDOUT, &b" indented"[..], false));
        // An empty line, with and without the separator after the tag.
        assert_eq!(frame(b"2026-11-02T10:00:00Z stdout F ").unwrap().text, b"");
        assert_eq!(frame(b"2026-11-02T10:00:00Z stdout F").unwrap().text, b"");
        assert!(frame(b"2026-11-02T10:00:00Z stdout F:x text").is_some_and(|c| !c.partial));
        for not_cri in [
            &b"2026-11-02 10:00:00 stdout F text"[..],
            b"2026-11-02T10:00:00Z stdin F text",
            b"2026-11-02T10:00:00Z stdout X text",
            b"plain text",
            b"",
        ] {
            assert!(frame(not_cri).is_none(), "{}", String::from_utf8_lossy(not_cri));
        }
    }
}
