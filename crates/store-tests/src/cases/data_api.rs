//! Cases of the data API's queries (issue 5): region and range filters, `select`, keyset paging,
//! group-by and rollups along the region hierarchy. Expected answers are computed here in Rust from
//! the rows that were put in, so both backends are held to the same figures.

use std::collections::BTreeMap;
use std::sync::Arc;

use satudata_core::aggregate::{AggFn, AggSort, Aggregate, AggregateQuery, GroupBy};
use satudata_core::region::Level;
use satudata_core::row::{Cursor, FilterOp, Row, RowQuery, SortKey};
use satudata_core::value::Value;
use satudata_store::Store;

use super::{
    assert_invalid, assert_not_found, count, filter, make_table, put_version, sample_rows,
};

fn text(v: &Value) -> &str {
    match v {
        Value::Text(t) => t,
        _ => "",
    }
}

/// `within` matches a region and everything in it (by dotted-code range); ranges on the period
/// field select periods; `within` is refused on other fields and for smaller regions.
pub async fn query_within_region_and_ranges(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let rows = sample_rows(0..120);
    put_version(&store, res.id, rows.clone()).await;
    let id = res.id;
    let expect = |pred: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| pred(r)).count() as u64;
    let within = |code: &str| {
        filter(
            "kode_desa",
            FilterOp::Within,
            vec![Value::Text(code.into())],
        )
    };

    assert_eq!(
        count(&store, id, vec![within("16.06.02")]).await,
        expect(&|r| text(&r[0]).starts_with("16.06.02.")),
        "a kecamatan: all its desa"
    );
    assert_eq!(
        count(&store, id, vec![within("1606")]).await,
        120,
        "the kabupaten, undotted"
    );
    assert_eq!(
        count(&store, id, vec![within("16.07")]).await,
        0,
        "another kabupaten"
    );
    assert_eq!(
        count(&store, id, vec![within("16.06.03.2004")]).await,
        expect(&|r| text(&r[0]) == "16.06.03.2004"),
        "a desa: itself"
    );
    // Period range, combined with a region.
    assert_eq!(
        count(
            &store,
            id,
            vec![
                filter("tahun", FilterOp::Ge, vec![Value::Int(2021)]),
                filter("tahun", FilterOp::Le, vec![Value::Int(2022)]),
                within("16.06.01"),
            ]
        )
        .await,
        expect(&|r| {
            matches!(r[1], Value::Int(2021 | 2022)) && text(&r[0]).starts_with("16.06.01.")
        })
    );
    for (f, why) in [
        (
            filter(
                "catatan",
                FilterOp::Within,
                vec![Value::Text("16.06".into())],
            ),
            "not a region field",
        ),
        (
            filter(
                "kode_desa",
                FilterOp::Within,
                vec![Value::Text("16.6".into())],
            ),
            "not a region code",
        ),
        (filter("kode_desa", FilterOp::Within, vec![]), "no operand"),
    ] {
        assert_invalid(
            store
                .query_rows(
                    id,
                    &RowQuery {
                        filters: vec![f],
                        ..RowQuery::default()
                    },
                )
                .await,
            why,
        );
    }
}

