import Foundation

/// Writes a `Chart` as inline SVG: axes with labelled ticks and units, series told apart by colour and by dash
/// pattern, intervals as outlined bands or error bars, markers, a legend, `<title>` and `<desc>` (referenced by
/// `aria-labelledby` and `aria-describedby`), `role="img"`, and a `<title>` tooltip on every point. Coordinates
/// are written with fixed decimals; non-finite points are never written (they are skipped). Every text goes
/// through `HTML.escape`.
///
/// Colours are given as `color` on groups and drawn with `currentColor`, so that a stylesheet can recolour a
/// chart (the HTML report's dark mode does) while the SVG alone still shows the light colours. Labels are placed
/// in free slots: a label never covers another label, a marker or a series line when a free slot exists.
///
/// A chart is drawn for one `Layout`: `wide` (640 units across, 13-unit text) for screens from 40rem up, and
/// `compact` (360 units, 15-unit text) for phones. The HTML report carries both and shows one by a media query,
/// so that its text is at least 12 CSS pixels wherever it is shown (see `Layout`).
public enum SVGChart {
    /// The size a chart is drawn for.
    ///
    /// The HTML report shows `wide` in a column at least 608 px wide (a 640 px window less 2 × 16 px margins), so
    /// its 13-unit text is at least 13 × 608 / 640 = 12.35 px; `compact` below that, at least 288 px wide on a
    /// 320 px phone, so its 15-unit text is at least 15 × 288 / 360 = 12.0 px.
    public struct Layout: Sendable, Equatable {
        /// Width of the drawing in SVG user units.
        public let width: Double
        /// Size of every text in the chart, in user units.
        public let fontSize: Double
        /// Whether it is the phone layout (forest labels above their rows, fewer ticks, no tooltips).
        public let compact: Bool

        /// For desktop windows and print.
        public static let wide = Layout(width: 640, fontSize: 13, compact: false)
        /// For phones.
        public static let compact = Layout(width: 360, fontSize: 15, compact: true)

        /// Estimated width of `text` (a generous average advance of 0.6 em per character).
        func textWidth(_ text: String) -> Double { Double(text.count) * fontSize * 0.6 }
    }

    /// Series colours on a light background (Okabe–Ito hues, the light ones darkened): each has a contrast of
    /// at least 3:1 against white (`background`), as graphics that carry information need (WCAG 1.4.11).
    public static let palette = ["#0072B2", "#D55E00", "#007A5A", "#A8508A", "#9A6700", "#5D6D7E"]
    /// The same series on a dark background (`darkBackground`): each at least 3:1 against it.
    public static let darkPalette = ["#56B4E9", "#F08A4B", "#2CC497", "#E08FC4", "#E6B000", "#AEBFCF"]
    /// Chart background and ink, light.
    public static let background = "#ffffff", ink = "#1a1a1a"
    /// Chart background and ink in dark mode.
    public static let darkBackground = "#14171a", darkInk = "#e6e6e6"
    /// Dash patterns paired with the colours, so that series differ without colour too.
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 3"]

    /// The chart as an `<svg>` element for `layout`; `id` prefixes the ids of its title, description and clip path.
    public static func render(_ chart: Chart, id: String, layout: Layout = .wide) -> String {
        switch chart.kind {
        case .forest: return forest(chart, id: id, layout)
        default: return xy(chart, id: id, layout)
        }
    }

    // MARK: Scales and ticks

    struct Scale {
        let lower: Double, upper: Double, from: Double, to: Double
        var log = false
        func map(_ v: Double) -> Double {
            guard upper != lower else { return (from + to) / 2 }
            if log {
                let l = Foundation.log(lower), u = Foundation.log(upper)
                return from + (Foundation.log(max(v, lower / 1e6)) - l) / (u - l) * (to - from)
            }
            return from + (v - lower) / (upper - lower) * (to - from)
        }
    }

    /// Tick values and their step for [lower, upper]: the smallest step of 1, 2, 2.5 or 5 × 10^k that gives at
    /// most `target` + 1 ticks, made finer while that leaves fewer than four (and at most `target` + 3).
    static func ticks(_ lower: Double, _ upper: Double, target: Int = 5) -> (values: [Double], step: Double) {
        let range = upper - lower
        guard range > 0, range.isFinite else { return ([lower], 1) }
        func values(_ step: Double) -> [Double] {
            var out: [Double] = []
            var k = (lower / step).rounded(.up)
            while k * step <= upper + step * 1e-9, out.count < 60 {
                out.append(abs(k * step) < step * 1e-9 ? 0 : k * step)
                k += 1
            }
            return out
        }
        var magnitude = 1.0
        let raw = range / Double(max(target, 1))
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        var steps: [Double] = []
        for m in [magnitude / 10, magnitude, magnitude * 10, magnitude * 100] { steps += [1.0, 2, 2.5, 5].map { $0 * m } }
        var index = steps.firstIndex { values($0).count <= target + 1 } ?? steps.count - 1
        while values(steps[index]).count < 4, index > 0, values(steps[index - 1]).count <= target + 3 { index -= 1 }
        return (values(steps[index]), steps[index])
    }

