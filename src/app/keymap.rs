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
    /// Every scope, in the order the help and `claimdesk keys` list them.
    pub const ALL: [Self; 16] = [
        Self::Global,
        Self::Pane(Pane::Claims),
        Self::Pane(Pane::Timeline),
        Self::Pane(Pane::Calendar),
        Self::Picker,
        Self::Rationale,
        Self::Input,
        Self::Filter,
        Self::Confirm,
        Self::Conflict,
        Self::Search,
        Self::Reader,
        Self::Reviews,
        Self::Details,
        Self::Agenda,
        Self::Help,
    ];

    /// The scope's name in a config file's `[keys]` table (`calendar.next-day`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Pane(Pane::Claims) => "claims",
            Self::Pane(Pane::Timeline) => "timeline",
            Self::Pane(Pane::Calendar) => "calendar",
            Self::Reader => "reader",
            Self::Reviews => "reviews",
            Self::Details => "details",
            Self::Agenda => "agenda",
            Self::Picker => "picker",
            Self::Rationale => "rationale",
            Self::Input => "input",
            Self::Filter => "filter",
            Self::Confirm => "confirm",
            Self::Conflict => "conflict",
            Self::Search => "search",
            Self::Help => "help",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "In any pane (no overlay open)",
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
#[derive(Debug, Clone, PartialEq)]
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
    bind(Scope::Global, &["@"], Action::Assign),
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
    bind(CLAIMS, &["Space"], Action::ToggleMark),
    bind(CLAIMS, &["M"], Action::ClearMarks),
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
    bind(CALENDAR, &["n"], Action::NextOnDay),
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
    bind(Scope::Agenda, &["]"], Action::NextSection),
    bind(Scope::Agenda, &["["], Action::PrevSection),
    bind(Scope::Agenda, &["t"], Action::Today),
    bind(Scope::Agenda, &["Space"], Action::ToggleMark),
    bind(Scope::Agenda, &["V"], Action::MarkRange),
    bind(Scope::Agenda, &["*"], Action::MarkSection),
    bind(Scope::Agenda, &["M"], Action::ClearMarks),
    bind(Scope::Agenda, &["u"], Action::Undo),
    bind(Scope::Agenda, &["C-r"], Action::Redo),
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