/// `select` returns only the named fields, in that order; keyset cursors page through any sort
/// (missing cells last, ties in upload order) and give the same rows as one big page.
pub async fn query_select_and_keyset(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let rows = sample_rows(0..97);
    put_version(&store, res.id, rows.clone()).await;
    let page = store
        .query_rows(
            res.id,
            &RowQuery {
                select: vec!["jumlah".into(), "kode_desa".into()],
                limit: 5,
                ..RowQuery::default()
            },
        )
        .await
        .expect("select");
    assert_eq!(page.fields, vec!["jumlah", "kode_desa"]);
    let expect: Vec<Row> = rows[..5]
        .iter()
        .map(|r| vec![r[2].clone(), r[0].clone()])
        .collect();
    assert_eq!(page.rows, expect);
    assert_eq!(page.total, Some(97));

    for sort in [
        vec![],
        vec![SortKey {
            field: "jumlah".into(),
            descending: true,
        }],
        vec![
            SortKey {
                field: "tahun".into(),
                descending: false,
            },
            SortKey {
                field: "catatan".into(),
                descending: true,
            },
        ],
    ] {
        let all = store
            .query_rows(
                res.id,
                &RowQuery {
                    sort: sort.clone(),
                    limit: 1000,
                    with_total: false,
                    ..RowQuery::default()
                },
            )
            .await
            .expect("one page");
        assert!(
            all.next_cursor.is_none(),
            "a page that is not full has no next cursor"
        );
        let mut paged = vec![];
        let mut after: Option<Cursor> = None;
        let mut pages = 0;
        loop {
            let p = store
                .query_rows(
                    res.id,
                    &RowQuery {
                        sort: sort.clone(),
                        limit: 10,
                        after: after.take(),
                        with_total: true,
                        ..RowQuery::default()
                    },
                )
                .await
                .expect("keyset page");
            assert_eq!(p.total, Some(97), "the total ignores the cursor");
            pages += 1;
            paged.extend(p.rows);
            match p.next_cursor {
                Some(c) => after = Some(c),
                None => break,
            }
            assert!(pages < 20, "keyset paging must end");
        }
        assert_eq!(paged, all.rows, "keyset pages over {sort:?}");
    }

    // A cursor with filters keeps to them; a cursor of another sort is refused.
    let desa = filter(
        "kode_desa",
        FilterOp::Eq,
        vec![Value::Text("16.06.02.2003".into())],
    );
    let first = store
        .query_rows(
            res.id,
            &RowQuery {
                filters: vec![desa.clone()],
                limit: 2,
                ..RowQuery::default()
            },
        )
        .await
        .expect("first");
    let second = store
        .query_rows(
            res.id,
            &RowQuery {
                filters: vec![desa.clone()],
                limit: 2,
                after: first.next_cursor.clone(),
                ..RowQuery::default()
            },
        )
        .await
        .expect("second");
    let want: Vec<&Row> = rows
        .iter()
        .filter(|r| text(&r[0]) == "16.06.02.2003")
        .collect();
    assert_eq!(second.rows.iter().collect::<Vec<_>>(), want[2..4].to_vec());
    assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    sort: vec![SortKey {
                        field: "tahun".into(),
                        descending: false,
                    }],
                    after: first.next_cursor,
                    ..RowQuery::default()
                },
            )
            .await,
        "cursor of another sort",
    );
    assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    select: vec!["tidak_ada".into()],
                    ..RowQuery::default()
                },
            )
            .await,
        "unknown selected field",
    );
}

fn agg(func: AggFn, field: Option<&str>) -> Aggregate {
    Aggregate {
        func,
        field: field.map(str::to_string),
    }
}

