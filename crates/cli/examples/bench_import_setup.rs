//! Prepare a store for `bench/validate.sh`'s import benchmark: an organisation, a dataset `SLUG` and a
//! table resource with the schema of the generated household file.
//!
//! `cargo run --release -p satudata --example bench_import_setup -- DATABASE_URL SCHEMA.json SLUG`
//! (DATABASE_URL as for `satudata`: `sqlite://FILE` or `postgres://…`).

use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::schema::TableSchema;
use satudata_store::Store;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(schema), Some(slug)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: bench_import_setup DATABASE_URL SCHEMA.json SLUG");
        std::process::exit(2);
    };
    let schema: TableSchema =
        serde_json::from_str(&std::fs::read_to_string(&schema).expect("read the schema"))
            .expect("a Table Schema");
    let store: Box<dyn Store> = if url.starts_with("postgres") {
        Box::new(
            satudata_store_postgres::PostgresStore::connect(&url)
                .await
                .expect("connect to PostgreSQL"),
        )
    } else {
        Box::new(
            satudata_store_sqlite::SqliteStore::open_url(&url)
                .await
                .expect("open SQLite"),
        )
    };
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "bench".into(),
                name: "Benchmark".into(),
                acronym: None,
                kind: OrgKind::Opd,
                description: String::new(),
                region_code: None,
                parent_id: None,
                email: None,
                phone: None,
                address: None,
                website: None,
            },
            None,
        )
        .await
        .expect("create the organisation");
    let ds = store
        .create_dataset(DatasetMeta::new("Rumah tangga", &slug, org.id), None)
        .await
        .expect("create the dataset");
    store
        .create_resource(
            ds.id,
            NewResource {
                name: "data".into(),
                title: "Rumah tangga (benchmark)".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema },
            },
            None,
        )
        .await
        .expect("create the table");
    println!("{slug}");
}