    /// Ticks of a logarithmic axis over [lower, upper] (both positive): 1, 2 and 5 × 10^k, thinned to 1 and 3,
    /// then to powers of ten (every k-th), while there would be more than `target` + 2; over a range too short
    /// for two of those, 1, 2, 3, 5 × 10^k or else the linear ticks.
    static func logTicks(_ lower: Double, _ upper: Double, target: Int = 5) -> [Double] {
        guard lower > 0, upper > lower, lower.isFinite, upper.isFinite else { return [max(lower, 1)] }
        let first = Int(Foundation.log10(lower).rounded(.down)), last = Int(Foundation.log10(upper).rounded(.up))
        func values(_ mantissas: [Double], every: Int = 1) -> [Double] {
            var out: [Double] = []
            for k in first...last where (k - first) % every == 0 {
                for m in mantissas {
                    let v = m * Foundation.pow(10, Double(k))
                    // Rounded to the decimals that show it, so that 0.1 × 3 prints as 0.3.
                    let exact = (v * 1e9).rounded() / 1e9
                    if exact >= lower * (1 - 1e-9), exact <= upper * (1 + 1e-9) { out.append(exact) }
                }
            }
            return out
        }
        for mantissas in [[1.0, 2, 5], [1.0, 3], [1.0]] {
            let v = values(mantissas)
            guard v.count <= target + 2 else { continue }
            if v.count >= 2 { return v }
            // Less than a factor of about 2.5 across: evenly spaced ticks read better than a single one.
            let dense = values([1.0, 2, 3, 5])
            return dense.count >= 3 ? dense : ticks(lower, upper, target: target).values
        }
        var every = 2
        while values([1], every: every).count > target + 2 { every += 1 }
        return values([1], every: every)
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

    /// An axis's ticks and their labels over `domain`, about `target` of them.
    static func axisTicks(_ axis: Axis, _ domain: (Double, Double), target: Int) -> [(value: Double, label: String)] {
        if axis.scale == .log {
            return logTicks(domain.0, domain.1, target: target).map { v in
                switch axis.format {
                case .percent, .percentagePoints: return (v, tickLabel(v, step: v, format: axis.format))
                default: return (v, Formatter.fixed(v, decimals(forStep: v)))
                }
            }
        }
        let t = ticks(domain.0, domain.1, target: target)
        return t.values.map { ($0, tickLabel($0, step: t.step, format: axis.format)) }
    }

    /// The x ticks that fit side by side in `span` user units: the most (up to `most`) whose labels leave a gap
    /// of at least one character between them.
    static func fittingTicks(_ axis: Axis, _ domain: (Double, Double), span: Double, most: Int, _ layout: Layout) -> [(value: Double, label: String)] {
        var target = most
        while true {
            let t = axisTicks(axis, domain, target: target)
            let scale = Scale(lower: domain.0, upper: domain.1, from: 0, to: span, log: axis.scale == .log)
            let positions = t.map { scale.map($0.value) }
            let widest = t.map { layout.textWidth($0.label) }.max() ?? 0
            let closest = zip(positions, positions.dropFirst()).map { $1 - $0 }.min() ?? .infinity
            if closest >= widest + layout.fontSize * 0.6 || target <= 2 { return t }
            target -= 1
        }
    }

    /// The data range of an axis: fixed ends where given, else the data with 5 % padding (a factor of 1.15 on a
    /// logarithmic axis, whose values must be positive).
    static func domain(_ axis: Axis, values: [Double], includeZero: Bool = false) -> (Double, Double) {
        if axis.scale == .log {
            let positive = values.filter { $0.isFinite && $0 > 0 }
            var lo = axis.lower ?? (positive.min().map { $0 / 1.15 } ?? 0.5), hi = axis.upper ?? (positive.max().map { $0 * 1.15 } ?? 2)
            if hi < lo { swap(&lo, &hi) }
            if hi == lo { lo /= 2; hi *= 2 }
            return (lo, hi)
        }
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

    /// A straight line from (x1, y1) to (x2, y2) in the current colour, one unit wide, unless told.
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "currentColor", width: String = "1",
                     dash: String? = nil, className: String? = nil) -> String {
        "<line" + (className.map { " class=\"\($0)\"" } ?? "") + " x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    /// Where grid lines run: across the plot from `left` to `right` at each y tick (labelled left of the plot), or
    /// down it from `top` to `bottom` at each x tick (labelled below it, centred).
    enum GridLines {
        case horizontal(left: Double, right: Double)
        case vertical(top: Double, bottom: Double)
    }

    /// A light grid line at each tick, with the tick's label beside the axis.
    static func grid(_ ticks: [(value: Double, label: String)], _ scale: Scale, _ lines: GridLines, _ layout: Layout) -> String {
        let fs = layout.fontSize
        var out = ""
        for t in ticks {
            let at = scale.map(t.value)
            switch lines {
            case let .horizontal(left, right):
                out += line(left, at, right, at, stroke: "#d9d9d9", className: "grid")
                out += "<text x=\"\(f(left - 6))\" y=\"\(f(at + fs * 0.35))\" text-anchor=\"end\">\(HTML.escape(t.label))</text>"
            case let .vertical(top, bottom):
                out += line(at, top, at, bottom, stroke: "#e5e5e5", className: "grid")
                out += "<text x=\"\(f(at))\" y=\"\(f(bottom + fs + 6))\" text-anchor=\"middle\">\(HTML.escape(t.label))</text>"
            }
        }
        return out
    }

    /// A text at (x, y); `lines` of it stacked downwards (one `<tspan>` each) when there are several.
    static func text(_ lines: [String], x: Double, y: Double, anchor: String, _ layout: Layout, extra: String = "") -> String {
        var out = "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(extra)>"
        if lines.count == 1 { return out + HTML.escape(lines[0]) + "</text>" }
        for (i, l) in lines.enumerated() {
            out += "<tspan x=\"\(f(x))\"\(i == 0 ? "" : " dy=\"\(f(layout.fontSize * 1.2))\"")>\(HTML.escape(l))</tspan>"
        }
        return out + "</text>"
    }

    /// `text` broken at spaces into lines of at most `width` user units (a word longer than that stays whole).
    static func wrap(_ text: String, width: Double, _ layout: Layout) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if layout.textWidth(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }

    // MARK: Label placement

    /// An axis-aligned rectangle in user units.
    struct Box {
        var x0: Double, y0: Double, x1: Double, y1: Double
        func intersects(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
        func inset(_ d: Double) -> Box { Box(x0: x0 - d, y0: y0 - d, x1: x1 + d, y1: y1 + d) }

        /// Whether the segment from a to b passes through the box (Liang–Barsky clipping).
        func crossed(by a: (Double, Double), _ b: (Double, Double)) -> Bool {
            var t0 = 0.0, t1 = 1.0
            let dx = b.0 - a.0, dy = b.1 - a.1
            for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
                if p == 0 {
                    if q < 0 { return false }
                } else {
                    let r = q / p
                    if p < 0 { if r > t1 { return false }; t0 = max(t0, r) } else { if r < t0 { return false }; t1 = min(t1, r) }
                }
            }
            return true
        }
    }

    /// Where labels may go: the area they must stay in, the boxes already taken (labels, marker symbols) and the
    /// series lines to keep clear of.
    struct LabelSpace {
        let bounds: Box
        var taken: [Box] = []
        var lines: [[(Double, Double)]] = []
        let layout: Layout

        func box(_ label: String, x: Double, y: Double, anchor: String) -> Box {
            let w = layout.textWidth(label)
            let x0 = anchor == "start" ? x : (anchor == "end" ? x - w : x - w / 2)
            return Box(x0: x0, y0: y - layout.fontSize * 0.8, x1: x0 + w, y1: y + layout.fontSize * 0.25)
        }

        /// How badly a label at this place collides: 0 is free; labels and symbols cost more than lines.
        func cost(_ b: Box) -> Int {
            var c = 0
            if b.x0 < bounds.x0 || b.x1 > bounds.x1 || b.y0 < bounds.y0 || b.y1 > bounds.y1 { c += 100 }
            let padded = b.inset(1.5)
            c += taken.filter { $0.intersects(padded) }.count * 10
            for line in lines where zip(line, line.dropFirst()).contains(where: { padded.crossed(by: $0, $1) }) { c += 3 }
            return c
        }

        /// The first free candidate (x, y, anchor), else the least colliding one; it is taken.
        mutating func place(_ label: String, _ candidates: [(Double, Double, String)]) -> (x: Double, y: Double, anchor: String) {
            var best = candidates[0], bestCost = Int.max
            for c in candidates {
                let cost = cost(box(label, x: c.0, y: c.1, anchor: c.2))
                if cost < bestCost { best = c; bestCost = cost }
                if cost == 0 { break }
            }
            taken.append(box(label, x: best.0, y: best.1, anchor: best.2))
            return (best.0, best.1, best.2)
        }
    }

    // MARK: Line, step and bar charts

    static func xy(_ chart: Chart, id: String, _ layout: Layout) -> String {
        let fs = layout.fontSize
        let series = chart.series.map { s in ChartSeries(s.name, points: s.points.filter(\.isFinite), band: s.band, dots: s.dots) }
        let points = series.flatMap(\.points)
        let bars = chart.kind == .bars
        let categorical = bars || chart.kind == .periods
        let categories = categorical ? uniqueLabels(points) : []
        let width = layout.width
        let ys = domain(chart.yAxis, values: points.flatMap { [$0.y, $0.lower ?? $0.y, $0.upper ?? $0.y] } + chart.markers.compactMap(\.y), includeZero: bars)
        let plotHeight = layout.compact ? 230.0 : 290
        let yTicks = axisTicks(chart.yAxis, ys, target: Int(plotHeight / (fs * 3.2)))
        let yTitle = wrap(chart.yAxis.title, width: plotHeight, layout)
        let yTitleWidth = Double(yTitle.count) * fs * 1.2
        let left = 4 + yTitleWidth + 6 + (yTicks.map { layout.textWidth($0.label) }.max() ?? fs) + 6
        let top = fs + 4
        let xs: (Double, Double) = categorical ? (-0.5, Double(max(categories.count, 1)) - 0.5)
            : domain(chart.xAxis, values: points.map(\.x) + chart.markers.compactMap(\.x))
        // Room on the right for half of the last tick label, which is centred on the plot's edge.
        let provisional = categorical ? [] : fittingTicks(chart.xAxis, xs, span: width - 14 - left, most: layout.compact ? 5 : 8, layout)
        let right = width - max(10, fs * 1.2, (provisional.last.map { layout.textWidth($0.label) } ?? 0) / 2 + 4)
        let bottom = top + plotHeight
        let position = Dictionary(categories.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        func xOf(_ p: ChartPoint) -> Double { categorical ? position[p.label ?? ""] ?? 0 : p.x }
        let sx = Scale(lower: xs.0, upper: xs.1, from: left, to: right, log: !categorical && chart.xAxis.scale == .log)
        let sy = Scale(lower: ys.0, upper: ys.1, from: bottom, to: top, log: chart.yAxis.scale == .log)

        // The x axis's labels: numeric ticks that fit, or categories (every k-th; turned when they would collide).
        var xAxisText = ""
        var below = bottom + fs + 6
        if categorical {
            let slot = (right - left) / Double(max(categories.count, 1))
            let longest = categories.map { layout.textWidth($0) }.max() ?? 0
            var every = max(1, Int((Double(categories.count) / (layout.compact ? 8 : 16)).rounded(.up)))
            let rotate = longest + fs * 0.6 > slot * Double(every)
            if rotate { every = max(every, Int((fs * 1.6 / slot).rounded(.up))) }
            for (i, label) in categories.enumerated() where i % every == 0 {
                let x = sx.map(Double(i))
                xAxisText += rotate
                    ? "<text x=\"\(f(x))\" y=\"\(f(bottom + fs))\" text-anchor=\"end\" transform=\"rotate(-40 \(f(x)) \(f(bottom + fs)))\">\(HTML.escape(label))</text>"
                    : "<text x=\"\(f(x))\" y=\"\(f(bottom + fs + 6))\" text-anchor=\"middle\">\(HTML.escape(label))</text>"
            }
            if rotate { below = bottom + fs + min(longest, 160) * 0.65 }
        } else {
            for t in fittingTicks(chart.xAxis, xs, span: right - left, most: layout.compact ? 5 : 8, layout) {
                let x = sx.map(t.value)
                xAxisText += line(x, bottom, x, bottom + 5) + "<text x=\"\(f(x))\" y=\"\(f(bottom + fs + 6))\" text-anchor=\"middle\">\(HTML.escape(t.label))</text>"
            }
        }
        let xTitle = wrap(chart.xAxis.title, width: right - left, layout)
        let xTitleY = below + fs + 10
        var legendY = xTitleY + Double(xTitle.count - 1) * fs * 1.2 + fs * 2
        let legendItems = legendRows(series.map(\.name), left: left, layout: layout)
        let height = (legendItems.isEmpty ? xTitleY + Double(xTitle.count - 1) * fs * 1.2 : legendY + Double(legendItems.last!.row) * fs * 1.4) + 10
        if legendItems.isEmpty { legendY = height }

        var out = open(chart, id: id, width: width, height: height, layout)
        out += "<g class=\"axes\">"
        out += grid(yTicks, sy, .horizontal(left: left, right: right), layout)
        out += xAxisText
        out += line(left, bottom, right, bottom)
        out += line(left, top, left, bottom)
        out += text(xTitle, x: (left + right) / 2, y: xTitleY, anchor: "middle", layout, extra: " font-weight=\"bold\"")
        let yTitleX = 4 + fs * 0.85, yMid = (top + bottom) / 2
        out += text(yTitle, x: yTitleX, y: yMid, anchor: "middle", layout, extra: " font-weight=\"bold\" transform=\"rotate(-90 \(f(yTitleX)) \(f(yMid)))\"")
        out += "</g>"

        // Series lines in user units, for the label placement and the markers.
        var space = LabelSpace(bounds: Box(x0: left + 2, y0: top, x1: right - 2, y1: bottom - 2), layout: layout)
        let step = chart.kind == .step
        func screen(_ s: ChartSeries) -> [(Double, Double)] { s.points.map { (sx.map(xOf($0)), sy.map($0.y)) } }
        if !bars {
            for s in series where s.points.count >= 2 {
                var pts = screen(s)
                if step { pts = stepped(pts) }
                space.lines.append(pts)
            }
        }

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
            let dash = dashes[k % dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            out += "<g class=\"series s\(k % palette.count)\" color=\"\(palette[k % palette.count])\" data-series=\"\(HTML.escape(s.name))\">"
            if bars {
                let barWidth = (right - left) / Double(max(categories.count, 1)) * 0.8 / Double(max(series.count, 1))
                for p in s.points {
                    guard let i = categories.firstIndex(of: p.label ?? "") else { continue }
                    let x = sx.map(Double(i)) - barWidth * Double(series.count) / 2 + barWidth * Double(k)
                    let y0 = sy.map(max(ys.0, 0)), y1 = sy.map(p.y)
                    out += "<rect x=\"\(f(x))\" y=\"\(f(min(y0, y1)))\" width=\"\(f(barWidth))\" height=\"\(f(abs(y0 - y1)))\" fill=\"currentColor\">"
                        + tooltip(chart, s, p, layout) + "</rect>"
                    if let l = p.lower, let u = p.upper {
                        out += "<g color=\"\(ink)\" class=\"ink\">" + line(x + barWidth / 2, sy.map(l), x + barWidth / 2, sy.map(u), width: "1.5") + "</g>"
                    }
                }
                out += "</g>"
                continue
            }
            if s.band {
                let banded = s.points.filter { $0.lower != nil && $0.upper != nil }
                if banded.count >= 2 {
                    let upper = path(banded.map { (sx.map(xOf($0)), sy.map($0.upper!)) }, step: step)
                    let lowerBack = path(banded.reversed().map { (sx.map(xOf($0)), sy.map($0.lower!)) }, step: step, reversedStep: true, continuing: true)
                    // The light fill alone would be below 3:1 against the background: the band is outlined in the series colour.
                    out += "<path class=\"band\" d=\"\(upper) \(lowerBack) Z\" fill=\"currentColor\" fill-opacity=\"0.14\" stroke=\"currentColor\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>"
                }
            } else {
                for p in s.points {
                    guard let l = p.lower, let u = p.upper else { continue }
                    let x = sx.map(xOf(p))
                    out += line(x, sy.map(l), x, sy.map(u), width: "1.5")
                }
            }
            if s.points.count >= 2 {
                out += "<path class=\"curve\" data-series=\"\(HTML.escape(s.name))\" d=\"\(path(screen(s), step: step))\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"\(dashAttribute)/>"
            }
            if s.dots || s.points.count == 1 {
                for p in s.points {
                    out += "<circle cx=\"\(f(sx.map(xOf(p))))\" cy=\"\(f(sy.map(p.y)))\" r=\"3.5\" fill=\"currentColor\">" + tooltip(chart, s, p, layout) + "</circle>"
                }
            } else if !layout.compact {
                // Hover targets: a tooltip with the point's values, on an invisible dot.
                for p in s.points {
                    out += "<circle cx=\"\(f(sx.map(xOf(p))))\" cy=\"\(f(sy.map(p.y)))\" r=\"5\" fill=\"transparent\">" + tooltip(chart, s, p, layout) + "</circle>"
                }
            }
            out += "</g>"
        }
        out += "</g>"
        // Marker symbols take their place before any label is placed, so that no label covers one.
        for m in chart.markers {
            if let x = m.x, let y = m.y { let px = sx.map(x), py = sy.map(y); space.taken.append(Box(x0: px - 7, y0: py - 7, x1: px + 7, y1: py + 7)) }
        }
        if chart.showCounts, let first = series.first {
            // Counts along the foot of the plot, in the first free row; a halo keeps one readable where a line crosses it.
            out += "<g class=\"counts halo\" text-anchor=\"middle\" stroke=\"\(background)\" stroke-width=\"3\" paint-order=\"stroke\">"
            for p in first.points {
                guard let n = p.count else { continue }
                let label = "n=" + Formatter.grouped(n)
                let x = min(max(sx.map(xOf(p)), left + layout.textWidth(label) / 2 + 2), right - layout.textWidth(label) / 2 - 2)
                let spot = space.place(label, (0..<4).map { k in (x, bottom - 5 - Double(k) * (fs + 3), "middle") })
                out += "<text x=\"\(f(spot.x))\" y=\"\(f(spot.y))\">\(HTML.escape(label))</text>"
            }
            out += "</g>"
        }
        out += markers(chart, sx: sx, sy: sy, left: left, right: right, top: top, bottom: bottom, space: &space, layout)
        out += legend(legendItems, series: series.count, y: legendY, bars: bars, layout)
        return out + "</svg>"
    }

    /// A right-continuous step path's corners (horizontal, then vertical), for collision tests.
    static func stepped(_ points: [(Double, Double)]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        for (i, p) in points.enumerated() {
            if i > 0 { out.append((p.0, points[i - 1].1)) }
            out.append(p)
        }
        return out
    }

    /// A point's tooltip: series, position, value with its interval, count. None in the compact layout (phones
    /// have no pointer to hover with).
    static func tooltip(_ chart: Chart, _ s: ChartSeries, _ p: ChartPoint, _ layout: Layout) -> String {
        guard !layout.compact else { return "" }
        let forest = chart.kind == .forest
        let valueAxis = forest ? chart.xAxis : chart.yAxis
        let value = forest ? p.x : p.y
        var parts: [String] = []
        if chart.series.count > 1 || forest { parts.append(s.name) }
        if let label = p.label { parts.append(label) }
        if !forest && chart.kind != .bars && chart.kind != .periods { parts.append("\(chart.xAxis.label) \(Formatter.number(p.x, chart.xAxis.format))") }
        var v = "\(valueAxis.label) \(Formatter.number(value, valueAxis.format))"
        if let l = p.lower, let u = p.upper { v += " " + Formatter.interval(l, u, valueAxis.format) }
        parts.append(v)
        if let n = p.count { parts.append("n = \(Formatter.grouped(n))") }
        return "<title>\(HTML.escape(parts.joined(separator: "; ")))</title>"
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

    /// The `<svg>` start: described by its `<title>` (name) and `<desc>` (description), a background, the ink colour.
    static func open(_ chart: Chart, id: String, width: Double, height: Double, _ layout: Layout) -> String {
        let e = HTML.escape(id)
        return "<svg class=\"chart chart-\(layout.compact ? "compact" : "wide")\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-labelledby=\"\(e)-title\" aria-describedby=\"\(e)-desc\" font-family=\"system-ui, sans-serif\" font-size=\"\(f(layout.fontSize))\" color=\"\(ink)\" fill=\"currentColor\">"
            + "<title id=\"\(e)-title\">\(HTML.escape(chart.title))</title><desc id=\"\(e)-desc\">\(HTML.escape(chart.description))</desc>"
            + "<rect class=\"chart-bg\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(background)\"/>"
    }

    /// Markers and their labels, each label in the first free slot near its mark (a thin leader joins a label
    /// that had to move away). A point marker that names its series says so in `data-series`.
    static func markers(_ chart: Chart, sx: Scale, sy: Scale, left: Double, right: Double, top: Double, bottom: Double,
                        space: inout LabelSpace, _ layout: Layout) -> String {
        let fs = layout.fontSize, rowStep = fs + 4
        var symbols = "", labels = ""
        for m in chart.markers {
            switch (m.x, m.y) {
            case let (x?, y?):
                let px = sx.map(x), py = sy.map(y)
                guard px >= left - 1, px <= right + 1, py >= top - 1, py <= bottom + 1 else { continue }
                let series = m.series.map { " data-series=\"\(HTML.escape($0))\"" } ?? ""
                symbols += "<path class=\"marker halo\"\(series) data-x=\"\(f(px))\" data-y=\"\(f(py))\" d=\"M\(f(px)) \(f(py - 6)) L\(f(px + 6)) \(f(py)) L\(f(px)) \(f(py + 6)) L\(f(px - 6)) \(f(py)) Z\" fill=\"currentColor\" stroke=\"\(background)\" stroke-width=\"1\"><title>\(HTML.escape(m.label))</title></path>"
                var candidates: [(Double, Double, String)] = []
                for k in 0..<5 {
                    let up = py - 9 - Double(k) * rowStep, down = py + fs + 7 + Double(k) * rowStep
                    candidates += [(px + 9, up, "start"), (px - 9, up, "end"), (px + 9, down, "start"), (px - 9, down, "end")]
                }
                let spot = space.place(m.label, candidates)
                labels += "<text class=\"halo\" x=\"\(f(spot.x))\" y=\"\(f(spot.y))\" text-anchor=\"\(spot.anchor)\">\(HTML.escape(m.label))</text>"
                if abs(spot.y - py) > rowStep * 1.5 {
                    let ly = spot.y < py ? spot.y + fs * 0.3 : spot.y - fs * 0.9
                    symbols += line(px, py, spot.x, ly, width: "0.75")
                }
            case let (x?, nil):
                let px = sx.map(x)
                guard px >= left - 1, px <= right + 1 else { continue }
                symbols += line(px, top, px, bottom, width: "1.5", dash: "5 3", className: "marker-line")
                space.lines.append([(px, top), (px, bottom)])
                var candidates: [(Double, Double, String)] = []
                for k in 0..<8 {
                    let y = top + fs + Double(k) * rowStep
                    candidates += [(px + 5, y, "start"), (px - 5, y, "end")]
                }
                let spot = space.place(m.label, candidates)
                labels += "<text class=\"halo\" x=\"\(f(spot.x))\" y=\"\(f(spot.y))\" text-anchor=\"\(spot.anchor)\">\(HTML.escape(m.label))</text>"
            case let (nil, y?):
                let py = sy.map(y)
                guard py >= top - 1, py <= bottom + 1 else { continue }
                symbols += line(left, py, right, py, width: "1.5", dash: "5 3", className: "marker-line")
                space.lines.append([(left, py), (right, py)])
                let candidates: [(Double, Double, String)] = [(right - 4, py - 5, "end"), (right - 4, py + fs + 3, "end"), (left + 6, py - 5, "start"),
                                                               (left + 6, py + fs + 3, "start"), ((left + right) / 2, py - 5, "middle"), ((left + right) / 2, py + fs + 3, "middle")]
                let spot = space.place(m.label, candidates)
                labels += "<text class=\"halo\" x=\"\(f(spot.x))\" y=\"\(f(spot.y))\" text-anchor=\"\(spot.anchor)\">\(HTML.escape(m.label))</text>"
            case (nil, nil):
                continue
            }
        }
        return "<g class=\"markers\" stroke-linejoin=\"round\">" + symbols
            + "<g stroke=\"\(background)\" stroke-width=\"3\" paint-order=\"stroke\">" + labels + "</g></g>"
    }

    /// Legend entries laid out in rows that fit the width: (name, x, row).
    static func legendRows(_ names: [String], left: Double, layout: Layout) -> [(name: String, x: Double, row: Int)] {
        guard names.count > 1 || (names.first.map { !$0.isEmpty } ?? false) else { return [] }
        var out: [(String, Double, Int)] = []
        var x = left, row = 0
        for name in names {
            let width = 34 + layout.textWidth(name) + layout.fontSize
            if x + width > layout.width - 8, x > left { x = left; row += 1 }
            out.append((name, x, row))
            x += width
        }
        return out
    }

    static func legend(_ items: [(name: String, x: Double, row: Int)], series: Int, y: Double, bars: Bool, _ layout: Layout) -> String {
        guard !items.isEmpty else { return "" }
        var out = "<g class=\"legend\">"
        for (k, item) in items.enumerated() {
            let dash = dashes[k % dashes.count]
            let yy = y + Double(item.row) * layout.fontSize * 1.4
            out += "<g class=\"s\(k % palette.count)\" color=\"\(palette[k % palette.count])\">"
            out += bars
                ? "<rect x=\"\(f(item.x))\" y=\"\(f(yy - 10))\" width=\"20\" height=\"11\" fill=\"currentColor\"/>"
                : "<line x1=\"\(f(item.x))\" y1=\"\(f(yy - 4))\" x2=\"\(f(item.x + 22))\" y2=\"\(f(yy - 4))\" stroke=\"currentColor\" stroke-width=\"2.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            out += "</g><text x=\"\(f(item.x + 28))\" y=\"\(f(yy))\">\(HTML.escape(item.name))</text>"
        }
        return out + "</g>"
    }

    // MARK: Forest plot

    /// Rows of estimates with intervals. Wide: labels in a column on the left. Compact: each label above its row,
    /// so that the estimates keep the width. Marker labels go in a band above the rows.
    static func forest(_ chart: Chart, id: String, _ layout: Layout) -> String {
        let fs = layout.fontSize
        let rows = chart.series.flatMap { s in s.points.filter(\.isFinite).map { (s, $0) } }
        let width = layout.width
        let longest = rows.map { layout.textWidth($0.1.label ?? "") }.max() ?? fs * 3
        let left = layout.compact ? 12 : min(260, max(110, 14 + longest))
        let rowHeight = layout.compact ? fs * 2 + 14 : max(26, fs * 2)
        let values = rows.flatMap { [$0.1.x, $0.1.lower ?? $0.1.x, $0.1.upper ?? $0.1.x] } + chart.markers.compactMap(\.x)
        let xs = domain(chart.xAxis, values: values)
        let provisional = fittingTicks(chart.xAxis, xs, span: width - 14 - left, most: layout.compact ? 5 : 8, layout)
        let right = width - max(16, fs * 1.4, (provisional.last.map { layout.textWidth($0.label) } ?? 0) / 2 + 4)
        let sx = Scale(lower: xs.0, upper: xs.1, from: left, to: right, log: chart.xAxis.scale == .log)
        // Marker labels: placed in rows of a band above the plot, first free row.
        let headY = fs + 4
        var band = LabelSpace(bounds: Box(x0: 2, y0: 0, x1: width - 2, y1: 10_000), layout: layout)
        var markerLabels: [(label: String, x: Double, y: Double, anchor: String, px: Double)] = []
        for m in chart.markers {
            guard let x = m.x else { continue }
            let px = sx.map(min(max(x, xs.0), xs.1))
            let candidates: [(Double, Double, String)] = (0..<4).flatMap { k -> [(Double, Double, String)] in
                let y = headY + (fs + 6) * Double(k + 1)
                return [(px + 4, y, "start"), (px - 4, y, "end"), (px, y, "middle")]
            }
            // The y axis's title occupies the top left.
            if band.taken.isEmpty { band.taken.append(band.box(chart.yAxis.title, x: 8, y: headY, anchor: "start")) }
            let spot = band.place(m.label, candidates)
            markerLabels.append((m.label, spot.x, spot.y, spot.anchor, px))
        }
        let top = (markerLabels.map(\.y).max() ?? headY) + 10
        let bottom = top + rowHeight * Double(max(rows.count, 1))
        let xTicks = fittingTicks(chart.xAxis, xs, span: right - left, most: layout.compact ? 5 : 8, layout)
        let xTitle = wrap(chart.xAxis.title, width: right - left, layout)
        let xTitleY = bottom + fs * 2 + 14
        let names = Array(Set(chart.series.map(\.name))).sorted()
        let legendItems = chart.series.count > 1 ? legendRows(chart.series.map(\.name), left: left, layout: layout) : []
        let legendY = xTitleY + Double(xTitle.count - 1) * fs * 1.2 + fs * 2
        let height = (legendItems.isEmpty ? xTitleY + Double(xTitle.count - 1) * fs * 1.2 : legendY + Double(legendItems.last!.row) * fs * 1.4) + 10
        var out = open(chart, id: id, width: width, height: height, layout)
        out += "<g class=\"axes\">"
        out += grid(xTicks, sx, .vertical(top: top, bottom: bottom), layout)
        out += line(left, bottom, right, bottom)
        out += text(xTitle, x: (left + right) / 2, y: xTitleY, anchor: "middle", layout, extra: " font-weight=\"bold\"")
        out += "<text x=\"8\" y=\"\(f(headY))\" text-anchor=\"start\" font-weight=\"bold\">\(HTML.escape(chart.yAxis.title))</text>"
        out += "</g>"
        for m in markerLabels { out += line(m.px, top - 4, m.px, bottom, width: "1.5", dash: "5 3", className: "marker-line") }
        out += "<g class=\"halo\" stroke=\"\(background)\" stroke-width=\"3\" paint-order=\"stroke\">"
        for m in markerLabels { out += "<text x=\"\(f(m.x))\" y=\"\(f(m.y))\" text-anchor=\"\(m.anchor)\">\(HTML.escape(m.label))</text>" }
        out += "</g>"
        for (i, (s, p)) in rows.enumerated() {
            let rowTop = top + rowHeight * Double(i)
            let y = layout.compact ? rowTop + fs + 12 : rowTop + rowHeight / 2
            let k = (names.firstIndex(of: s.name) ?? 0) % palette.count
            out += layout.compact
                ? "<text class=\"halo\" x=\"\(f(left))\" y=\"\(f(rowTop + fs + 1))\" text-anchor=\"start\" stroke=\"\(background)\" stroke-width=\"3\" paint-order=\"stroke\">\(HTML.escape(p.label ?? ""))</text>"
                : "<text x=\"\(f(left - 10))\" y=\"\(f(y + fs * 0.35))\" text-anchor=\"end\">\(HTML.escape(p.label ?? ""))</text>"
            out += "<g class=\"series s\(k)\" color=\"\(palette[k])\" data-series=\"\(HTML.escape(s.name))\">"
            if let l = p.lower, let u = p.upper {
                out += line(sx.map(min(max(l, xs.0), xs.1)), y, sx.map(min(max(u, xs.0), xs.1)), y, width: "2")
            }
            out += "<rect x=\"\(f(sx.map(p.x) - 4.5))\" y=\"\(f(y - 4.5))\" width=\"9\" height=\"9\" fill=\"currentColor\">" + tooltip(chart, s, p, layout) + "</rect></g>"
        }
        out += legend(legendItems, series: chart.series.count, y: legendY, bars: true, layout)
        return out + "</svg>"
    }
}
