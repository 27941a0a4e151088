//! Which rows of the previous version a new version keeps, and the `_ord` of every new row —
//! planned as the matches stream by, in memory bounded by [`WINDOW`] whatever the table's size.
//!
//! The input is the *matches*: pairs `(pos, ord)` of an uploaded row (0-based position in the
//! upload) and a row of the previous version with the same content (same hash, same occurrence
//! number), sorted by `pos`. A match can be kept only if `ord` increases with `pos` and there is
//! room for the new rows in between: `ord2 - ord1 >= pos2 - pos1`, i.e. the *key* `ord - pos`
//! never decreases along the kept rows. The best plan keeps a longest non-decreasing subsequence of
//! the keys; finding it exactly needs a back-link per match (over 30 million rows, hundreds of
//! megabytes), so the plan is made window by window instead:
//!
//! - the longest chain is found within a window of [`WINDOW`] matches, starting no lower than the
//!   last row already kept;
//! - only the part of that chain in the window's first half is kept for good; the second half is
//!   planned again with the next matches. So a single match far out of place at the end of a
//!   window (one row moved from the end of the table to the middle) cannot end the chain high and
//!   make every later row unkeepable: the lookahead shows that skipping it keeps more.
//!
//! The result is optimal whenever the rows that moved lie within half a window of each other
//! (a corrected cell, an appended year, a block inserted or moved locally); a table reordered as a
//! whole keeps a little less than the optimum and inserts the rest again, which costs space, never
//! correctness: any non-decreasing chain gives every version its exact order.

use crate::{StoreError, StoreResult};

use super::ORD_GAP;

/// Matches planned together. The window's memory is about 40 bytes per match (≈ 5 MiB).
pub const WINDOW: usize = 1 << 17;

/// The streaming planner: feed it the matches in `pos` order with [`OrdPlan::push`], then call
/// [`OrdPlan::finish`]; each call returns the matches kept for good, in order. Between them,
/// [`OrdPlan::new_rows_before`] numbers the uploaded rows that are not kept.
#[derive(Debug)]
pub struct OrdPlan {
    /// Matches not yet decided, in `pos` order.
    window: Vec<(i64, i64)>,
    /// The last row kept for good, `(pos, ord)`: later kept rows need a key no lower than its.
    last_kept: Option<(i64, i64)>,
    /// The last kept row the new rows have been numbered up to.
    numbered_before: Option<(i64, i64)>,
    /// The first uploaded position not yet numbered or kept.
    next_pos: i64,
    /// Uploaded rows.
    n: i64,
    /// Planning window (a parameter only so tests can use small ones).
    window_len: usize,
}

impl OrdPlan {
    /// A plan for an upload of `n` rows.
    pub fn new(n: i64) -> OrdPlan {
        OrdPlan::with_window(n, WINDOW)
    }

    /// A plan that decides `window` matches at a time (at least 2).
    pub fn with_window(n: i64, window: usize) -> OrdPlan {
        let window_len = window.max(2);
        OrdPlan {
            window: Vec::with_capacity(window_len),
            last_kept: None,
            numbered_before: None,
            next_pos: 0,
            n,
            window_len,
        }
    }

    /// Add the next matches (continuing in `pos` order); returns those kept for good so far.
    pub fn push(&mut self, matches: &[(i64, i64)]) -> Vec<(i64, i64)> {
        let mut kept = vec![];
        for &m in matches {
            self.window.push(m);
            if self.window.len() == self.window_len {
                // Keep the chain's part in the first half; plan the second half again.
                let half = self.window_len / 2;
                let horizon = self.window[half].0;
                kept.extend(self.decide(|pos| pos < horizon));
                self.window.drain(..half);
            }
        }
        kept
    }

    /// No more matches: returns the rest of the rows kept.
    pub fn finish(&mut self) -> Vec<(i64, i64)> {
        let kept = self.decide(|_| true);
        self.window.clear();
        kept
    }

