//! The claim digest's words (status now and since when, shares, changes, the completion
//! due date, sources, an open suggestion), laid out in as many rows as the width needs.
//! Here rather than in the drawing, because the layout gives the digest those rows.

use crate::analysis::Digest;
use crate::model::display_safe;
use crate::ui::theme;

/// The most rows the digest's words take; the status strip has a row of its own.
pub const MAX_LINES: usize = 2;

/// One part of the digest: its forms, longest first (a list of sources can drop names),
/// each with its width, measured once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    forms: Vec<(String, usize)>,
}

impl Part {
    pub fn new(forms: Vec<String>) -> Self {
        let forms = forms
            .into_iter()
            .map(|f| {
                let w = crate::wrap::width(&f);
                (f, w)
            })
            .collect();
        Self { forms }
    }
}

/// The digest's parts, most telling first.
pub fn parts(d: &Digest, total: usize) -> Vec<Part> {
    let mut out: Vec<Vec<String>> = Vec::new();
    if let (Some(status), Some(since)) = (&d.status, d.since) {
        out.push(vec![format!(
            "{} {} since {}",
            theme::status_symbol(status),
            display_safe(status),
            since.format("%b %-d %H:%M")
        )]);
    }
    if total > 0 {
        let shares: Vec<String> = d
            .share_percents()
            .map(|(s, _, percent)| format!("{}{percent}%", theme::status_symbol(s)))
            .collect();
        out.push(vec![shares.join(" ")]);
    }
    out.push(vec![match (d.changes, d.flip_flops) {
        (0, _) => "never changed".to_owned(),
        (n, true) => format!("{n} changes {}", theme::FLIP_SYMBOL),
        (n, false) => format!("{n} change{}", if n == 1 { "" } else { "s" }),
    }]);
    // The completion due date, in the calendar's mark and words: not a follow-up.
    // Short, it is the deadline, never a bare "due" a follow-up's count could be taken for.
    let completion = |when: String| {
        let due = theme::DUE_DATE_SYMBOL;
        vec![
            format!("{due} completion due {when}"),
            format!("{due} deadline {when}"),
        ]
    };
    match d.days_past_due {
        Some(n) if n > 0 => out.push(completion(format!("{n}d ago"))),
        Some(0) => out.push(completion("today".to_owned())),
        Some(n) => out.push(completion(format!("in {}d", -n))),
        None => {}
    }
    if d.distinct_sources > 0 {
        let top: Vec<String> = d
            .top_sources
            .iter()
            .map(|(h, n)| format!("{h} ×{n}"))
            .collect();
        let count = crate::model::text::count(d.distinct_sources, "source");
        // With every top source named, then fewer, then only the count.
        let mut forms: Vec<String> = (1..=top.len())
            .rev()
            .map(|k| {
                let more = if k < top.len() {
                    format!(" +{} more", d.distinct_sources - k)
                } else {
                    String::new()
                };
                format!("{count}: {}{more}", top[..k].join(", "))
            })
            .collect();
        forms.push(count);
        out.push(forms);
    }
    if let Some(s) = d.open_suggestion {
        let day = s.format("%b %-d");
        out.push(vec![
            format!("suggests {day} (not on the calendar)"),
            format!("suggests {day}"),
        ]);
    }
    out.into_iter().map(Part::new).collect()
}

/// The parts joined by ` · ` in rows of `width` columns: a part that does not fit starts
/// the next row, up to [`MAX_LINES`]. While the last row is too long, the last part that
/// has a shorter form takes it (a list of sources names fewer), so the end is seldom cut.
pub fn lines(parts: &[Part], width: usize) -> Vec<String> {
    let choice = choose(parts, width);
    let mut rows: Vec<String> = Vec::new();
    for (part, (c, new_row)) in parts.iter().zip(layout(parts, &choice, width)) {
        let Some((text, _)) = part.forms.get(c) else {
            continue;
        };
        match rows.last_mut() {
            Some(row) if !new_row => {
                row.push_str(" · ");
                row.push_str(text);
            }
            _ => rows.push(text.clone()),
        }
    }
    if rows.is_empty() {
        rows.push(String::new());
    }
    rows
}

/// How many rows [`lines`] takes (for the layout, which asks at every key).
pub fn rows(parts: &[Part], width: usize) -> usize {
    let choice = choose(parts, width);
    let starts = layout(parts, &choice, width)
        .iter()
        .filter(|(_, new_row)| *new_row)
        .count();
    starts.max(1)
}

/// Which form of each part: the longest, shortened from the last part back while the
/// last row is too long.
fn choose(parts: &[Part], width: usize) -> Vec<usize> {
    let mut choice = vec![0; parts.len()];
    loop {
        let placed = layout(parts, &choice, width);
        let last_row = placed
            .iter()
            .rposition(|(_, new_row)| *new_row)
            .unwrap_or(0);
        let used: usize = (last_row..parts.len())
            .filter_map(|i| parts[i].forms.get(choice[i]).map(|(_, w)| *w))
            .sum::<usize>()
            + 3 * (parts.len().saturating_sub(last_row + 1));
        let shorter = (0..parts.len())
            .rev()
            .find(|&i| choice[i] + 1 < parts[i].forms.len());
        match shorter {
            Some(i) if used > width => choice[i] += 1,
            _ => return choice,
        }
    }
}

/// For each part, its chosen form and whether it starts a row.
fn layout(parts: &[Part], choice: &[usize], width: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(parts.len());
    let (mut rows, mut used) = (0, 0);
    for (part, &c) in parts.iter().zip(choice) {
        let w = part.forms.get(c).map_or(0, |(_, w)| *w);
        let new_row = rows == 0 || (used + 3 + w > width && rows < MAX_LINES);
        if new_row {
            rows += 1;
            used = w;
        } else {
            used += 3 + w;
        }
        out.push((c, new_row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_that_do_not_fit_go_to_the_next_row_never_further() {
        let parts: Vec<Part> = ["aaaa", "bbbb", "cccc", "dddd"]
            .map(|p| Part::new(vec![p.to_owned()]))
            .into();
        assert_eq!(lines(&parts, 40), ["aaaa · bbbb · cccc · dddd"]);
        assert_eq!(lines(&parts, 12), ["aaaa · bbbb", "cccc · dddd"]);
        // Two rows at most: the rest stays on the second, to be cut there.
        assert_eq!(lines(&parts, 4), ["aaaa", "bbbb · cccc · dddd"]);
        // A second row before a shorter form; a shorter form before a cut.
        let parts: Vec<Part> = vec![
            Part::new(vec!["aaaa".into()]),
            Part::new(vec!["b long form".into(), "b".into()]),
        ];
        assert_eq!(lines(&parts, 12), ["aaaa", "b long form"]);
        assert_eq!(lines(&parts, 8), ["aaaa · b"]);
        assert_eq!(
            (rows(&parts, 12), rows(&parts, 8)),
            (2, 1),
            "rows agrees with lines"
        );
        assert_eq!(lines(&parts, 40), ["aaaa · b long form"]);
    }
}
