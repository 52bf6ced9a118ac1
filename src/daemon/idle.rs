//! Paths of the command line that follow no file: a typo must not look like a quiet log. Each
//! is warned about at start, then once a [`REMIND_EVERY`] while it still follows nothing; what
//! `/healthz` says while no source at all is followed is [`Following`]'s.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::input::follow::IdlePattern;

/// How often a path that still follows no file is warned about again.
pub const REMIND_EVERY: Duration = Duration::from_secs(60);

/// What is followed now, for `/healthz`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Following {
    /// Files (or stdin) being read.
    pub sources: usize,
    /// The paths and globs that follow no file.
    pub idle: Vec<String>,
}

impl Following {
    /// The body of a `/healthz` that is not ok: nothing is followed (`None` while something is).
    pub fn problem(&self) -> Option<String> {
        (self.sources == 0).then(|| format!("no source followed: {}\n", self.idle.join(", ")))
    }
}

/// When each idle pattern is next warned about.
#[derive(Debug, Default)]
pub struct IdleWarnings {
    next: HashMap<String, Instant>,
    started: bool,
}

impl IdleWarnings {
    /// The patterns to warn about now, given those idle at `now`. At the first call every idle
    /// one is due; a pattern that goes idle later (its file rotated away, say) is due once it
    /// has stayed idle for [`REMIND_EVERY`]; each is due again a [`REMIND_EVERY`] after it was
    /// last warned about. A pattern that follows a file again is forgotten.
    pub fn due<'a>(&mut self, now: Instant, idle: &'a [IdlePattern]) -> Vec<&'a IdlePattern> {
        let first = !std::mem::replace(&mut self.started, true);
        self.next.retain(|p, _| idle.iter().any(|i| &i.pattern == p));
        let mut due = Vec::new();
        for i in idle {
            let next =
                self.next.entry(i.pattern.clone()).or_insert(if first { now } else { now + REMIND_EVERY });
            if now >= *next {
                *next = now + REMIND_EVERY;
                due.push(i);
            }
        }
        due
    }
}

/// The warning for a pattern that follows no file.
pub fn warning(i: &IdlePattern) -> String {
    let glob = i.pattern.contains(['*', '?', '[']);
    match i.matches {
        0 if glob => format!("{}: no file matches it; files are read once they appear", i.pattern),
        0 => format!("{}: no such file; it is read once it appears", i.pattern),
        n => format!(
            "{}: matches {n} path{} but follows none (compressed, unreadable or not a regular file)",
            i.pattern,
            if n == 1 { "" } else { "s" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idle(patterns: &[&str]) -> Vec<IdlePattern> {
        patterns.iter().map(|p| IdlePattern { pattern: p.to_string(), matches: 0 }).collect()
    }

    fn names(due: Vec<&IdlePattern>) -> Vec<&str> {
        due.into_iter().map(|i| i.pattern.as_str()).collect()
    }

    #[test]
    fn idle_paths_are_warned_about_at_start_then_once_a_minute() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut w = IdleWarnings::default();
        let both = idle(&["nope.log", "logs/*.log"]);
        assert_eq!(names(w.due(t0, &both)), ["nope.log", "logs/*.log"]);
        assert!(w.due(t0 + s(1), &both).is_empty());
        assert!(w.due(t0 + s(59), &both).is_empty());
        assert_eq!(names(w.due(t0 + s(60), &both)), ["nope.log", "logs/*.log"]);
        assert!(w.due(t0 + s(61), &both).is_empty());
        // The glob finds a file: forgotten. Idle again later: warned after a minute of it, not
        // at once (a rotation leaves a path without a file for a moment).
        let one = idle(&["nope.log"]);
        assert!(w.due(t0 + s(70), &one).is_empty());
        assert!(w.due(t0 + s(100), &both).is_empty());
        assert_eq!(names(w.due(t0 + s(120), &both)), ["nope.log"]);
        assert!(w.due(t0 + s(159), &both).is_empty());
        assert_eq!(names(w.due(t0 + s(160), &both)), ["logs/*.log"]);
        assert_eq!(names(w.due(t0 + s(180), &both)), ["nope.log"]);
    }

    #[test]
    fn health_is_a_problem_only_while_nothing_is_followed() {
        let nothing = Following { sources: 0, idle: vec!["nope.log".into(), "x/*.log".into()] };
        assert_eq!(nothing.problem().as_deref(), Some("no source followed: nope.log, x/*.log\n"));
        let some = Following { sources: 1, idle: vec!["nope.log".into()] };
        assert_eq!(some.problem(), None);
    }

    #[test]
    fn the_warning_says_whether_anything_matches() {
        let none = IdlePattern { pattern: "nope.log".into(), matches: 0 };
        assert!(warning(&none).starts_with("nope.log: no such file"));
        let glob = IdlePattern { pattern: "logs/*.log".into(), matches: 0 };
        assert!(warning(&glob).starts_with("logs/*.log: no file matches it"));
        let two = IdlePattern { pattern: "*.gz".into(), matches: 2 };
        assert!(warning(&two).contains("matches 2 paths but follows none"));
    }
}
