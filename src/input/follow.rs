//! Following files like `tail -F`: by identity, not by path.
//!
//! A file is known by its device and inode plus a fingerprint of its first bytes (a reused
//! inode with other content is another file). At each poll, for each path the patterns match:
//! `stat` is the truth; change events only make polls come sooner.
//! - same file, grown: read the new bytes;
//! - same file, shorter than our offset or with other first bytes: truncated in place
//!   (copytruncate): read it again from the start;
//! - another file at the path (rename + create, delete + create): read the old handle until
//!   a poll finds nothing new in it (the writer may still be finishing a line there) and the
//!   new file has been written to (or [`SWITCH_WAIT`] has passed), then the new file from its
//!   start;
//! - gone: read the old handle to its end, then forget it;
//! - a file that exists at the first poll starts at its saved position, else at its end (or
//!   its start with `from_start`); a file that appears later starts at its start; the whole
//!   lines of the [`CONTEXT_BYTES`] before a start are handed on with it, for context;
//! - compressed (gzip, zstd, bzip2, xz by their first bytes, whatever the name): never read.
//!
//! No line is lost whatever the patterns match: when a file is truncated after being copied
//! (copytruncate), or a saved file has moved while errwatch was down, its unread tail is read
//! from where it went, a file of the same directory found by device and inode or by its first
//! bytes (also compressed), under the old path's name; only the tail is read from there. When
//! the patterns match the new name too, the file is recognized there instead and read on.
//! Positions carry the line count, so a file read on elsewhere keeps its own line numbers.
//!
//! Follower knows bytes and files only: what the bytes mean is the caller's business.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use std::time::{Duration, Instant};

use super::compressed::{self, Compression, Sniffed};
use super::CHUNK_BYTES;

/// At most this much of a file before where it is followed from is handed on as context: a
/// few dozen lines of most logs, the window a bare error is attributed through.
pub const CONTEXT_BYTES: usize = 64 * 1024;

/// Bytes hashed to tell a file from another that reuses its inode.
pub const FINGERPRINT_BYTES: usize = 1024;
/// Bytes read from one file in one poll before the others get their turn (and the reader
/// commits what it found: this bounds what is held in memory between commits).
const MAX_BYTES_PER_POLL: usize = 2 * 1024 * 1024;
/// Files no longer followed whose content errwatch remembers, to recognize them at a new path.
const REMEMBERED_FILES: usize = 4096;
/// A content fingerprint shorter than this is too weak to say two inodes hold the same file.
const MIN_CONTENT_MATCH: u32 = 128;
/// How long a replaced file is read on while the file that replaced it stays empty: a writer
/// that has not reopened its log yet still writes to the old one.
pub const SWITCH_WAIT: Duration = Duration::from_secs(2);
/// Compressed files of a directory looked into for a moved file's tail, newest first.
const COMPRESSED_CANDIDATES: usize = 8;

/// Who a file is, independent of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Lines before `offset` (newlines read). A checkpoint keeps it beside the position
    /// (`FileState::line`), not in it.
    #[serde(skip)]
    pub line: u64,
}

/// Why a file is read again from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// Shorter than what was read, or its first bytes changed (copytruncate). A partial line
    /// read before is dropped: a followed copy of the old content is read from that line's start.
    Truncated,
    /// Truncated after its content was copied to a file the patterns do not match: the copy's
    /// unread tail was delivered first, so the old content ended where the copy ends.
    Copied,
    /// Another file now has the path (rename + create, delete + create).
    Replaced,
}

/// What a poll found, in the order it happened.
#[derive(Debug)]
pub enum Change<'a> {
    /// A file is followed from `position` (its line count included). Also sent before the
    /// tail of a saved file found elsewhere is delivered under the saved path's name.
    Opened {
        path: &'a Path,
        position: Position,
        /// The file's last lines before `position` (up to [`CONTEXT_BYTES`], from a line's
        /// start), for context only: the request line that named the provider of the error
        /// read next, say. Never to be counted: they were, or were meant to be skipped.
        before: &'a [u8],
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
    /// The file at the path is compressed: it is not read (once per file).
    Skipped {
        path: &'a Path,
        compression: Compression,
    },
    /// The path cannot be read now; it is tried again at the next poll.
    Unreadable {
        path: &'a Path,
        error: &'a io::Error,
    },
}

/// A path or glob of the command line that follows no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdlePattern {
    pub pattern: String,
    /// Paths it matches that exist (none are followed).
    pub matches: usize,
}

