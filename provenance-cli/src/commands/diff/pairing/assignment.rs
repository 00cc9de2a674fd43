//! The assignment of least total cost (the Hungarian method, in the
//! O(n²·m) form with potentials): which column each row is paired with
//! so that the sum of the pairs' costs is the smallest possible.

/// Pairs each row of `cost` (rows × columns, every row as long) with a
/// column, or each column with a row when there are fewer columns, so that
/// the total cost is the least possible: `(row, column)` pairs, as many as
/// the smaller side has, in row order.
pub fn min_total(cost: &[Vec<i64>]) -> Vec<(usize, usize)> {
    let rows = cost.len();
    let columns = cost.first().map_or(0, Vec::len);
    if rows == 0 || columns == 0 {
        return Vec::new();
    }
    if rows > columns {
        let transposed: Vec<Vec<i64>> = (0..columns)
            .map(|c| (0..rows).map(|r| cost[r][c]).collect())
            .collect();
        let mut pairs: Vec<(usize, usize)> = min_total(&transposed)
            .into_iter()
            .map(|(c, r)| (r, c))
            .collect();
        pairs.sort_unstable();
        return pairs;
    }
    // 1-based, with row 0 / column 0 as the free slot.
    let (n, m) = (rows, columns);
    let (mut u, mut v) = (vec![0i64; n + 1], vec![0i64; m + 1]);
    let (mut row_of, mut way) = (vec![0usize; m + 1], vec![0usize; m + 1]);
    for i in 1..=n {
        row_of[0] = i;
        let mut j0 = 0;
        let mut min_v = vec![i64::MAX; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = row_of[j0];
            let (mut delta, mut j1) = (i64::MAX, 0);
            for j in 1..=m {
                if used[j] {
                    continue;
                }
                let reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
                if reduced < min_v[j] {
                    min_v[j] = reduced;
                    way[j] = j0;
                }
                if min_v[j] < delta {
                    delta = min_v[j];
                    j1 = j;
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_v[j] -= delta;
                }
            }
            j0 = j1;
            if row_of[j0] == 0 {
                break;
            }
        }
        while j0 != 0 {
            let j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        }
    }
    let mut pairs: Vec<(usize, usize)> = (1..=m)
        .filter(|&j| row_of[j] != 0)
        .map(|j| (row_of[j] - 1, j - 1))
        .collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::min_total;

    fn total(cost: &[Vec<i64>], pairs: &[(usize, usize)]) -> i64 {
        pairs.iter().map(|&(r, c)| cost[r][c]).sum()
    }

    /// The least total over every assignment, by trying them all.
    fn brute(cost: &[Vec<i64>]) -> i64 {
        fn go(cost: &[Vec<i64>], row: usize, used: &mut Vec<bool>) -> i64 {
            if row == cost.len() {
                return 0;
            }
            let mut best = i64::MAX;
            for c in 0..used.len() {
                if !used[c] {
                    used[c] = true;
                    best = best.min(cost[row][c] + go(cost, row + 1, used));
                    used[c] = false;
                }
            }
            best
        }
        go(cost, 0, &mut vec![false; cost[0].len()])
    }

    #[test]
    fn finds_the_least_total_of_small_matrices() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((seed >> 33) % 10) as i64
        };
        for rows in 1..=4 {
            for columns in rows..=5 {
                let cost: Vec<Vec<i64>> = (0..rows)
                    .map(|_| (0..columns).map(|_| next()).collect())
                    .collect();
                let pairs = min_total(&cost);
                assert_eq!(pairs.len(), rows);
                assert_eq!(total(&cost, &pairs), brute(&cost), "{cost:?}");
                let transposed: Vec<Vec<i64>> = (0..columns)
                    .map(|c| (0..rows).map(|r| cost[r][c]).collect())
                    .collect();
                let back = min_total(&transposed);
                assert_eq!(back.len(), rows);
                assert_eq!(total(&transposed, &back), brute(&cost), "{cost:?}");
            }
        }
        assert!(min_total(&[]).is_empty());
    }
}
