/// Greets someone in French, in the core's words.
pub fn bonjour(name: &str) -> String {
    demo_core::greet(name).replacen("hello", "bonjour", 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_in_french() {
        assert_eq!(super::bonjour("x"), "bonjour, x");
    }
}
