//! The follower driven step by step over real files: copytruncate's copy is created empty and
//! filled while errwatch may be looking, before or after a restart; files renamed or copied to
//! names the patterns do not match keep no unread tail there; compressed files are never read.
//! Each step is one poll, so the interleavings the daemon tests can only hit by chance are
//! pinned.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use errwatch::input::follow::{Change, Follower, Position, SWITCH_WAIT};

/// Bytes delivered per path by one poll, and whether the poll let go of a path.
#[derive(Default)]
struct Poll {
    data: BTreeMap<String, String>,
    closed: Vec<String>,
    /// Every change but data, in order: `opened NAME LINE`, `restarted NAME WHY`, `skipped NAME`.
    events: Vec<String>,
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
        Change::Opened { path, position, .. } => {
            out.events.push(format!("opened {} {}", name(path), position.line))
        }
        Change::Restarted { path, why } => out.events.push(format!("restarted {} {why:?}", name(path))),
        Change::Skipped { path, .. } => out.events.push(format!("skipped {}", name(path))),
        Change::Unreadable { .. } => {}
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

    /// Only the live name.
    fn live(&self) -> Vec<String> {
        vec![format!("{}/app.log", self.0.display())]
    }

    /// Where a follower that read every file here to its end stands: a checkpoint.
    fn checkpoint(&self) -> BTreeMap<PathBuf, Position> {
        let mut f = Follower::new(self.pattern(), true, BTreeMap::new());
        poll(&mut f);
        positions(&f)
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

fn positions(f: &Follower) -> BTreeMap<PathBuf, Position> {
    f.positions().map(|(p, pos)| (p.to_path_buf(), *pos)).collect()
}

/// rename + create with only `app.log` followed: the renamed file is read on (the writer may
/// not have reopened yet) until it is quiet and the new file has been written, then the new
/// file from its start. Nothing written to either is lost.
#[test]
fn a_renamed_file_is_read_on_until_the_writer_has_moved_to_the_new_one() {
    let dir = Dir::new("rename-live");
    let (log, old) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    append(&log, &lines("app", 0, 10));
    let mut f = Follower::new(dir.live(), true, BTreeMap::new());
    poll(&mut f);
    let unread = lines("app", 10, 20);
    append(&log, &unread);
    fs::rename(&log, &old).unwrap();
    fs::write(&log, "").unwrap();
    assert_eq!(poll(&mut f).data.get("app.log"), Some(&unread));
    // The writer has not reopened: its next lines land in the renamed file, and are read.
    let late = lines("app", 20, 25);
    append(&old, &late);
    assert_eq!(poll(&mut f).data.get("app.log"), Some(&late));
    // It reopens: the old file is quiet, the new one written to. Then the switch.
    let new = lines("new", 0, 5);
    append(&log, &new);
    let p = poll(&mut f);
    assert_eq!(p.data.get("app.log"), Some(&new), "{p:?}");
    assert_eq!(p.events, ["restarted app.log Replaced", "opened app.log 0"]);
}

#[test]
fn a_replaced_file_left_empty_is_switched_to_after_the_wait() {
    let dir = Dir::new("rename-wait");
    let log = dir.0.join("app.log");
    append(&log, &lines("app", 0, 10));
    let mut f = Follower::new(dir.live(), true, BTreeMap::new());
    poll(&mut f);
    fs::remove_file(&log).unwrap();
    fs::write(&log, "").unwrap();
    assert!(poll(&mut f).events.is_empty());
    std::thread::sleep(SWITCH_WAIT);
    assert_eq!(poll(&mut f).events, ["restarted app.log Replaced", "opened app.log 0"]);
}

/// copytruncate with only `app.log` followed: the lines written before the copy and not yet
/// read are read from the copy, before the new content.
#[test]
fn copytruncate_tail_is_read_from_a_copy_the_patterns_do_not_match() {
    let dir = Dir::new("copy-live");
    let (log, copy) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    append(&log, &lines("app", 0, 50));
    let mut f = Follower::new(dir.live(), true, BTreeMap::new());
    poll(&mut f);
    // Half a line read, the rest of it and more lines written, then copied and truncated.
    let tail = lines("app", 50, 60);
    append(&log, &tail[..30]);
    poll(&mut f);
    append(&log, &tail[30..]);
    fs::copy(&log, &copy).unwrap();
    fs::write(&log, "").unwrap();
    let new = lines("new", 0, 3);
    append(&log, &new);
    let p = poll(&mut f);
    assert_eq!(p.data.get("app.log").map(String::as_str), Some(format!("{}{new}", &tail[30..]).as_str()));
    assert_eq!(p.events, ["restarted app.log Copied"]);
    assert!(poll(&mut f).data.is_empty());
}

/// Down while the file was renamed away (and a new one created, and the renamed one even
/// compressed): the restart reads the saved file's tail where it went, numbered on from the
/// checkpoint, then the new file from its start.
#[test]
fn a_file_moved_while_down_has_its_tail_read_where_it_went() {
    for compress in [false, true] {
        let dir = Dir::new(if compress { "moved-gz" } else { "moved" });
        let (log, old) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
        append(&log, &lines("app", 0, 40));
        let mut f = Follower::new(dir.live(), true, BTreeMap::new());
        poll(&mut f);
        let saved = positions(&f);
        assert_eq!(saved.values().next().unwrap().line, 40);
        drop(f);
        let tail = lines("app", 40, 45);
        append(&log, &tail);
        fs::rename(&log, &old).unwrap();
        if compress {
            assert!(std::process::Command::new("gzip").arg(&old).status().unwrap().success());
        }
        let new = lines("new", 0, 2);
        append(&log, &new);
        let mut f = Follower::new(dir.live(), false, saved);
        let p = poll(&mut f);
        assert_eq!(p.data.get("app.log").map(String::as_str), Some(format!("{tail}{new}").as_str()), "{p:?}");
        assert_eq!(p.events, ["opened app.log 40", "restarted app.log Replaced", "opened app.log 0"]);
        assert!(poll(&mut f).data.is_empty());
    }
}

/// With a glob that matches the rotated name, the file moved while down is read on at its new
/// name, with its own line numbers, and its tail is read there only.
#[test]
fn a_file_recognized_at_its_new_name_keeps_its_line_numbers() {
    let dir = Dir::new("renumber");
    let (log, old) = (dir.0.join("app.log"), dir.0.join("app.log.1"));
    append(&log, &lines("app", 0, 30));
    let saved = dir.checkpoint();
    let tail = lines("app", 30, 33);
    append(&log, &tail);
    fs::rename(&log, &old).unwrap();
    let mut f = Follower::new(dir.pattern(), false, saved);
    let p = poll(&mut f);
    assert_eq!(p.data.get("app.log.1"), Some(&tail), "{p:?}");
    assert_eq!(p.data.get("app.log"), None, "{p:?}");
    assert_eq!(p.events, ["opened app.log.1 30"]);
}

/// gzip, zstd, bzip2 and xz files are never read, whatever their name: neither when they exist
/// at start nor when one is created empty and then written (logrotate's compress).
#[test]
fn compressed_files_are_never_read() {
    let dir = Dir::new("compressed");
    let log = dir.0.join("app.log");
    append(&log, &lines("app", 0, 20));
    let mut made = 0;
    for tool in ["gzip", "zstd", "bzip2", "xz"] {
        // Compressed under a name that says nothing of it.
        let copy = dir.0.join(format!("app.log.{tool}"));
        match std::process::Command::new(tool).arg("-c").arg(&log).output() {
            Ok(out) if out.status.success() => {
                fs::write(&copy, out.stdout).unwrap();
                made += 1;
            }
            _ => eprintln!("{tool} is not installed: its files are not tried"),
        }
    }
    assert!(made >= 1, "gzip at least is needed");
    let mut f = Follower::new(dir.pattern(), true, BTreeMap::new());
    let p = poll(&mut f);
    assert_eq!(p.data.keys().collect::<Vec<_>>(), ["app.log"], "{p:?}");
    let skipped = p.events.iter().filter(|e| e.starts_with("skipped")).count();
    assert_eq!(skipped, made, "{p:?}");
    // Created empty, seen so, then written compressed.
    let later = dir.0.join("app.log.9.gz");
    fs::write(&later, "").unwrap();
    assert!(poll(&mut f).data.is_empty());
    let gz = std::process::Command::new("gzip").arg("-c").arg(&log).output().unwrap().stdout;
    fs::write(&later, &gz[..1]).unwrap();
    assert!(poll(&mut f).data.is_empty());
    fs::write(&later, &gz).unwrap();
    let p = poll(&mut f);
    assert!(p.data.is_empty(), "{p:?}");
    assert_eq!(p.events, ["skipped app.log.9.gz"]);
    assert!(poll(&mut f).events.is_empty(), "reported once");
}
