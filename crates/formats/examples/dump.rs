//! Print the first rows of a file as satudata reads them: `cargo run --example dump -- FILE [N]`.
use satudata_formats::read::{open_path, ReadOptions, Record};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: dump FILE [N]");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(15);
    match open_path(path.as_ref(), &ReadOptions::default()) {
        Err(e) => println!("error: {e}"),
        Ok(mut r) => {
            println!("{}", serde_json::to_string(r.info()).unwrap_or_default());
            let mut rec = Record::new();
            for _ in 0..n {
                match r.read_record(&mut rec) {
                    Ok(true) => println!("{:>4} {:?}", rec.row(), rec.to_vec()),
                    Ok(false) => break,
                    Err(e) => {
                        println!("error: {e}");
                        break;
                    }
                }
            }
        }
    }
}