    /// The longest chain of the window that starts no lower than the last kept row; its members
    /// for which `commit(pos)` holds become kept for good.
    fn decide(&mut self, commit: impl Fn(i64) -> bool) -> Vec<(i64, i64)> {
        let floor = self.last_kept.map(|(p, o)| o.saturating_sub(p));
        // Matches that could still follow the kept rows, with their keys.
        let (cands, keys): (Vec<(i64, i64)>, Vec<i64>) = self
            .window
            .iter()
            .map(|&(p, o)| ((p, o), o.saturating_sub(p)))
            .filter(|&(_, key)| floor.is_none_or(|f| key >= f))
            .unzip();
        // tails[k]: index of the candidate ending the best chain of length k+1 (smallest key);
        // prev: the candidate before it in that chain. Indexes fit u32: a window is far smaller.
        let mut tails: Vec<u32> = Vec::new();
        let mut prev: Vec<u32> = vec![u32::MAX; cands.len()];
        for (i, key) in keys.iter().enumerate() {
            // First chain whose tail key is greater than ours (non-decreasing chains may repeat).
            let at = tails.partition_point(|&t| keys[t as usize] <= *key);
            if at > 0 {
                prev[i] = tails[at - 1];
            }
            if at == tails.len() {
                tails.push(i as u32);
            } else {
                tails[at] = i as u32;
            }
        }
        let mut chain = vec![];
        let mut cur = tails.last().copied();
        while let Some(i) = cur {
            chain.push(cands[i as usize]);
            cur = Some(prev[i as usize]).filter(|&p| p != u32::MAX);
        }
        chain.reverse();
        chain.retain(|&(p, _)| commit(p));
        if let Some(&last) = chain.last() {
            self.last_kept = Some(last);
        }
        chain
    }

    /// The uploaded rows from the first one not yet numbered up to the kept row `next` (all the
    /// rest when `None`), each with its `_ord`: spaced [`ORD_GAP`] apart before the first and after
    /// the last kept row, spread evenly between two kept rows. Call it with each kept row in turn
    /// (as [`OrdPlan::push`] and [`OrdPlan::finish`] return them), then once with `None`.
    pub fn new_rows_before(&mut self, next: Option<(i64, i64)>) -> NewOrds {
        let end = next.map_or(self.n, |(p, _)| p);
        let rows = NewOrds {
            pos: self.next_pos,
            end,
            before: self.numbered_before,
            after: next,
        };
        self.next_pos = end.saturating_add(1);
        self.numbered_before = next;
        rows
    }
}

/// Where a backend keeps a merge's working tables (see [`plan_merge`]).
#[async_trait::async_trait]
pub trait MergeTables: Send {
    /// Up to `limit` matches `(pos, ord)` with `pos > after`, in `pos` order.
    async fn matches_after(&mut self, after: i64, limit: usize) -> StoreResult<Vec<(i64, i64)>>;
    /// Record the `_ord` of rows of the previous version that the new version keeps.
    async fn keep(&mut self, ords: &[i64]) -> StoreResult<()>;
    /// Record the `_ord` of new rows, as `(pos, ord)`.
    async fn number(&mut self, rows: &[(i64, i64)]) -> StoreResult<()>;
}

/// Matches read at a time by [`plan_merge`].
const MATCH_PAGE: usize = 16_384;
/// Kept or numbered rows handed to [`MergeTables`] at a time.
const WRITE_BATCH: usize = 16_384;

