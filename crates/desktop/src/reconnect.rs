//! Reconnecting to the registry: how long to wait before the next attempt.

use std::time::Duration;

/// 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 15 s: quick after a blip, gentle on a server that is down.
pub fn backoff(attempt: u32) -> Duration {
    let ms = 500u64.saturating_mul(1u64 << attempt.min(5));
    Duration::from_millis(ms.min(15_000))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn doubles_from_half_a_second_up_to_fifteen() {
        let secs: Vec<f64> = (0..8).map(|a| backoff(a).as_secs_f64()).collect();
        assert_eq!(secs, [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 15.0]);
        assert_eq!(backoff(u32::MAX), std::time::Duration::from_secs(15));
    }
}
