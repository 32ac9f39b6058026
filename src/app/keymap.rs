//! Which keys name which actions, in each context. This one table drives key handling,
//! the help overlay, the status-bar hints, the README's key list and `snapshot --keys`.

use super::action::Action;
use super::state::{Overlay, Pane, Question, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere no overlay is open.
    Global,
    Pane(Pane),
    Reader,
    Reviews,
    Details,
    Agenda,
    Picker,
    /// The multi-line rationale editor; other keys type.
    Rationale,
    /// A one-line input (notes, titles, tags); other keys type.
    Input,
    Filter,
    Confirm,
    /// The question after an outside change to the file.
    Conflict,
    /// The search line; other keys type.
    Search,
    Help,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Pane(p) => p.title(),
            Self::Reader => "Update reader",
            Self::Reviews => "Review history",
            Self::Details => "Claim details",
            Self::Agenda => "Agenda",
            Self::Picker => "Verdict picker",
            Self::Rationale => "Rationale editor",
            Self::Input => "One-line input",
            Self::Filter => "Filter menu",
            Self::Confirm => "Questions",
            Self::Conflict => "File changed on disk",
            Self::Search => "Search line",
            Self::Help => "This help",
        }
    }

    /// Keys not bound here are typed into the text being edited.
    pub fn types_text(self) -> bool {
        matches!(self, Self::Rationale | Self::Input | Self::Search)
    }
}

/// Keys (by name) bound to an action in a scope.
#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [&'static str],
    pub action: Action,
}

const fn bind(scope: Scope, keys: &'static [&'static str], action: Action) -> Binding {
    Binding {
        scope,
        keys,
        action,
    }
}

const CLAIMS: Scope = Scope::Pane(Pane::Claims);
const TIMELINE: Scope = Scope::Pane(Pane::Timeline);
const CALENDAR: Scope = Scope::Pane(Pane::Calendar);

