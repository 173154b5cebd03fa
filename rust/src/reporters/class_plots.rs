//! The class page's two plots as SVG text (plotters, as the benchmark's): how the
//! scores spread, and the share of the class that passed each lesson in each language.
//! Only numbers and the kit's lesson ids reach them, never student text.
use plotters::prelude::*;

use super::tally::Tally;
use crate::report::Class;

const BAR: RGBColor = RGBColor(11, 107, 203);
const PASSED: RGBColor = RGBColor(26, 127, 55);

/// The bin of a score: tenths of the maximum, and full marks a bin of its own (10).
fn bin(score: u32, max: u32) -> usize {
    if max == 0 {
        return 0;
    }
    if score >= max {
        return 10;
    }
    (score as usize * 10 / max as usize).min(9)
}

fn bin_label(b: usize) -> String {
    match b {
        10 => "100%".into(),
        b if b > 10 => String::new(),
        b => format!("{}-{}%", b * 10, b * 10 + 9),
    }
}

/// How many submissions scored in each tenth of their maximum, as a histogram.
pub fn scores(class: &Class) -> Result<String, String> {
    let mut counts = [0u32; 11];
    for r in &class.reports {
        counts[bin(r.summary.score, r.summary.max_score)] += 1;
    }
    let top = counts.iter().max().copied().unwrap_or(0) + 1;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (760, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Scores: submissions per tenth of the maximum", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d((0u32..11u32).into_segmented(), 0u32..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("score, share of the maximum")
            .y_desc("submissions")
            .x_labels(12)
            .label_style(("sans-serif", 12))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(b) | SegmentValue::Exact(b) => bin_label(*b as usize),
                SegmentValue::Last => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        // Bars drawn one by one, in order (plotters' `Histogram` keeps no order): the same class, the same SVG.
        let bars = counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(b, c)| {
            let b = b as u32;
            let mut bar = Rectangle::new([(SegmentValue::Exact(b), *c), (SegmentValue::Exact(b + 1), 0)], BAR.filled());
            bar.set_margin(0, 0, 6, 6);
            bar
        });
        chart.draw_series(bars).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// The share of the class that passed each lesson in each language, one bar each.
pub fn passed(tallies: &[Tally]) -> Result<String, String> {
    let n = tallies.len().max(1);
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (760, 80 + 26 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Passed, per lesson and language", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(30)
            .build_cartesian_2d(0f64..130f64, 0f64..n as f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_labels(6)
            .label_style(("sans-serif", 12))
            .light_line_style(WHITE)
            .x_label_formatter(&|x| if *x <= 100.0 { format!("{x:.0}%") } else { String::new() })
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, t) in tallies.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let share = if t.graded == 0 { 0.0 } else { 100.0 * t.passed as f64 / t.graded as f64 };
            chart.draw_series([Rectangle::new([(0.0, y + 0.15), (share, y + 0.85)], PASSED.filled())]).map_err(|e| e.to_string())?;
            let label = format!("{} {share:.0}% ({} of {})", t.column, t.passed, t.graded);
            chart.draw_series([Text::new(label, (share + 1.0, y + 0.7), ("sans-serif", 13))]).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_tenths_and_full_marks_its_own() {
        assert_eq!([bin(0, 22), bin(2, 22), bin(21, 22), bin(22, 22), bin(0, 0)], [0, 0, 9, 10, 0]);
        assert_eq!([bin_label(0), bin_label(9), bin_label(10), bin_label(11)], ["0-9%", "90-99%", "100%", ""]);
    }
}
