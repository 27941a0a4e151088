//! What `satudata validate` does, as a library user: `validate_file FILE [SCHEMA.json] [--json]`.
//! Without a schema, the schema is inferred first. Exit code 0 valid, 1 invalid, 2 unusable input.

use satudata_core::schema::TableSchema;
use satudata_formats::infer::{infer, InferOptions};
use satudata_formats::read::{open_path, ReadOptions};
use satudata_formats::validate::{validate, ValidateOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(file) = pos.first() else {
        eprintln!("usage: validate_file FILE [SCHEMA.json] [--json]");
        std::process::exit(2);
    };
    let path = std::path::Path::new(file.as_str());
    let read = ReadOptions::default();
    let schema: TableSchema = match pos.get(1) {
        Some(s) => match std::fs::read_to_string(s)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                eprintln!("Skema tidak dapat dibaca: {e}");
                std::process::exit(2);
            }
        },
        None => match open_path(path, &read).and_then(|r| infer(r, &InferOptions::default())) {
            Ok(inf) => inf.schema,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        },
    };
    let report = match open_path(path, &read)
        .map_err(Into::into)
        .and_then(|r| validate(r, &schema, &ValidateOptions::default()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        println!(
            "{}: {} baris, {} galat {:?}",
            if report.valid { "VALID" } else { "TIDAK VALID" },
            report.stats.rows,
            report.stats.errors,
            report.error_counts
        );
        for e in report.errors.iter().take(20) {
            println!(
                "  baris {:?} kolom {:?} [{}] {} — {}",
                e.row_number, e.field_name, e.kind, e.message, e.hint
            );
        }
    }
    std::process::exit(report.exit_code());
}
