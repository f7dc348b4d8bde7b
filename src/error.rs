//! The one error type of the shell and the one exit-code table (DESIGN §2).
//!
//! Commands return `Result<Exit, Error>`; `main` prints `statusq: <error>` and exits with
//! [`Error::exit`]. A closed stdout is [`Error::BrokenPipe`]: silent, exit 0.

use std::path::PathBuf;
use std::process::ExitCode;

/// How a command that ran to the end went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: the condition the command tests held (`check` breach, `diff --exit-code` events).
    Found,
    /// 2: a failure already reported on stderr, the rest done (`notify`: a service refused a
    /// message, a configuration error).
    Failed,
    /// 3: partial: some providers failed or some input lines were skipped.
    Partial,
    /// 75: another run held a lock the command needed for all its wait (`notify`: a target's
    /// outbox); what it was to do is queued for that run or the next.
    Busy,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Found => 1,
            Exit::Failed => 2,
            Exit::Partial => 3,
            Exit::Busy => EXIT_LOCKED,
        }
    }
}

/// Exit code for usage and fatal errors.
pub const EXIT_FATAL: u8 = 2;
/// Exit code when another run holds the state lock (EX_TEMPFAIL).
pub const EXIT_LOCKED: u8 = 75;

/// Everything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// The config file cannot be read or is invalid.
    #[error("{}: {why}", path.display())]
    Config { path: PathBuf, why: String },
    /// A file or stream could not be read or written.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// Another run holds the state lock.
    #[error("{0}")]
    Locked(String),
    /// The reader of our stdout went away: a graceful end, not a failure.
    #[error("broken pipe")]
    BrokenPipe,
    /// Anything else fatal, with context.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// An I/O error on `what`; a broken pipe becomes [`Error::BrokenPipe`].
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Io {
                what: what.into(),
                source,
            }
        }
    }

    /// The process exit code for this error.
    pub fn exit(&self) -> u8 {
        match self {
            Error::BrokenPipe => 0,
            Error::Locked(_) => EXIT_LOCKED,
            _ => EXIT_FATAL,
        }
    }
}

/// Maps a command's outcome to the process exit code, printing the error if there is one.
pub fn finish(result: Result<Exit, Error>) -> ExitCode {
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(error) => {
            let message = error.to_string().replace('\n', " ");
            // If stderr is gone too there is nobody left to tell.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr().lock(),
                format!("statusq: {message}\n").as_bytes(),
            );
            ExitCode::from(error.exit())
        }
    }
}
