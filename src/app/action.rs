//! Every user intent, named. Keys and mouse events become these; `update` applies them.

/// One thing the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    First,
    Last,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    /// Open the selected update in the reader.
    Open,
    /// Close the overlay on top.
    Close,
    PrevMonth,
    NextMonth,
    Today,
    ToggleHelp,
    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse wheel, over a screen cell.
    ScrollUp {
        column: u16,
        row: u16,
    },
    ScrollDown {
        column: u16,
        row: u16,
    },
    /// The terminal changed size.
    Resize {
        width: u16,
        height: u16,
    },
}

impl Action {
    /// What the action does, for the help overlay and the README.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::FocusNext => "next pane",
            Self::FocusPrev => "previous pane",
            Self::Up => "move up",
            Self::Down => "move down",
            Self::First => "first",
            Self::Last => "last",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::HalfPageUp => "half a page up",
            Self::HalfPageDown => "half a page down",
            Self::Open => "open the selected update",
            Self::Close => "close the overlay",
            Self::PrevMonth => "previous month",
            Self::NextMonth => "next month",
            Self::Today => "jump to today's month",
            Self::ToggleHelp => "show or hide this help",
            Self::Click { .. } => "focus and select",
            Self::ScrollUp { .. } | Self::ScrollDown { .. } => "scroll",
            Self::Resize { .. } => "resize",
        }
    }
}