/// The bindings in force: the table above with a config file's `[keys]` applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: std::sync::Arc<Vec<Binding>>,
    /// Keys the config has given out, by scope: two entries may not give the same one.
    given: Vec<(Scope, KeyEvent)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: std::sync::Arc::new(BINDINGS.to_vec()),
            given: Vec::new(),
        }
    }
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings of one scope, in the table's order.
    pub fn of(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.scope == scope)
    }

    /// Gives `keys` to the action called `name` (`quit`), in every scope that has it, or
    /// in one (`calendar.next-day`). A key given this way is taken from any other action
    /// of the scope. Nothing changes when the entry is refused.
    pub fn rebind(&mut self, name: &str, keys: &[String]) -> Result<(), String> {
        let (scope, action) = match name.split_once('.') {
            Some((slug, action)) => {
                let scope = Scope::ALL
                    .into_iter()
                    .find(|s| s.slug() == slug)
                    .ok_or_else(|| {
                        let slugs: Vec<&str> = Scope::ALL.iter().map(|s| s.slug()).collect();
                        format!(
                            "no place named {slug:?}; the places are {}",
                            slugs.join(", ")
                        )
                    })?;
                (Some(scope), action)
            }
            None => (None, name),
        };
        let named = |b: &Binding| b.action.name() == Some(action);
        if !self.bindings.iter().any(named) {
            return Err(format!(
                "no action named {action:?}; `claimdesk keys` lists them"
            ));
        }
        let targets: Vec<usize> = (0..self.bindings.len())
            .filter(|&i| named(&self.bindings[i]))
            .filter(|&i| scope.is_none_or(|s| self.bindings[i].scope == s))
            .collect();
        if targets.is_empty() {
            return Err(format!(
                "{action} has no key in {}; `claimdesk keys` says where it has one",
                scope.map_or("", |s| s.slug())
            ));
        }
        if keys.is_empty() {
            return Err("needs at least one key".to_owned());
        }
        let mut events = Vec::new();
        for key in keys {
            let event = parse_key(key).ok_or_else(|| {
                format!(
                    "unknown key {key:?}; keys are named as the help writes them: j, G, ?, C-d, A-Enter, S-Tab, PgDn, Space, Esc, F1"
                )
            })?;
            sendable(key, event)?;
            if events.contains(&event) {
                return Err(format!("{key} is in the list twice"));
            }
            events.push(event);
        }
        let mut given = Vec::new();
        for &t in &targets {
            let scope = self.bindings[t].scope;
            for (key, event) in keys.iter().zip(&events) {
                if scope.types_text() && edits_text(scope, *event) {
                    return Err(format!(
                        "{key} would no longer edit text in the {}",
                        scope.title().to_lowercase()
                    ));
                }
                if let Scope::Pane(_) = scope
                    && let Some(global) = self.bound(Scope::Global, *event)
                {
                    // A pane's key is looked up before the global ones: it would hide
                    // the global action in that pane.
                    return Err(format!(
                        "{key} is {} everywhere, which a {} key would hide; give {} another key first",
                        global.name().unwrap_or("bound"),
                        scope.slug(),
                        global.name().unwrap_or("it"),
                    ));
                }
                if self.given.contains(&(scope, *event)) {
                    return Err(format!(
                        "{key} is already given to another action in {} by this file",
                        scope.slug()
                    ));
                }
                given.push((scope, *event));
            }
        }
        let names: &'static [&'static str] = intern(keys);
        let mut bindings = self.bindings.as_ref().clone();
        for &t in &targets {
            let scope = bindings[t].scope;
            // A global key is taken from the panes too: theirs would hide it.
            let shares = |other: Scope| {
                other == scope || (scope == Scope::Global && matches!(other, Scope::Pane(_)))
            };
            for (i, b) in bindings.iter_mut().enumerate() {
                if i != t && shares(b.scope) {
                    let kept: Vec<String> = b
                        .keys
                        .iter()
                        .filter(|k| parse_key(k).is_none_or(|e| !events.contains(&e)))
                        .map(|k| (*k).to_owned())
                        .collect();
                    if kept.len() == b.keys.len() {
                        continue;
                    }
                    if kept.is_empty() && is_way_out(&b.action) {
                        let taken = b.keys.join(", ");
                        let other = b.action.name().unwrap_or("that action");
                        return Err(format!(
                            "this takes {taken}, the last key of {other} in {}, which would leave no way to {}; give {other} another key first",
                            b.scope.slug(),
                            b.action.describe(),
                        ));
                    }
                    b.keys = intern(&kept);
                }
            }
            bindings[t].keys = names;
        }
        self.bindings = std::sync::Arc::new(bindings);
        self.given.extend(given);
        Ok(())
    }

    /// The action `key` does in `scope`, by these bindings.
    fn bound(&self, scope: Scope, key: KeyEvent) -> Option<&Action> {
        self.of(scope)
            .find(|b| b.keys.iter().any(|name| parse_key(name) == Some(key)))
            .map(|b| &b.action)
    }
}

/// The actions no rebinding may leave without a key: quitting, the help, moving between
/// panes, and leaving, answering or choosing in each overlay.
fn is_way_out(action: &Action) -> bool {
    matches!(
        action,
        Action::Quit
            | Action::ToggleHelp
            | Action::FocusNext
            | Action::Close
            | Action::Cancel
            | Action::Submit
            | Action::Choose
            | Action::Yes
            | Action::No
    )
}

