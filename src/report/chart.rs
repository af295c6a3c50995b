//! The trend chart of the HTML report: the percent per period as an
//! inline SVG line chart, the bands' thresholds drawn as dashed lines and
//! named in a legend under the plot. Written as SVG text (the HTML
//! serializer embeds it as it is); every string in it is escaped by [`esc`].
//! Pure.

use std::fmt::Write as _;

use super::build::tone_at;
use super::doc::{Chart, Tone};
use crate::number::{pct, round1};

/// Draws the percent per period as an SVG line chart with the bands'
/// thresholds as dashed lines; the last point (the reported run) is filled.
pub fn svg(chart: &Chart) -> String {
    const W: f64 = 640.0;
    const PLOT_H: f64 = 230.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 44.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 40.0;
    const LEGEND_LINE: f64 = 16.0;
    let points = &chart.points;
    let lowest = points
        .iter()
        .map(|p| p.percent)
        .fold(0.0_f64, f64::min)
        .min(0.0);
    let ymin = (lowest / 25.0).floor() * 25.0;
    let ymax = 100.0_f64.max(points.iter().map(|p| p.percent).fold(0.0, f64::max));
    let (x0, x1, y0, y1) = (LEFT, W - RIGHT, TOP, PLOT_H - BOTTOM);
    let y = |p: f64| y1 - (p - ymin) / (ymax - ymin) * (y1 - y0);
    #[allow(clippy::cast_precision_loss)] // a handful of points
    let x = |i: usize| {
        if points.len() <= 1 {
            f64::midpoint(x0, x1)
        } else {
            let pad = 24.0;
            x0 + pad + (x1 - x0 - 2.0 * pad) * i as f64 / (points.len() - 1) as f64
        }
    };
    let mut sorted: Vec<&(i32, String)> = chart.bands.iter().collect();
    sorted.sort_by_key(|(min, _)| std::cmp::Reverse(*min));
    #[allow(clippy::cast_precision_loss)] // a handful of bands
    let height = PLOT_H + LEGEND_LINE * sorted.len() as f64 + 4.0;
    let label = &chart.label;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"{}\" font-size=\"11\">\n<title>{}</title>\n",
        esc(label),
        esc(label)
    );
    // Grid and the y axis every 25 percent.
    let mut tick = ymin;
    while tick <= ymax + 0.01 {
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" y1=\"{:.1}\" x2=\"{x1}\" y2=\"{:.1}\" stroke=\"#e6eaef\" stroke-width=\"1\" />\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#59636e\">{}%</text>",
            y(tick),
            y(tick),
            x0 - 6.0,
            y(tick) + 4.0,
            tick
        );
        tick += 25.0;
    }
    // Band thresholds: a dashed line labelled with its percent on the
    // right, and a legend line with the band's name under the chart (long
    // Japanese or English names would cover the points inside the plot).
    for (i, (min_percent, name)) in sorted.iter().enumerate() {
        let colour = colour(tone_at(i, sorted.len()));
        let p = f64::from(*min_percent);
        if p > ymin && p <= ymax {
            let _ = writeln!(
                svg,
                "<line x1=\"{x0}\" y1=\"{:.1}\" x2=\"{x1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1\" stroke-dasharray=\"5 4\" />\n<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}%</text>",
                y(p),
                y(p),
                x1 + 4.0,
                y(p) + 4.0,
                min_percent
            );
        }
        // Bands are tried from the highest: all but the last are "at
        // least", the last catches everything below the one above it.
        let range = match (
            i + 1 == sorted.len(),
            i.checked_sub(1).and_then(|j| sorted.get(j)),
        ) {
            (true, Some(above)) => format!("< {}%", above.0),
            _ => format!("≥ {min_percent}%"),
        };
        #[allow(clippy::cast_precision_loss)] // a handful of bands
        let ly = PLOT_H + LEGEND_LINE * i as f64 + 8.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\" />\n<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}: {}</text>",
            x0 + 24.0,
            x0 + 30.0,
            ly + 4.0,
            esc(&range),
            esc(name),
        );
    }
    // The line and its points.
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.percent)))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" />",
            path.join(" ")
        );
    }
    let every = points.len().div_ceil(8).max(1);
    for (i, p) in points.iter().enumerate() {
        let last = i + 1 == points.len();
        let (r, fill) = if last { (5, "#0969da") } else { (4, "#ffffff") };
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{fill}\" stroke=\"#0969da\" stroke-width=\"2\"><title>{}: {}% ({})</title></circle>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text>",
            x(i),
            y(p.percent),
            p.period,
            pct(p.percent),
            p.date,
            x(i),
            y(p.percent) - 9.0,
            round1(p.percent).round(),
        );
        if i % every == 0 || last {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#59636e\">{}</text>",
                x(i),
                PLOT_H - BOTTOM + 18.0,
                p.period
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The stroke colour of a band's tone (the CSS's `--good`, `--warn`, `--bad`).
fn colour(tone: Tone) -> &'static str {
    tone.colour()
}

/// Escapes text for SVG (XML) content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The chart's escaping and its edge cases: one point, negative percents.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::ChartPoint;

    fn point(period: &str, percent: f64) -> ChartPoint {
        ChartPoint {
            period: period.to_owned(),
            percent,
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        }
    }

    #[test]
    fn names_are_escaped_and_every_band_is_in_the_legend() {
        let chart = Chart {
            label: "<b>".to_owned(),
            caption: String::new(),
            points: vec![point("FY2025Q4", -25.0), point("FY2026Q1", 80.0)],
            bands: vec![(80, "Good & \"safe\"".to_owned()), (0, "Weak".to_owned())],
        };
        let svg = svg(&chart);
        assert!(svg.contains("aria-label=\"&lt;b&gt;\""));
        assert!(svg.contains("≥ 80%: Good &amp; &quot;safe&quot;"));
        assert!(svg.contains("&lt; 80%: Weak"));
        assert!(svg.contains(">-25%</text>"), "the axis goes below zero");
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
