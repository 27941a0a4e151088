//! A quick deterministic mutation run over every reader and parser: no input may panic. (The long
//! fuzzing runs use cargo-fuzz on the same entry points.)

use satudata_formats::cell::{date, number, region};
use satudata_formats::infer::{infer, InferOptions};
use satudata_formats::read::{detect_format, open_bytes, ReadOptions, Record};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = vec![
        b"Tabel 1\nkode;jumlah (Ribu Jiwa);tanggal\n1606;1.234,5;31/12/2024\n\"a;b\";-;Des 2024\nSumber: BPS\n".to_vec(),
        br#"[{"a":1,"b":"x"},{"a":2.5,"b":null}]"#.to_vec(),
        b"{\"a\":1}\n{\"a\":[1,2]}\n".to_vec(),
        b"<table><tr><th colspan=2>A</th></tr><tr><td rowspan=3>x</td><td>1</td></tr></table>".to_vec(),
        b"\xEF\xBB\xBFa,b\r\n1,\xFF\r\n".to_vec(),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/frictionless-py-data");
    for f in ["table.xlsx", "table.xls", "table.ods"] {
        if let Ok(b) = std::fs::read(dir.join(f)) {
            v.push(b);
        }
    }
    v
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0x5A7D_A7A0);
    for seed in seeds() {
        for round in 0..60 {
            let mut b = seed.clone();
            let edits = 1 + rng.next() % 8;
            for _ in 0..edits {
                if b.is_empty() {
                    break;
                }
                let i = (rng.next() as usize) % b.len();
                match rng.next() % 4 {
                    0 => b[i] = rng.next() as u8,
                    1 => b.truncate(i),
                    2 => {
                        let pool = b"<>\",;\n\r{[0.-";
                        b.insert(i, pool[(rng.next() as usize) % pool.len()])
                    }
                    _ => {
                        b.remove(i);
                    }
                }
            }
            let _ = detect_format(&b, None);
            if let Ok(mut r) = open_bytes(&b, &ReadOptions::default()) {
                let mut rec = Record::new();
                let mut n = 0;
                while let Ok(true) = r.read_record(&mut rec) {
                    n += 1;
                    if n > 10_000 {
                        break;
                    }
                }
            }
            if round % 3 == 0 {
                if let Ok(r) = open_bytes(&b, &ReadOptions::default()) {
                    if let Ok(inf) = infer(r, &InferOptions::default()) {
                        if let Ok(r) = open_bytes(&b, &ReadOptions::default()) {
                            let _ = satudata_formats::validate::validate(
                                r,
                                &inf.schema,
                                &Default::default(),
                            );
                        }
                    }
                }
            }
            let text = String::from_utf8_lossy(&b);
            for piece in text.split([',', ';', '\n']).take(50) {
                let _ = number::classify_number(piece);
                let _ = number::parse_number(piece, number::NumberStyle::Indonesian);
                let _ = number::parse_integer(piece, None);
                let _ = number::parse_styled_fast(piece, number::NumberStyle::English);
                let _ = date::parse_date(piece);
                let _ = date::parse_yearmonth(piece);
                let _ = date::parse_datetime(piece);
                let _ = region::parse_region_code(piece);
                let _ = region::fast_code_key(piece);
            }
        }
    }
}
