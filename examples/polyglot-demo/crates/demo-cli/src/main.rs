use std::io::IsTerminal;

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "world".to_string());
    let greeting = if first == "--fr" {
        demo_fr::bonjour(&args.next().unwrap_or_else(|| "monde".to_string()))
    } else {
        demo_proto::frame(&first)
    };
    println!("{}", demo_colour::paint(&greeting, std::io::stdout().is_terminal()));
}