/// Group-by with every function, rollups of desa to kecamatan and kabupaten, filters, sort, paging
/// and pinned versions, checked against figures computed from the rows.
pub async fn aggregate_group_by_and_rollup(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let v1 = sample_rows(0..50);
    let v2 = sample_rows(20..140);
    put_version(&store, res.id, v1.clone()).await;
    put_version(&store, res.id, v2.clone()).await;

    // Expected per kecamatan: count, count(jumlah), sum(jumlah), avg(rasio), min(tanggal),
    // max(dicatat), min(aktif), max(aktif), count_distinct(kode_desa).
    let expected = |rows: &[Row]| {
        let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
        for r in rows {
            groups
                .entry(text(&r[0])[..8].to_string())
                .or_default()
                .push(r);
        }
        groups
            .into_iter()
            .map(|(k, rs)| {
                let ints: Vec<i64> = rs
                    .iter()
                    .filter_map(|r| match r[2] {
                        Value::Int(i) => Some(i),
                        _ => None,
                    })
                    .collect();
                let nums: Vec<f64> = rs
                    .iter()
                    .filter_map(|r| match r[3] {
                        Value::Num(n) => Some(n),
                        _ => None,
                    })
                    .collect();
                let mut desa: Vec<&str> = rs.iter().map(|r| text(&r[0])).collect();
                desa.sort();
                desa.dedup();
                let min_by = |i: usize| rs.iter().map(|r| r[i].clone()).min_by(cmp).unwrap();
                let max_by = |i: usize| rs.iter().map(|r| r[i].clone()).max_by(cmp).unwrap();
                vec![
                    Value::Text(k),
                    Value::Int(rs.len() as i64),
                    Value::Int(ints.len() as i64),
                    Value::Int(ints.iter().sum()),
                    Value::Num(nums.iter().sum::<f64>() / nums.len() as f64),
                    min_by(5),
                    max_by(6),
                    min_by(4),
                    max_by(4),
                    Value::Int(desa.len() as i64),
                ]
            })
            .collect::<Vec<Row>>()
    };
    let query = |version: Option<i32>| AggregateQuery {
        version,
        group_by: vec![GroupBy {
            field: "kode_desa".into(),
            level: Some(Level::Kecamatan),
        }],
        aggregates: vec![
            agg(AggFn::Count, None),
            agg(AggFn::Count, Some("jumlah")),
            agg(AggFn::Sum, Some("jumlah")),
            agg(AggFn::Avg, Some("rasio")),
            agg(AggFn::Min, Some("tanggal")),
            agg(AggFn::Max, Some("dicatat")),
            agg(AggFn::Min, Some("aktif")),
            agg(AggFn::Max, Some("aktif")),
            agg(AggFn::CountDistinct, Some("kode_desa")),
        ],
        ..AggregateQuery::default()
    };
    let latest = store
        .aggregate_rows(res.id, &query(None))
        .await
        .expect("latest");
    assert_eq!(latest.version, 2);
    assert_eq!(latest.rows, expected(&v2));
    let names: Vec<&str> = latest.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "kode_desa",
            "count",
            "count_jumlah",
            "sum_jumlah",
            "avg_rasio",
            "min_tanggal",
            "max_dicatat",
            "min_aktif",
            "max_aktif",
            "count_distinct_kode_desa"
        ]
    );
    assert!(
        latest.notes.iter().any(|n| n.contains("avg_rasio")),
        "a mean of ratios says it is unweighted: {:?}",
        latest.notes
    );
    let pinned = store
        .aggregate_rows(res.id, &query(Some(1)))
        .await
        .expect("v1");
    assert_eq!((pinned.version, pinned.rows.clone()), (1, expected(&v1)));

    // Up to the kabupaten, with a filter: one group.
    let q = AggregateQuery {
        filters: vec![filter(
            "tahun",
            FilterOp::In,
            vec![Value::Int(2020), Value::Int(2023)],
        )],
        group_by: vec![GroupBy {
            field: "kode_desa".into(),
            level: Some(Level::Kabupaten),
        }],
        aggregates: vec![agg(AggFn::Count, None), agg(AggFn::Sum, Some("jumlah"))],
        ..AggregateQuery::default()
    };
    let kab = store.aggregate_rows(res.id, &q).await.expect("kabupaten");
    let sel: Vec<&Row> = v2
        .iter()
        .filter(|r| matches!(r[1], Value::Int(2020 | 2023)))
        .collect();
    let sum: i64 = sel
        .iter()
        .filter_map(|r| match r[2] {
            Value::Int(i) => Some(i),
            _ => None,
        })
        .sum();
    assert_eq!(
        kab.rows,
        vec![vec![
            Value::Text("16.06".into()),
            Value::Int(sel.len() as i64),
            Value::Int(sum)
        ]]
    );

    // By desa and year, ordered by count descending then keys; paged.
    let q = AggregateQuery {
        group_by: vec![
            GroupBy {
                field: "kode_desa".into(),
                level: None,
            },
            GroupBy {
                field: "tahun".into(),
                level: None,
            },
        ],
        aggregates: vec![agg(AggFn::Count, None)],
        sort: vec![AggSort {
            column: "count".into(),
            descending: true,
        }],
        limit: 4,
        offset: 3,
        ..AggregateQuery::default()
    };
    let page = store
        .aggregate_rows(res.id, &q)
        .await
        .expect("desa x tahun");
    let mut groups: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for r in &v2 {
        let y = match r[1] {
            Value::Int(y) => y,
            _ => 0,
        };
        *groups.entry((text(&r[0]).to_string(), y)).or_default() += 1;
    }
    let mut all: Vec<((String, i64), i64)> = groups.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let want: Vec<Row> = all[3..7]
        .iter()
        .map(|((d, y), n)| vec![Value::Text(d.clone()), Value::Int(*y), Value::Int(*n)])
        .collect();
    assert_eq!(page.rows, want);

    // No group: one row over every matching row; no row at all for an empty filter result's keys.
    let q = AggregateQuery {
        aggregates: vec![agg(AggFn::Count, None), agg(AggFn::Max, Some("jumlah"))],
        filters: vec![filter("jumlah", FilterOp::Lt, vec![Value::Int(0)])],
        ..AggregateQuery::default()
    };
    let none = store
        .aggregate_rows(res.id, &q)
        .await
        .expect("nothing matches");
    assert_eq!(none.rows, vec![vec![Value::Int(0), Value::Null]]);
}

