//! The benchmark as an SVG bar chart (plotters): one bar per result, messages per
//! second on a log scale, labelled with the ratio to `std::sync::mpsc`.
use plotters::prelude::*;

use super::{Results, Row};

const BAR: u32 = 18;

fn label(r: &Row) -> String {
    let cap = match r.capacity {
        None => String::new(),
        Some(0) => " rendezvous".into(),
        Some(k) => format!(" bounded({k})"),
    };
    let ratio = r.ratio_to_std.map(|x| format!(", {x:.2}x std")).unwrap_or_default();
    format!("{} {}/{}{cap}: {:.2} M/s{ratio}", r.implementation, r.shape, r.producers, r.msgs_per_sec / 1e6)
}

/// The chart as SVG text.
pub fn svg(r: &Results) -> Result<String, String> {
    let n = r.results.len().max(1);
    let height = 90 + BAR * n as u32;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (1000, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let rates = r.results.iter().flat_map(|row| [row.min, row.max, row.msgs_per_sec]).filter(|x| *x > 0.0);
        let lo = rates.clone().fold(f64::INFINITY, f64::min).min(1e6) / 2.0;
        let hi = rates.fold(0.0, f64::max).max(lo * 10.0) * 20.0;
        let caption = format!("Messages per second, median of the repetitions ({} cores, {} messages)", r.machine.cores, r.messages);
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(30)
            .build_cartesian_2d((lo..hi).log_scale(), 0f64..n as f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc("messages per second (log scale)")
            .x_label_formatter(&|x| {
                if *x >= 1e6 {
                    format!("{:.0}M", x / 1e6)
                } else {
                    format!("{:.0}k", x / 1e3)
                }
            })
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, row) in r.results.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let colour = match row.lang {
                crate::lesson::Lang::Rust => RGBColor(206, 92, 38),
                crate::lesson::Lang::Ocaml => RGBColor(60, 110, 180),
            };
            chart.draw_series([Rectangle::new([(lo, y + 0.15), (row.msgs_per_sec.max(lo), y + 0.85)], colour.filled())]).map_err(|e| e.to_string())?;
            // The spread of the repetitions, as a thin line over the bar.
            chart.draw_series([PathElement::new(vec![(row.min.max(lo), y + 0.5), (row.max.max(lo), y + 0.5)], BLACK.stroke_width(1))]).map_err(|e| e.to_string())?;
            chart.draw_series([Text::new(label(row), (row.max.max(lo) * 1.1, y + 0.75), ("sans-serif", 12))]).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}
