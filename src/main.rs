//! The statusq binary: parse, dispatch, map the outcome to an exit code.

use clap::Parser;
use statusq::cli::{Cli, Command};
use statusq::cmd;
use statusq::error::{finish, Error, Exit};
use statusq::Output;
use std::process::ExitCode;

fn main() -> ExitCode {
    few_malloc_arenas();
    let cli = Cli::parse();
    finish(run(cli))
}

/// glibc gives each thread that allocates an arena of its own, up to eight per core; with a
/// hundred request threads their half-empty heaps were a tenth of the peak memory. Two arenas
/// serve statusq's threads (which mostly wait on sockets) as well.
fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tunable; called before any thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn run(cli: Cli) -> Result<Exit, Error> {
    let config = cli.config.as_deref();
    match cli.command {
        Command::Fetch(args) => cmd::fetch::run(args, config, &mut Output::stdout(false)),
        Command::Diff(args) => cmd::diff::run(args, &mut Output::stdout(false)),
        Command::Render(args) => cmd::render::run(args, &mut Output::stdout(false)),
        Command::Check(args) => cmd::check::run(args, &mut Output::stdout(false)),
        Command::Watch(args) => cmd::watch::run(args, config, &mut Output::stdout(true)),
        Command::Serve(args) => cmd::serve::run(args, config, &mut Output::stdout(true)),
        Command::Providers(args) => cmd::providers::run(args, config, &mut Output::stdout(false)),
        Command::Notify(args) => cmd::notify::run(args, config, &mut Output::stdout(false)),
        Command::Report(args) => cmd::report::run(args, &mut Output::stdout(false)),
        Command::Demo(args) => cmd::demo::run(args, &mut Output::stdout(true)),
        Command::Generate(args) => cmd::generate::run(args),
    }
}
