//! Generate a deterministic household-style CSV (20 columns: 16-digit ids, region codes, dates, enums,
//! integers, Indonesian decimals) and its Table Schema, for benchmarks.
//!
//! `cargo run --release -p satudata-formats --example gen_household -- OUT_DIR [ROWS]`
//! writes OUT_DIR/household.csv and OUT_DIR/household.schema.json (ROWS defaults to 1,000,000).

use std::io::{BufWriter, Write};

use satudata_core::region::{Level, RegionCode, Regions};

/// xorshift64*: deterministic and fast.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const NAMES: &[&str] = &[
    "Ahmad", "Siti", "Budi", "Dewi", "Agus", "Sri", "Joko", "Rina", "Hendra", "Nur", "Yanti",
    "Rudi", "Wati", "Eko",
];
const SURNAMES: &[&str] = &[
    "Saputra",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Rahmawati",
    "Kurniawan",
    "Susanti",
    "Pratama",
];
const EDU: &[&str] = &["TIDAK SEKOLAH", "SD", "SMP", "SMA", "D3", "S1"];
const JOBS: &[&str] = &[
    "PETANI",
    "NELAYAN",
    "PEDAGANG",
    "BURUH",
    "PNS",
    "WIRASWASTA",
    "TIDAK BEKERJA",
];
const HOUSE: &[&str] = &["MILIK SENDIRI", "SEWA", "MENUMPANG"];
const WATER: &[&str] = &["PDAM", "SUMUR", "SUNGAI", "AIR HUJAN"];

fn indo_number(v: u64, decimals: u32, out: &mut String) {
    // v is in 1/10^decimals units.
    let div = 10u64.pow(decimals);
    let int = (v / div).to_string();
    let first = int.len() % 3;
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (i + 3 - first).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if decimals > 0 {
        out.push(',');
        out.push_str(&format!("{:0width$}", v % div, width = decimals as usize));
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let rows: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir)?;
    let home = RegionCode::parse("16.06").expect("home code");
    let desa: Vec<String> = Regions::get()
        .descendants(&home, Level::Desa)
        .iter()
        .map(|r| r.code.undotted().to_string())
        .collect();
    let mut rng = Rng(0x5EED_2024_1606);
    let mut w =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("household.csv"))?);
    writeln!(
        w,
        "id_keluarga;nik_kepala;kode_desa;kode_kecamatan;nama_kepala;jenis_kelamin;tanggal_lahir;umur;jumlah_anggota;pendidikan;pekerjaan;penghasilan;pengeluaran;luas_lantai;status_rumah;sumber_air;desil;penerima_bansos;tanggal_survei;skor_kesejahteraan"
    )?;
    let mut line = String::with_capacity(512);
    // Families numbered per desa: a 16-digit id = 10-digit desa code + 6-digit number, unique.
    let mut per_desa = vec![0u64; desa.len()];
    for i in 0..rows {
        line.clear();
        let di = rng.below(desa.len() as u64) as usize;
        let d = &desa[di];
        line.push_str(&format!("{}{:06}", d, per_desa[di] % 1_000_000));
        per_desa[di] += 1;
        line.push(';');
        line.push_str(&format!(
            "{}{:06}",
            &d[..6],
            1_000_000 - 1 - (i % 1_000_000)
        ));
        line.push_str(&format!("{:04}", rng.below(10_000)));
        line.push(';');
        line.push_str(d);
        line.push(';');
        line.push_str(&format!("{}.{}.{}", &d[0..2], &d[2..4], &d[4..6]));
        line.push(';');
        line.push_str(rng.pick(NAMES));
        line.push(' ');
        line.push_str(rng.pick(SURNAMES));
        line.push(';');
        line.push_str(if rng.below(2) == 0 { "L" } else { "P" });
        line.push(';');
        let year = 1940 + rng.below(66);
        line.push_str(&format!(
            "{:02}/{:02}/{}",
            1 + rng.below(28),
            1 + rng.below(12),
            year
        ));
        line.push(';');
        line.push_str(&(2024 - year).to_string());
        line.push(';');
        line.push_str(&(1 + rng.below(9)).to_string());
        line.push(';');
        line.push_str(rng.pick(EDU));
        line.push(';');
        line.push_str(rng.pick(JOBS));
        line.push(';');
        indo_number(5_000_000 + rng.below(1_500_000_000), 2, &mut line);
        line.push(';');
        indo_number(3_000_000 + rng.below(900_000_000), 2, &mut line);
        line.push(';');
        indo_number(150 + rng.below(2_000), 1, &mut line);
        line.push(';');
        line.push_str(rng.pick(HOUSE));
        line.push(';');
        line.push_str(rng.pick(WATER));
        line.push(';');
        line.push_str(&(1 + rng.below(10)).to_string());
        line.push(';');
        line.push_str(if rng.below(3) == 0 { "ya" } else { "tidak" });
        line.push(';');
        line.push_str(&format!(
            "2024-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        ));
        line.push(';');
        indo_number(rng.below(100_000), 4, &mut line);
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()?;
    std::fs::write(dir.join("household.schema.json"), SCHEMA)?;
    eprintln!(
        "wrote {} rows to {}",
        rows,
        dir.join("household.csv").display()
    );
    Ok(())
}

const SCHEMA: &str = r#"{
  "fields": [
    {"name": "id_keluarga", "type": "string", "constraints": {"required": true, "pattern": "[0-9]{16}"}},
    {"name": "nik_kepala", "type": "string", "constraints": {"minLength": 16, "maxLength": 16}},
    {"name": "kode_desa", "type": "string", "regionLevel": "desa"},
    {"name": "kode_kecamatan", "type": "string", "regionLevel": "kecamatan"},
    {"name": "nama_kepala", "type": "string"},
    {"name": "jenis_kelamin", "type": "string", "constraints": {"enum": ["L", "P"]}},
    {"name": "tanggal_lahir", "type": "date"},
    {"name": "umur", "type": "integer", "constraints": {"minimum": 0, "maximum": 120}},
    {"name": "jumlah_anggota", "type": "integer", "constraints": {"minimum": 1}},
    {"name": "pendidikan", "type": "string", "constraints": {"enum": ["TIDAK SEKOLAH", "SD", "SMP", "SMA", "D3", "S1"]}},
    {"name": "pekerjaan", "type": "string"},
    {"name": "penghasilan", "type": "number", "unit": "rupiah", "decimalChar": ",", "groupChar": "."},
    {"name": "pengeluaran", "type": "number", "unit": "rupiah", "decimalChar": ",", "groupChar": "."},
    {"name": "luas_lantai", "type": "number", "unit": "m2", "decimalChar": ","},
    {"name": "status_rumah", "type": "string", "constraints": {"enum": ["MILIK SENDIRI", "SEWA", "MENUMPANG"]}},
    {"name": "sumber_air", "type": "string"},
    {"name": "desil", "type": "integer", "constraints": {"minimum": 1, "maximum": 10}},
    {"name": "penerima_bansos", "type": "boolean"},
    {"name": "tanggal_survei", "type": "date"},
    {"name": "skor_kesejahteraan", "type": "number", "decimalChar": ","}
  ],
  "primaryKey": "id_keluarga"
}
"#;
