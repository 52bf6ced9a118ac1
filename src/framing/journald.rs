//! journald's JSON export (`journalctl -o json`, also `-f`): one entry per line. The text is
//! `MESSAGE`: a string, or an array of bytes when the message is not valid UTF-8 or holds
//! control characters, or `null` when journalctl left a large field out (without `--all`). The
//! time is `__REALTIME_TIMESTAMP`, microseconds since the epoch, as a string. A message of
//! several lines (a traceback logged through the journal's native API) is several lines.

use serde::Deserialize;

use super::Chunk;
use crate::timestamp::Stamp;

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "MESSAGE")]
    message: Option<Message>,
    #[serde(rename = "__REALTIME_TIMESTAMP")]
    realtime: Option<Micros>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    Text(String),
    Bytes(Vec<u8>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Micros {
    Text(String),
    Number(u64),
}

/// Does the line look like an entry (before parsing it)?
pub(super) fn looks_like(line: &[u8]) -> bool {
    let finder = |key: &str| memchr::memmem::find(line, key.as_bytes()).is_some();
    finder("\"__REALTIME_TIMESTAMP\"") || finder("\"__CURSOR\"")
}

pub(super) fn frame<'a>(line: &'a [u8], scratch: &'a mut Vec<u8>) -> Option<Chunk<'a>> {
    if !line.starts_with(b"{") {
        return None;
    }
    let entry: Entry = serde_json::from_slice(line).ok()?;
    let micros = match entry.realtime {
        Some(Micros::Text(t)) => t.parse::<u64>().ok(),
        Some(Micros::Number(n)) => Some(n),
        None => None,
    };
    scratch.clear();
    match entry.message {
        Some(Message::Text(t)) => scratch.extend_from_slice(t.as_bytes()),
        Some(Message::Bytes(b)) => scratch.extend_from_slice(&b),
        None => {}
    }
    let mut text = &scratch[..];
    text = text.strip_suffix(b"\n").unwrap_or(text);
    Some(Chunk {
        stream: 0,
        text,
        offset: None,
        partial: false,
        stamp: micros.map(|us| Stamp::Millis((us / 1000) as i64)),
        multiline: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_as_strings_bytes_and_nothing() {
        let mut scratch = Vec::new();
        let line = br#"{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1793613601123456","_PID":"7","MESSAGE":"a\nb\n"}"#;
        let c = frame(line, &mut scratch).unwrap();
        assert_eq!(
            (c.text, c.multiline, c.stamp),
            (&b"a\nb"[..], true, Some(Stamp::Millis(1_793_613_601_123)))
        );
        let line = br#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[104,105,255]}"#;
        assert_eq!(frame(line, &mut scratch).unwrap().text, b"hi\xff");
        let line = br#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":null}"#;
        assert_eq!(frame(line, &mut scratch).unwrap().text, b"");
        assert!(frame(b"{not json", &mut scratch).is_none());
        assert!(looks_like(br#"{"__CURSOR":"x"}"#) && !looks_like(br#"{"msg":"x"}"#));
    }
}
