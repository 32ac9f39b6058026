//! Which keys name which actions, in each context. This one table drives key handling,
//! the help overlay, the README's key list and `snapshot --keys`.

use super::action::Action;
use super::state::{Overlay, Pane, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere no overlay is open.
    Global,
    Pane(Pane),
    Reader,
    Help,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Pane(p) => p.title(),
            Self::Reader => "Update reader",
            Self::Help => "This help",
        }
    }
}

/// Keys (by name) bound to an action in a scope.
#[derive(Debug, Clone, Copy)]
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
pub const BINDINGS: &[Binding] = &[
    bind(Scope::Global, &["Tab"], Action::FocusNext),
    bind(Scope::Global, &["S-Tab"], Action::FocusPrev),
    bind(Scope::Global, &["?"], Action::ToggleHelp),
    bind(Scope::Global, &["q", "C-c"], Action::Quit),
    bind(CLAIMS, &["j", "Down"], Action::Down),
    bind(CLAIMS, &["k", "Up"], Action::Up),
    bind(CLAIMS, &["g", "Home"], Action::First),
    bind(CLAIMS, &["G", "End"], Action::Last),
    bind(CLAIMS, &["PgDn"], Action::PageDown),
    bind(CLAIMS, &["PgUp"], Action::PageUp),
    bind(CLAIMS, &["C-d"], Action::HalfPageDown),
    bind(CLAIMS, &["C-u"], Action::HalfPageUp),
    bind(CLAIMS, &["Enter"], Action::FocusNext),
    bind(TIMELINE, &["j", "Down"], Action::Down),
    bind(TIMELINE, &["k", "Up"], Action::Up),
    bind(TIMELINE, &["g", "Home"], Action::First),
    bind(TIMELINE, &["G", "End"], Action::Last),
    bind(TIMELINE, &["PgDn"], Action::PageDown),
    bind(TIMELINE, &["PgUp"], Action::PageUp),
    bind(TIMELINE, &["C-d"], Action::HalfPageDown),
    bind(TIMELINE, &["C-u"], Action::HalfPageUp),
    bind(TIMELINE, &["Enter"], Action::Open),
    bind(CALENDAR, &["h", "Left"], Action::PrevMonth),
    bind(CALENDAR, &["l", "Right"], Action::NextMonth),
    bind(CALENDAR, &["t"], Action::Today),
    bind(CALENDAR, &["j", "Down"], Action::Down),
    bind(CALENDAR, &["k", "Up"], Action::Up),
    bind(Scope::Reader, &["j", "Down"], Action::Down),
    bind(Scope::Reader, &["k", "Up"], Action::Up),
    bind(Scope::Reader, &["g", "Home"], Action::First),
    bind(Scope::Reader, &["G", "End"], Action::Last),
    bind(Scope::Reader, &["PgDn", "Space", "C-d"], Action::PageDown),
    bind(Scope::Reader, &["PgUp", "C-u"], Action::PageUp),
    bind(Scope::Reader, &["Esc", "Enter", "q"], Action::Close),
    bind(Scope::Help, &["j", "Down"], Action::Down),
    bind(Scope::Help, &["k", "Up"], Action::Up),
    bind(Scope::Help, &["Esc", "?", "q"], Action::Close),
];

/// What each binding does in its scope, where that differs from the action's own words.
pub fn describe(binding: &Binding) -> &'static str {
    match (binding.scope, binding.action) {
        (CLAIMS, Action::FocusNext) => "go to the claim's timeline",
        (CALENDAR, Action::Down) => "next follow-up of the month",
        (CALENDAR, Action::Up) => "previous follow-up of the month",
        (Scope::Reader, Action::Down) => "scroll down",
        (Scope::Reader, Action::Up) => "scroll up",
        (Scope::Reader, Action::First) => "top",
        (Scope::Reader, Action::Last) => "bottom",
        (Scope::Reader, Action::Close) => "close the reader",
        (Scope::Help, Action::Down) => "scroll down",
        (Scope::Help, Action::Up) => "scroll up",
        (Scope::Help, Action::Close) => "close the help",
        (_, action) => action.describe(),
    }
}

/// The action a key names in the current context: the overlay's bindings when one is
/// open, else the focused pane's, then the global ones.
pub fn action_for(state: &State, key: KeyEvent) -> Option<Action> {
    let scopes: &[Scope] = match state.overlay {
        Some(Overlay::Help { .. }) => &[Scope::Help],
        Some(Overlay::Reader { .. }) => &[Scope::Reader],
        None => &[Scope::Pane(state.focus), Scope::Global],
    };
    let key = normalize(key);
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|name| parse_key(name) == Some(key)))
            .map(|b| b.action)
    })
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
/// `C-d` (Ctrl+d), `A-x` (Alt+x), `F1`…
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
    }
}