/// Every binding, in the order the help overlay lists them. Earlier entries win.
pub static BINDINGS: &[Binding] = &[
    bind(Scope::Global, &["Tab"], Action::FocusNext),
    bind(Scope::Global, &["S-Tab"], Action::FocusPrev),
    bind(Scope::Global, &["+"], Action::ToggleZoom),
    bind(Scope::Global, &["v"], Action::OpenVerdict),
    bind(Scope::Global, &["V"], Action::OpenVerdictThenNext),
    bind(Scope::Global, &["]"], Action::NextNeedsReview),
    bind(Scope::Global, &["["], Action::PrevNeedsReview),
    bind(Scope::Global, &["r"], Action::ShowReviews),
    bind(Scope::Global, &["i"], Action::ShowDetails),
    bind(Scope::Global, &["A"], Action::ShowAgenda),
    bind(Scope::Global, &["y"], Action::Copy),
    bind(Scope::Global, &["o"], Action::OpenSource),
    bind(Scope::Global, &["/"], Action::OpenSearch),
    bind(Scope::Global, &["Esc"], Action::ClearSearch),
    bind(Scope::Global, &["w"], Action::FirstNew),
    bind(Scope::Global, &["T"], Action::EditTags),
    bind(Scope::Global, &["u"], Action::Undo),
    bind(Scope::Global, &["C-r"], Action::Redo),
    bind(Scope::Global, &["C-s"], Action::Save),
    bind(Scope::Global, &["?"], Action::ToggleHelp),
    bind(Scope::Global, &["q", "C-c"], Action::Quit),
    bind(Scope::Global, &["C-z"], Action::Suspend),
    bind(CLAIMS, &["j", "Down"], Action::Down),
    bind(CLAIMS, &["k", "Up"], Action::Up),
    bind(CLAIMS, &["g", "Home"], Action::First),
    bind(CLAIMS, &["G", "End"], Action::Last),
    bind(CLAIMS, &["PgDn"], Action::PageDown),
    bind(CLAIMS, &["PgUp"], Action::PageUp),
    bind(CLAIMS, &["C-d"], Action::HalfPageDown),
    bind(CLAIMS, &["C-u"], Action::HalfPageUp),
    bind(CLAIMS, &["Enter"], Action::FocusNext),
    bind(CLAIMS, &["e"], Action::EditTitle),
    bind(CLAIMS, &["s"], Action::CycleSort),
    bind(CLAIMS, &["f"], Action::OpenFilter),
    bind(TIMELINE, &["j", "Down"], Action::Down),
    bind(TIMELINE, &["k", "Up"], Action::Up),
    bind(TIMELINE, &["g", "Home"], Action::First),
    bind(TIMELINE, &["G", "End"], Action::Last),
    bind(TIMELINE, &["PgDn"], Action::PageDown),
    bind(TIMELINE, &["PgUp"], Action::PageUp),
    bind(TIMELINE, &["C-d"], Action::HalfPageDown),
    bind(TIMELINE, &["C-u"], Action::HalfPageUp),
    bind(TIMELINE, &["Enter"], Action::Open),
    bind(TIMELINE, &["a"], Action::AcceptSuggestion),
    bind(TIMELINE, &["Space"], Action::ToggleRun),
    bind(TIMELINE, &["z"], Action::ToggleFolding),
    bind(TIMELINE, &["n"], Action::NextMatch),
    bind(TIMELINE, &["N"], Action::PrevMatch),
    bind(CALENDAR, &["h", "Left"], Action::PrevDay),
    bind(CALENDAR, &["l", "Right"], Action::NextDay),
    bind(CALENDAR, &["k", "Up"], Action::PrevWeek),
    bind(CALENDAR, &["j", "Down"], Action::NextWeek),
    bind(CALENDAR, &["PgUp", "<"], Action::PrevMonth),
    bind(CALENDAR, &["PgDn", ">"], Action::NextMonth),
    bind(CALENDAR, &["t"], Action::Today),
    bind(CALENDAR, &["g", ":"], Action::GoToDayPrompt),
    bind(CALENDAR, &["a"], Action::AddFollowUp),
    bind(CALENDAR, &["x"], Action::ToggleDone),
    bind(CALENDAR, &["c"], Action::CancelFollowUp),
    bind(CALENDAR, &["e"], Action::EditNote),
    bind(CALENDAR, &["H"], Action::MoveFollowUp(-1)),
    bind(CALENDAR, &["L"], Action::MoveFollowUp(1)),
    bind(CALENDAR, &["K"], Action::MoveFollowUp(-7)),
    bind(CALENDAR, &["J"], Action::MoveFollowUp(7)),
    bind(CALENDAR, &["d"], Action::DeleteFollowUp),
    bind(Scope::Picker, &["1"], Action::PickVerdict(0)),
    bind(Scope::Picker, &["2"], Action::PickVerdict(1)),
    bind(Scope::Picker, &["3"], Action::PickVerdict(2)),
    bind(Scope::Picker, &["4"], Action::PickVerdict(3)),
    bind(Scope::Picker, &["5"], Action::PickVerdict(4)),
    bind(Scope::Picker, &["6"], Action::PickVerdict(5)),
    bind(Scope::Picker, &["j", "Down"], Action::Down),
    bind(Scope::Picker, &["k", "Up"], Action::Up),
    bind(Scope::Picker, &["Enter"], Action::Choose),
    bind(Scope::Picker, &["Esc", "q"], Action::Close),
    bind(Scope::Rationale, &["C-s", "A-Enter"], Action::Submit),
    bind(Scope::Rationale, &["Esc", "C-c"], Action::Cancel),
    bind(Scope::Rationale, &["C-z"], Action::Suspend),
    bind(Scope::Search, &["Enter"], Action::Submit),
    bind(Scope::Search, &["Esc", "C-c"], Action::Cancel),
    bind(Scope::Search, &["C-z"], Action::Suspend),
    bind(Scope::Input, &["Enter"], Action::Submit),
    bind(Scope::Input, &["Esc", "C-c"], Action::Cancel),
    bind(Scope::Input, &["C-z"], Action::Suspend),
    bind(Scope::Filter, &["j", "Down"], Action::Down),
    bind(Scope::Filter, &["k", "Up"], Action::Up),
    bind(Scope::Filter, &["Enter"], Action::Choose),
    bind(Scope::Filter, &["Esc", "q"], Action::Close),
    bind(Scope::Confirm, &["y"], Action::Yes),
    bind(Scope::Confirm, &["n", "Esc"], Action::No),
    bind(Scope::Confirm, &["s"], Action::SaveAndQuit),
    bind(Scope::Conflict, &["r"], Action::Reload),
    bind(Scope::Conflict, &["w"], Action::SaveAsPrompt),
    bind(Scope::Conflict, &["Esc"], Action::Close),
    bind(Scope::Reader, &["j", "Down"], Action::Down),
    bind(Scope::Reader, &["k", "Up"], Action::Up),
    bind(Scope::Reader, &["g", "Home"], Action::First),
    bind(Scope::Reader, &["G", "End"], Action::Last),
    bind(Scope::Reader, &["PgDn", "Space", "C-d"], Action::PageDown),
    bind(Scope::Reader, &["PgUp", "C-u"], Action::PageUp),
    bind(Scope::Reader, &["Esc", "Enter", "q"], Action::Close),
    bind(Scope::Reader, &["y"], Action::Copy),
    bind(Scope::Reader, &["o"], Action::OpenSource),
    bind(Scope::Reviews, &["j", "Down"], Action::Down),
    bind(Scope::Reviews, &["k", "Up"], Action::Up),
    bind(Scope::Reviews, &["Esc", "r", "q"], Action::Close),
    bind(Scope::Agenda, &["j", "Down"], Action::Down),
    bind(Scope::Agenda, &["k", "Up"], Action::Up),
    bind(Scope::Agenda, &["g", "Home"], Action::First),
    bind(Scope::Agenda, &["G", "End"], Action::Last),
    bind(Scope::Agenda, &["PgDn", "C-d"], Action::PageDown),
    bind(Scope::Agenda, &["PgUp", "C-u"], Action::PageUp),
    bind(Scope::Agenda, &["x"], Action::ToggleDone),
    bind(Scope::Agenda, &["c"], Action::CancelFollowUp),
    bind(Scope::Agenda, &["H"], Action::MoveFollowUp(-1)),
    bind(Scope::Agenda, &["L"], Action::MoveFollowUp(1)),
    bind(Scope::Agenda, &["Enter"], Action::Open),
    bind(Scope::Agenda, &[">"], Action::WidenAgenda),
    bind(Scope::Agenda, &["<"], Action::NarrowAgenda),
    bind(Scope::Agenda, &["Esc", "A", "q"], Action::Close),
    bind(Scope::Details, &["j", "Down"], Action::Down),
    bind(Scope::Details, &["k", "Up"], Action::Up),
    bind(Scope::Details, &["g", "Home"], Action::First),
    bind(Scope::Details, &["G", "End"], Action::Last),
    bind(Scope::Details, &["PgDn", "Space", "C-d"], Action::PageDown),
    bind(Scope::Details, &["PgUp", "C-u"], Action::PageUp),
    bind(Scope::Details, &["Esc", "i", "q"], Action::Close),
    bind(Scope::Details, &["y"], Action::Copy),
    bind(Scope::Details, &["o"], Action::OpenSource),
    bind(Scope::Help, &["j", "Down"], Action::Down),
    bind(Scope::Help, &["k", "Up"], Action::Up),
    bind(Scope::Help, &["g", "Home"], Action::First),
    bind(Scope::Help, &["G", "End"], Action::Last),
    bind(Scope::Help, &["PgDn", "Space", "C-d"], Action::PageDown),
    bind(Scope::Help, &["PgUp", "C-u"], Action::PageUp),
    bind(Scope::Help, &["Esc", "?", "q"], Action::Close),
];

