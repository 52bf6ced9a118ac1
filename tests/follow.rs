//! The follower's handling of copies, driven step by step over real files: copytruncate's copy
//! is created empty and filled while errwatch may be looking, before or after a restart. Each
//! step is one poll, so the interleavings the daemon tests can only hit by chance are pinned.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use errwatch::input::follow::{Change, Follower, Position};

/// Bytes delivered per path by one poll, and whether the poll let go of a path.
#[derive(Default)]
struct Poll {
    data: BTreeMap<String, String>,
    closed: Vec<String>,
}

impl std::fmt::Debug for Poll {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes: BTreeMap<&String, usize> = self.data.iter().map(|(p, b)| (p, b.len())).collect();
        write!(f, "bytes delivered {bytes:?}, let go of {:?}", self.closed)
    }
}

fn poll(f: &mut Follower) -> Poll {
    let mut out = Poll::default();
    f.poll(|change| match change {
        Change::Data { path, bytes } => {
            out.data.entry(name(path)).or_default().push_str(&String::from_utf8_lossy(bytes))
        }
        Change::Closed { path } => out.closed.push(name(path)),
        _ => {}
    });
    out
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Log content whose every line differs from every other log's.
fn lines(tag: &str, from: u64, to: u64) -> String {
    (from..to).map(|n| format!("2026-11-02 10:00:00 INFO {tag} request {n} ok\n")).collect()
}

fn append(path: &Path, text: &str) {
    OpenOptions::new().create(true).append(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

/// copytruncate's last step: the original is truncated and written again. The next poll reads
/// the new lines at the original's path and nothing of the copy `app.log.1`.
fn truncate_and_write(f: &mut Follower, log: &Path, new: &str) {
    fs::write(log, "").unwrap();
    append(log, new);
    let p = poll(f);
    assert_eq!(p.data.get("app.log").map(String::as_str), Some(new), "{p:?}");
    assert_eq!(p.data.get("app.log.1"), None, "{p:?}");
}

struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("errwatch-follow-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn pattern(&self) -> Vec<String> {
        vec![format!("{}/app.log*", self.0.display())]
    }

    /// Where a follower that read every file here to its end stands: a checkpoint.
    fn checkpoint(&self) -> BTreeMap<PathBuf, Position> {
        let mut f = Follower::new(self.pattern(), true, BTreeMap::new());
        poll(&mut f);
        f.positions().map(|(p, pos)| (p.to_path_buf(), *pos)).collect()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_copy_filled_while_followed_is_not_read_again() {
    let dir = Dir::new("copy");
    let (log, copy) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    let old = lines("app", 0, 100);
    append(&log, &old);
    let mut f = Follower::new(dir.pattern(), true, BTreeMap::new());
    assert_eq!(poll(&mut f).data.get("app.log"), Some(&old));

    // copytruncate: the copy is created empty and seen so...
    fs::write(&copy, "").unwrap();
    let p = poll(&mut f);
    assert!(p.data.is_empty(), "{p:?}");
    // ...then filled part-way, then whole, while the original goes on growing...
    append(&copy, &old[..700]);
    assert!(poll(&mut f).data.is_empty());
    append(&copy, &old[700..]);
    let more = lines("app", 100, 110);
    append(&log, &more);
    assert_eq!(poll(&mut f).data.get("app.log"), Some(&more));
    // ...then the original is truncated and written again. The copy holds the old content up
    // to the truncation: all of it was read at app.log (the 10 lines written after the copy are
    // lost by copytruncate itself, not by errwatch).
    truncate_and_write(&mut f, &log, &lines("app", 110, 120));
    assert!(poll(&mut f).data.is_empty());
    append(&log, "next\n");
    assert_eq!(poll(&mut f).data.get("app.log").map(String::as_str), Some("next\n"));
}

#[test]
fn a_copy_half_written_at_start_is_not_read_again() {
    let dir = Dir::new("restart");
    let (log, copy) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    let old = lines("app", 0, 100);
    append(&log, &old);
    // The last checkpoint: app.log read to its end.
    let saved = dir.checkpoint();
    // Down while copytruncate began: the copy is half written at the restart.
    append(&copy, &old[..600]);
    let mut f = Follower::new(dir.pattern(), false, saved);
    let p = poll(&mut f);
    assert!(p.data.is_empty(), "{p:?}");
    append(&copy, &old[600..]);
    assert!(poll(&mut f).data.is_empty());
    truncate_and_write(&mut f, &log, &lines("app", 100, 103));
}

#[test]
fn a_copy_created_empty_before_a_restart_is_not_read_again() {
    let dir = Dir::new("empty");
    let (log, copy) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    let old = lines("app", 0, 100);
    append(&log, &old);
    fs::write(&copy, "").unwrap();
    let saved = dir.checkpoint();
    let mut f = Follower::new(dir.pattern(), false, saved);
    assert!(poll(&mut f).data.is_empty());
    append(&copy, &old);
    fs::write(&log, "").unwrap();
    let p = poll(&mut f);
    assert_eq!(p.data.get("app.log.1"), None, "{p:?}");
    assert!(poll(&mut f).data.is_empty());
}

#[test]
fn a_new_file_is_read_from_its_start_and_a_copy_of_nothing_read_is_read() {
    let dir = Dir::new("new");
    let log = dir.0.join("app.log");
    let mut f = Follower::new(dir.pattern(), false, BTreeMap::new());
    assert!(poll(&mut f).data.is_empty());
    // rename + create: the new file is empty when first seen, then written.
    fs::write(&log, "").unwrap();
    poll(&mut f);
    let first = lines("app", 0, 5);
    append(&log, &first);
    assert_eq!(poll(&mut f).data.get("app.log"), Some(&first));
    // A file whose start is no followed file's start is its own content, read whole.
    let other = dir.0.join("app.log.other");
    let theirs = lines("other", 0, 50);
    append(&other, &theirs);
    assert_eq!(poll(&mut f).data.get("app.log.other"), Some(&theirs));
}
