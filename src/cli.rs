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
    /// Chat with Careline in the terminal (one line per message; pipe a script to it).
    Chat {
        #[command(flatten)]
        rules: RulesDir,
        #[command(flatten)]
        db: Database,
        /// Chat as this member number (created with the whole care team if missing).
        #[arg(long, default_value = "LOCAL-0001")]
        member: String,
    },
    /// Run the Telegram bot (long polling). Needs TELOXIDE_TOKEN.
    Serve {
        #[command(flatten)]
        rules: RulesDir,
        #[command(flatten)]
        db: Database,
        /// The Bot API base URL (a local Bot API server, or a test server).
        #[arg(long, env = "TELOXIDE_API_URL")]
        api_url: Option<url::Url>,
        /// Demo mode: every unlinked chat writes as a demo member. Never in production.
        #[arg(long, env = "CARELINE_DEMO")]
        demo: bool,
        /// Webhook mode: the public base URL Telegram posts updates to
        /// (long polling when unset). The secret comes from CARELINE_WEBHOOK_SECRET.
        #[arg(long, env = "CARELINE_WEBHOOK_URL")]
        webhook_url: Option<url::Url>,
        /// Where the webhook server listens.
        #[arg(long, env = "CARELINE_LISTEN", default_value = "0.0.0.0:8080")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        console: ConsoleArgs,
    },
    /// Run the staff console (web) on its own.
    Console {
        #[command(flatten)]
        rules: RulesDir,
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        console: ConsoleArgs,
    },
    /// Manage staff accounts for the console.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Register members and issue the codes that link their Telegram chats.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Apply database migrations (also done on every start).
    Migrate(Database),
    /// Purge queue items closed more than N days ago, with their replies,
    /// notes and delivered messages; clear drafts untouched for 14 days;
    /// prune spent bookkeeping rows.
    Purge {
        #[command(flatten)]
        db: Database,
        /// Purge items closed more than this many days ago.
        #[arg(
            long,
            env = "CARELINE_RETENTION_DAYS",
            default_value_t = crate::storage::DEFAULT_RETENTION_DAYS,
            value_parser = clap::value_parser!(u32).range(1..)
        )]
        older_than_days: u32,
        /// Count what would be purged; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Look at the portal queue.
    #[command(subcommand)]
    Queue(QueueCommand),
    /// Data keys for encryption at rest (CARELINE_DATA_KEYS).
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Print a new random key as `id:base64key`; put it first in
    /// CARELINE_DATA_KEYS (keep the old keys after it until `keys rotate` ran).
    Generate {
        /// The key's id [default: k + today's date, e.g. k20261125].
        #[arg(long)]
        id: Option<String>,
    },
    /// Re-encrypt every stored text under the first key in CARELINE_DATA_KEYS
    /// (also encrypts texts stored before keys were configured).
    Rotate {
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Debug, Subcommand)]
enum QueueCommand {
    /// Open items as staff see them: safety first, then priority, then age.
    List {
        #[command(flatten)]
        db: Database,
        /// How many items at most.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One item in full (by id or reference, e.g. 42 or CL-000042).
    Show {
        #[command(flatten)]
        db: Database,
        /// The item's id or reference.
        item: String,
    },
    /// Close an item with an outcome; the member is told in Telegram.
    Close {
        #[command(flatten)]
        db: Database,
        /// The item's id or reference.
        item: String,
        /// The outcome, as the member will read it ("Refill sent to your pharmacy").
        outcome: String,
    },
    /// Reply to an item as staff: marks it answered and delivers the reply
    /// to the member in Telegram (through the outbox of a running bot).
    Reply {
        #[command(flatten)]
        db: Database,
        /// Who is replying, as the member will see it ("Dr. Maria Alvarez").
        #[arg(long)]
        author: String,
        /// The item's id or reference.
        item: String,
        /// The reply.
        text: String,
    },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Add a staff account; the password is read from standard input (one line).
    Add {
        #[command(flatten)]
        db: Database,
        /// Sign-in name.
        #[arg(long)]
        username: String,
        /// The name members and colleagues see ("Dr. Maria Alvarez").
        #[arg(long)]
        name: String,
        /// staff or admin.
        #[arg(long, default_value = "staff")]
        role: String,
    },
}

#[derive(Debug, Args)]
struct ConsoleArgs {
    /// Where the staff console listens.
    #[arg(
        long,
        env = "CARELINE_CONSOLE_LISTEN",
        default_value = "127.0.0.1:8090"
    )]
    console_listen: std::net::SocketAddr,
    /// Mark session cookies Secure (set when the console is served over TLS).
    #[arg(long, env = "CARELINE_CONSOLE_SECURE_COOKIES")]
    console_secure_cookies: bool,
}

