//! Sizes and durations as the kit writes them for a student: one place, so that a limit
//! reads the same in every message that names it.
use std::time::Duration;

/// A size as exact as it was set: "1 MiB", "64 KiB", "1000 bytes".
pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// A size measured rather than set, to a tenth of a MiB: "1.3 MiB", "2 MiB".
pub fn mib_tenths(n: u64) -> String {
    format!("{} MiB", (n as f64 / 1048576.0 * 10.0).round() / 10.0)
}

/// A limit in seconds as `exercise.toml` gives it: "10 s", "0.5 s".
pub fn secs(limit: f64) -> String {
    format!("{limit} s")
}

/// A duration in whole seconds, cut down: "12 s".
pub fn whole_secs(d: Duration) -> String {
    format!("{} s", d.as_secs())
}

/// A duration in whole milliseconds, cut down: "840 ms".
pub fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_as_set() {
        assert_eq!(human_bytes(1 << 20), "1 MiB");
        assert_eq!(human_bytes(3 << 30), "3072 MiB");
        assert_eq!(human_bytes(64 << 10), "64 KiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
        assert_eq!(mib_tenths(1_363_149), "1.3 MiB");
        assert_eq!(mib_tenths(2 << 20), "2 MiB");
        assert_eq!(secs(10.0), "10 s");
        assert_eq!(secs(0.5), "0.5 s");
        assert_eq!(whole_secs(Duration::from_millis(12_900)), "12 s");
        assert_eq!(millis(Duration::from_micros(840_999)), "840 ms");
    }
}
