//! Careline: a Telegram assistant that helps health-plan members write
//! clear, safe messages to their care team.
//!
//! The table of contents:

/// The runtime: one conversation turn against the store.
pub mod assistant;
/// Batch screening over JSON Lines (`careline screen`).
pub mod batch;
/// The command line.
pub mod cli;
/// The staff console (axum, server-rendered).
pub mod console;
/// The guided conversation: a pure state machine.
pub mod conversation;
/// Domain types: kinds of request, subjects, recipients, priorities.
pub mod domain;
/// Office hours and the business-hours clock for reply deadlines.
pub mod hours;
/// Live rule reload: the swappable rule set and the rules-folder watcher.
pub mod rules_watch;
/// The safety screening engine.
pub mod screening;
/// Careline's database: directory, members, conversations, queue, safety events.
pub mod storage;
/// The Telegram adapter (teloxide).
pub mod telegram;
/// The terminal chat adapter.
pub mod terminal;