impl ConsoleArgs {
    fn state(
        &self,
        store: crate::storage::Store,
        rules: &crate::rules_watch::RulesHandle,
        dir: &std::path::Path,
    ) -> crate::console::ConsoleState {
        crate::console::ConsoleState {
            store,
            // Follows live reloads: the set in force and the last error.
            rules: crate::console::RulesInfo::follow(rules, dir),
            secure_cookies: self.console_secure_cookies,
        }
    }
}

#[derive(Debug, Subcommand)]
enum MemberCommand {
    /// Register a member with their care team.
    Add {
        #[command(flatten)]
        db: Database,
        /// The health plan's member number.
        #[arg(long)]
        number: String,
        /// The member's name (for staff; never shown in logs).
        #[arg(long)]
        name: String,
        /// A doctor on their care team, by directory key (repeat for several).
        #[arg(long = "doctor")]
        doctors: Vec<String>,
    },
    /// Issue a one-time code (valid 24 hours) that links a Telegram chat: /start CODE.
    LinkCode {
        #[command(flatten)]
        db: Database,
        /// The member number.
        member: String,
    },
}

#[derive(Debug, Args)]
struct Database {
    /// The database (SQLite file URL).
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = crate::storage::DEFAULT_DATABASE_URL)]
    url: String,
}

impl Database {
    /// Opens the database with the data keys from the environment. In
    /// production mode (CARELINE_ENV=production) there must be a key.
    async fn open(&self) -> anyhow::Result<crate::storage::Store> {
        use crate::storage::{KEYS_VAR, Keyring};
        let keys = Keyring::from_env()?;
        let production = std::env::var("CARELINE_ENV").is_ok_and(|v| v == "production");
        if keys.current_id().is_none() {
            anyhow::ensure!(
                !production,
                "CARELINE_ENV=production but {KEYS_VAR} is not set: in production Careline \
                 encrypts subjects, details, drafts and replies at rest and will not start \
                 without a key. Create one with `careline keys generate` and put it in \
                 {KEYS_VAR} (from your secret store, never in a file in the repository)."
            );
            tracing::warn!("no data key ({KEYS_VAR}): texts are stored unencrypted");
        }
        crate::storage::Store::open_with(&self.url, keys)
            .await
            .with_context(|| format!("opening the database at {}", self.url))
    }
}

/// A retention age in days, as a duration.
fn retention_age(days: u32) -> jiff::SignedDuration {
    jiff::SignedDuration::from_hours(i64::from(days) * 24)
}

/// CARELINE_RETENTION_DAYS, for `careline serve` (the purge command reads
/// it through clap): whole days, 1 or more; the default when unset.
fn retention_days_from_env() -> anyhow::Result<u32> {
    const VAR: &str = "CARELINE_RETENTION_DAYS";
    match std::env::var(VAR) {
        Err(std::env::VarError::NotPresent) => Ok(crate::storage::DEFAULT_RETENTION_DAYS),
        Ok(value) => value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|days| *days >= 1)
            .ok_or_else(|| anyhow::anyhow!("{VAR} must be a whole number of days, 1 or more")),
        Err(e) => Err(anyhow::anyhow!("{VAR}: {e}")),
    }
}

