//! `check --wait`: a stream of snapshots judged as it comes until every page is healthy or
//! the time is up. The verdict on each snapshot is [`crate::gate`]'s, as for `check`.

use crate::error::{Error, Exit};
use crate::gate::{judge, Rules, Verdict};
use crate::model::{Record, Snapshot};
use crate::ndjson::{Output, RecordReader};
use crate::sanitize::one_line;

/// `check --wait`: snapshots read as they come (on a thread, so the deadline holds while the
/// input is quiet); exit 0 as soon as the newest snapshot of every page read is below the
/// level, 1 when `wait` passes first, 3 when the input ends before a verdict.
pub fn until_healthy(
    mut reader: RecordReader,
    rules: &Rules,
    wait: std::time::Duration,
    out: &mut Output,
) -> Result<Exit, Error> {
    use std::sync::mpsc::RecvTimeoutError;
    let deadline = std::time::Instant::now() + wait;
    let (sender, snapshots) = std::sync::mpsc::channel::<Snapshot>();
    std::thread::spawn(move || {
        while let Ok(Some(record)) = reader.next_record() {
            if let Record::Snapshot(snapshot) = record {
                if sender.send(*snapshot).is_err() {
                    return;
                }
            }
        }
    });
    let mut latest: Vec<Snapshot> = Vec::new();
    let keep = |snapshot: Snapshot, latest: &mut Vec<Snapshot>| match latest
        .iter_mut()
        .find(|s| s.provider == snapshot.provider)
    {
        Some(held) => *held = snapshot,
        None => latest.push(snapshot),
    };
    let say = |latest: &[Snapshot], out: &mut Output, only_broken: bool| -> Result<(), Error> {
        for snapshot in latest {
            let (word, detail) = match judge(snapshot, rules) {
                Verdict::Ok(detail) if !only_broken => ("ok", detail),
                Verdict::Ok(_) => continue,
                Verdict::Breach(detail) => ("FAIL", detail),
                Verdict::Unknown(detail) => ("UNKNOWN", detail),
            };
            out.text(&format!(
                "{}  {word:<7} {detail}\n",
                one_line(&snapshot.provider)
            ))?;
        }
        out.flush()
    };
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match snapshots.recv_timeout(left) {
            Ok(snapshot) => {
                keep(snapshot, &mut latest);
                // A poll's snapshots come together: judge once they are all in.
                while let Ok(more) = snapshots.try_recv() {
                    keep(more, &mut latest);
                }
                if latest
                    .iter()
                    .all(|s| matches!(judge(s, rules), Verdict::Ok(_)))
                {
                    say(&latest, out, false)?;
                    return Ok(Exit::Success);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                say(&latest, out, true)?;
                eprintln!(
                    "statusq: still broken after {}",
                    humantime::format_duration(wait)
                );
                return Ok(Exit::Found);
            }
            Err(RecvTimeoutError::Disconnected) => {
                say(&latest, out, true)?;
                eprintln!("statusq: the input ended before every page was healthy (--wait)");
                return Ok(Exit::Partial);
            }
        }
    }
}
