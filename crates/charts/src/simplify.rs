//! GeoJSON polygons: reading `Polygon` and `MultiPolygon` geometries, and simplifying them with
//! Douglas–Peucker so that a map of 240 desa weighs kilobytes, not megabytes.

use serde_json::{json, Value};

/// A point `[x, y]` (GeoJSON: `[longitude, latitude]`).
pub type Point = [f64; 2];
/// A closed ring (first point = last point).
pub type Ring = Vec<Point>;
/// A polygon: its outer ring, then its holes.
pub type Polygon = Vec<Ring>;

/// The polygons of a GeoJSON geometry (`Polygon` or `MultiPolygon`); anything else, or a malformed
/// one, is an error that says what is wrong (Bahasa Indonesia).
pub fn polygons(geometry: &Value) -> Result<Vec<Polygon>, String> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = geometry
        .get("coordinates")
        .ok_or_else(|| "geometri tidak punya 'coordinates'".to_string())?;
    match kind {
        "Polygon" => Ok(vec![polygon(coords)?]),
        "MultiPolygon" => coords
            .as_array()
            .ok_or_else(|| "koordinat MultiPolygon harus berupa larik poligon".to_string())?
            .iter()
            .map(polygon)
            .collect(),
        "" => Err("geometri tidak punya 'type'".to_string()),
        other => Err(format!(
            "geometri '{other}' tidak didukung; batas wilayah harus Polygon atau MultiPolygon"
        )),
    }
}

fn polygon(v: &Value) -> Result<Polygon, String> {
    let rings = v
        .as_array()
        .ok_or_else(|| "poligon harus berupa larik cincin koordinat".to_string())?;
    if rings.is_empty() {
        return Err("poligon tanpa cincin koordinat".to_string());
    }
    rings
        .iter()
        .map(|r| {
            let pts = r
                .as_array()
                .ok_or_else(|| "cincin poligon harus berupa larik titik".to_string())?;
            let ring: Ring = pts
                .iter()
                .map(|p| {
                    let xy = p.as_array().filter(|a| a.len() >= 2);
                    match xy.map(|a| (a[0].as_f64(), a[1].as_f64())) {
                        Some((Some(x), Some(y))) if x.is_finite() && y.is_finite() => Ok([x, y]),
                        _ => Err(format!("titik koordinat tidak sah: {p}")),
                    }
                })
                .collect::<Result<_, _>>()?;
            if ring.len() < 4 {
                return Err(format!(
                    "cincin poligon hanya punya {} titik; paling sedikit 4 (titik pertama diulang di akhir)",
                    ring.len()
                ));
            }
            Ok(ring)
        })
        .collect()
}

/// Douglas–Peucker: drop points closer than `tolerance` to the line of their neighbours. A ring keeps
/// at least four points (a triangle, closed), so that no region vanishes from a map.
pub fn simplify_ring(ring: &[Point], tolerance: f64) -> Ring {
    if ring.len() <= 4 || tolerance <= 0.0 {
        return ring.to_vec();
    }
    let last = ring.len() - 1;
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[last] = true;
    // A closed ring's ends coincide: split at the point farthest from the start first.
    let far = (1..last)
        .max_by(|&a, &b| dist2(ring[a], ring[0]).total_cmp(&dist2(ring[b], ring[0])))
        .unwrap_or(1);
    keep[far] = true;
    let mut stack = vec![(0, far), (far, last)];
    let tol2 = tolerance * tolerance;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut best, mut idx) = (0.0, 0);
        for i in a + 1..b {
            let d = seg_dist2(ring[i], ring[a], ring[b]);
            if d > best {
                best = d;
                idx = i;
            }
        }
        if best > tol2 {
            keep[idx] = true;
            stack.push((a, idx));
            stack.push((idx, b));
        }
    }
    let out: Ring = ring
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect();
    if out.len() >= 4 {
        return out;
    }
    // Too small to keep its shape at this scale: a triangle of spread points.
    let n = ring.len() - 1;
    vec![ring[0], ring[n / 3], ring[2 * n / 3], ring[0]]
}

