//! Rate limits of the data API: a token bucket per API token (or logged-in user) and per client
//! address, in process.
//!
//! Each bucket holds up to `burst` requests and refills at `per_second`; a request takes one, or is
//! answered 429 with `Retry-After` (whole seconds until one is back). The buckets live in this
//! process only: with several `satudata serve` nodes behind a load balancer each node limits on its
//! own, so a client gets up to N times the rate. A shared limiter (e.g. in PostgreSQL or a proxy in
//! front) is what a strict limit across nodes would need.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One limit: a sustained rate and the burst allowed on top of it. A rate of 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Requests per second, sustained.
    pub per_second: f64,
    /// Requests allowed at once.
    pub burst: f64,
}

impl Limit {
    /// No limit.
    pub const OFF: Limit = Limit {
        per_second: 0.0,
        burst: 0.0,
    };

    fn is_off(&self) -> bool {
        self.per_second <= 0.0
    }
}

/// The limits of the data API (rows, aggregates and their downloads).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Per client address, for requests without a token or session.
    pub per_ip: Limit,
    /// Per user, for requests with an API token or a session (any of the user's tokens).
    pub per_token: Limit,
    /// Take the client address from the first `X-Forwarded-For` entry (only behind a proxy that
    /// sets it; otherwise clients could choose their own bucket).
    pub trust_forwarded_for: bool,
}

impl Default for RateLimits {
    /// 20 requests per second with bursts of 100 per address; 100 per second with bursts of 500 per
    /// token: far above what a person or a dashboard needs, low enough that one client cannot take
    /// a small server.
    fn default() -> Self {
        RateLimits {
            per_ip: Limit {
                per_second: 20.0,
                burst: 100.0,
            },
            per_token: Limit {
                per_second: 100.0,
                burst: 500.0,
            },
            trust_forwarded_for: false,
        }
    }
}

/// Who a bucket belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    /// A user (token or session).
    User(satudata_core::Id),
    /// An address (anonymous requests).
    Ip(IpAddr),
    /// No address known (a request that did not come over a socket, e.g. in tests).
    Unknown,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets. Old buckets are swept now and then so memory stays bounded.
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<(HashMap<Client, Bucket>, Instant)>,
}

/// The verdict on one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Go ahead; `remaining` requests are left in the bucket (none when unlimited).
    Allow { limit: Option<f64>, remaining: f64 },
    /// Too many; retry after this long.
    Deny { retry_after: Duration, limit: f64 },
}

/// How many buckets before a sweep of the full ones is worth it.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    /// A limiter with these limits.
    pub fn new(limits: RateLimits) -> Self {
        RateLimiter {
            limits,
            buckets: Mutex::new((HashMap::new(), Instant::now())),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Take one request from the client's bucket at `now`.
    pub fn check(&self, client: &Client, now: Instant) -> Verdict {
        let limit = match client {
            Client::User(_) => self.limits.per_token,
            _ => self.limits.per_ip,
        };
        if limit.is_off() {
            return Verdict::Allow {
                limit: None,
                remaining: f64::INFINITY,
            };
        }
        let burst = limit.burst.max(1.0);
        let mut guard = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (buckets, swept) = &mut *guard;
        if buckets.len() >= SWEEP_AT && now.duration_since(*swept) > Duration::from_secs(10) {
            // A bucket that has refilled completely is the same as no bucket.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * limit.per_second < burst
            });
            *swept = now;
        }
        let b = buckets.entry(client.clone()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.saturating_duration_since(b.at).as_secs_f64() * limit.per_second;
        b.tokens = (b.tokens + refill).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Verdict::Allow {
                limit: Some(burst),
                remaining: b.tokens.floor(),
            }
        } else {
            let wait = (1.0 - b.tokens) / limit.per_second;
            Verdict::Deny {
                retry_after: Duration::from_secs_f64(wait.max(0.001)),
                limit: burst,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refills() {
        let l = RateLimiter::new(RateLimits {
            per_ip: Limit {
                per_second: 2.0,
                burst: 3.0,
            },
            ..RateLimits::default()
        });
        let c = Client::Ip("127.0.0.1".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(matches!(l.check(&c, t0), Verdict::Allow { .. }));
        }
        let Verdict::Deny { retry_after, .. } = l.check(&c, t0) else {
            panic!("the fourth request at once is refused");
        };
        assert!(retry_after <= Duration::from_millis(500), "{retry_after:?}");
        assert!(matches!(
            l.check(&c, t0 + Duration::from_millis(500)),
            Verdict::Allow { .. }
        ));
        // Another client has its own bucket; users have theirs.
        assert!(matches!(
            l.check(&Client::Ip("10.0.0.1".parse().unwrap()), t0),
            Verdict::Allow { .. }
        ));
        assert!(matches!(
            l.check(&Client::User(satudata_core::new_id()), t0),
            Verdict::Allow { .. }
        ));
    }

    #[test]
    fn zero_rate_is_no_limit() {
        let l = RateLimiter::new(RateLimits {
            per_ip: Limit::OFF,
            ..RateLimits::default()
        });
        for _ in 0..1000 {
            assert!(matches!(
                l.check(&Client::Unknown, Instant::now()),
                Verdict::Allow { limit: None, .. }
            ));
        }
    }
}
