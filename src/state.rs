//! Checkpoints: where each followed file stands and the counts published so far, saved
//! together so that a restart resumes exactly where the last checkpoint stood.
//!
//! Written to `state.json.new`, fsynced, renamed over `state.json`, directory fsynced: a crash
//! leaves the old checkpoint or the new one, never a torn one. The format has a version tag.
//! A missing file is an empty checkpoint; an unreadable or corrupt one is reported and treated
//! as empty (files then count as new: read from their end, or start with `--from-start`).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::framing::Replay;
use crate::input::follow::Position;

pub const STATE_VERSION: u32 = 1;
const FILE_NAME: &str = "state.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    pub files: Vec<FileState>,
    pub errors: Vec<CountState>,
    pub sources: Vec<SourceCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileState {
    pub path: PathBuf,
    pub position: Position,
    /// Lines consumed before `position.offset`, so line numbers go on where they stopped.
    pub line: u64,
    /// When `position` is the first chunk of a line unfinished at the checkpoint: which of the
    /// lines after it were read already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountState {
    pub provider: String,
    pub category: String,
    pub code: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: String,
    pub lines: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: io::Error },
    #[error("{path}: not a checkpoint errwatch can read ({reason}); starting without it")]
    Corrupt { path: PathBuf, reason: String },
}

pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    pub fn new(dir: PathBuf) -> StateDir {
        StateDir { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The saved checkpoint; `Ok(None)` when there is none yet.
    pub fn load(&self) -> Result<Option<Checkpoint>, StateError> {
        let path = self.path();
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StateError::Io { path, error }),
        };
        let cp: Checkpoint = serde_json::from_slice(&text)
            .map_err(|e| StateError::Corrupt { path: path.clone(), reason: e.to_string() })?;
        if cp.version != STATE_VERSION {
            return Err(StateError::Corrupt { path, reason: format!("version {}", cp.version) });
        }
        Ok(Some(cp))
    }

    pub fn save(&self, cp: &Checkpoint) -> Result<(), StateError> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |error| StateError::Io { path, error }
        };
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let tmp = self.dir.join(format!("{FILE_NAME}.new"));
        let body = serde_json::to_vec(cp).expect("checkpoints serialize");
        let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
        f.write_all(&body).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        drop(f);
        fs::rename(&tmp, self.path()).map_err(io_err(&tmp))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Checkpoint {
    pub fn positions(&self) -> BTreeMap<PathBuf, Position> {
        self.files.iter().map(|f| (f.path.clone(), Position { line: f.line, ..f.position })).collect()
    }

    pub fn lines(&self) -> BTreeMap<PathBuf, u64> {
        self.files.iter().map(|f| (f.path.clone(), f.line)).collect()
    }
}
