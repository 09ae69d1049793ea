//! The command line: one clap subcommand per thing an operator or admin does.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::screening::{Field, Screener};

/// Careline: help members write clear, safe messages to their care team.
#[derive(Debug, Parser)]
#[command(name = "careline", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate, test and explain the safety rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Screen JSON Lines from stdin: {"id", "text", "field"} in, {"id", "level", "rules"} out.
    Screen(RulesDir),
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Check every rule file and run every rule's examples; non-zero exit on any error.
    Check {
        /// The rules folder [default: $CARELINE_RULES or ./rules]
        dir: Option<PathBuf>,
    },
    /// Show how a text is screened: normalized text, every hit and modifier, the verdict.
    Explain {
        #[command(flatten)]
        rules: RulesDir,
        /// Screen the text as a subject line.
        #[arg(long)]
        subject: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The text to screen.
        text: String,
    },
}

#[derive(Debug, Args)]
struct RulesDir {
    /// The rules folder.
    #[arg(long = "rules", env = "CARELINE_RULES", default_value = "rules")]
    dir: PathBuf,
}

impl RulesDir {
    fn load(&self) -> anyhow::Result<Screener> {
        Screener::load(&self.dir).map_err(|e| {
            anyhow::anyhow!(
                "{e}\nrun `careline rules check {}` for details",
                self.dir.display()
            )
        })
    }
}

impl Cli {
    /// Runs the command; the exit code says whether it succeeded.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Rules(RulesCommand::Check { dir }) => {
                let dir = dir
                    .or_else(|| std::env::var_os("CARELINE_RULES").map(PathBuf::from))
                    .unwrap_or_else(|| PathBuf::from("rules"));
                Ok(rules_check(&dir))
            }
            Command::Rules(RulesCommand::Explain {
                rules,
                subject,
                json,
                text,
            }) => {
                // Explain is a debugging tool: it works even while some
                // rule's examples fail, and says so.
                let screener = Screener::load_unchecked(&rules.dir).map_err(|e| {
                    anyhow::anyhow!(
                        "{e}\nrun `careline rules check {}` for details",
                        rules.dir.display()
                    )
                })?;
                let failing = screener.check_examples().len();
                if failing > 0 {
                    eprintln!(
                        "warning: {failing} rule example(s) fail; a running bot would refuse these \
                         rules (see `careline rules check`)"
                    );
                }
                let field = if subject {
                    Field::Subject
                } else {
                    Field::Details
                };
                let explanation = screener.explain(&text, field);
                let mut out = io::stdout().lock();
                if json {
                    serde_json::to_writer_pretty(&mut out, &explanation)?;
                    writeln!(out)?;
                } else {
                    write!(
                        out,
                        "{}",
                        crate::screening::render_explanation(&text, &explanation)
                    )?;
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Screen(rules) => {
                let screener = rules.load()?;
                let stdin = io::stdin().lock();
                let stdout = io::stdout().lock();
                let summary = crate::batch::screen_lines(&screener, stdin, stdout)
                    .context("screening stdin")?;
                if summary.rejected > 0 {
                    eprintln!(
                        "careline screen: {} of {} lines rejected",
                        summary.rejected, summary.lines
                    );
                    return Ok(ExitCode::FAILURE);
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

fn rules_check(dir: &std::path::Path) -> ExitCode {
    let screener = match Screener::load_unchecked(dir) {
        Ok(s) => s,
        Err(e) => {
            for p in &e.problems {
                eprintln!("{p}");
            }
            eprintln!(
                "rules check: {} problem(s) in {}",
                e.problems.len(),
                dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let failures = screener.check_examples();
    for p in &failures {
        eprintln!("{p}");
    }
    let s = screener.stats();
    let levels: Vec<String> = s
        .rules_by_level
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let summary = format!(
        "{} files, {} rules ({}), {} context groups, {} patterns ({} generated spellings), \
         {} examples, {} failed; compiled in {:.1} ms; fingerprint {}",
        s.files,
        s.rules,
        levels.join(", "),
        s.context_groups,
        s.patterns,
        s.generated_variants,
        s.examples,
        failures.len(),
        s.compile_time.as_secs_f64() * 1e3,
        s.fingerprint,
    );
    if failures.is_empty() {
        println!("rules OK: {summary}");
        ExitCode::SUCCESS
    } else {
        eprintln!("rules check FAILED: {summary}");
        ExitCode::FAILURE
    }
}
