//! Docker's json-file log driver: `{"log":"<text>\n","stream":"stdout","time":"<RFC 3339>"}`
//! per line (Docker writes the keys in that order, `attrs` before `time` when labels are
//! logged). A `log` value without its trailing `\n` is a chunk of a longer line (Docker cuts at
//! 16 KiB), continued by the stream's next entry.
//!
//! The common entry is read without a JSON parser: when the text's only escape is its final
//! `\n`, it is a slice of the physical line; otherwise it is decoded into `scratch`. Anything
//! else shaped like JSON goes through `serde_json`.

use serde::Deserialize;

use super::{Chunk, STDERR, STDOUT};
use crate::timestamp::Stamp;

const LOG_KEY: &[u8] = b"{\"log\":\"";

pub(super) fn frame<'a>(line: &'a [u8], scratch: &'a mut Vec<u8>) -> Option<Chunk<'a>> {
    if let Some(fast) = fast(line) {
        let Fast { text_end, escapes, stream, time } = fast;
        let raw = &line[LOG_KEY.len()..text_end];
        let stamp = Stamp::text(time);
        if !escapes {
            // No newline at all: a chunk.
            return Some(Chunk {
                stream,
                text: raw,
                offset: Some(LOG_KEY.len()),
                partial: true,
                stamp,
                multiline: false,
            });
        }
        if let Some(text) = raw.strip_suffix(b"\\n").filter(|t| memchr::memchr(b'\\', t).is_none()) {
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            return Some(Chunk {
                stream,
                text,
                offset: Some(LOG_KEY.len()),
                partial: false,
                stamp,
                multiline: false,
            });
        }
        scratch.clear();
        unescape(raw, scratch)?;
        return Some(decoded(stream, scratch, stamp));
    }
    // Docker always writes the stream: a `log` field alone is some other JSON log.
    let entry: Entry = serde_json::from_slice(line).ok()?;
    let stream = match entry.stream.as_str() {
        "stderr" => STDERR,
        "stdout" => STDOUT,
        _ => return None,
    };
    let stamp = Stamp::text(entry.time.as_bytes());
    scratch.clear();
    scratch.extend_from_slice(entry.log.as_bytes());
    Some(decoded(stream, scratch, stamp))
}

fn decoded(stream: u64, text: &[u8], stamp: Option<Stamp>) -> Chunk<'_> {
    let (text, partial) = match text.strip_suffix(b"\n") {
        Some(t) => (t.strip_suffix(b"\r").unwrap_or(t), false),
        None => (text, true),
    };
    Chunk { stream, text, offset: None, partial, stamp, multiline: false }
}

#[derive(Deserialize)]
struct Entry {
    log: String,
    stream: String,
    time: String,
}

struct Fast<'a> {
    /// Where the `log` string's closing quote is.
    text_end: usize,
    escapes: bool,
    stream: u64,
    time: &'a [u8],
}

/// The entry as Docker writes it, or `None` for anything else.
fn fast(line: &[u8]) -> Option<Fast<'_>> {
    let mut i = LOG_KEY.len();
    if !line.starts_with(LOG_KEY) {
        return None;
    }
    let mut escapes = false;
    let text_end = loop {
        let at = i + memchr::memchr2(b'"', b'\\', line.get(i..)?)?;
        if line[at] == b'"' {
            break at;
        }
        escapes = true;
        i = at + 2;
    };
    let rest = &line[text_end + 1..];
    let (stream, rest) = if let Some(r) = rest.strip_prefix(b",\"stream\":\"stdout\"") {
        (STDOUT, r)
    } else if let Some(r) = rest.strip_prefix(b",\"stream\":\"stderr\"") {
        (STDERR, r)
    } else {
        return None;
    };
    // `attrs`, when present, comes before `time`: the time is the last field.
    let key = b",\"time\":\"";
    let at = memchr::memmem::rfind(rest, key)?;
    let time = &rest[at + key.len()..];
    let time = time.strip_suffix(b"\"}")?;
    Some(Fast { text_end, escapes, stream, time })
}

/// Decodes a JSON string's content (without its quotes) into `out`. A lone surrogate becomes
/// U+FFFD, as JSON decoders do; a malformed escape makes it not a string (`None`).
pub(super) fn unescape(raw: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'\\', &raw[i..]) {
        out.extend_from_slice(&raw[i..i + rel]);
        i += rel;
        let escape = *raw.get(i + 1)?;
        i += 2;
        let byte = match escape {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let unit = hex4(raw.get(i..i + 4)?)?;
                i += 4;
                let c = if (0xd800..0xdc00).contains(&unit) {
                    match raw.get(i..i + 6) {
                        Some([b'\\', b'u', low @ ..]) => match hex4(low) {
                            Some(low) if (0xdc00..0xe000).contains(&low) => {
                                i += 6;
                                char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                            }
                            _ => None,
                        },
                        _ => None,
                    }
                } else {
                    char::from_u32(unit)
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.unwrap_or('\u{fffd}').encode_utf8(&mut buf).as_bytes());
                continue;
            }
            _ => return None,
        };
        out.push(byte);
    }
    out.extend_from_slice(&raw[i..]);
    Some(())
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, d| Some(n * 16 + (*d as char).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(line: &str) -> Option<(u64, String, bool, bool)> {
        let mut scratch = Vec::new();
        let c = frame(line.as_bytes(), &mut scratch)?;
        Some((c.stream, String::from_utf8(c.text.to_vec()).unwrap(), c.partial, c.offset.is_some()))
    }

    #[test]
    fn entries_as_docker_writes_them() {
        let t = r#""time":"2026-11-02T10:00:00.123456789Z"}"#;
        assert_eq!(
            chunk(&format!(r#"{{"log":"plain line\n","stream":"stdout",{t}"#)),
            Some((STDOUT, "plain line".into(), false, true))
        );
        assert_eq!(
            chunk(&format!(r#"{{"log":"half","stream":"stderr",{t}"#)),
            Some((STDERR, "half".into(), true, true))
        );
        assert_eq!(
            chunk(&format!(
                r#"{{"log":"body={{\"code\":\"1113\"}} \u4f60\ud83d\ude00\n","stream":"stderr",{t}"#
            )),
            Some((STDERR, "body={\"code\":\"1113\"} 你😀".into(), false, false))
        );
        assert_eq!(
            chunk(&format!(r#"{{"log":"x\n","stream":"stdout","attrs":{{"tag":"a"}},{t}"#)),
            Some((STDOUT, "x".into(), false, true))
        );
        // Other key orders go through the parser.
        assert_eq!(
            chunk(r#"{"stream":"stderr","log":"late keys\r\n","time":"2026-11-02T10:00:00Z"}"#),
            Some((STDERR, "late keys".into(), false, false))
        );
        assert_eq!(chunk(r#"{"log":"bad \x escape\n","stream":"stdout","time":"t"}"#), None);
        assert_eq!(chunk("not json"), None);
    }

    #[test]
    fn unescape_matches_serde_json() {
        for s in
            ["a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t", "\\u00e9\\u4f60", "\\ud83d\\ude00", "\\ud83d x", "\\udc00"]
        {
            let mut out = Vec::new();
            unescape(s.as_bytes(), &mut out).unwrap();
            let want: String = serde_json::from_str(&format!("\"{s}\"")).unwrap_or_else(|_| {
                // serde_json refuses lone surrogates; decoders that accept them give U+FFFD.
                s.replace("\\ud83d", "\u{fffd}").replace("\\udc00", "\u{fffd}")
            });
            assert_eq!(String::from_utf8(out).unwrap(), want, "{s}");
        }
    }
}