/// What each binding does in its scope, where that differs from the action's own words.
pub fn describe(binding: &Binding) -> &'static str {
    match (binding.scope, &binding.action) {
        (CLAIMS, Action::FocusNext) => "go to the claim's timeline",
        (CALENDAR, Action::Today) => "jump to today",
        (Scope::Agenda, Action::Open) => "go to the claim and the day",
        (Scope::Agenda, Action::ToggleDone) => "mark the follow-up done",
        (Scope::Agenda, Action::CancelFollowUp) => "cancel the follow-up",
        (Scope::Picker, Action::PickVerdict(_)) => "choose the verdict with that number",
        (Scope::Picker, Action::Choose) => "choose the highlighted verdict",
        (Scope::Rationale, Action::Submit) => "record the verdict",
        (Scope::Rationale, Action::Cancel) => "cancel (asks first if text was typed)",
        (Scope::Input, Action::Submit) => "accept",
        (Scope::Search, Action::Submit) => "keep the results, leave the line (n/N in the timeline)",
        (Scope::Search, Action::Cancel) => "clear the search",
        (Scope::Filter, Action::Choose) => "apply the highlighted filter",
        (Scope::Confirm, Action::No) => "no",
        (Scope::Confirm, Action::SaveAndQuit) => "save, then quit (when quitting)",
        (Scope::Conflict, Action::Close) => "decide later (nothing is saved until then)",
        (Scope::Reader | Scope::Reviews | Scope::Details | Scope::Help, Action::Down) => {
            "scroll down"
        }
        (Scope::Reader | Scope::Reviews | Scope::Details | Scope::Help, Action::Up) => "scroll up",
        (Scope::Reader | Scope::Details | Scope::Help, Action::First) => "top",
        (Scope::Reader | Scope::Details | Scope::Help, Action::Last) => "bottom",
        (_, action) => action.describe(),
    }
}

