//! Careline: a Telegram assistant that helps health-plan members write
//! clear, safe messages to their care team.
//!
//! The table of contents:

/// Batch screening over JSON Lines (`careline screen`).
pub mod batch;
pub mod cli;
pub mod screening;