/// What cannot be aggregated is refused with the reason: sums of ratios, sums of text, rollups of
/// fields that are not region codes, unknown fields and versions.
pub async fn aggregate_refusals(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    put_version(&store, res.id, sample_rows(0..30)).await;
    let run = |group_by: Vec<GroupBy>, aggregates: Vec<Aggregate>, version: Option<i32>| {
        let store = store.clone();
        async move {
            store
                .aggregate_rows(
                    res.id,
                    &AggregateQuery {
                        version,
                        group_by,
                        aggregates,
                        ..AggregateQuery::default()
                    },
                )
                .await
        }
    };
    let kec = || {
        vec![GroupBy {
            field: "kode_desa".into(),
            level: Some(Level::Kecamatan),
        }]
    };
    let m = assert_invalid(
        run(kec(), vec![agg(AggFn::Sum, Some("rasio"))], None).await,
        "sum of a ratio",
    );
    assert!(
        m.contains("tidak boleh dijumlahkan") && m.contains("avg"),
        "{m}"
    );
    assert_invalid(
        run(kec(), vec![agg(AggFn::Sum, Some("catatan"))], None).await,
        "sum of text",
    );
    assert_invalid(
        run(
            vec![GroupBy {
                field: "catatan".into(),
                level: Some(Level::Kecamatan),
            }],
            vec![agg(AggFn::Count, None)],
            None,
        )
        .await,
        "rollup of a field that is not a region code",
    );
    assert_invalid(run(kec(), vec![], None).await, "no aggregate");
    assert_invalid(
        run(kec(), vec![agg(AggFn::Avg, Some("tidak_ada"))], None).await,
        "unknown field",
    );
    assert_not_found(
        run(kec(), vec![agg(AggFn::Count, None)], Some(7)).await,
        "unknown version",
    );
    let empty = make_table(&store, "kosong").await;
    let page = store
        .aggregate_rows(
            empty.id,
            &AggregateQuery {
                aggregates: vec![agg(AggFn::Count, None)],
                ..AggregateQuery::default()
            },
        )
        .await
        .expect("no version yet");
    assert_eq!((page.version, page.rows.len()), (0, 0));
}

/// The order of values the stores use for min and max: by type, then by value.
fn cmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        // Missing cells never win a min or max.
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Num(x), Value::Num(y)) => x.total_cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::DateTime(x), Value::DateTime(y)) => x.cmp(y),
        (x, y) => x.to_text().cmp(&y.to_text()),
    }
}

