//! The statusq binary: parse, dispatch, map the outcome to an exit code.

use clap::Parser;
use statusq::cli::{Cli, Command};
use statusq::cmd;
use statusq::error::{finish, Error, Exit};
use statusq::Output;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    finish(run(cli))
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
        Command::Notify(args) => cmd::notify::run(args, config),
        Command::Generate(args) => cmd::generate::run(args),
    }
}
