//! Runs one child process and measures its wall time and peak RSS (`wait4`'s `ru_maxrss`).

use std::io::{Read, Seek};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size of the child, in KiB (Linux reports `ru_maxrss` in KiB).
    pub max_rss_kib: u64,
    /// User plus system CPU time of the child.
    pub cpu: Duration,
    pub stdout: String,
    pub stderr: String,
}

fn slurp(mut f: std::fs::File) -> String {
    let mut s = String::new();
    let _ = f.rewind().and_then(|_| f.read_to_string(&mut s));
    s
}

/// Spawns `cmd`, waits for it with `wait4`, and fails unless it exits 0.
/// Output goes to anonymous files (not pipes) so a chatty child never blocks on a full pipe.
pub fn measure(label: &str, cmd: &mut Command) -> Result<Sample, String> {
    let out = tempfile::tempfile().map_err(|e| format!("{label}: temp file: {e}"))?;
    let err = tempfile::tempfile().map_err(|e| format!("{label}: temp file: {e}"))?;
    let clone = |f: &std::fs::File| f.try_clone().map_err(|e| format!("{label}: {e}"));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(clone(&out)?))
        .stderr(Stdio::from(clone(&err)?));

    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("{label}: cannot start {:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own unreaped child; both pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("{label}: wait4: {e}"));
        }
    }
    let wall = start.elapsed();

    let sample = Sample {
        wall,
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        stdout: slurp(out),
        stderr: slurp(err),
    };
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !ok {
        let how = if libc::WIFEXITED(status) {
            format!("exit code {}", libc::WEXITSTATUS(status))
        } else {
            format!("signal {}", libc::WTERMSIG(status))
        };
        return Err(format!(
            "{label} failed ({how})\n--- stdout (tail) ---\n{}\n--- stderr (tail) ---\n{}",
            tail(&sample.stdout),
            tail(&sample.stderr)
        ));
    }
    Ok(sample)
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// The last 20 lines of a text.
pub fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
