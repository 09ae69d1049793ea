//! Careline's integration tests: one binary, one module per area.

mod batch;
mod browser;
mod chat;
mod console;
mod conversation;
mod crash;
mod db;
mod dev_set;
mod fake_telegram;
mod flood;
mod helpers;
mod instances;
mod keys;
mod logs;
mod properties;
mod reload;
mod retention;
mod rules_files;
mod screening;
mod shipped;
mod storage;
mod telegram;
