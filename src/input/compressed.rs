//! Compressed files, known by their first bytes whatever their name: `scan` and `report` read
//! gzip and zstd through a decoder (a rotated set `app.log.*` is read whole); the follower
//! never reads any of them as text.

use std::io::{self, BufRead, Read};

/// A compression format errwatch recognizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

impl Compression {
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }

    /// The tool that decompresses it to stdout, for the message that refuses it.
    fn tool(self) -> &'static str {
        match self {
            Compression::Gzip => "zcat",
            Compression::Zstd => "zstdcat",
            Compression::Bzip2 => "bzcat",
            Compression::Xz => "xzcat",
        }
    }
}

/// What a file's first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Text,
    Compressed(Compression),
    /// Too few bytes to tell: they begin a compressed format's magic.
    Undecided,
}

const MAGICS: [(&[u8], Compression); 4] = [
    (&[0x1f, 0x8b], Compression::Gzip),
    (&[0x28, 0xb5, 0x2f, 0xfd], Compression::Zstd),
    (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], Compression::Xz),
    // "BZh", a block size digit, then a block's or the end's magic: text never starts so.
    (b"BZh", Compression::Bzip2),
];

/// The bytes after bzip2's `BZh<digit>`: a first block, or the end of an empty stream.
const BZIP2_BLOCK: [&[u8]; 2] =
    [&[0x31, 0x41, 0x59, 0x26, 0x53, 0x59], &[0x17, 0x72, 0x45, 0x38, 0x50, 0x90]];

/// Bytes that always suffice to tell.
pub const SNIFF_BYTES: usize = 10;

pub fn sniff(head: &[u8]) -> Sniffed {
    for (magic, kind) in &MAGICS {
        let n = head.len().min(magic.len());
        if head[..n] != magic[..n] {
            continue;
        }
        if head.len() < magic.len() {
            return Sniffed::Undecided;
        }
        if *kind != Compression::Bzip2 {
            return Sniffed::Compressed(*kind);
        }
        let Some(digit) = head.get(3) else { return Sniffed::Undecided };
        if !(b'1'..=b'9').contains(digit) {
            return Sniffed::Text;
        }
        let block = &head[4..head.len().min(SNIFF_BYTES)];
        for magic in BZIP2_BLOCK {
            let n = block.len().min(magic.len());
            if block[..n] == magic[..n] {
                return if block.len() < magic.len() {
                    Sniffed::Undecided
                } else {
                    Sniffed::Compressed(*kind)
                };
            }
        }
        return Sniffed::Text;
    }
    Sniffed::Text
}

/// `input`, decompressed when its first bytes say it is gzip or zstd; bzip2 and xz are refused
/// with what to do instead. Several gzip members (`cat a.gz b.gz`) are read as one stream.
pub fn open<'a>(mut input: impl BufRead + 'a) -> io::Result<(Box<dyn Read + 'a>, Option<Compression>)> {
    let head = peek(&mut input, SNIFF_BYTES)?;
    match sniff(&head) {
        Sniffed::Text | Sniffed::Undecided => Ok((Box::new(input), None)),
        Sniffed::Compressed(Compression::Gzip) => {
            Ok((Box::new(flate2::bufread::MultiGzDecoder::new(input)), Some(Compression::Gzip)))
        }
        Sniffed::Compressed(Compression::Zstd) => {
            Ok((Box::new(zstd::stream::read::Decoder::with_buffer(input)?), Some(Compression::Zstd)))
        }
        Sniffed::Compressed(kind) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "compressed with {}, which errwatch does not read (it reads gzip and zstd): {} FILE | errwatch scan -",
                kind.name(),
                kind.tool()
            ),
        )),
    }
}

/// The first `n` bytes of `input` (fewer at its end), left unread.
fn peek(input: &mut impl BufRead, n: usize) -> io::Result<Vec<u8>> {
    // A buffered reader's first fill holds far more than a magic, except on a pipe written in
    // small pieces: then what is there is enough to start, and a magic split across writes is
    // read as text (gzip and zstd writers emit their header in one write).
    loop {
        match input.fill_buf() {
            Ok(buf) => return Ok(buf[..buf.len().min(n)].to_vec()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magics_are_told_from_text() {
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Sniffed::Compressed(Compression::Gzip));
        assert_eq!(sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]), Sniffed::Compressed(Compression::Zstd));
        assert_eq!(sniff(b"\xfd7zXZ\x00\x00"), Sniffed::Compressed(Compression::Xz));
        assert_eq!(sniff(b"BZh91AY&SY\x01"), Sniffed::Compressed(Compression::Bzip2));
        assert_eq!(sniff(b"BZh9\x17\x72\x45\x38\x50\x90"), Sniffed::Compressed(Compression::Bzip2));
        assert_eq!(sniff(b"BZh9 is a word"), Sniffed::Text);
        assert_eq!(sniff(b"(an aside)"), Sniffed::Text);
        assert_eq!(sniff(b"("), Sniffed::Undecided);
        assert_eq!(sniff(&[0x1f]), Sniffed::Undecided);
        assert_eq!(sniff(b""), Sniffed::Undecided);
        assert_eq!(sniff(b"2026-11-02 INFO"), Sniffed::Text);
    }
}