/// Refuses a key name that no terminal sends as such: claimdesk would wait for it forever.
fn sendable(name: &str, key: KeyEvent) -> Result<(), String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = name.starts_with("S-") || name.contains("-S-");
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let refuse = |why: &str| Err(format!("no terminal sends {name}: {why}"));
    match key.code {
        KeyCode::Char(c) if c.is_control() => {
            refuse("a control character is named C- and a letter (C-d)")
        }
        KeyCode::Char(c) if c.is_whitespace() && name != "Space" && !name.ends_with("-Space") => {
            refuse("name the space bar Space; other spaces are not keys")
        }
        KeyCode::Char(c) if crate::wrap::width(c.encode_utf8(&mut [0; 4])) == 0 => {
            refuse("an invisible character is not a key")
        }
        KeyCode::Char('[' | 'O') if alt => {
            refuse("Alt sends Esc first, and Esc [ or Esc O starts another key's sequence")
        }
        KeyCode::BackTab if ctrl || alt => refuse("S-Tab is sent alone"),
        KeyCode::Char(_) if shift => refuse("write the character Shift gives (G, not S-g)"),
        KeyCode::Char(c)
            if ctrl && !(c.is_ascii_lowercase() || c == ' ' || ('4'..='7').contains(&c)) =>
        {
            refuse("Ctrl goes with a lowercase letter (C-d) or Space")
        }
        KeyCode::Char('i' | 'm') if ctrl => refuse("C-i arrives as Tab and C-m as Enter"),
        KeyCode::Enter | KeyCode::Tab | KeyCode::Backspace if ctrl || shift => {
            refuse("Ctrl and Shift are not sent with Enter, Tab (but S-Tab is) or Backspace")
        }
        KeyCode::Esc if ctrl || shift || alt => refuse("Esc is sent alone"),
        KeyCode::F(n) if !(1..=12).contains(&n) => refuse("function keys are F1 to F12"),
        _ => Ok(()),
    }
}

/// The keys a text field edits with: ratatui-textarea's own bindings (moving, deleting,
/// yanking, undoing, Tab), and C-u and C-_ (sent as C-7) as claimdesk gives them. Enter,
/// which makes a new line in the rationale, is [`edits_text`]'s to judge.
const FIELD_KEYS: &[&str] = &[
    "Backspace",
    "A-Backspace",
    "Delete",
    "A-Delete",
    "Left",
    "Right",
    "C-Left",
    "C-Right",
    "Home",
    "End",
    "Tab",
    "C-a",
    "C-b",
    "C-d",
    "C-e",
    "C-f",
    "C-h",
    "C-j",
    "C-k",
    "C-n",
    "C-p",
    "C-r",
    "C-u",
    "C-v",
    "C-w",
    "C-x",
    "C-y",
    "C-7",
    "A-b",
    "A-d",
    "A-f",
    "A-h",
    "A-n",
    "A-p",
    "A-v",
    "A-<",
    "A->",
    "A-[",
    "A-]",
    "Up",
    "Down",
    "C-Up",
    "C-Down",
    "PgUp",
    "PgDn",
];

/// Whether a key edits the text of a text field (typing, deleting, moving the cursor), so
/// that no action there may take it. Keys the field already gives to an action are free.
fn edits_text(scope: Scope, key: KeyEvent) -> bool {
    let is = |name: &&str| parse_key(name) == Some(key);
    if BINDINGS
        .iter()
        .any(|b| b.scope == scope && b.keys.iter().any(is))
    {
        return false;
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(_) if plain => true,
        KeyCode::Enter => scope == Scope::Rationale,
        _ => FIELD_KEYS.iter().any(is),
    }
}