/// An item id from "42" or "CL-000042".
fn item_id(item: &str) -> anyhow::Result<i64> {
    item.trim()
        .trim_start_matches("CL-")
        .parse()
        .with_context(|| format!("{item:?} is not an item id or reference"))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
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

    /// Loads the rules (refusing invalid ones, or none, or no emergency
    /// rules) and watches the folder: a valid edit is swapped in live, a
    /// broken one is reported and the last good set stays in force.
    fn load_and_watch(
        &self,
    ) -> anyhow::Result<(
        crate::rules_watch::RulesHandle,
        crate::rules_watch::RulesWatcher,
    )> {
        crate::rules_watch::RulesWatcher::load(&self.dir).map_err(|e| {
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
            Command::Chat { rules, db, member } => {
                let screener = std::sync::Arc::new(rules.load()?);
                runtime()?.block_on(async {
                    let store = db.open().await?;
                    let member_id = store.ensure_member(&member, "Local member").await?;
                    let assistant = crate::assistant::Assistant::new(store.clone(), screener);
                    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
                    let mut terminal = crate::terminal::Terminal {
                        out: io::stdout().lock(),
                        echo: !io::IsTerminal::is_terminal(&io::stdin()),
                    };
                    terminal
                        .run(&assistant, &format!("terminal:{member}"), member_id, stdin)
                        .await?;
                    store.close().await;
                    anyhow::Ok(ExitCode::SUCCESS)
                })
            }
            Command::Serve {
                rules,
                db,
                api_url,
                demo,
                webhook_url,
                listen,
                console,
            } => {
                let (live_rules, _watcher) = rules.load_and_watch()?;
                let token = std::env::var("TELOXIDE_TOKEN").map_err(|_| {
                    anyhow::anyhow!(
                        "TELOXIDE_TOKEN is not set: put the bot token from @BotFather in the \
                         environment or .env (to try Careline without Telegram, run `careline chat`)"
                    )
                })?;
                let retention_days = retention_days_from_env()?;
                runtime()?.block_on(async {
                    let store = db.open().await?;
                    let demo_member = if demo {
                        tracing::warn!(
                            "DEMO MODE IS ON: every unlinked Telegram chat writes as the demo member; \
                             never use this with real members"
                        );
                        eprintln!("careline: DEMO MODE is on (CARELINE_DEMO); never use it with real members");
                        Some(store.ensure_member("DEMO-0001", "Demo member").await?)
                    } else {
                        None
                    };
                    let console_state = console.state(store.clone(), &live_rules, &rules.dir);
                    let purge_task = tokio::spawn(crate::storage::purge_on_schedule(
                        store.clone(),
                        retention_age(retention_days),
                    ));
                    let console_task =
                        tokio::spawn(crate::console::serve(console_state, console.console_listen));
                    eprintln!("careline: staff console on http://{}", console.console_listen);
                    let app = crate::telegram::BotApp {
                        assistant: crate::assistant::Assistant::with_rules(
                            store.clone(),
                            live_rules,
                        ),
                        demo_member,
                        flood: Default::default(),
                    };
                    let bot = crate::telegram::bot(
                        &token,
                        api_url,
                        crate::telegram::RateLimits::default(),
                        crate::telegram::REQUEST_TIMEOUT,
                    )?;
                    match webhook_url {
                        Some(url) => {
                            let secret = std::env::var("CARELINE_WEBHOOK_SECRET").map_err(|_| {
                                anyhow::anyhow!(
                                    "webhook mode needs CARELINE_WEBHOOK_SECRET (16+ random characters) \
                                     in the environment"
                                )
                            })?;
                            let hook = crate::telegram::webhook::Webhook {
                                url,
                                secret,
                                listen,
                            };
                            crate::telegram::webhook::run(bot, app, hook).await?;
                        }
                        None => crate::telegram::run_polling(bot, app).await?,
                    }
                    console_task.abort();
                    purge_task.abort();
                    store.close().await;
                    anyhow::Ok(ExitCode::SUCCESS)
                })
            }
            Command::Console { rules, db, console } => {
                let (live_rules, _watcher) = rules.load_and_watch()?;
                runtime()?.block_on(async {
                    let store = db.open().await?;
                    let state = console.state(store.clone(), &live_rules, &rules.dir);
                    eprintln!("careline: staff console on http://{}", console.console_listen);
                    crate::console::serve(state, console.console_listen).await?;
                    store.close().await;
                    anyhow::Ok(ExitCode::SUCCESS)
                })
            }
            Command::Staff(StaffCommand::Add {
                db,
                username,
                name,
                role,
            }) => {
                let role = crate::storage::Role::parse(&role)
                    .ok_or_else(|| anyhow::anyhow!("--role must be staff or admin"))?;
                if io::IsTerminal::is_terminal(&io::stdin()) {
                    eprint!("password for {username} (12+ characters, shown as typed): ");
                }
                let mut password = String::new();
                io::stdin().read_line(&mut password)?;
                let password = password.trim_end_matches(['\r', '\n']);
                anyhow::ensure!(
                    password.chars().count() >= 12,
                    "the password needs at least 12 characters"
                );
                runtime()?.block_on(async {
                    let store = db.open().await?;
                    store.add_staff(&username, &name, role, password).await?;
                    println!("staff account {username} ({}) added", role.as_str());
                    store.close().await;
                    anyhow::Ok(ExitCode::SUCCESS)
                })
            }
            Command::Member(MemberCommand::Add {
                db,
                number,
                name,
                doctors,
            }) => runtime()?.block_on(async {
                let store = db.open().await?;
                store.add_member(&number, &name, &doctors).await?;
                println!("member {number} added");
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Member(MemberCommand::LinkCode { db, member }) => runtime()?.block_on(async {
                let store = db.open().await?;
                let id = store.member_by_number(&member).await?;
                let code = store.issue_link_code(id, jiff::Timestamp::now()).await?;
                println!(
                    "{code}\nThe member sends /start {code} to the bot (or opens https://t.me/<bot>?start={code}); \
                     valid {} hours, once.",
                    crate::storage::LINK_CODE_HOURS
                );
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Keys(KeysCommand::Generate { id }) => {
                let id = id.unwrap_or_else(|| jiff::Timestamp::now().strftime("k%Y%m%d").to_string());
                println!("{}", crate::storage::Keyring::generate(&id)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Keys(KeysCommand::Rotate { db }) => runtime()?.block_on(async {
                let store = db.open().await?;
                let report = store.rotate_keys(500).await?;
                let current = store.keys().current_id().unwrap_or_default().to_string();
                for (column, n) in report {
                    println!("{column}: {n} re-encrypted");
                }
                eprintln!("every stored text is now under key {current:?}; older keys may be removed");
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Purge {
                db,
                older_than_days,
                dry_run,
            } => runtime()?.block_on(async {
                let store = db.open().await?;
                let now = jiff::Timestamp::now();
                let report = store
                    .purge(retention_age(older_than_days), now, dry_run)
                    .await?;
                let what = if dry_run {
                    "would purge (dry run, nothing changed)"
                } else {
                    "purged"
                };
                let drafts = crate::storage::DRAFT_EXPIRY_DAYS;
                println!(
                    "{what}, items closed more than {older_than_days} days ago and drafts \
                     untouched for {drafts} days: {report}"
                );
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Migrate(db) => runtime()?.block_on(async {
                db.open().await?.close().await;
                eprintln!("migrations applied to {}", db.url);
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Queue(QueueCommand::List { db, limit, json }) => runtime()?.block_on(async {
                let store = db.open().await?;
                let items = store.open_queue(limit).await?;
                let mut out = io::stdout().lock();
                if json {
                    for item in &items {
                        serde_json::to_writer(&mut out, item)?;
                        writeln!(out)?;
                    }
                } else {
                    writeln!(
                        out,
                        "{:<10} {:<8} {:<10} {:<8} {:<17} {:<22} SUBJECT",
                        "REF", "PRIORITY", "FLAG", "STATUS", "DUE (UTC)", "TO"
                    )?;
                    for i in &items {
                        writeln!(
                            out,
                            "{:<10} {:<8} {:<10} {:<8} {:<17} {:<22} {}",
                            i.reference,
                            format!("{:?}", i.priority).to_lowercase(),
                            i.safety_level.as_deref().unwrap_or("-"),
                            i.status,
                            i.due_at.strftime("%Y-%m-%d %H:%M").to_string(),
                            i.recipient,
                            i.subject
                        )?;
                    }
                    writeln!(out, "{} open item(s)", items.len())?;
                }
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Queue(QueueCommand::Reply {
                db,
                author,
                item,
                text,
            }) => runtime()?.block_on(async {
                let id = item_id(&item)?;
                let store = db.open().await?;
                let outbox = store
                    .reply_to_item(id, &author, &text, jiff::Timestamp::now())
                    .await?;
                match outbox {
                    Some(_) => println!("reply saved; the bot delivers it to the member in Telegram"),
                    None => println!("reply saved; the member has no linked Telegram chat"),
                }
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Queue(QueueCommand::Close { db, item, outcome }) => runtime()?.block_on(async {
                let id = item_id(&item)?;
                let store = db.open().await?;
                let told = store.close_item(id, &outcome, jiff::Timestamp::now()).await?;
                println!(
                    "{} closed{}",
                    crate::storage::reference(id),
                    if told.is_some() { "; the member is told in Telegram" } else { "" }
                );
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
            Command::Queue(QueueCommand::Show { db, item }) => runtime()?.block_on(async {
                let id = item_id(&item)?;
                let store = db.open().await?;
                let item = store.queue_item(id).await?;
                let s = &item.summary;
                let mut out = io::stdout().lock();
                writeln!(
                    out,
                    "{}  {}  priority {:?}",
                    s.reference, s.status, s.priority
                )?;
                writeln!(
                    out,
                    "From:    {} ({})",
                    item.member_name, item.member_number
                )?;
                writeln!(out, "To:      {}", s.recipient)?;
                writeln!(out, "Kind:    {}", s.kind)?;
                writeln!(out, "Subject: {}", s.subject)?;
                writeln!(out, "Sent:    {}", s.created_at)?;
                writeln!(out, "Due:     {}", s.due_at)?;
                if let Some(level) = &s.safety_level {
                    writeln!(out, "Safety:  {level} ({})", item.safety_rules.join(", "))?;
                }
                writeln!(out, "\n{}", item.details)?;
                store.close().await;
                anyhow::Ok(ExitCode::SUCCESS)
            }),
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
    let warnings = Screener::warnings(dir);
    for w in &warnings {
        eprintln!("{w}");
    }
    let s = screener.stats();
    let levels: Vec<String> = s
        .rules_by_level
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let summary = format!(
        "{} files, {} rules ({}), {} context groups, {} patterns ({} generated spellings), \
         {} examples, {} failed, {} warning(s); compiled in {:.1} ms; fingerprint {}",
        s.files,
        s.rules,
        levels.join(", "),
        s.context_groups,
        s.patterns,
        s.generated_variants,
        s.examples,
        failures.len(),
        warnings.len(),
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
