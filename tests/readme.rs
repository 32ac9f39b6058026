//! The README's key table is the keymap's: one table drives keys, help and docs.

use claimdesk::app::keymap::Keymap;

fn keys_markdown() -> String {
    let mut out = String::from("| Where | Keys | What it does |\n|---|---|---|\n");
    let keymap = Keymap::default();
    for b in keymap.bindings() {
        let keys: Vec<String> = b.keys.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            b.scope.title(),
            keys.join(" "),
            keymap.describe(b)
        ));
    }
    out
}

#[test]
fn readme_lists_every_key_as_the_keymap_does() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme
        .find("<!-- keys:start -->\n")
        .expect("keys:start marker")
        + "<!-- keys:start -->\n".len();
    let end = readme.find("<!-- keys:end -->").expect("keys:end marker");
    let expected = keys_markdown();
    assert!(
        readme[start..end] == expected,
        "README key table is out of date; replace it with:\n{expected}"
    );
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let head: String = readme.lines().take(15).collect::<Vec<_>>().join("\n");
    assert!(head.contains("cargo run --release"), "{head}");
    assert!(head.contains("cargo test"), "{head}");
}
