//! How the world outside reaches the engine while it runs, and the time it runs on.
//!
//! Stop, reload and file-change wake-ups come over one channel, so that a stop ends any wait at
//! once, whatever `--poll-interval` is (a flag read after the wait would keep systemd waiting a
//! whole interval). The engine reads its time from a [`Clock`], so a test can run it in-process
//! on a clock it controls instead of sleeping (as mini-redis's tests run on paused tokio time).

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why the engine was woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// A followed file or directory changed, or stdin has data: worth polling now.
    Changed,
    /// Build the catalog again from its files (SIGHUP).
    Reload,
    /// Finish: settle what is held, save the final checkpoint, return (SIGTERM, SIGINT).
    Stop,
}

/// The sending side: signal handlers, the file watcher and tests hold one each.
#[derive(Debug, Clone)]
pub struct Control(Sender<Wake>);

impl Control {
    pub fn stop(&self) {
        self.send(Wake::Stop);
    }

    pub fn reload(&self) {
        self.send(Wake::Reload);
    }

    pub fn changed(&self) {
        self.send(Wake::Changed);
    }

    /// The engine gone means there is nobody left to tell: nothing to do.
    fn send(&self, wake: Wake) {
        let _ = self.0.send(wake);
    }
}

/// The engine's side: what it has been told so far.
#[derive(Debug)]
pub struct Shutdown {
    wakes: Receiver<Wake>,
    /// Kept so that the channel stays open when every [`Control`] is dropped.
    keep: Sender<Wake>,
    stopped: bool,
    reload: bool,
}

impl Shutdown {
    /// A new channel: the handle to give out and the end the engine reads.
    pub fn new() -> (Control, Shutdown) {
        let (tx, rx) = mpsc::channel();
        (Control(tx.clone()), Shutdown { wakes: rx, keep: tx, stopped: false, reload: false })
    }

    /// Another sending handle (for the file watcher).
    pub fn control(&self) -> Control {
        Control(self.keep.clone())
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Was a reload asked for since the last call?
    pub fn take_reload(&mut self) -> bool {
        std::mem::take(&mut self.reload)
    }

    /// Waits until woken or until `timeout` has passed on `clock`, then takes in every
    /// wake-up already sent (a burst of file events is one wake-up).
    pub fn wait(&mut self, clock: &dyn Clock, timeout: Duration) {
        if self.stopped {
            return;
        }
        if let Some(wake) = clock.wait(&self.wakes, timeout) {
            self.note(wake);
        }
        self.check();
    }

    /// Takes in the wake-ups already sent, without waiting.
    pub fn check(&mut self) {
        loop {
            match self.wakes.try_recv() {
                Ok(wake) => self.note(wake),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            }
        }
    }

    fn note(&mut self, wake: Wake) {
        match wake {
            Wake::Changed => {}
            Wake::Reload => self.reload = true,
            Wake::Stop => self.stopped = true,
        }
    }
}

/// The engine's time: when evidence is old enough to settle, how long a commit has waited.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;

    /// The first wake-up sent within `timeout` of this clock's time, if any.
    fn wait(&self, wakes: &Receiver<Wake>, timeout: Duration) -> Option<Wake>;
}

/// Real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wait(&self, wakes: &Receiver<Wake>, timeout: Duration) -> Option<Wake> {
        // A timeout and a closed channel alike: nothing woke it.
        wakes.recv_timeout(timeout).ok()
    }
}

/// Time that passes only when the engine waits, and then all at once, by the whole timeout, unless
/// a wake-up is already there (paused tokio time's auto-advance). A test sees a 100 s poll
/// interval go by in a millisecond, and the engine's decisions are the same on every run.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Instant>,
}

impl ManualClock {
    pub fn new() -> ManualClock {
        ManualClock { now: Mutex::new(Instant::now()) }
    }

    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }
}

impl Default for ManualClock {
    fn default() -> ManualClock {
        ManualClock::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait(&self, wakes: &Receiver<Wake>, timeout: Duration) -> Option<Wake> {
        // A millisecond of real time, so that a test's thread writing files gets to run and the
        // loop does not spin a core.
        match wakes.recv_timeout(Duration::from_millis(1)) {
            Ok(wake) => Some(wake),
            Err(_) => {
                self.advance(timeout);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_ends_a_long_wait_at_once() {
        let (control, mut shutdown) = Shutdown::new();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            control.stop();
        });
        let start = Instant::now();
        shutdown.wait(&SystemClock, Duration::from_secs(100));
        assert!(shutdown.is_stopped());
        assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
        stopper.join().unwrap();
    }

    #[test]
    fn wake_ups_sent_together_are_taken_in_together() {
        let (control, mut shutdown) = Shutdown::new();
        control.changed();
        control.reload();
        control.changed();
        shutdown.wait(&SystemClock, Duration::from_secs(100));
        assert!(shutdown.take_reload());
        assert!(!shutdown.take_reload(), "a reload is taken once");
        assert!(!shutdown.is_stopped());
    }

    #[test]
    fn a_manual_clock_moves_by_the_timeout_when_nothing_wakes() {
        let clock = ManualClock::new();
        let (_control, mut shutdown) = Shutdown::new();
        let before = clock.now();
        shutdown.wait(&clock, Duration::from_secs(100));
        assert_eq!(clock.now() - before, Duration::from_secs(100));
    }
}