/// The scopes that take keys now, first match wins.
pub fn active_scopes(state: &State) -> &'static [Scope] {
    if state.search.as_ref().is_some_and(|s| s.editor.is_some()) && state.overlay.is_none() {
        return &[Scope::Search];
    }
    match &state.overlay {
        Some(Overlay::Help { .. }) => &[Scope::Help],
        Some(Overlay::Reader { .. }) => &[Scope::Reader],
        Some(Overlay::Reviews { .. }) => &[Scope::Reviews],
        Some(Overlay::Details { .. }) => &[Scope::Details],
        Some(Overlay::Agenda { .. }) => &[Scope::Agenda],
        Some(Overlay::VerdictPicker { .. }) => &[Scope::Picker],
        Some(Overlay::Rationale { .. }) => &[Scope::Rationale],
        Some(Overlay::Input { .. }) => &[Scope::Input],
        Some(Overlay::FilterMenu { .. }) => &[Scope::Filter],
        Some(Overlay::Confirm(Question::ChangedOnDisk)) => &[Scope::Conflict],
        Some(Overlay::Confirm(_)) => &[Scope::Confirm],
        None => match state.focus {
            Pane::Claims => &[CLAIMS, Scope::Global],
            Pane::Timeline => &[TIMELINE, Scope::Global],
            Pane::Calendar => &[CALENDAR, Scope::Global],
        },
    }
}

/// The action a key names in the current context: the overlay's bindings when one is
/// open, else the focused pane's, then the global ones. In a text editor every other key
/// is typed.
pub fn action_for(state: &State, key: KeyEvent) -> Option<Action> {
    let scopes = active_scopes(state);
    let normalized = normalize(key);
    let bound = scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|name| parse_key(name) == Some(normalized))
            })
            .map(|b| b.action.clone())
    });
    // The quit question takes `s`; discarding a rationale does not.
    if matches!(bound, Some(Action::SaveAndQuit))
        && !matches!(state.overlay, Some(Overlay::Confirm(Question::QuitUnsaved)))
    {
        return None;
    }
    match bound {
        Some(action) => Some(action),
        None if scopes.iter().any(|s| s.types_text()) => Some(Action::EditorKey(key)),
        None => None,
    }
}

