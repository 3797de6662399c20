/// Writes a `Chart` as inline SVG: axes with labelled ticks and units, series told apart by colour
/// (Okabe–Ito, safe for the common colour-vision deficiencies) and by dash pattern, intervals as bands or
/// error bars, markers, a legend, `<title>` and `<desc>`, `role="img"` and an `aria-label`. Coordinates are
/// written with fixed decimals; non-finite points are never written (they are skipped). Every text goes
/// through `HTML.escape`.
public enum SVGChart {
    /// Okabe–Ito colours, darkest-contrast first (yellow is left out: too light on white).
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    /// Dash patterns paired with the colours, so that series differ without colour too.
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 3"]

    /// The chart as an `<svg>` element; `id` prefixes the ids of its title and description.
    public static func render(_ chart: Chart, id: String) -> String {
        switch chart.kind {
        case .forest: return forest(chart, id: id)
        default: return xy(chart, id: id)
        }
    }

    // MARK: Scales

    struct Scale {
        let lower: Double, upper: Double, from: Double, to: Double
        func map(_ v: Double) -> Double { upper == lower ? (from + to) / 2 : from + (v - lower) / (upper - lower) * (to - from) }
    }

    /// Tick values and their step for [lower, upper] (1, 2, 2.5 or 5 × 10^k; about five ticks).
    static func ticks(_ lower: Double, _ upper: Double) -> (values: [Double], step: Double) {
        let range = upper - lower
        guard range > 0, range.isFinite else { return ([lower], 1) }
        let raw = range / 5
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var values: [Double] = []
        var k = (lower / step).rounded(.up)
        while k * step <= upper + step * 1e-9, values.count < 50 {
            values.append(abs(k * step) < step * 1e-9 ? 0 : k * step)
            k += 1
        }
        return (values, step)
    }