/// CSV written by the store (`stream_csv`) is the rows `query_rows` gives, formatted the way
/// `rowsql::write_csv_cell` formats them: with filters, `select`, sorts, offsets, cursors and caps;
/// text that needs quoting, numbers that need 16 or 17 digits, dates, times, booleans, missing cells.
pub async fn stream_csv_matches_rows(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let mut rows = sample_rows(0..12_345);
    rows[3][7] = Value::Text("koma, \"kutip\"\nbaris baru".into());
    rows[4][3] = Value::Num(1.0 / 3.0);
    rows[5][3] = Value::Num(0.1 + 0.2);
    rows[6][3] = Value::Num(-2.5e-3);
    rows[7][3] = Value::Num(123_456_789.0);
    put_version(&store, res.id, rows).await;
    let csv_of = |rows: &[Row]| {
        let mut out = Vec::new();
        for r in rows {
            for (i, v) in r.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                satudata_store::rowsql::write_csv_cell(&mut out, v);
            }
            out.push(b'\n');
        }
        String::from_utf8(out).expect("utf-8")
    };
    let streamed = |q: RowQuery, max: Option<u64>| {
        let store = store.clone();
        async move {
            let (tx, mut rx) = tokio::sync::mpsc::channel(4);
            let s = store.clone();
            let task = tokio::spawn(async move { s.stream_csv(res.id, &q, max, tx).await });
            let mut out = Vec::new();
            let mut chunks = 0;
            while let Some(c) = rx.recv().await {
                assert!(c.ends_with(b"\n"), "chunks hold whole records");
                chunks += 1;
                out.extend(c);
            }
            let n = task.await.expect("task").expect("stream_csv");
            (String::from_utf8(out).expect("utf-8"), n, chunks)
        }
    };
    let queries = vec![
        (RowQuery::default(), None),
        (
            RowQuery {
                filters: vec![filter(
                    "kode_desa",
                    FilterOp::Within,
                    vec![Value::Text("16.06.02".into())],
                )],
                select: vec![
                    "rasio".into(),
                    "catatan".into(),
                    "aktif".into(),
                    "dicatat".into(),
                ],
                ..RowQuery::default()
            },
            None,
        ),
        (
            RowQuery {
                sort: vec![SortKey {
                    field: "jumlah".into(),
                    descending: true,
                }],
                offset: 7,
                ..RowQuery::default()
            },
            Some(6_001),
        ),
        (
            RowQuery {
                offset: 3,
                select: vec!["tanggal".into(), "kode_desa".into()],
                ..RowQuery::default()
            },
            Some(4),
        ),
    ];
    for (q, max) in queries {
        let mut all = q.clone();
        all.limit = 20_000;
        all.with_total = false;
        let mut want = store.query_rows(res.id, &all).await.expect("rows").rows;
        if let Some(m) = max {
            want.truncate(m as usize);
        }
        let (got, n, chunks) = streamed(q.clone(), max).await;
        assert_eq!(n as usize, want.len(), "{q:?}");
        assert!(got == csv_of(&want), "stream_csv differs for {q:?}");
        if want.len() > 5000 {
            assert!(chunks >= 2, "large exports come in several chunks");
        }
    }
    // From a cursor.
    let first = store
        .query_rows(
            res.id,
            &RowQuery {
                limit: 10,
                ..RowQuery::default()
            },
        )
        .await
        .expect("first page");
    let (got, n, _) = streamed(
        RowQuery {
            after: first.next_cursor,
            ..RowQuery::default()
        },
        Some(5),
    )
    .await;
    let want = store
        .query_rows(
            res.id,
            &RowQuery {
                offset: 10,
                limit: 5,
                ..RowQuery::default()
            },
        )
        .await
        .expect("rows")
        .rows;
    assert_eq!((got, n), (csv_of(&want), 5));
}