impl Keymap {
    /// The first key bound to `action` in `scope` (in a pane, the global keys work
    /// too), as the help writes it; `None` when no key does it there.
    pub fn key(&self, scope: Scope, action: &Action) -> Option<&'static str> {
        let find = |scope: Scope| {
            self.of(scope)
                .find(|b| b.action == *action)
                .and_then(|b| b.keys.first().copied())
        };
        find(scope).or_else(|| matches!(scope, Scope::Pane(_)).then(|| find(Scope::Global))?)
    }

    /// [`Keymap::key`] for text on the screen: a key, or `(unbound)`.
    pub fn shown(&self, scope: Scope, action: &Action) -> &'static str {
        self.key(scope, action).unwrap_or("(unbound)")
    }

    /// Every key that does `action` in `scope`, for a dialog: `n or Esc`, `Esc, ? or q`.
    pub fn all_shown(&self, scope: Scope, action: &Action) -> String {
        let find = |scope: Scope| {
            self.of(scope)
                .find(|b| b.action == *action && !b.keys.is_empty())
        };
        match find(scope)
            .or_else(|| matches!(scope, Scope::Pane(_)).then(|| find(Scope::Global))?)
        {
            Some(b) => match b.keys.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => b.keys.join(""),
            },
            None => "(unbound)".to_owned(),
        }
    }

    /// What a binding does, for the help and `claimdesk keys`, naming the other keys it
    /// works with as this keymap has them.
    pub fn describe(&self, binding: &Binding) -> String {
        let claims = |a: Action| self.shown(CLAIMS, &a);
        let agenda = |a: Action| self.shown(Scope::Agenda, &a);
        match (binding.scope, &binding.action) {
            (_, Action::ToggleMark) => format!(
                "mark or unmark the row; {}, {} (list) or {} {} {} {} (agenda) then act on every marked row",
                claims(Action::OpenVerdict),
                claims(Action::EditTags),
                agenda(Action::ToggleDone),
                agenda(Action::CancelFollowUp),
                agenda(Action::MoveFollowUp(-1)),
                agenda(Action::MoveFollowUp(1)),
            ),
            (Scope::Search, Action::Submit) => format!(
                "keep the results, leave the line ({}/{} in the timeline)",
                self.shown(TIMELINE, &Action::NextMatch),
                self.shown(TIMELINE, &Action::PrevMatch),
            ),
            _ => words(binding).to_owned(),
        }
    }

    /// A dialog's choices, each with its keys: `y: discard · n or Esc: keep writing`.
    pub fn choices(&self, scope: Scope, choices: &[(Action, &str)]) -> String {
        let parts: Vec<String> = choices
            .iter()
            .map(|(action, what)| format!("{}: {what}", self.all_shown(scope, action)))
            .collect();
        parts.join(" · ")
    }
}

/// Key lists for rebound actions. A config is read once per process, so these live as
/// long as it does; the same list is kept once.
fn intern(keys: &[String]) -> &'static [&'static str] {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    static KEPT: Mutex<BTreeMap<Vec<String>, &'static [&'static str]>> =
        Mutex::new(BTreeMap::new());
    let mut kept = KEPT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(list) = kept.get(keys) {
        return list;
    }
    let list: Vec<&'static str> = keys
        .iter()
        .map(|k| &*Box::leak(k.clone().into_boxed_str()))
        .collect();
    let list: &'static [&'static str] = Box::leak(list.into_boxed_slice());
    kept.insert(keys.to_vec(), list);
    list
}

/// What each binding does in its scope, where that differs from the action's own words
/// (and names no key: [`Keymap::describe`] adds those).
fn words(binding: &Binding) -> &'static str {
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

/// Whether a bound action is offered in the current context: the quit question takes
/// save-and-quit; the other questions of its scope (discard a rationale…) do not.
pub fn offered(state: &State, action: &Action) -> bool {
    !matches!(action, Action::SaveAndQuit)
        || matches!(state.overlay, Some(Overlay::Confirm(Question::QuitUnsaved)))
}

