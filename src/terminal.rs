//! What the shell learns from the terminal and the environment about how to show text: colour
//! (`--color`, `NO_COLOR`) and width (the terminal's, `$COLUMNS`, 80), made into a
//! [`Style`] that the pure renderers take.

use crate::cli::{ColorChoice, StyleArgs};
use crate::render::Style;

/// The style `args` ask for, writing to a terminal or not, wrapping at `width` when given.
pub fn style(args: &StyleArgs, width: Option<u16>, to_terminal: bool) -> Style {
    Style {
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        },
        width: width.map_or_else(|| default_width(to_terminal), usize::from),
        local: args.local,
    }
}

/// The terminal's width when writing to one, else `$COLUMNS`, else 80.
fn default_width(to_terminal: bool) -> usize {
    if to_terminal {
        if let Some((terminal_size::Width(width), _)) = terminal_size::terminal_size() {
            return usize::from(width).max(20);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or(80)
}

/// Keys read from a terminal while `watch` waits (`h`, `s`, `q`, `?`): the terminal is put in
/// non-canonical, no-echo mode, so a key counts without Enter, and given back as it was when
/// this is dropped — on `q`, after a signal, and while a panic unwinds. Signals stay signals
/// (Ctrl-C is still SIGINT).
pub struct Keys {
    saved: libc::termios,
    keys: std::sync::mpsc::Receiver<u8>,
}

/// What waiting for the next poll ended with.
#[derive(Debug, PartialEq, Eq)]
pub enum Waited {
    /// The deadline came.
    Due,
    /// The stop flag was set (a signal).
    Stopped,
    /// A key was pressed.
    Key(u8),
}

impl Keys {
    /// Keys, when standard input and output are both terminals; `None` otherwise (cron,
    /// systemd, a pipe), and then nothing is ever read from standard input.
    pub fn start() -> Option<Keys> {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
            return None;
        }
        // SAFETY: termios is plain data; tcgetattr fills it for a descriptor that is a
        // terminal (checked above) or fails, and then it is not used.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
            return None;
        }
        let mut raw = saved;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: a termios derived from the terminal's own, for the same descriptor.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) } != 0 {
            return None;
        }
        let (sender, keys) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("keys".into())
            .spawn(move || {
                use std::io::Read;
                let mut byte = [0u8; 1];
                let mut stdin = std::io::stdin().lock();
                while let Ok(1) = stdin.read(&mut byte) {
                    if sender.send(byte[0]).is_err() {
                        return;
                    }
                }
            });
        let keys = Keys { saved, keys };
        // Without a reader there are no keys: the terminal is given back at once (by drop).
        spawned.ok().map(|_| keys)
    }

    /// Waits until `deadline`, a signal (`stop`) or a key, whichever is first.
    pub fn wait(
        &self,
        deadline: std::time::Instant,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Waited {
        loop {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Waited::Stopped;
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Waited::Due;
            }
            let slice = (deadline - now).min(std::time::Duration::from_millis(50));
            match self.keys.recv_timeout(slice) {
                Ok(key) => return Waited::Key(key),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                // The terminal is gone: no more keys, only time.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(slice);
                }
            }
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        // SAFETY: the settings read from this terminal when it was taken.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

/// What the keys do, for `?` and the start line.
pub const KEYS_HELP: &str =
    "keys: h history of the watched pages · s status board now · q quit · ? these keys";