fn dist2(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

fn seg_dist2(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist2(p, a);
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    dist2(p, [a[0] + t * dx, a[1] + t * dy])
}

/// A simplified copy of a GeoJSON `Polygon`/`MultiPolygon` geometry: Douglas–Peucker with
/// `tolerance` (in the geometry's units, degrees for GeoJSON), coordinates rounded to `decimals`
/// (5 decimals of a degree ≈ 1 m). Holes that shrink below the tolerance are dropped; outer rings
/// never are. Always a `MultiPolygon`.
pub fn simplify_geometry(geometry: &Value, tolerance: f64, decimals: i32) -> Result<Value, String> {
    let scale = 10f64.powi(decimals);
    let round = |x: f64| (x * scale).round() / scale;
    let polys = polygons(geometry)?;
    let out: Vec<Value> = polys
        .iter()
        .map(|poly| {
            let rings: Vec<Value> = poly
                .iter()
                .enumerate()
                .filter(|(i, r)| *i == 0 || extent(r) > tolerance)
                .map(|(_, r)| {
                    let pts: Vec<Value> = simplify_ring(r, tolerance)
                        .into_iter()
                        .map(|p| json!([round(p[0]), round(p[1])]))
                        .collect();
                    Value::Array(pts)
                })
                .collect();
            Value::Array(rings)
        })
        .collect();
    Ok(json!({"type": "MultiPolygon", "coordinates": out}))
}

/// The larger side of a ring's bounding box.
fn extent(r: &[Point]) -> f64 {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in r {
        x0 = x0.min(p[0]);
        y0 = y0.min(p[1]);
        x1 = x1.max(p[0]);
        y1 = y1.max(p[1]);
    }
    (x1 - x0).max(y1 - y0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_polygons_and_rejects_others() {
        let p = json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]});
        assert_eq!(polygons(&p).unwrap().len(), 1);
        let m = json!({"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]], [[[2,2],[3,2],[3,3],[2,2]]]]});
        assert_eq!(polygons(&m).unwrap().len(), 2);
        let e = polygons(&json!({"type": "Point", "coordinates": [1, 2]})).unwrap_err();
        assert!(e.contains("Point"), "{e}");
        let e = polygons(&json!({"type": "Polygon", "coordinates": [[[0,0],[1,1]]]})).unwrap_err();
        assert!(e.contains("2 titik"), "{e}");
        let e = polygons(&json!({"type": "Polygon", "coordinates": [[[0,"a"],[1,1],[1,0],[0,0]]]}))
            .unwrap_err();
        assert!(e.contains("tidak sah"), "{e}");
    }

    #[test]
    fn douglas_peucker_drops_near_points_and_keeps_rings() {
        // A square with a wobble of 0.001 on one side.
        let ring = vec![
            [0.0, 0.0],
            [0.5, 0.001],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.0, 0.0],
        ];
        let s = simplify_ring(&ring, 0.01);
        assert_eq!(s.len(), 5, "{s:?}");
        assert_eq!(s.first(), s.last());
        let s = simplify_ring(&ring, 0.0001);
        assert_eq!(s.len(), 6);
        // A tiny ring survives as a triangle.
        let tiny = vec![
            [0.0, 0.0],
            [1e-6, 0.0],
            [1e-6, 1e-6],
            [0.0, 1e-6],
            [0.0, 0.0],
        ];
        assert_eq!(simplify_ring(&tiny, 1.0).len(), 4);
        let g =
            simplify_geometry(&json!({"type": "Polygon", "coordinates": [ring]}), 0.01, 2).unwrap();
        assert_eq!(g["type"], "MultiPolygon");
        assert_eq!(g["coordinates"][0][0].as_array().unwrap().len(), 5);
    }
}
