//! Colours. Categorical colours are the darker members of the Okabe–Ito and Paul Tol sets, which
//! stay apart under the common colour-vision deficiencies; each has at least 3:1 contrast on white
//! (WCAG 2.1 non-text contrast, checked by a test). Series are told apart by marker shape too, and
//! every chart has a table alternative. Map classes use ColorBrewer YlGnBu (5 classes,
//! colour-blind safe, light to dark); region outlines are dark so that the lightest class still
//! stands out from the background.

/// Categorical colours, in order of use.
pub const CATEGORICAL: [&str; 8] = [
    "#0072B2", // blue
    "#C0400A", // vermillion (darkened)
    "#00795C", // bluish green (darkened)
    "#882255", // wine
    "#6F5F00", // olive
    "#AA4499", // purple
    "#332288", // indigo
    "#5E5E5E", // grey
];

/// Sequential colours of the five map classes, lowest first (ColorBrewer YlGnBu).
pub const SEQUENTIAL5: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];

/// The colour of series `i` (cycling).
pub fn series(i: usize) -> &'static str {
    CATEGORICAL[i % CATEGORICAL.len()]
}

/// Relative luminance of `#rrggbb` (WCAG 2.1).
pub fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        let v = u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * c(0) + 0.7152 * c(2) + 0.0722 * c(4)
}

/// Contrast ratio between two `#rrggbb` colours (WCAG 2.1).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categorical_colours_have_aa_non_text_contrast() {
        for c in CATEGORICAL {
            assert!(
                contrast(c, "#ffffff") >= 3.0,
                "{c}: {}",
                contrast(c, "#ffffff")
            );
        }
        assert!(contrast(crate::svg::INK, "#ffffff") >= 4.5);
        assert!(contrast(crate::svg::MUTED, "#ffffff") >= 4.5);
        // Map outlines against the lightest and darkest class.
        assert!(contrast(crate::map::OUTLINE, SEQUENTIAL5[0]) >= 3.0);
    }
}
