//! What a line's `seq` says about its session: in order, lines lost (a
//! gap), a line out of order (a late line that fills part of a gap) or a
//! line repeated (a `seq` seen before).
//!
//! A gap is only known to be loss at the end of the logs: a line written
//! later may fill it (lines of one session shuffled by whatever copied or
//! merged the log). So gaps are kept open while the logs are read, late
//! lines take their `seq` out of them, and only what is left is reported as
//! lost, on the line that opened the gap.

use std::collections::{BTreeMap, HashMap};

use super::model::Session;
use crate::ops::line::Problem;

/// The gaps of every session, and where each was found.
#[derive(Default)]
pub(super) struct Gaps {
    /// Per session index, the missing ranges still open: first → last.
    open: HashMap<usize, BTreeMap<u64, u64>>,
    /// The gaps found, in the order found.
    found: Vec<Found>,
}

/// A gap as found: on which line, and whether that line had no other
/// problem (then whether it counts as invalid depends on the gap alone).
struct Found {
    file: String,
    line: u64,
    session: usize,
    from: u64,
    to: u64,
    alone: bool,
}

/// A lost range, to report on the line that found it.
pub(super) struct Lost {
    /// The file.
    pub(super) file: String,
    /// The line that found the gap.
    pub(super) line: u64,
    /// `Problem::Gap`.
    pub(super) problem: Problem,
    /// Whether the line has no other problem (and this is its first
    /// range): it becomes an invalid line.
    pub(super) alone: bool,
}

impl Gaps {
    /// Judges `seq`, the session's next line, against what the session
    /// (number `index`) has seen: `None` when it is the next one.
    pub(super) fn check(
        &mut self,
        index: usize,
        session: &mut Session,
        seq: u64,
    ) -> Option<Problem> {
        // Counted in u128: after seq 2^64-1 the next is 2^64, not 0 (or a
        // panic).
        let expected = session.next_seq;
        let wide = u128::from(seq);
        if wide == expected {
            session.next_seq += 1;
            return None;
        }
        if wide > expected {
            // expected < seq <= u64::MAX, so it fits.
            let from = expected as u64;
            self.open.entry(index).or_default().insert(from, seq - 1);
            session.next_seq = wide + 1;
            return Some(Problem::Gap {
                session: session.id.clone(),
                from,
                to: seq - 1,
            });
        }
        session.out_of_order += 1;
        // The highest seq seen: expected is at least 1 here.
        let after = u64::try_from(expected - 1).unwrap_or(u64::MAX);
        if self.fill(index, seq) {
            return Some(Problem::SeqLate {
                session: session.id.clone(),
                seq,
                after,
            });
        }
        Some(Problem::SeqRepeated {
            session: session.id.clone(),
            seq,
            after,
        })
    }

    /// Takes `seq` out of the session's open gaps: whether it was in one.
    fn fill(&mut self, index: usize, seq: u64) -> bool {
        let Some(open) = self.open.get_mut(&index) else {
            return false;
        };
        let Some((&from, &to)) = open.range(..=seq).next_back() else {
            return false;
        };
        if to < seq {
            return false;
        }
        open.remove(&from);
        if from < seq {
            open.insert(from, seq - 1);
        }
        if seq < to {
            open.insert(seq + 1, to);
        }
        true
    }

    /// Remembers the gap `problem` (a `Problem::Gap` from [`Gaps::check`])
    /// found on `line` of `file`, to report at the end what stays open.
    pub(super) fn found(
        &mut self,
        file: &str,
        line: u64,
        index: usize,
        problem: &Problem,
        alone: bool,
    ) {
        if let Problem::Gap { from, to, .. } = *problem {
            self.found.push(Found {
                file: file.to_string(),
                line,
                session: index,
                from,
                to,
                alone,
            });
        }
    }

    /// At the end of the logs: each session's lost ranges into its
    /// `gaps`, and what to report, each range on the line that found it.
    pub(super) fn finish(mut self, sessions: &mut [Session]) -> Vec<Lost> {
        let mut lost = Vec::new();
        for found in &self.found {
            let Some(open) = self.open.get(&found.session) else {
                continue;
            };
            // What is left of a gap lies within it: the ranges starting in
            // it. The line counts as invalid once, however many are left.
            for (i, (&from, &to)) in open.range(found.from..=found.to).enumerate() {
                lost.push(Lost {
                    file: found.file.clone(),
                    line: found.line,
                    problem: Problem::Gap {
                        session: sessions[found.session].id.clone(),
                        from,
                        to,
                    },
                    alone: found.alone && i == 0,
                });
            }
        }
        for (index, open) in self.open.drain() {
            sessions[index].gaps = open.into_iter().collect();
        }
        lost
    }
}
