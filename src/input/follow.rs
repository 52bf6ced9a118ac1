//! Following files like `tail -F`: by identity, not by path.
//!
//! A file is known by its device and inode plus a fingerprint of its first bytes (a reused
//! inode with other content is another file). At each poll, for each path the patterns match:
//! `stat` is the truth; change events only make polls come sooner.
//! - same file, grown: read the new bytes;
//! - same file, shorter than our offset or with other first bytes: truncated in place
//!   (copytruncate): read it again from the start;
//! - another file at the path (rename + create, delete + create): read the old handle to its
//!   end, then the new file from its start;
//! - gone: read the old handle to its end, then forget it;
//! - a file that exists at the first poll starts at its saved position, else at its end (or
//!   its start with `from_start`); a file that appears later starts at its start.
//!
//! Follower knows bytes and files only: what the bytes mean is the caller's business.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::CHUNK_BYTES;

/// Bytes hashed to tell a file from another that reuses its inode.
pub const FINGERPRINT_BYTES: usize = 1024;
/// Bytes read from one file in one poll before the others get their turn (and the reader
/// commits what it found: this bounds what is held in memory between commits).
const MAX_BYTES_PER_POLL: usize = 2 * 1024 * 1024;
/// Files no longer followed whose content errwatch remembers, to recognize them at a new path.
const REMEMBERED_FILES: usize = 4096;
/// A content fingerprint shorter than this is too weak to say two inodes hold the same file.
const MIN_CONTENT_MATCH: u32 = 128;

/// Who a file is, independent of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    /// FNV-1a of the first `fingerprint_len` bytes.
    pub fingerprint: u64,
    pub fingerprint_len: u32,
}

impl Identity {
    /// Is `file` (whose fresh identity is `now`) the file this identity was taken of? The
    /// file may have grown since: its first bytes are compared over this fingerprint's length.
    pub fn is(&self, file: &File, now: &Identity) -> bool {
        (self.dev, self.ino) == (now.dev, now.ino) && same_start(file, self)
    }
}

/// Where reading a file stands; what a checkpoint saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub identity: Identity,
    /// Bytes consumed.
    pub offset: u64,
}

/// Why a file is read again from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// Shorter than what was read, or its first bytes changed (copytruncate). A partial line
    /// read before is dropped: a followed copy of the old content is read from that line's start.
    Truncated,
    /// Another file now has the path (rename + create, delete + create).
    Replaced,
}

/// What a poll found, in the order it happened.
#[derive(Debug)]
pub enum Change<'a> {
    /// A file is followed from `offset`.
    Opened {
        path: &'a Path,
        offset: u64,
    },
    Data {
        path: &'a Path,
        bytes: &'a [u8],
    },
    /// Everything before this is the old content (drained); what follows is the new content.
    Restarted {
        path: &'a Path,
        why: Restart,
    },
    /// The path is gone; its last bytes were delivered.
    Closed {
        path: &'a Path,
    },
    /// The path cannot be read now; it is tried again at the next poll.
    Unreadable {
        path: &'a Path,
        error: &'a io::Error,
    },
}

struct Tracked {
    file: File,
    position: Position,
    /// Offset just past the last newline read: where the line being read started.
    line_start: u64,
    /// Nothing has been read from it yet: it may still turn out to be a copy being written.
    fresh: bool,
    /// The first bytes `position.identity` was taken of.
    head: Vec<u8>,
}

pub struct Follower {
    patterns: Vec<String>,
    from_start: bool,
    /// Saved positions, used for files present at the first poll.
    saved: BTreeMap<PathBuf, Position>,
    first_poll: bool,
    tracked: BTreeMap<PathBuf, Tracked>,
    /// Paths whose last error was reported, so a broken path is reported once, not each poll.
    failing: BTreeSet<PathBuf>,
    /// Where reading stood in files no longer followed (renamed away, replaced, truncated):
    /// such a file, or a copy of it, seen again at a path a glob matches, goes on from there
    /// instead of being read twice.
    remembered: std::collections::VecDeque<Position>,
    buf: Vec<u8>,
}

