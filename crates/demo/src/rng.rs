//! A small deterministic pseudo-random generator (splitmix64), keyed by a text.
//!
//! The demo must produce the same data on every run and every machine, so it never uses an
//! OS-seeded generator: each dataset gets its own stream keyed by its slug, so adding or reordering
//! datasets never changes the values of the others.

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough for synthetic figures.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator keyed by `key` (FNV-1a of the key's bytes as the seed).
    pub(crate) fn keyed(key: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Rng(h)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A multiplicative jitter: uniform in [1 − pct, 1 + pct].
    pub(crate) fn jitter(&mut self, pct: f64) -> f64 {
        1.0 + pct * (2.0 * self.unit() - 1.0)
    }

    /// Uniform in 0..n (0 when n is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A Poisson-like count with mean `mean` (normal approximation above 30, exact product method below).
    pub(crate) fn count(&mut self, mean: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        if mean > 30.0 {
            // Box–Muller: a normal draw with the Poisson's variance.
            let u1 = self.unit().max(1e-12);
            let u2 = self.unit();
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            return (mean + z * mean.sqrt()).round().max(0.0);
        }
        let limit = (-mean).exp();
        let mut k = 0.0;
        let mut p = self.unit();
        while p > limit {
            k += 1.0;
            p *= self.unit();
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_stream_different_key_different_stream() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::keyed("jumlah-penduduk");
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::keyed("jumlah-penduduk");
                move |_| r.next_u64()
            })
            .collect();
        let c = Rng::keyed("produksi-padi").next_u64();
        assert_eq!(a, b);
        assert_ne!(a[0], c);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::keyed("x");
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let j = r.jitter(0.1);
            assert!((0.9..=1.1).contains(&j));
            assert!(r.below(7) < 7);
        }
        let mean: f64 = (0..2000).map(|_| r.count(4.0)).sum::<f64>() / 2000.0;
        assert!((3.6..4.4).contains(&mean), "{mean}");
    }
}
