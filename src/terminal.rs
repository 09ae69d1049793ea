//! The terminal chat: the same conversation in a terminal or from a script.
//!
//! Buttons become numbered choices; a choice is made by its number or by
//! typing a word of its label (the conversation matches words itself).
//! Commands work as typed (/help, /cancel, /new, /status, /privacy). With
//! piped input each line is one message, echoed after `you>` so that a
//! transcript reads as a conversation. Adapter only: no wording or decisions.

use std::io::Write;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::assistant::{Assistant, Outgoing};
use crate::conversation::{Action, Command, Input};
use crate::domain::MemberId;

/// Where the terminal chat reads and writes.
pub struct Terminal<W> {
    /// The output.
    pub out: W,
    /// Echo each input line (for piped input).
    pub echo: bool,
}

impl<W: Write> Terminal<W> {
    /// Runs the chat until the input ends or the member types /quit.
    pub async fn run<R>(
        &mut self,
        assistant: &Assistant,
        chat: &str,
        member: MemberId,
        mut input: R,
    ) -> anyhow::Result<()>
    where
        R: AsyncBufRead + Unpin,
    {
        // Start (or resume) where this chat left off.
        let replies = assistant
            .handle(chat, member, Input::Command(Command::Start))
            .await?;
        let mut offered = self.show(&replies)?;
        let mut line = Vec::new();
        loop {
            if !self.echo {
                write!(self.out, "you> ")?;
                self.out.flush()?;
            }
            line.clear();
            if input.read_until(b'\n', &mut line).await? == 0 {
                break;
            }
            let Ok(text) = std::str::from_utf8(&line) else {
                writeln!(
                    self.out,
                    "careline> I couldn't read that line: it isn't valid text.\n"
                )?;
                continue;
            };
            let text = text.trim();
            if self.echo {
                writeln!(self.out, "you> {text}")?;
            }
            if text.is_empty() {
                continue;
            }
            if matches!(text, "/quit" | "/exit") {
                break;
            }
            let message = match (text.parse::<usize>(), &offered) {
                (Ok(n), Some((draft, actions))) if (1..=actions.len()).contains(&n) => {
                    Input::Choice {
                        draft: *draft,
                        action: actions[n - 1].clone(),
                    }
                }
                _ => Input::from_text(text),
            };
            match assistant.handle(chat, member, message).await {
                Ok(replies) => {
                    if let Some(now) = self.show(&replies)? {
                        offered = Some(now);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "turn failed");
                    writeln!(
                        self.out,
                        "careline> Sorry, something went wrong on our side and nothing was saved \
                         from that message. Please send it again.\n"
                    )?;
                }
            }
        }
        self.out.flush()?;
        Ok(())
    }

    /// Prints replies; returns the last buttons offered, if any.
    fn show(&mut self, replies: &[Outgoing]) -> std::io::Result<Option<(u32, Vec<Action>)>> {
        let mut offered = None;
        for reply in replies {
            writeln!(
                self.out,
                "careline> {}",
                reply.text.replace('\n', "\n          ")
            )?;
            for (i, b) in reply.buttons.iter().enumerate() {
                writeln!(self.out, "  {}. {}", i + 1, b.label)?;
            }
            writeln!(self.out)?;
            if !reply.buttons.is_empty() {
                offered = Some((
                    reply.draft,
                    reply.buttons.iter().map(|b| b.action.clone()).collect(),
                ));
            }
        }
        Ok(offered)
    }
}
