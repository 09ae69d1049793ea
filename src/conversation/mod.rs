//! The guided conversation: a pure state machine that walks a member from
//! "who is this for" to a clear, complete, screened draft in the queue.
//!
//! It must never do I/O: no Telegram, database, clock or files. Adapters
//! turn what members do into [`Input`]s and carry out the [`Effect`]s; the
//! runtime commits [`Effect::Enqueue`] and answers with [`Input::Committed`].
//!
//! ```
//! use careline::conversation::{step, Context, Effect, Input, State};
//! use careline::screening::Screener;
//!
//! let screener = Screener::load("rules").unwrap();
//! let ctx = Context { screener: &screener, recipients: &[], advice_line: None };
//! let (state, effects) = step(State::default(), Input::from_text("/start"), &ctx);
//! assert!(state.in_draft());
//! assert!(matches!(&effects[0], Effect::Say { text, .. } if text.contains("911")));
//! ```

pub mod copy;
mod effect;
mod input;
mod machine;
mod state;

pub use effect::{Button, Effect, SafetyEvent, SafetyOutcome, Submission};
pub use input::{Action, Command, Input, Part, Receipt};
pub use machine::{Context, Fact, missing_facts, step};
pub use state::{Draft, Hold, State, Step};