impl Follower {
    pub fn new(patterns: Vec<String>, from_start: bool, saved: BTreeMap<PathBuf, Position>) -> Follower {
        // Saved files may have moved while errwatch was down: remembered, they are recognized
        // at their new paths.
        let remembered = saved.values().copied().collect();
        Follower {
            patterns,
            from_start,
            saved,
            first_poll: true,
            tracked: BTreeMap::new(),
            failing: BTreeSet::new(),
            remembered,
            buf: vec![0; CHUNK_BYTES],
        }
    }

    /// Followed files and where each stands.
    pub fn positions(&self) -> impl Iterator<Item = (&Path, &Position)> {
        self.tracked.iter().map(|(p, t)| (p.as_path(), &t.position))
    }

    pub fn followed(&self) -> usize {
        self.tracked.len()
    }

    /// Directories holding the followed paths and patterns, for change notifications.
    pub fn watch_dirs(&self) -> BTreeSet<PathBuf> {
        self.patterns
            .iter()
            .map(|p| {
                let literal: PathBuf = Path::new(p)
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                    .collect();
                if literal.as_os_str() == p.as_str() {
                    literal.parent().map(Path::to_path_buf).unwrap_or_default()
                } else {
                    literal
                }
            })
            .map(|d| if d.as_os_str().is_empty() { PathBuf::from(".") } else { d })
            .collect()
    }

    /// One pass over every path: reads what is new and reports what changed.
    pub fn poll(&mut self, mut on: impl FnMut(Change<'_>)) {
        let paths = self.expand();
        let first = std::mem::replace(&mut self.first_poll, false);
        let gone: Vec<PathBuf> = self.tracked.keys().filter(|p| !paths.contains(*p)).cloned().collect();
        for path in gone {
            self.drain_and_close(&path, &mut on);
        }
        for path in paths {
            self.poll_path(&path, first, &mut on);
        }
    }

    fn expand(&self) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for p in &self.patterns {
            if p.contains(['*', '?', '[']) {
                if let Ok(matches) = glob::glob(p) {
                    out.extend(matches.flatten());
                }
            } else {
                out.insert(PathBuf::from(p));
            }
        }
        out
    }

