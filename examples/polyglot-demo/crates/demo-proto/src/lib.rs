/// Frames a greeting for the wire.
pub fn frame(name: &str) -> String {
    format!("<{}>", demo_core::greet(name))
}