/// Drops what terminals report inconsistently: Shift on characters (`G` arrives with
/// or without it) and on BackTab; and kind/state, which bindings ignore.
fn normalize(key: KeyEvent) -> KeyEvent {
    let mut modifiers = key.modifiers;
    if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    KeyEvent::new(key.code, modifiers)
}

/// Reads a key name as the help overlay writes it: `j`, `G`, `?`, `Enter`, `Esc`, `Tab`,
/// `S-Tab`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `Space`,
/// `Backspace`, `C-d` (Ctrl+d), `A-Enter` (Alt+Enter), `F1`…
pub fn parse_key(name: &str) -> Option<KeyEvent> {
    let (mut modifiers, mut rest) = (KeyModifiers::NONE, name);
    loop {
        if let Some(r) = rest.strip_prefix("C-").filter(|r| !r.is_empty()) {
            modifiers |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("A-").filter(|r| !r.is_empty()) {
            modifiers |= KeyModifiers::ALT;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("S-").filter(|r| !r.is_empty()) {
            modifiers |= KeyModifiers::SHIFT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" if modifiers.contains(KeyModifiers::SHIFT) => {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Space" => KeyCode::Char(' '),
        "Backspace" => KeyCode::Backspace,
        "Delete" => KeyCode::Delete,
        f if f.len() > 1 && f.starts_with('F') => KeyCode::F(f[1..].parse().ok()?),
        c => {
            let mut chars = c.chars();
            let ch = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    };
    Some(normalize(KeyEvent::new(code, modifiers)))
}

/// Keys for `snapshot --keys`: names separated by spaces; a word starting with `'`
/// types the characters after it (`"v 4 'Stalled Space 'since C-s"`).
pub fn parse_keys(text: &str) -> Result<Vec<KeyEvent>, String> {
    let mut out = Vec::new();
    for (i, name) in text.split_whitespace().enumerate() {
        if let Some(typed) = name.strip_prefix('\'').filter(|t| !t.is_empty()) {
            out.extend(
                typed
                    .chars()
                    .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
            continue;
        }
        let key = parse_key(name).ok_or_else(|| format!("unknown key {name:?} (key {})", i + 1))?;
        out.push(key);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_name_parses() {
        for b in BINDINGS {
            for name in b.keys {
                assert!(parse_key(name).is_some(), "{name} does not parse");
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope != b.scope {
                    continue;
                }
                for k in a.keys {
                    assert!(!b.keys.contains(k), "{k} bound twice in {:?}", a.scope);
                }
            }
        }
    }

    #[test]
    fn pane_keys_do_not_hide_global_ones_by_accident() {
        // A pane may reuse a global key only on purpose; list the ones that do.
        let globals: Vec<&str> = BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Global)
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for b in BINDINGS
            .iter()
            .filter(|b| matches!(b.scope, Scope::Pane(_)))
        {
            for k in b.keys {
                assert!(
                    !globals.contains(k),
                    "{k} in {:?} hides a global key",
                    b.scope
                );
            }
        }
    }

    #[test]
    fn names_match_terminal_events() {
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(parse_key("G"), Some(normalize(shifted_g)));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(parse_key("S-Tab"), Some(normalize(backtab)));
        assert_eq!(
            parse_key("C-d"),
            Some(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("Enterprise"), None);
        assert_eq!(parse_keys("a 'bc").map(|k| k.len()), Ok(3));
        assert_eq!(
            parse_keys("' '").map(|k| k.len()),
            Ok(2),
            "a lone ' is the key itself"
        );
        assert!(parse_keys("Flip").is_err());
    }
}
