//! Flood control: a chat that sends more updates than a person can (a
//! script, a stuck key, a forwarded backlog) is slowed to
//! [`PER_MINUTE`] turns a minute. The first refused update gets one notice;
//! later ones within the minute are dropped quietly. A text that screens
//! as urgent or stronger is always let through: a member in trouble is
//! never told to wait.
//!
//! Counts live in memory per process (a fixed one-minute window per chat):
//! with several instances each applies its own limit, which is still a
//! bound, and nothing is stored about a chat once its minute is over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Turns a chat may have in one minute.
pub const PER_MINUTE: u32 = 30;

const WINDOW: Duration = Duration::from_secs(60);

/// Chats tracked before finished windows are swept.
const SWEEP_AT: usize = 10_000;

/// What to do with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Run the turn.
    Yes,
    /// Over the limit: tell the member once.
    Warn,
    /// Over the limit and told: drop it.
    Drop,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    count: u32,
    warned: bool,
}

/// Per-chat counts for the current minute.
#[derive(Debug, Default)]
pub struct FloodGate {
    chats: Mutex<HashMap<i64, Window>>,
}

impl FloodGate {
    /// Counts one update from `chat` (at `now`) and says whether to run it.
    pub fn admit(&self, chat: i64, now: Instant) -> Admit {
        let mut chats = self.chats.lock().unwrap_or_else(|p| p.into_inner());
        if chats.len() >= SWEEP_AT {
            chats.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let window = chats.entry(chat).or_insert(Window {
            started: now,
            count: 0,
            warned: false,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                count: 0,
                warned: false,
            };
        }
        window.count += 1;
        if window.count <= PER_MINUTE {
            Admit::Yes
        } else if !window.warned {
            window.warned = true;
            Admit::Warn
        } else {
            Admit::Drop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_gets_its_minute_then_one_warning_then_silence() {
        let gate = FloodGate::default();
        let t0 = Instant::now();
        let answers: Vec<Admit> = (0..1000).map(|_| gate.admit(7, t0)).collect();
        assert!(answers[..30].iter().all(|a| *a == Admit::Yes));
        assert_eq!(answers[30], Admit::Warn);
        assert!(answers[31..].iter().all(|a| *a == Admit::Drop));
        // Another chat is not affected; the next minute starts afresh.
        assert_eq!(gate.admit(8, t0), Admit::Yes);
        assert_eq!(gate.admit(7, t0 + WINDOW), Admit::Yes);
    }

    #[test]
    fn finished_windows_are_swept() {
        let gate = FloodGate::default();
        let t0 = Instant::now();
        for chat in 0..SWEEP_AT as i64 {
            gate.admit(chat, t0);
        }
        gate.admit(-1, t0 + WINDOW);
        assert_eq!(gate.chats.lock().unwrap().len(), 1);
    }
}