/// The action a key names in the current context: the overlay's bindings when one is
/// open, else the focused pane's, then the global ones. In a text editor every other key
/// is typed.
pub fn action_for(state: &State, key: KeyEvent) -> Option<Action> {
    let scopes = active_scopes(state);
    let normalized = normalize(key);
    let bound = scopes.iter().find_map(|scope| {
        state
            .settings
            .keymap
            .of(*scope)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|name| parse_key(name) == Some(normalized))
            })
            .map(|b| b.action.clone())
    });
    if bound.as_ref().is_some_and(|a| !offered(state, a)) {
        return None;
    }
    // The key that opens the help closes it too, however the config rebound it.
    if bound.is_none()
        && matches!(state.overlay, Some(Overlay::Help { .. }))
        && state.settings.keymap.bound(Scope::Global, normalized) == Some(&Action::ToggleHelp)
    {
        return Some(Action::Close);
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

    fn key(name: &str) -> KeyEvent {
        parse_key(name).expect("key name")
    }

    fn action(keymap: &Keymap, scope: Scope, name: &str) -> Option<Action> {
        let k = key(name);
        keymap
            .of(scope)
            .find(|b| b.keys.iter().any(|n| parse_key(n) == Some(k)))
            .map(|b| b.action.clone())
    }

    #[test]
    fn every_bound_action_has_a_name_of_its_own() {
        let mut seen: Vec<(&str, &Action)> = Vec::new();
        for b in BINDINGS {
            let name = b.action.name().expect("a bound action has a name");
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
                assert_eq!(*other, &b.action, "{name} names two actions");
            }
            seen.push((name, &b.action));
        }
    }

    #[test]
    fn a_rebinding_applies_everywhere_or_in_one_place() {
        let mut keymap = Keymap::default();
        keymap.rebind("quit", &["Q".into()]).expect("rebind");
        assert_eq!(action(&keymap, Scope::Global, "Q"), Some(Action::Quit));
        assert_eq!(
            action(&keymap, Scope::Global, "q"),
            None,
            "q no longer quits"
        );
        // `down` is bound in many scopes; one place only changes that one.
        keymap
            .rebind("calendar.next-day", &["n".into()])
            .expect("rebind");
        assert_eq!(action(&keymap, CALENDAR, "n"), Some(Action::NextDay));
        assert_eq!(action(&keymap, CALENDAR, "l"), None);
        assert_eq!(action(&keymap, TIMELINE, "n"), Some(Action::NextMatch));
        keymap
            .rebind("down", &["C-n".into(), "Down".into()])
            .expect("rebind");
        for scope in [CLAIMS, TIMELINE, Scope::Reader, Scope::Help] {
            assert_eq!(
                action(&keymap, scope, "C-n"),
                Some(Action::Down),
                "{scope:?}"
            );
            assert_eq!(action(&keymap, scope, "j"), None, "{scope:?}");
        }
        // The text the screen shows follows.
        assert_eq!(keymap.shown(Scope::Global, &Action::Quit), "Q");
        assert_eq!(keymap.all_shown(Scope::Confirm, &Action::No), "n or Esc");
    }

    #[test]
    fn a_key_given_to_one_action_is_taken_from_another_in_that_scope() {
        let mut keymap = Keymap::default();
        keymap
            .rebind("claims.first", &["j".into()])
            .expect("rebind");
        assert_eq!(action(&keymap, CLAIMS, "j"), Some(Action::First));
        assert_eq!(action(&keymap, CLAIMS, "Down"), Some(Action::Down));
        assert_eq!(action(&keymap, TIMELINE, "j"), Some(Action::Down));
    }

    #[test]
    fn a_rebinding_that_cannot_work_is_refused_and_changes_nothing() {
        let mut keymap = Keymap::default();
        let before = keymap.clone();
        let refuse = |keymap: &mut Keymap, name: &str, keys: &[&str]| {
            let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
            keymap.rebind(name, &keys).expect_err(name)
        };
        assert!(refuse(&mut keymap, "fly", &["f"]).starts_with("no action named \"fly\""));
        assert!(refuse(&mut keymap, "moon.down", &["f"]).starts_with("no place named \"moon\""));
        assert!(
            refuse(&mut keymap, "calendar.edit-title", &["E"]).contains("has no key in calendar")
        );
        assert!(refuse(&mut keymap, "quit", &[]).contains("at least one key"));
        assert!(refuse(&mut keymap, "quit", &["Ctrl-q"]).starts_with("unknown key \"Ctrl-q\""));
        assert!(refuse(&mut keymap, "quit", &["Q", "Q"]).contains("twice"));
        // A key that types in a text field would stop typing there.
        assert!(refuse(&mut keymap, "cancel", &["x"]).contains("would no longer edit text"));
        assert!(refuse(&mut keymap, "rationale.submit", &["Enter"]).contains("no longer edit"));
        assert!(refuse(&mut keymap, "input.cancel", &["Backspace"]).contains("no longer edit"));
        assert!(refuse(&mut keymap, "search.cancel", &["C-w"]).contains("no longer edit"));
        // Every key the text area edits with, in every field.
        for (name, key) in [
            ("search.submit", "C-a"),
            ("search.cancel", "C-h"),
            ("input.submit", "C-e"),
            ("rationale.submit", "C-k"),
            ("search.submit", "Tab"),
            ("input.cancel", "PgUp"),
            ("rationale.cancel", "A-d"),
        ] {
            assert!(
                refuse(&mut keymap, name, &[key]).contains("no longer edit"),
                "{name} {key}"
            );
        }
        // Choosing in the picker and the filter menu keeps a key.
        assert!(
            refuse(&mut keymap, "filter.down", &["j", "Down", "Enter"])
                .contains("last key of choose")
        );
        assert!(refuse(&mut keymap, "close", &["Enter"]).contains("last key of choose"));
        // Keys no terminal sends.
        for key in [
            "C-D", "F0", "F13", "\u{1}", "\u{7f}", "S-a", "C-i", "C-m", "C-Enter", "A-Esc", "A-[",
            "A-O", "A-S-Tab", "C-S-Tab", "\u{202e}", "\u{200b}", "\u{a0}", " ",
        ] {
            assert!(
                refuse(&mut keymap, "quit", &[key]).starts_with("no terminal sends"),
                "{key:?}"
            );
        }
        // The ways out keep a key: quit, help and each overlay's close.
        assert!(refuse(&mut keymap, "save", &["q", "C-c"]).contains("last key of quit"));
        assert!(refuse(&mut keymap, "undo", &["?"]).contains("last key of help"));
        assert!(
            refuse(&mut keymap, "reader.copy", &["Esc", "Enter", "q"])
                .contains("last key of close")
        );
        // A pane key that would hide a global one in that pane.
        assert!(refuse(&mut keymap, "calendar.next-day", &["v"]).contains("verdict everywhere"));
        assert_eq!(keymap, before);
        // Two entries of one file may not give out the same key in one scope.
        keymap.rebind("undo", &["U".into()]).expect("rebind");
        assert!(refuse(&mut keymap, "redo", &["U"]).contains("already given"));
    }

    #[test]
    fn a_global_key_is_taken_from_the_panes_so_none_hides_it() {
        let mut keymap = Keymap::default();
        keymap.rebind("verdict", &["j".into()]).expect("rebind");
        for pane in [CLAIMS, TIMELINE, CALENDAR] {
            let k = key("j");
            assert!(
                keymap
                    .of(pane)
                    .all(|b| b.keys.iter().all(|n| parse_key(n) != Some(k))),
                "{pane:?} still has j"
            );
        }
        assert_eq!(
            action(&keymap, Scope::Global, "j"),
            Some(Action::OpenVerdict)
        );
        assert_eq!(action(&keymap, CLAIMS, "Down"), Some(Action::Down));
        // Every key a terminal can send for these names is taken.
        for ok in [
            "C-a", "C-Space", "A-G", "S-Up", "S-Tab", "F12", "A-Enter", "é",
        ] {
            assert!(
                Keymap::default()
                    .rebind("quit", &[ok.into(), "q".into()])
                    .is_ok(),
                "{ok}"
            );
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