/// Plan the merge of an upload of `n` rows whose matches `tables` holds: every kept row's `_ord`
/// goes to [`MergeTables::keep`], every other row's new `_ord` to [`MergeTables::number`]. Memory
/// stays bounded whatever `n` (a window of matches and a batch of each output).
pub async fn plan_merge(tables: &mut dyn MergeTables, n: i64) -> StoreResult<()> {
    let mut plan = OrdPlan::new(n);
    let mut keep: Vec<i64> = Vec::with_capacity(WRITE_BATCH);
    let mut numbered: Vec<(i64, i64)> = Vec::with_capacity(WRITE_BATCH);
    let mut after = -1i64;
    loop {
        let page = tables.matches_after(after, MATCH_PAGE).await?;
        let kept = match page.last() {
            Some(&(last, _)) => {
                after = last;
                plan.push(&page)
            }
            None => plan.finish(),
        };
        for k in kept
            .into_iter()
            .map(Some)
            .chain(page.is_empty().then_some(None))
        {
            for row in plan.new_rows_before(k) {
                numbered.push(row?);
                if numbered.len() == WRITE_BATCH {
                    tables.number(&numbered).await?;
                    numbered.clear();
                }
            }
            if let Some((_, ord)) = k {
                keep.push(ord);
                if keep.len() == WRITE_BATCH {
                    tables.keep(&keep).await?;
                    keep.clear();
                }
            }
        }
        if page.is_empty() {
            break;
        }
    }
    if !keep.is_empty() {
        tables.keep(&keep).await?;
    }
    if !numbered.is_empty() {
        tables.number(&numbered).await?;
    }
    Ok(())
}

/// The new rows between two kept ones, with their `_ord` (see [`OrdPlan::new_rows_before`]).
#[derive(Debug, Clone)]
pub struct NewOrds {
    pos: i64,
    end: i64,
    before: Option<(i64, i64)>,
    after: Option<(i64, i64)>,
}