    fn poll_path(&mut self, path: &Path, first: bool, on: &mut impl FnMut(Change<'_>)) {
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if self.tracked.contains_key(path) {
                    self.drain_and_close(path, on);
                }
                self.failing.remove(path);
                return;
            }
            Err(e) => return self.fail(path, e, on),
        };
        if !meta.file_type().is_file() {
            let kind = if meta.is_dir() {
                "a directory"
            } else if meta.file_type().is_fifo() {
                "a FIFO"
            } else {
                "not a regular file"
            };
            if self.tracked.contains_key(path) {
                self.drain_and_close(path, on);
            }
            return self.fail(path, io::Error::new(io::ErrorKind::InvalidInput, format!("is {kind}")), on);
        }
        let restart = match self.tracked.get_mut(path) {
            None => None,
            Some(t) if (t.position.identity.dev, t.position.identity.ino) != (meta.dev(), meta.ino()) => {
                Some(Restart::Replaced)
            }
            Some(t) if meta.len() < t.position.offset || !same_start(&t.file, &t.position.identity) => {
                Some(Restart::Truncated)
            }
            Some(_) => None,
        };
        match restart {
            Some(Restart::Replaced) => {
                self.drain(path, on);
                if let Some(t) = self.tracked.remove(path) {
                    self.remember(t.position);
                }
                on(Change::Restarted { path, why: Restart::Replaced });
                self.open(path, Some(0), on);
            }
            Some(Restart::Truncated) => {
                on(Change::Restarted { path, why: Restart::Truncated });
                let mut old = None;
                if let Some(t) = self.tracked.get_mut(path) {
                    // A copy goes on from the start of the line that was being read: the
                    // caller drops that partial line rather than count half of it.
                    old = Some(Position { identity: t.position.identity, offset: t.line_start });
                    t.line_start = 0;
                    let _ = t.file.seek(SeekFrom::Start(0));
                    // The content is new: so is the fingerprint (else every poll would see a
                    // "truncation" again).
                    if let Ok((id, head)) = identify(&t.file) {
                        (t.position.identity, t.head) = (id, head);
                    }
                    t.position.offset = 0;
                }
                // A copy of the old content (copytruncate's) may turn up at a followed path.
                if let Some(p) = old {
                    self.remember(p);
                }
            }
            None if !self.tracked.contains_key(path) => {
                let start = if first { None } else { Some(0) };
                self.open(path, start, on);
            }
            None => {}
        }
        self.drain(path, on);
    }

    /// Opens a file: at `start`, or where the rules for files present at start say.
    fn open(&mut self, path: &Path, start: Option<u64>, on: &mut impl FnMut(Change<'_>)) {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return self.fail(path, e, on),
        };
        let (identity, head) = match identify(&file) {
            Ok(found) => found,
            Err(e) => return self.fail(path, e, on),
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let followed_elsewhere = copies_followed(&self.tracked, &identity, &head);
        let resumes_own =
            start.is_none() && self.saved.get(path).is_some_and(|p| p.identity.is(&file, &identity));
        if followed_elsewhere && start.is_none_or(|o| o == 0) && !resumes_own {
            // The file followed at another path (renamed, seen here before that path's turn),
            // or a copy of it (copytruncate, before the truncation): taken over once that path
            // lets go of it, from where reading stands, so nothing is read twice.
            return;
        }
        // `known`: where reading stands in this very content is known (saved, or remembered
        // from another path); else the file is new to us, and may yet turn out to be a copy.
        // So may a known file whose first bytes were too few to tell (a copy saved while empty).
        let (offset, known) = match start {
            Some(0) => self.recall(&identity, &head).map_or((0, false), |o| (o.min(len), true)),
            Some(o) => (o, true),
            None => match self.saved.get(path).copied() {
                Some(p) if p.identity.is(&file, &identity) && p.offset <= len => {
                    // Resumed here: the same saved file is not to be recognized elsewhere.
                    self.remembered.retain(|r| r.identity != p.identity);
                    (p.offset, true)
                }
                // Not the file saved for this path: maybe one saved at another path (rotated
                // while errwatch was down), else a file new to us.
                _ => match self.recall(&identity, &head) {
                    Some(o) => (o.min(len), true),
                    None if self.from_start || self.saved.contains_key(path) => (0, false),
                    None => (len, false),
                },
            },
        };
        if file.seek(SeekFrom::Start(offset)).is_err() {
            return self.fail(path, io::Error::other("cannot seek"), on);
        }
        self.failing.remove(path);
        let tracked = Tracked {
            file,
            position: Position { identity, offset },
            line_start: offset,
            fresh: !known || identity.fingerprint_len < FINGERPRINT_BYTES as u32,
            head,
        };
        self.tracked.insert(path.to_path_buf(), tracked);
        on(Change::Opened { path, offset });
    }

    /// Reads what is new in a followed file.
    fn drain(&mut self, path: &Path, on: &mut impl FnMut(Change<'_>)) {
        // Out of the map while it is read, so that the others can be compared with it.
        let Some(mut t) = self.tracked.remove(path) else {
            return;
        };
        let mut budget = MAX_BYTES_PER_POLL;
        while budget > 0 {
            match t.file.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => {
                    if t.position.identity.fingerprint_len > 0 && !same_start(&t.file, &t.position.identity) {
                        // Truncated and refilled while we read: these bytes may be the new
                        // content's middle. Unread them; the next poll restarts the file.
                        let _ = t.file.seek(SeekFrom::Start(t.position.offset));
                        break;
                    }
                    if t.position.identity.fingerprint_len < FINGERPRINT_BYTES as u32 {
                        // The file was shorter than a fingerprint when first seen: now it may
                        // not be, and its first bytes may show it to be a copy being written
                        // (copytruncate's copy, created empty and then filled).
                        if let Ok((id, head)) = identify(&t.file) {
                            (t.position.identity, t.head) = (id, head);
                        }
                    }
                    if t.fresh && t.position.identity.fingerprint_len > 0 {
                        if copies_followed(&self.tracked, &t.position.identity, &t.head) {
                            // Its content is read where it is followed, and where reading
                            // stands is taken over once that path lets go of it.
                            on(Change::Closed { path });
                            return;
                        }
                        if let Some(offset) = self.recall(&t.position.identity, &t.head) {
                            if offset > t.position.offset {
                                // A copy of content read before: go on from where that stood.
                                let _ = t.file.seek(SeekFrom::Start(offset));
                                t.position.offset = offset;
                                t.line_start = offset;
                                continue;
                            }
                        }
                    }
                    t.fresh = false;
                    if let Some(i) = memchr::memrchr(b'\n', &self.buf[..n]) {
                        t.line_start = t.position.offset + i as u64 + 1;
                    }
                    t.position.offset += n as u64;
                    budget = budget.saturating_sub(n);
                    on(Change::Data { path, bytes: &self.buf[..n] });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    on(Change::Unreadable { path, error: &e });
                    break;
                }
            }
        }
        self.tracked.insert(path.to_path_buf(), t);
    }

    fn drain_and_close(&mut self, path: &Path, on: &mut impl FnMut(Change<'_>)) {
        self.drain(path, on);
        if let Some(t) = self.tracked.remove(path) {
            self.remember(t.position);
        }
        on(Change::Closed { path });
    }

    fn remember(&mut self, position: Position) {
        if self.remembered.len() == REMEMBERED_FILES {
            self.remembered.pop_front();
        }
        self.remembered.push_back(position);
    }

    /// Where reading stood in a remembered file that a file (of identity `now`, first bytes
    /// `head`, as just read) is (same inode and first bytes) or copies (other inode, same first
    /// bytes over a fingerprint long enough to tell). Compared with `head`: no read per entry.
    fn recall(&mut self, now: &Identity, head: &[u8]) -> Option<u64> {
        let i = self.remembered.iter().rposition(|p| {
            let id = &p.identity;
            let same_inode = (id.dev, id.ino) == (now.dev, now.ino);
            let len = id.fingerprint_len as usize;
            (same_inode || id.fingerprint_len >= MIN_CONTENT_MATCH)
                && len > 0
                && head.len() >= len
                && fnv1a(&head[..len]) == id.fingerprint
        })?;
        self.remembered.remove(i).map(|p| p.offset)
    }

    fn fail(&mut self, path: &Path, error: io::Error, on: &mut impl FnMut(Change<'_>)) {
        if self.failing.insert(path.to_path_buf()) {
            on(Change::Unreadable { path, error: &error });
        }
    }
}

/// Is a file (of identity `now`, first bytes `head`) a file followed at another path
/// (renamed, seen at its new path before the old path's turn), or a copy of one, finished or
/// still being written: are its first bytes, as far as both go, a followed file's first bytes?
/// Compared with the bytes kept when that file was read, not with what it holds now: the
/// original may be truncated between its turn and the copy's. An empty file is no copy.
fn copies_followed(tracked: &BTreeMap<PathBuf, Tracked>, now: &Identity, head: &[u8]) -> bool {
    tracked.values().any(|t| {
        let id = &t.position.identity;
        let common = head.len().min(t.head.len());
        (id.dev, id.ino) == (now.dev, now.ino) || (common > 0 && head[..common] == t.head[..common])
    })
}

/// Reads a file's identity, and the first bytes it was taken of, without moving its read
/// position.
fn identify(file: &File) -> io::Result<(Identity, Vec<u8>)> {
    use std::os::unix::fs::FileExt;
    let meta = file.metadata()?;
    let mut head = vec![0u8; FINGERPRINT_BYTES];
    let mut n = 0;
    while n < head.len() {
        match file.read_at(&mut head[n..], n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    head.truncate(n);
    let identity =
        Identity { dev: meta.dev(), ino: meta.ino(), fingerprint: fnv1a(&head), fingerprint_len: n as u32 };
    Ok((identity, head))
}

/// Do the file's first bytes still hash as they did?
fn same_start(file: &File, id: &Identity) -> bool {
    use std::os::unix::fs::FileExt;
    let mut head = vec![0u8; id.fingerprint_len as usize];
    match file.read_exact_at(&mut head, 0) {
        Ok(()) => fnv1a(&head) == id.fingerprint,
        Err(_) => false,
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
