//! The demo's maps: the boundaries of the home regency's kecamatan and desa, loaded from the
//! reference files (`shared/reference/boundaries`, cahyadsn/wilayah_boundaries, MIT) when they are
//! there. They are not shipped in the binary: without them the demo runs as before, without maps.

use std::path::{Path, PathBuf};

use satudata_charts::geo::{read_boundaries, GeoOptions};
use satudata_core::region::{Level, RegionCode};
use satudata_store::boundaries::NewBoundary;
use satudata_store::Store;

/// Where the reference boundary files are looked for, in order: `$SATUDATA_BOUNDARIES_DIR`, then
/// `shared/reference/boundaries` and `../shared/reference/boundaries` from the working directory.
pub fn boundary_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![];
    if let Ok(d) = std::env::var("SATUDATA_BOUNDARIES_DIR") {
        dirs.push(PathBuf::from(d));
    }
    dirs.push(PathBuf::from("shared/reference/boundaries"));
    dirs.push(PathBuf::from("../shared/reference/boundaries"));
    dirs
}

/// Load the kecamatan and desa boundaries of `home` from the first of `dirs` that has a file
/// `<home>-*-kecamatan.geojson` / `-desa.geojson`, unless the store has them already. Returns how
/// many were loaded (0 when none were found or they were there). A file that cannot be read is an
/// error; features that match nothing are skipped (the reference files have none).
pub async fn load_boundaries(
    store: &dyn Store,
    home: &RegionCode,
    dirs: &[PathBuf],
) -> anyhow::Result<usize> {
    if !store
        .list_boundaries(&home.dotted(), Level::Kecamatan, false)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let Some(files) = dirs.iter().find_map(|d| files_in(d, home)) else {
        return Ok(0);
    };
    let mut items = vec![];
    let mut source = vec![];
    for (file, level) in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let read = read_boundaries(
            &text,
            &GeoOptions {
                level: Some(level),
                code_property: None,
                home: Some(*home),
            },
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        items.extend(read.boundaries.into_iter().map(|b| NewBoundary {
            code: b.code,
            level: b.level,
            name: b.name,
            geometry: b.geometry,
            simplified: b.simplified,
        }));
        source.push(
            file.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    }
    let n = store
        .put_boundaries(&items, &source.join(", "), None)
        .await?;
    Ok(n as usize)
}

/// The kecamatan and desa files of `home` in `dir`, if both are there.
fn files_in(dir: &Path, home: &RegionCode) -> Option<Vec<(PathBuf, Level)>> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let find = |suffix: &str| {
        let prefix = format!("{}-", home.dotted());
        let mut hits: Vec<&PathBuf> = entries
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| f.starts_with(&prefix) && f.ends_with(suffix))
            })
            .collect();
        hits.sort();
        hits.first().map(|p| (*p).clone())
    };
    Some(vec![
        (find("-kecamatan.geojson")?, Level::Kecamatan),
        (find("-desa.geojson")?, Level::Desa),
    ])
}
