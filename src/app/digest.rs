//! The claim digest's words (status now and since when, shares, changes, the completion
//! due date, sources, an open suggestion), laid out in as many rows as the width needs.
//! Here rather than in the drawing, because the layout gives the digest those rows.

use crate::analysis::Digest;
use crate::model::display_safe;
use crate::ui::theme;

/// The most rows the digest's words take; the status strip has a row of its own.
pub const MAX_LINES: usize = 2;

/// One part of the digest: its forms, longest first (a list of sources can drop names).
pub type Part = Vec<String>;

/// The digest's parts, most telling first.
pub fn parts(d: &Digest, total: usize) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
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
            .shares
            .iter()
            .map(|(s, n)| {
                format!(
                    "{}{}%",
                    theme::status_symbol(s),
                    (n * 100 + total / 2) / total
                )
            })
            .collect();
        out.push(vec![shares.join(" ")]);
    }
    out.push(vec![match (d.changes, d.flip_flops) {
        (0, _) => "never changed".to_owned(),
        (n, true) => format!("{n} changes {}", theme::FLIP_SYMBOL),
        (n, false) => format!("{n} change{}", if n == 1 { "" } else { "s" }),
    }]);
    // The completion due date, in the calendar's mark and words: not a follow-up.
    let completion = |when: String| {
        let due = theme::DUE_DATE_SYMBOL;
        vec![format!("{due} completion {when}"), format!("{due} {when}")]
    };
    match d.days_past_due {
        Some(n) if n > 0 => out.push(completion(format!("due {n}d ago"))),
        Some(0) => out.push(completion("due today".to_owned())),
        Some(n) => out.push(completion(format!("due in {}d", -n))),
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
        let mut forms: Part = (1..=top.len())
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
    out
}

/// The parts joined by ` · ` in rows of `width` columns: a part that does not fit starts
/// the next row, up to [`MAX_LINES`]. While the last row is too long, the last part that
/// has a shorter form takes it (a list of sources names fewer), so the end is seldom cut.
pub fn lines(parts: &[Part], width: usize) -> Vec<String> {
    let mut choice = vec![0; parts.len()];
    loop {
        let rows = layout(parts, &choice, width);
        let over = rows.last().is_some_and(|r| crate::wrap::width(r) > width);
        let shorter = (0..parts.len())
            .rev()
            .find(|&i| choice[i] + 1 < parts[i].len());
        match shorter {
            Some(i) if over => choice[i] += 1,
            _ => return rows,
        }
    }
}

/// The rows for one choice of forms.
fn layout(parts: &[Part], choice: &[usize], width: usize) -> Vec<String> {
    let mut rows: Vec<String> = vec![String::new()];
    for (forms, &c) in parts.iter().zip(choice) {
        let Some(part) = forms.get(c) else { continue };
        let count = rows.len();
        let Some(row) = rows.last_mut() else { break };
        let used = crate::wrap::width(row);
        if used > 0 && used + 3 + crate::wrap::width(part) > width && count < MAX_LINES {
            rows.push(part.clone());
            continue;
        }
        if used > 0 {
            row.push_str(" · ");
        }
        row.push_str(part);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_that_do_not_fit_go_to_the_next_row_never_further() {
        let parts: Vec<Part> = ["aaaa", "bbbb", "cccc", "dddd"]
            .map(|p| vec![p.to_owned()])
            .into();
        assert_eq!(lines(&parts, 40), ["aaaa · bbbb · cccc · dddd"]);
        assert_eq!(lines(&parts, 12), ["aaaa · bbbb", "cccc · dddd"]);
        // Two rows at most: the rest stays on the second, to be cut there.
        assert_eq!(lines(&parts, 4), ["aaaa", "bbbb · cccc · dddd"]);
        // A second row before a shorter form; a shorter form before a cut.
        let parts: Vec<Part> = vec![vec!["aaaa".into()], vec!["b long form".into(), "b".into()]];
        assert_eq!(lines(&parts, 12), ["aaaa", "b long form"]);
        assert_eq!(lines(&parts, 8), ["aaaa · b"]);
        assert_eq!(lines(&parts, 40), ["aaaa · b long form"]);
    }
}