impl Iterator for NewOrds {
    type Item = Result<(i64, i64), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let pos = self.pos;
        self.pos += 1;
        Some(ord_between(pos, self.before, self.after).map(|ord| (pos, ord)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(0);
        (left, Some(left))
    }
}

/// The `_ord` of a new row at `pos` between the kept rows `before` and `after`.
fn ord_between(
    pos: i64,
    before: Option<(i64, i64)>,
    after: Option<(i64, i64)>,
) -> Result<i64, StoreError> {
    let overflow = || StoreError::Backend("row order numbers exhausted".to_string());
    match (before, after) {
        (None, None) => pos.checked_mul(ORD_GAP).ok_or_else(overflow),
        (None, Some((bp, bo))) => (bp - pos)
            .checked_mul(ORD_GAP)
            .and_then(|d| bo.checked_sub(d))
            .ok_or_else(overflow),
        (Some((ap, ao)), None) => (pos - ap)
            .checked_mul(ORD_GAP)
            .and_then(|d| ao.checked_add(d))
            .ok_or_else(overflow),
        (Some((ap, ao)), Some((bp, bo))) => {
            // bo - ao >= bp - ap (the keys never decrease along kept rows), so these are distinct
            // and strictly between.
            let off = (pos - ap) as i128 * (bo - ao) as i128 / (bp - ap) as i128;
            i64::try_from(ao as i128 + off).map_err(|_| overflow())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run a whole plan: every uploaded position with its `_ord`, and which positions were kept.
    fn plan(n: i64, matches: &[(i64, i64)], window: usize) -> (Vec<i64>, Vec<i64>) {
        let mut plan = OrdPlan::with_window(n, window);
        let mut ords = vec![];
        let mut kept_pos = vec![];
        let mut take = |plan: &mut OrdPlan, kept: Vec<(i64, i64)>| {
            for k in kept {
                ords.extend(plan.new_rows_before(Some(k)).map(|r| r.unwrap().1));
                ords.push(k.1);
                kept_pos.push(k.0);
            }
        };
        for chunk in matches.chunks(3) {
            let kept = plan.push(chunk);
            take(&mut plan, kept);
        }
        let kept = plan.finish();
        take(&mut plan, kept);
        ords.extend(plan.new_rows_before(None).map(|r| r.unwrap().1));
        (ords, kept_pos)
    }

    #[test]
    fn keeps_rows_in_order_and_interpolates_new_ones() {
        // Old rows A B C D at ords 0, G, 2G, 3G; upload D A X B C Y: D moved, X and Y new.
        let g = ORD_GAP;
        let matches = [(0, 3 * g), (1, 0), (3, g), (4, 2 * g)];
        let (ords, kept) = plan(6, &matches, WINDOW);
        assert_eq!(kept, [1, 3, 4]);
        assert!(ords[0] < 0 && 0 < ords[2] && ords[2] < g, "{ords:?}");
        assert_eq!(ords[5], 3 * g);
        assert!(ords.windows(2).all(|w| w[0] < w[1]), "{ords:?}");
    }

    #[test]
    fn no_room_means_not_kept() {
        // Two old rows with adjacent ords and two new rows uploaded between them.
        let (ords, kept) = plan(4, &[(0, 10), (3, 11)], WINDOW);
        assert_eq!(kept.len(), 1);
        assert!(ords.windows(2).all(|w| w[0] < w[1]), "{ords:?}");
    }

    #[test]
    fn no_matches_numbers_every_row_fresh() {
        let (ords, kept) = plan(3, &[], 4);
        assert!(kept.is_empty());
        assert_eq!(ords, [0, ORD_GAP, 2 * ORD_GAP]);
    }

    #[test]
    fn one_row_moved_from_the_end_does_not_block_the_rest() {
        // 100 old rows; the last one is uploaded at the end of the first window. Keeping it would
        // leave no later row keepable: the lookahead must skip it.
        let g = ORD_GAP;
        let mut matches: Vec<(i64, i64)> = (0..7).map(|i| (i, i * g)).collect();
        matches.push((7, 99 * g));
        matches.extend((8..100).map(|i| (i, (i - 1) * g)));
        let (ords, kept) = plan(100, &matches, 8);
        assert_eq!(kept.len(), 99, "{kept:?}");
        assert!(!kept.contains(&7));
        assert!(ords.windows(2).all(|w| w[0] < w[1]), "{ords:?}");
    }

    #[test]
    fn windows_give_a_valid_order_and_local_moves_stay_optimal() {
        // A pseudo-random upload against 2,000 old rows: blocks moved locally, rows dropped, new
        // rows inserted, a few rows moved far. Whatever the window, every version's order must come
        // out exact (all ords strictly increasing by position); a window as large as the input is
        // the exact optimum, and local moves lose nothing with small windows either.
        let g = ORD_GAP;
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rnd = move |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let mut upload: Vec<Option<i64>> = (0..2000).map(Some).collect();
        for _ in 0..60 {
            let at = rnd(upload.len() as u64 - 10) as usize;
            match rnd(4) {
                0 => upload.swap(at, at + 1 + rnd(8) as usize),
                1 => {
                    upload.remove(at);
                }
                _ => upload.insert(at, None),
            }
        }
        let local: Vec<(i64, i64)> = upload
            .iter()
            .enumerate()
            .filter_map(|(p, o)| o.map(|o| (p as i64, o * g)))
            .collect();
        let n = upload.len() as i64;
        let (_, best) = plan(n, &local, 1 << 20);
        for window in [2, 3, 16, 64, 1000] {
            let (ords, kept) = plan(n, &local, window);
            assert_eq!(ords.len() as i64, n);
            assert!(ords.windows(2).all(|w| w[0] < w[1]), "window {window}");
            if window >= 64 {
                assert_eq!(kept.len(), best.len(), "window {window}");
            }
        }
        // Far moves: still exact order, and most rows kept.
        let mut far = upload.clone();
        for _ in 0..20 {
            let a = rnd(far.len() as u64) as usize;
            let b = rnd(far.len() as u64) as usize;
            far.swap(a, b);
        }
        let matches: Vec<(i64, i64)> = far
            .iter()
            .enumerate()
            .filter_map(|(p, o)| o.map(|o| (p as i64, o * g)))
            .collect();
        let (ords, kept) = plan(n, &matches, 64);
        assert!(ords.windows(2).all(|w| w[0] < w[1]));
        assert!(
            kept.len() * 10 > matches.len() * 9,
            "{} of {}",
            kept.len(),
            matches.len()
        );
    }
}