/// The paths a pattern stands for: a glob's matches, or the path itself (which may not exist).
fn expand_one(pattern: &str) -> BTreeSet<PathBuf> {
    if pattern.contains(['*', '?', '[']) {
        glob::glob(pattern).map(|m| m.flatten().collect()).unwrap_or_default()
    } else {
        BTreeSet::from([PathBuf::from(pattern)])
    }
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
    /// When another file was first seen at the path while this one is read on.
    replaced_since: Option<Instant>,
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
    /// Compressed files seen at each path (device, inode), reported once and never read.
    compressed: BTreeMap<PathBuf, (u64, u64)>,
    /// Where reading stood in files no longer followed (renamed away, replaced, truncated):
    /// such a file, or a copy of it, seen again at a path a glob matches, goes on from there
    /// instead of being read twice.
    remembered: std::collections::VecDeque<Position>,
    buf: Vec<u8>,
    /// What each pattern stood for at the last poll, for [`Follower::idle_patterns`].
    expanded: Vec<BTreeSet<PathBuf>>,
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
            compressed: BTreeMap::new(),
            remembered,
            buf: vec![0; CHUNK_BYTES],
            expanded: Vec::new(),
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
        self.expanded = self.patterns.iter().map(|p| expand_one(p)).collect();
        let paths: BTreeSet<PathBuf> = self.expanded.iter().flatten().cloned().collect();
        let first = std::mem::replace(&mut self.first_poll, false);
        if first {
            self.read_moved_tails(&paths, &mut on);
        }
        let gone: Vec<PathBuf> = self.tracked.keys().filter(|p| !paths.contains(*p)).cloned().collect();
        for path in gone {
            self.drain_and_close(&path, &mut on);
        }
        for path in paths {
            self.poll_path(&path, first, &mut on);
        }
    }

    fn expand(&self) -> BTreeSet<PathBuf> {
        self.patterns.iter().flat_map(|p| expand_one(p)).collect()
    }

    /// The patterns that follow no file after the last poll, each with how many paths it
    /// matches (a file that matches but is not followed is compressed, unreadable or not a
    /// regular file). The poll's own expansion: no second walk of the globs.
    pub fn idle_patterns(&self) -> Vec<IdlePattern> {
        self.patterns
            .iter()
            .zip(&self.expanded)
            .filter_map(|(p, paths)| {
                if paths.iter().any(|path| self.tracked.contains_key(path)) {
                    return None;
                }
                let matches = paths.iter().filter(|path| fs::symlink_metadata(path).is_ok()).count();
                Some(IdlePattern { pattern: p.clone(), matches })
            })
            .collect()
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
            Some(Restart::Replaced | Restart::Copied) => {
                if self.drain(path, on) > 0 || !self.may_switch(path, meta.len()) {
                    // The writer may not have reopened its log yet: read the old file on.
                    return;
                }
                if let Some(t) = self.tracked.remove(path) {
                    self.remember(t.position);
                }
                on(Change::Restarted { path, why: Restart::Replaced });
                self.open(path, Some(0), on);
            }
            Some(Restart::Truncated) => {
                let mut why = Restart::Truncated;
                if let Some(t) = self.tracked.remove(path) {
                    let paths = self.expand();
                    let copied = self.read_tail_elsewhere(path, &t.position, &t.head, &paths, on);
                    self.tracked.insert(path.to_path_buf(), t);
                    if let Some(end) = copied {
                        self.remember(end);
                        why = Restart::Copied;
                    }
                }
                on(Change::Restarted { path, why });
                let mut old = None;
                if let Some(t) = self.tracked.get_mut(path) {
                    // A copy goes on from the start of the line that was being read: the
                    // caller drops that partial line rather than count half of it.
                    let line = t.position.line;
                    old = Some(Position { identity: t.position.identity, offset: t.line_start, line });
                    t.line_start = 0;
                    let _ = t.file.seek(SeekFrom::Start(0));
                    // The content is new: so is the fingerprint (else every poll would see a
                    // "truncation" again).
                    if let Ok((id, head)) = identify(&t.file) {
                        (t.position.identity, t.head) = (id, head);
                    }
                    t.position.offset = 0;
                    t.position.line = 0;
                }
                // A copy of the old content (copytruncate's) may turn up at a followed path.
                if let Some(p) = old.filter(|_| why == Restart::Truncated) {
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
        match compressed::sniff(&head) {
            Sniffed::Compressed(kind) => return self.skip_compressed(path, &identity, kind, on),
            // The first bytes of a compressed file being written, or a text file of a byte or
            // two: looked at again once there is more of it.
            Sniffed::Undecided if !head.is_empty() => return,
            _ => {}
        }
        self.compressed.remove(path);
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
        let recalled = |p: Position| if p.offset <= len { (p.offset, p.line, true) } else { (len, 0, true) };
        let (offset, line, known) = match start {
            Some(0) => self.recall(&identity, &head).map_or((0, 0, false), recalled),
            Some(o) => (o, 0, true),
            None => match self.saved.get(path).copied() {
                Some(p) if p.identity.is(&file, &identity) && p.offset <= len => {
                    // Resumed here: the same saved file is not to be recognized elsewhere.
                    self.remembered.retain(|r| r.identity != p.identity);
                    (p.offset, p.line, true)
                }
                // Not the file saved for this path: maybe one saved at another path (rotated
                // while errwatch was down), else a file new to us.
                _ => match self.recall(&identity, &head) {
                    Some(p) => recalled(p),
                    None if self.from_start || self.saved.contains_key(path) => (0, 0, false),
                    // Read from its end: its lines before are not counted.
                    None => (len, 0, false),
                },
            },
        };
        if file.seek(SeekFrom::Start(offset)).is_err() {
            return self.fail(path, io::Error::other("cannot seek"), on);
        }
        self.failing.remove(path);
        let position = Position { identity, offset, line };
        let before = lines_before(&file, offset, &mut self.buf);
        let tracked = Tracked {
            file,
            position,
            line_start: offset,
            fresh: !known || identity.fingerprint_len < FINGERPRINT_BYTES as u32,
            head,
            replaced_since: None,
        };
        self.tracked.insert(path.to_path_buf(), tracked);
        on(Change::Opened { path, position, before: &self.buf[before] });
    }

    fn skip_compressed(
        &mut self,
        path: &Path,
        identity: &Identity,
        kind: Compression,
        on: &mut impl FnMut(Change<'_>),
    ) {
        if self.compressed.insert(path.to_path_buf(), (identity.dev, identity.ino))
            != Some((identity.dev, identity.ino))
        {
            on(Change::Skipped { path, compression: kind });
        }
    }

    /// May reading switch from a replaced file to the one now at its path (of `new_len`
    /// bytes)? Once the new one is written to, or the old one has been read on long enough.
    fn may_switch(&mut self, path: &Path, new_len: u64) -> bool {
        let Some(t) = self.tracked.get_mut(path) else { return true };
        let since = *t.replaced_since.get_or_insert_with(Instant::now);
        new_len > 0 || since.elapsed() >= SWITCH_WAIT
    }

    /// Reads what is new in a followed file; returns the bytes delivered.
    fn drain(&mut self, path: &Path, on: &mut impl FnMut(Change<'_>)) -> usize {
        // Out of the map while it is read, so that the others can be compared with it.
        let Some(mut t) = self.tracked.remove(path) else {
            return 0;
        };
        let mut budget = MAX_BYTES_PER_POLL;
        let mut delivered = 0;
        while budget > 0 {
            match t.file.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => {
                    if t.position.offset == 0 {
                        match compressed::sniff(&self.buf[..n]) {
                            Sniffed::Text => {}
                            Sniffed::Compressed(kind) => {
                                // Created empty, then written compressed (logrotate's gzip).
                                let identity = t.position.identity;
                                self.skip_compressed(path, &identity, kind, on);
                                on(Change::Closed { path });
                                return 0;
                            }
                            Sniffed::Undecided => {
                                let _ = t.file.seek(SeekFrom::Start(0));
                                break;
                            }
                        }
                    }
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
                            return delivered;
                        }
                        if let Some(p) = self.recall(&t.position.identity, &t.head) {
                            if p.offset > t.position.offset {
                                // A copy of content read before: go on from where that stood.
                                let _ = t.file.seek(SeekFrom::Start(p.offset));
                                (t.position.offset, t.position.line) = (p.offset, p.line);
                                t.line_start = p.offset;
                                continue;
                            }
                        }
                    }
                    t.fresh = false;
                    if let Some(i) = memchr::memrchr(b'\n', &self.buf[..n]) {
                        t.line_start = t.position.offset + i as u64 + 1;
                        t.position.line += memchr::memchr_iter(b'\n', &self.buf[..=i]).count() as u64;
                    }
                    t.position.offset += n as u64;
                    budget = budget.saturating_sub(n);
                    delivered += n;
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
        delivered
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
    fn recall(&mut self, now: &Identity, head: &[u8]) -> Option<Position> {
        let i = self.remembered.iter().rposition(|p| {
            let id = &p.identity;
            let same_inode = (id.dev, id.ino) == (now.dev, now.ino);
            let len = id.fingerprint_len as usize;
            (same_inode || id.fingerprint_len >= MIN_CONTENT_MATCH)
                && len > 0
                && head.len() >= len
                && fnv1a(&head[..len]) == id.fingerprint
        })?;
        self.remembered.remove(i)
    }

    /// The first poll: each saved file that is no longer at its path, and that no path the
    /// patterns match holds (those are recognized there and read on), has its unread tail read
    /// from where it went, under its saved path's name.
    fn read_moved_tails(&mut self, paths: &BTreeSet<PathBuf>, on: &mut impl FnMut(Change<'_>)) {
        let saved: Vec<(PathBuf, Position)> = self.saved.iter().map(|(p, pos)| (p.clone(), *pos)).collect();
        // The inodes at the paths the patterns match, looked up once (a node may have many).
        let mut matched: Option<BTreeMap<(u64, u64), Vec<&PathBuf>>> = None;
        for (path, pos) in saved {
            let unclaimed =
                self.remembered.iter().any(|r| r.identity == pos.identity && r.offset == pos.offset);
            if !unclaimed || is_at(&path, &pos.identity) {
                continue;
            }
            let matched = matched.get_or_insert_with(|| {
                let mut by_inode: BTreeMap<(u64, u64), Vec<&PathBuf>> = BTreeMap::new();
                for p in paths {
                    if let Ok(m) = fs::metadata(p) {
                        by_inode.entry((m.dev(), m.ino())).or_default().push(p);
                    }
                }
                by_inode
            });
            let id = &pos.identity;
            let elsewhere = matched.get(&(id.dev, id.ino)).is_some_and(|ps| ps.iter().any(|p| is_at(p, id)));
            if elsewhere {
                continue;
            }
            on(Change::Opened { path: &path, position: pos, before: &[] });
            if let Some(end) = self.read_tail_elsewhere(&path, &pos, &[], paths, on) {
                self.remembered.retain(|r| r.identity != pos.identity);
                self.remember(end);
                on(Change::Restarted { path: &path, why: Restart::Replaced });
            }
        }
    }

    /// Reads the tail of the content `pos` stands in, after `pos.offset`, from a file of the
    /// same directory that holds it (not one the patterns match: that one is read where it is
    /// followed), delivering it under `path`'s name. `head`: the content's first bytes, when
    /// known (else its fingerprint is compared). Returns where reading then stands.
    fn read_tail_elsewhere(
        &mut self,
        path: &Path,
        pos: &Position,
        head: &[u8],
        paths: &BTreeSet<PathBuf>,
        on: &mut impl FnMut(Change<'_>),
    ) -> Option<Position> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut input = find_moved(dir, path, pos, head, paths)?;
        if input.skip(pos.offset).is_err() {
            return None;
        }
        let mut end = *pos;
        loop {
            match input.reader.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => {
                    end.offset += n as u64;
                    end.line += memchr::memchr_iter(b'\n', &self.buf[..n]).count() as u64;
                    on(Change::Data { path, bytes: &self.buf[..n] });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    on(Change::Unreadable { path: &input.path, error: &error });
                    break;
                }
            }
        }
        tracing::info!(path = %path.display(), from = %input.path.display(), bytes = end.offset - pos.offset, "read the unread tail where the file went");
        Some(end)
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

/// Is the file `id` was taken of at `path` (same inode, same first bytes)?
fn is_at(path: &Path, id: &Identity) -> bool {
    match fs::metadata(path) {
        Ok(m) if (m.dev(), m.ino()) == (id.dev, id.ino) => File::open(path).is_ok_and(|f| same_start(&f, id)),
        _ => false,
    }
}

/// A file found to hold content that was followed elsewhere, to read its tail from.
struct Moved {
    path: PathBuf,
    reader: Box<dyn Read>,
}

impl Moved {
    fn skip(&mut self, offset: u64) -> io::Result<()> {
        let skipped = io::copy(&mut (&mut self.reader).take(offset), &mut io::sink())?;
        if skipped < offset {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "shorter than what was read"));
        }
        Ok(())
    }
}

/// In `dir`, the file (other than `path` and those in `followed`) that holds the content `pos`
/// stands in: the same inode with the same first bytes (renamed), else other inodes with the
/// same first bytes over a fingerprint long enough to tell (copied), plain files first, then the
/// newest few compressed ones (rotated and compressed while errwatch was down).
fn find_moved(
    dir: &Path,
    path: &Path,
    pos: &Position,
    head: &[u8],
    followed: &BTreeSet<PathBuf>,
) -> Option<Moved> {
    let id = &pos.identity;
    let len = id.fingerprint_len as usize;
    let matches_start = |start: &[u8]| {
        start.len() >= len
            && if head.len() >= len {
                start[..len] == head[..len]
            } else {
                fnv1a(&start[..len]) == id.fingerprint
            }
    };
    let mut copies = Vec::new();
    let mut packed = Vec::new();
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let candidate = entry.path();
        if candidate == path || followed.contains(&candidate) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(&candidate) else { continue };
        if !meta.is_file() {
            continue;
        }
        if (meta.dev(), meta.ino()) == (id.dev, id.ino) {
            if let Ok(file) = File::open(&candidate) {
                if same_start(&file, id) {
                    return Some(Moved { path: candidate, reader: Box::new(file) });
                }
            }
            continue;
        }
        if id.fingerprint_len < MIN_CONTENT_MATCH {
            continue;
        }
        let modified = meta.modified().ok();
        if meta.len() >= pos.offset {
            copies.push((modified, candidate));
        } else {
            packed.push((modified, candidate));
        }
    }
    let mut start = vec![0u8; len];
    for (_, candidate) in &copies {
        use std::os::unix::fs::FileExt;
        let Ok(file) = File::open(candidate) else { continue };
        if file.read_exact_at(&mut start, 0).is_ok() && matches_start(&start) {
            return Some(Moved { path: candidate.clone(), reader: Box::new(file) });
        }
    }
    // Compressed ones, whatever their size: newest first, a few.
    packed.extend(copies);
    packed.sort_by_key(|c| std::cmp::Reverse(c.0));
    let open = |candidate: &Path| {
        let file = File::open(candidate).ok()?;
        match compressed::open(io::BufReader::new(file)) {
            Ok((reader, Some(_))) => Some(reader),
            _ => None,
        }
    };
    let compressed = packed.iter().filter_map(|(_, c)| Some((c, open(c)?))).take(COMPRESSED_CANDIDATES);
    for (candidate, mut reader) in compressed {
        if reader.read_exact(&mut start).is_ok() && matches_start(&start) {
            let reader = open(candidate)?;
            return Some(Moved { path: candidate.clone(), reader });
        }
    }
    None
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

/// Where in `buf` the whole lines of `file` in the [`CONTEXT_BYTES`] before `offset` were read,
/// without moving the file's position; none if they cannot be read.
fn lines_before(file: &File, offset: u64, buf: &mut [u8]) -> std::ops::Range<usize> {
    use std::os::unix::fs::FileExt;
    // One byte more than the window, where there is one: whether the window starts a line.
    let len = offset.min(CONTEXT_BYTES.min(buf.len() - 1) as u64 + 1) as usize;
    let window = &mut buf[..len];
    if len == 0 || file.read_exact_at(window, offset - len as u64).is_err() {
        return 0..0;
    }
    let start = if len as u64 == offset && len <= CONTEXT_BYTES {
        0
    } else {
        // The byte before the window, then the window: it starts after the first newline.
        memchr::memchr(b'\n', window).map_or(len, |i| i + 1)
    };
    start..len
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context before a start is whole lines, the window's first cut one left out, and
    /// lines that start exactly where the window does are kept.
    #[test]
    fn lines_before_a_start_are_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.log");
        // Lines of 100 bytes (99 and a newline): the window's start falls inside one unless
        // it is a multiple of 100 from the offset.
        let line = |n: usize| format!("{:0>99}\n", n).into_bytes();
        let text: Vec<u8> = (0..2000).flat_map(line).collect();
        fs::write(&path, &text).unwrap();
        let file = File::open(&path).unwrap();
        let mut buf = vec![0u8; CHUNK_BYTES];
        let before = |offset: u64, buf: &mut Vec<u8>| {
            let range = lines_before(&file, offset, buf);
            buf[range].to_vec()
        };
        assert_eq!(before(0, &mut buf), b"");
        assert_eq!(before(300, &mut buf), &text[..300], "a file shorter than the window: all of it");
        let offset = 150_000;
        let got = before(offset, &mut buf);
        assert!(got.len() <= CONTEXT_BYTES && got.len() > CONTEXT_BYTES - 100, "{}", got.len());
        assert_eq!(got, &text[offset as usize - got.len()..offset as usize]);
        assert_eq!(got.first(), Some(&b'0'), "starts at a line's start");
        assert!(got.ends_with(b"\n"));
        // A window that starts exactly at a line (70,000) keeps that line.
        let got = before(70_000 + CONTEXT_BYTES as u64, &mut buf);
        assert_eq!(got.len(), CONTEXT_BYTES);
        assert_eq!(&got[..100], &text[70_000..70_100]);
    }
}
