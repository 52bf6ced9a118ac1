//! Input: bytes from files and stdin, split into lines. Knows nothing of what a line means.

pub mod compressed;
pub mod follow;
mod lines;

pub use lines::{LineSplitter, RawLine};

/// Lines longer than this are cut here (the rest is dropped and the line counted as too long).
pub const DEFAULT_MAX_LINE_BYTES: usize = 1024 * 1024;
/// Bytes read at once.
pub const CHUNK_BYTES: usize = 256 * 1024;
