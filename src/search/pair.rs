//! Candidates for an ASCII case-insensitive needle, 32 bytes at a time: the positions
//! where two of its rarer bytes both sit at their distance in the haystack.

/// Two of a needle's bytes (by their offsets in it) and how each is compared: a letter
/// with its case folded away (`| 0x20`), anything else exactly.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    offsets: [usize; 2],
    fold: [u8; 2],
    lower: [u8; 2],
}

impl Pair {
    /// The pair for `lower` (the lower-cased needle), its two rarest bytes by `rank`
    /// (lower is rarer), at different offsets and different bytes where it has them.
    pub(super) fn of(lower: &[u8], rank: impl Fn(u8) -> u8) -> Option<Self> {
        if lower.len() < 2 {
            return None;
        }
        let mut by_rarity: Vec<usize> = (0..lower.len()).collect();
        by_rarity.sort_by_key(|&i| rank(lower[i]));
        let first = by_rarity[0];
        let second = by_rarity[1..]
            .iter()
            .copied()
            .find(|&i| lower[i] != lower[first])
            .unwrap_or(by_rarity[1]);
        let offsets = [first, second];
        let fold = offsets.map(|i| {
            if lower[i].is_ascii_alphabetic() {
                0x20
            } else {
                0
            }
        });
        Some(Self {
            offsets,
            fold,
            lower: offsets.map(|i| lower[i]),
        })
    }

    /// The offset of the needle's rarest byte.
    pub(super) fn rarest(&self) -> usize {
        self.offsets[0]
    }

    /// The first start in `haystack` where `needle` (lower-cased) matches, ignoring ASCII
    /// case, among the starts whose 32-byte blocks fit; with where the blocks ended, from
    /// which the caller looks at the rest another way.
    pub(super) fn find(&self, haystack: &[u8], needle: &[u8]) -> (Option<usize>, usize) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.find_avx2(haystack, needle) };
        }
        (None, 0)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn find_avx2(&self, haystack: &[u8], needle: &[u8]) -> (Option<usize>, usize) {
        use std::arch::x86_64::{
            __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
            _mm256_or_si256, _mm256_set1_epi8,
        };
        let [o1, o2] = self.offsets;
        let reach = o1.max(o2) + 32;
        let (f1, f2) = (
            _mm256_set1_epi8(self.fold[0] as i8),
            _mm256_set1_epi8(self.fold[1] as i8),
        );
        let (l1, l2) = (
            _mm256_set1_epi8(self.lower[0] as i8),
            _mm256_set1_epi8(self.lower[1] as i8),
        );
        let mut at = 0;
        while at + reach <= haystack.len() {
            // SAFETY: `at + o + 32 <= at + reach <= len` for both offsets: each unaligned
            // 32-byte load lies inside `haystack`.
            let (a, b) = unsafe {
                (
                    _mm256_loadu_si256(haystack.as_ptr().add(at + o1).cast::<__m256i>()),
                    _mm256_loadu_si256(haystack.as_ptr().add(at + o2).cast::<__m256i>()),
                )
            };
            let both = _mm256_and_si256(
                _mm256_cmpeq_epi8(_mm256_or_si256(a, f1), l1),
                _mm256_cmpeq_epi8(_mm256_or_si256(b, f2), l2),
            );
            let mut bits = _mm256_movemask_epi8(both) as u32;
            while bits != 0 {
                let start = at + bits.trailing_zeros() as usize;
                if haystack
                    .get(start..start + needle.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(needle))
                {
                    return (Some(start), at);
                }
                bits &= bits - 1;
            }
            at += 32;
        }
        (None, at)
    }
}