    /// Decimals that show `step` exactly (at least 0).
    static func decimals(forStep step: Double) -> Int {
        var d = 0
        var s = step
        while d < 6, abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) { s *= 10; d += 1 }
        return d
    }

    /// A tick label: percentages as `40%`, others with the decimals the step needs.
    static func tickLabel(_ v: Double, step: Double, format: NumberFormat) -> String {
        switch format {
        case .percent, .percentagePoints: return Formatter.fixed(v * 100, decimals(forStep: step * 100)).asReadingMinus + "%"
        case .integer: return Formatter.grouped(Int(v.rounded()))
        default: return Formatter.fixed(v, decimals(forStep: step)).asReadingMinus
        }
    }

    /// The data range of an axis: fixed ends where given, else the data with 5 % padding.
    static func domain(_ axis: Axis, values: [Double], includeZero: Bool = false) -> (Double, Double) {
        let finite = values.filter(\.isFinite) + (includeZero ? [0] : [])
        var lo = axis.lower ?? finite.min() ?? 0, hi = axis.upper ?? finite.max() ?? 1
        if hi < lo { swap(&lo, &hi) }
        if hi == lo { lo -= max(1, abs(lo) * 0.1); hi += max(1, abs(hi) * 0.1) }
        let pad = (hi - lo) * 0.05
        if axis.lower == nil && !(includeZero && lo == 0) { lo -= pad }
        if axis.upper == nil { hi += pad }
        return (lo, hi)
    }

    static func f(_ v: Double) -> String { Formatter.fixed(v, 1) }

    /// A straight line from (x1, y1) to (x2, y2): the axes' ink, one pixel wide, unless told.
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#1a1a1a", width: String = "1",
                     dash: String? = nil) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    /// The labels of a numeric x axis: at each tick, `mark(x)` (a tick mark or a grid line) and the tick's value
    /// centred at `labelY`.
    static func xTicks(_ chart: Chart, _ xs: (Double, Double), _ sx: Scale, labelY: Double, mark: (Double) -> String) -> String {
        let xTicks = ticks(xs.0, xs.1)
        return xTicks.values.map { v in
            let x = sx.map(v)
            return mark(x) + "<text x=\"\(f(x))\" y=\"\(f(labelY))\" text-anchor=\"middle\">\(HTML.escape(tickLabel(v, step: xTicks.step, format: chart.xAxis.format)))</text>"
        }.joined()
    }

    /// The x axis's title, centred under the plot at `y`.
    static func xTitle(_ chart: Chart, left: Double, right: Double, y: Double) -> String {
        "<text x=\"\(f((left + right) / 2))\" y=\"\(f(y))\" text-anchor=\"middle\" font-weight=\"bold\">\(HTML.escape(chart.xAxis.title))</text>"
    }

    // MARK: Line, step and bar charts

    static func xy(_ chart: Chart, id: String) -> String {
        let series = chart.series.map { s in ChartSeries(s.name, points: s.points.filter(\.isFinite), band: s.band, dots: s.dots) }
        let points = series.flatMap(\.points)
        let bars = chart.kind == .bars
        let categorical = bars || chart.kind == .periods
        let categories = categorical ? uniqueLabels(points) : []
        // Category labels are turned when they would not fit side by side; the chart grows to hold them.
        let longestLabel = categories.map(\.count).max() ?? 0
        let rotate = categorical && Double(categories.count * longestLabel) * 7.5 > 540
        let width = 640.0, height = rotate ? 470.0 : 420.0
        let left = 72.0, right = 624.0, top = 30.0, bottom = height - (rotate ? 142 : 92)
        let position = Dictionary(categories.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        func xOf(_ p: ChartPoint) -> Double { categorical ? position[p.label ?? ""] ?? 0 : p.x }
        let xs: (Double, Double) = categorical ? (-0.5, Double(max(categories.count, 1)) - 0.5)
            : domain(chart.xAxis, values: points.map(\.x) + chart.markers.compactMap(\.x))
        let ys = domain(chart.yAxis, values: points.flatMap { [$0.y, $0.lower ?? $0.y, $0.upper ?? $0.y] } + chart.markers.compactMap(\.y), includeZero: bars)
        let sx = Scale(lower: xs.0, upper: xs.1, from: left, to: right), sy = Scale(lower: ys.0, upper: ys.1, from: bottom, to: top)
        var out = open(chart, id: id, width: width, height: height)
        out += "<g class=\"axes\" font-size=\"12\" fill=\"#1a1a1a\">"
        // Grid and ticks.
        let yTicks = ticks(ys.0, ys.1)
        for v in yTicks.values {
            let y = sy.map(v)
            out += line(left, y, right, y, stroke: "#d9d9d9")
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(HTML.escape(tickLabel(v, step: yTicks.step, format: chart.yAxis.format)))</text>"
        }
        if categorical {
            // With many periods, label every k-th so that labels do not overlap.
            let every = max(1, Int((Double(categories.count) / 16).rounded(.up)))
            for (i, label) in categories.enumerated() where i % every == 0 {
                let x = sx.map(Double(i))
                out += rotate
                    ? "<text x=\"\(f(x))\" y=\"\(f(bottom + 14))\" text-anchor=\"end\" transform=\"rotate(-40 \(f(x)) \(f(bottom + 14)))\">\(HTML.escape(label))</text>"
                    : "<text x=\"\(f(x))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">\(HTML.escape(label))</text>"
            }
        } else {
            out += xTicks(chart, xs, sx, labelY: bottom + 18) { x in line(x, bottom, x, bottom + 5) }
        }
        out += line(left, bottom, right, bottom)
        out += line(left, top, left, bottom)
        out += xTitle(chart, left: left, right: right, y: bottom + (rotate ? 100 : 40))
        out += "<text x=\"16\" y=\"\(f((top + bottom) / 2))\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 16 \(f((top + bottom) / 2)))\">\(HTML.escape(chart.yAxis.title))</text>"
        out += "</g>"
        // Clip the data to the plot area so that a fixed axis range never lets a line escape it.
        out += "<clipPath id=\"\(HTML.escape(id))-clip\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(bottom - top))\"/></clipPath>"
        out += "<g clip-path=\"url(#\(HTML.escape(id))-clip)\">"
        if chart.diagonal {
            let lo = max(xs.0, ys.0), hi = min(xs.1, ys.1)
            if hi > lo {
                out += line(sx.map(lo), sy.map(lo), sx.map(hi), sy.map(hi), stroke: "#767676", dash: "3 3")
            }
        }
        for (k, s) in series.enumerated() {
            let colour = palette[k % palette.count], dash = dashes[k % dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            if bars {
                let barWidth = (right - left) / Double(max(categories.count, 1)) * 0.8 / Double(max(series.count, 1))
                for p in s.points {
                    guard let i = categories.firstIndex(of: p.label ?? "") else { continue }
                    let x = sx.map(Double(i)) - barWidth * Double(series.count) / 2 + barWidth * Double(k)
                    let y0 = sy.map(max(ys.0, 0)), y1 = sy.map(p.y)
                    out += "<rect x=\"\(f(x))\" y=\"\(f(min(y0, y1)))\" width=\"\(f(barWidth))\" height=\"\(f(abs(y0 - y1)))\" fill=\"\(colour)\"/>"
                    if let l = p.lower, let u = p.upper {
                        out += line(x + barWidth / 2, sy.map(l), x + barWidth / 2, sy.map(u), width: "1.5")
                    }
                }
                continue
            }
            let step = chart.kind == .step
            if s.band {
                let banded = s.points.filter { $0.lower != nil && $0.upper != nil }
                if banded.count >= 2 {
                    let upper = path(banded.map { (sx.map(xOf($0)), sy.map($0.upper!)) }, step: step)
                    let lowerBack = path(banded.reversed().map { (sx.map(xOf($0)), sy.map($0.lower!)) }, step: step, reversedStep: true, continuing: true)
                    out += "<path d=\"\(upper) \(lowerBack) Z\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
                }
            } else {
                for p in s.points {
                    guard let l = p.lower, let u = p.upper else { continue }
                    let x = sx.map(xOf(p))
                    out += line(x, sy.map(l), x, sy.map(u), stroke: colour, width: "1.5")
                }
            }
            if s.points.count >= 2 {
                out += "<path d=\"\(path(s.points.map { (sx.map(xOf($0)), sy.map($0.y)) }, step: step))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute)/>"
            }
            if s.dots || s.points.count == 1 {
                for p in s.points { out += "<circle cx=\"\(f(sx.map(xOf(p))))\" cy=\"\(f(sy.map(p.y)))\" r=\"3\" fill=\"\(colour)\"/>" }
            }
        }
        out += "</g>"
        if chart.showCounts {
            // A white halo keeps a count readable where a line crosses it; a count is kept clear of the axes.
            out += "<g font-size=\"10\" fill=\"#4d4d4d\" text-anchor=\"middle\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">"
            for p in series.first?.points ?? [] {
                guard let n = p.count else { continue }
                let label = "n=" + Formatter.grouped(n)
                let half = Double(label.count) * 3 + 2
                let x = min(max(sx.map(xOf(p)), left + half), right - half)
                out += "<text x=\"\(f(x))\" y=\"\(f(bottom - 4))\">\(HTML.escape(label))</text>"
            }
            out += "</g>"
        }
        out += markers(chart, sx: sx, sy: sy, left: left, right: right, top: top, bottom: bottom)
        out += legend(series.map(\.name), y: height - 14, left: left, bars: bars)
        return out + "</svg>"
    }

    /// An SVG path through points; `step` draws a right-continuous step function (horizontal, then vertical).
    static func path(_ points: [(Double, Double)], step: Bool, reversedStep: Bool = false, continuing: Bool = false) -> String {
        var d = ""
        for (i, p) in points.enumerated() {
            if i == 0 {
                d += (continuing ? "L" : "M") + "\(f(p.0)) \(f(p.1))"
            } else if step {
                // Forward: hold the previous level until this x. Backward (band's lower edge): drop first.
                d += reversedStep ? " V\(f(p.1)) H\(f(p.0))" : " H\(f(p.0)) V\(f(p.1))"
            } else {
                d += " L\(f(p.0)) \(f(p.1))"
            }
        }
        return d
    }

    static func uniqueLabels(_ points: [ChartPoint]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for p in points { let l = p.label ?? ""; if seen.insert(l).inserted { out.append(l) } }
        return out
    }

    static func open(_ chart: Chart, id: String, width: Double, height: Double) -> String {
        let e = HTML.escape(id)
        return "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(chart.title))\" aria-labelledby=\"\(e)-title \(e)-desc\" font-family=\"system-ui, sans-serif\">"
            + "<title id=\"\(e)-title\">\(HTML.escape(chart.title))</title><desc id=\"\(e)-desc\">\(HTML.escape(chart.description))</desc>"
            + "<rect width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>"
    }

    static func markers(_ chart: Chart, sx: Scale, sy: Scale, left: Double, right: Double, top: Double, bottom: Double) -> String {
        var out = "<g class=\"markers\" font-size=\"11\" fill=\"#1a1a1a\">"
        for (i, m) in chart.markers.enumerated() {
            switch (m.x, m.y) {
            case let (x?, y?):
                let px = sx.map(x), py = sy.map(y)
                guard px >= left - 1, px <= right + 1, py >= top - 1, py <= bottom + 1 else { continue }
                out += "<path d=\"M\(f(px)) \(f(py - 6)) L\(f(px + 6)) \(f(py)) L\(f(px)) \(f(py + 6)) L\(f(px - 6)) \(f(py)) Z\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
                let anchor = px > (left + right) / 2 ? "end" : "start"
                out += "<text x=\"\(f(px + (anchor == "end" ? -9 : 9)))\" y=\"\(f(py - 8 - Double(i) * 13))\" text-anchor=\"\(anchor)\">\(HTML.escape(m.label))</text>"
            case let (x?, nil):
                let px = sx.map(x)
                guard px >= left - 1, px <= right + 1 else { continue }
                out += line(px, top, px, bottom, width: "1.5", dash: "5 3")
                let anchor = px > (left + right) / 2 ? "end" : "start"
                out += "<text x=\"\(f(px + (anchor == "end" ? -4 : 4)))\" y=\"\(f(top + 12 + Double(i) * 13))\" text-anchor=\"\(anchor)\">\(HTML.escape(m.label))</text>"
            case let (nil, y?):
                let py = sy.map(y)
                guard py >= top - 1, py <= bottom + 1 else { continue }
                out += line(left, py, right, py, width: "1.5", dash: "5 3")
                out += "<text x=\"\(f(right - 4))\" y=\"\(f(py - 4))\" text-anchor=\"end\">\(HTML.escape(m.label))</text>"
            case (nil, nil):
                continue
            }
        }
        return out + "</g>"
    }

    static func legend(_ names: [String], y: Double, left: Double, bars: Bool) -> String {
        guard names.count > 1 || (names.first.map { !$0.isEmpty } ?? false) else { return "" }
        var out = "<g class=\"legend\" font-size=\"12\" fill=\"#1a1a1a\">"
        var x = left, row = 0.0
        for (k, name) in names.enumerated() {
            let width = 34 + Double(name.count) * 7
            if x + width > 630, x > left { x = left; row -= 16 }
            let colour = palette[k % palette.count], dash = dashes[k % dashes.count]
            let yy = y + row
            out += bars
                ? "<rect x=\"\(f(x))\" y=\"\(f(yy - 9))\" width=\"20\" height=\"10\" fill=\"\(colour)\"/>"
                : "<line x1=\"\(f(x))\" y1=\"\(f(yy - 4))\" x2=\"\(f(x + 22))\" y2=\"\(f(yy - 4))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            out += "<text x=\"\(f(x + 28))\" y=\"\(f(yy))\">\(HTML.escape(name))</text>"
            x += width
        }
        return out + "</g>"
    }

    // MARK: Forest plot

    static func forest(_ chart: Chart, id: String) -> String {
        let rows = chart.series.flatMap { s in s.points.filter(\.isFinite).map { (s.name, $0) } }
        let longest = rows.map { ($0.1.label ?? "").count }.max() ?? 4
        let left = min(260, max(110, 14 + Double(longest) * 7)), right = 600.0, top = 30.0, rowHeight = 26.0
        let bottom = top + rowHeight * Double(max(rows.count, 1))
        let width = 640.0, height = bottom + 70
        let values = rows.flatMap { [$0.1.x, $0.1.lower ?? $0.1.x, $0.1.upper ?? $0.1.x] } + chart.markers.compactMap(\.x)
        let xs = domain(chart.xAxis, values: values)
        let sx = Scale(lower: xs.0, upper: xs.1, from: left, to: right)
        var out = open(chart, id: id, width: width, height: height)
        out += "<g font-size=\"12\" fill=\"#1a1a1a\">"
        out += xTicks(chart, xs, sx, labelY: bottom + 18) { x in line(x, top, x, bottom, stroke: "#e5e5e5") }
        out += line(left, bottom, right, bottom)
        out += xTitle(chart, left: left, right: right, y: bottom + 40)
        out += "<text x=\"8\" y=\"\(f(top - 10))\" text-anchor=\"start\" font-weight=\"bold\">\(HTML.escape(chart.yAxis.title))</text>"
        let names = Array(Set(chart.series.map(\.name))).sorted()
        for (i, (name, p)) in rows.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            let colour = palette[(names.firstIndex(of: name) ?? 0) % palette.count]
            out += "<text x=\"\(f(left - 10))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(HTML.escape(p.label ?? ""))</text>"
            if let l = p.lower, let u = p.upper {
                out += line(sx.map(l), y, sx.map(u), y, stroke: colour, width: "2")
            }
            out += "<rect x=\"\(f(sx.map(p.x) - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"/>"
        }
        out += "</g>"
        out += markers(chart, sx: sx, sy: Scale(lower: 0, upper: 1, from: bottom, to: top), left: left, right: right, top: top, bottom: bottom)
        if chart.series.count > 1 { out += legend(chart.series.map(\.name), y: height - 8, left: left, bars: true) }
        return out + "</svg>"
    }
}
