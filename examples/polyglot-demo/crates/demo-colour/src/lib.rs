/// Wraps `text` in an ANSI colour when `enabled` (stdout is a terminal).
pub fn paint(text: &str, enabled: bool) -> String {
    if enabled {
        format!("\u{1b}[32m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}
