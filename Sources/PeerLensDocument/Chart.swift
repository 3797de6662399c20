/// A chart: what it shows (title and a text alternative), axes with units, series of points, markers. Rendered
/// as inline SVG by `SVGChart` and always also as its data table (`dataTable()`).
public struct Chart: Sendable, Codable, Equatable {
    /// How the series are drawn.
    public enum Kind: String, Sendable, Codable {
        /// Points joined by straight lines (ROC, PR, reliability, workload, time series).
        case line
        /// A step function (Kaplan–Meier).
        case step
        /// One row per point: estimate with its interval on the x axis, labels down the side.
        case forest
        /// Vertical bars, one per point (histograms, counts by category).
        case bars
        /// A line over labelled periods (weekly time series): x is the period's position, labels on the axis.
        case periods
    }

    /// The title.
    public var title: String
    /// A text alternative: what the chart shows and what to read from it.
    public var description: String
    /// How it is drawn.
    public var kind: Kind
    /// The horizontal axis.
    public var xAxis: Axis
    /// The vertical axis (for `forest`, unused: rows are labelled).
    public var yAxis: Axis
    /// The series (at most six are told apart by colour and dash pattern).
    public var series: [ChartSeries]
    /// Marked thresholds or reference values.
    public var markers: [ChartMarker]
    /// Draw the diagonal y = x (chance line of a ROC curve, perfect calibration).
    public var diagonal: Bool
    /// Print each point's count under it (reliability-diagram bin counts).
    public var showCounts: Bool
    /// Notes under the chart (what was withheld, how intervals were obtained).
    public var notes: [String]
    /// Heading of the point-label column in the data table of a line chart whose points carry labels.
    public var pointLabel: String
    /// Charts meant to be compared side by side name the same group: when the document is published, each gets
    /// one x range, the one that holds all their published points (`ReportRenderer.shareRanges`), unless its
    /// x axis has fixed ends already.
    public var xRangeGroup: String?

    enum CodingKeys: String, CodingKey {
        case title, description, kind, xAxis = "x_axis", yAxis = "y_axis", series, markers, diagonal, showCounts = "show_counts", notes
        case pointLabel = "point_label", xRangeGroup = "x_range_group"
    }

    /// Creates a chart.
    public init(title: String, description: String, kind: Kind, xAxis: Axis, yAxis: Axis, series: [ChartSeries],
                markers: [ChartMarker] = [], diagonal: Bool = false, showCounts: Bool = false, notes: [String] = [], pointLabel: String = "Point",
                xRangeGroup: String? = nil) {
        self.title = title
        self.description = description
        self.kind = kind
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.markers = markers
        self.diagonal = diagonal
        self.showCounts = showCounts
        self.notes = notes
        self.pointLabel = pointLabel
        self.xRangeGroup = xRangeGroup
    }

    /// The chart's data as a table: one row per point (series, x or label, y, interval, count). Counts are
    /// subject to disclosure control like any other table's.
    public func dataTable() -> Table {
        let hasInterval = series.contains { $0.points.contains { $0.lower != nil || $0.upper != nil } }
        let hasCount = series.contains { $0.points.contains { $0.count != nil } }
        // When every point's value is its count (bars of alerts per block), the value column is that count:
        // one column, published as a count, rather than the same numbers twice.
        let valueIsCount = hasCount && kind != .forest && series.allSatisfy { $0.points.allSatisfy { p in p.count.map { Double($0) == p.y } ?? false } }
        let hasLabel = series.contains { $0.points.contains { $0.label != nil } }
        let multi = series.count > 1
        var columns: [Column] = []
        if multi { columns.append(Column("Series", alignment: .left)) }
        let value = kind == .forest ? xAxis : yAxis
        let categorical = kind == .forest || kind == .bars || kind == .periods
        if categorical || hasLabel {
            columns.append(Column(kind == .forest ? yAxis.label : (categorical ? xAxis.label : pointLabel), alignment: kind == .line || kind == .step ? .right : .left))
        }
        if !categorical { columns.append(Column(xAxis.label, unit: xAxis.shownUnit)) }
        columns.append(Column(value.label, unit: value.shownUnit))
        if hasInterval { columns.append(Column("Lower", unit: value.shownUnit)); columns.append(Column("Upper", unit: value.shownUnit)) }
        if hasCount && !valueIsCount { columns.append(Column("Count", unit: "n")) }
        var rows: [[Cell]] = []
        for s in series {
            for p in s.points {
                var row: [Cell] = []
                if multi { row.append(.text(s.name)) }
                if categorical || hasLabel { row.append(.text(p.label ?? "")) }
                if !categorical { row.append(.number(NumberCell(p.x, format: xAxis.format))) }
                let v = kind == .forest ? p.x : p.y
                row.append(valueIsCount ? .count(p.count ?? 0) : .number(NumberCell(v, format: value.format, basis: p.count)))
                if hasInterval {
                    row.append(p.lower.map { .number(NumberCell($0, format: value.format, basis: p.count)) } ?? .empty)
                    row.append(p.upper.map { .number(NumberCell($0, format: value.format, basis: p.count)) } ?? .empty)
                }
                if hasCount && !valueIsCount { row.append(p.count.map { .count($0) } ?? .empty) }
                rows.append(row)
            }
        }
        return Table(caption: "Data of the chart: \(title)", columns: columns, rows: rows, rowHeaders: multi || hasLabel || categorical,
                     notes: markers.map { m in "\(m.label): " + [m.x.map { "\(xAxis.label) \(Formatter.number($0, xAxis.format))" },
                                                                  m.y.map { "\(yAxis.label) \(Formatter.number($0, yAxis.format))" }].compactMap { $0 }.joined(separator: ", ") })
    }
}

/// A chart axis: label, unit, range, scale and how its numbers are shown.
public struct Axis: Sendable, Codable, Equatable {
    /// How values are spaced along an axis.
    public enum Scale: String, Sendable, Codable {
        /// Equal differences take equal space.
        case linear
        /// Equal ratios take equal space (odds ratios, hazard ratios): only positive values are drawn, and 1
        /// sits where "no difference" is.
        case log
    }

    /// The label (`False-positive rate`).
    public var label: String
    /// The unit (`proportion`, `alerts/day`, `minutes`), shown after the label.
    public var unit: String?
    /// Fixed lower end (nil: from the data). Two charts that are read side by side share one range by giving
    /// both the same `lower` and `upper`.
    public var lower: Double?
    /// Fixed upper end (nil: from the data).
    public var upper: Double?
    /// How values on this axis are shown in tables and tick labels.
    public var format: NumberFormat
    /// Linear (the default) or logarithmic spacing. Written to JSON only when logarithmic.
    public var scale: Scale

    enum CodingKeys: String, CodingKey { case label, unit, lower, upper, format, scale }

    /// Creates an axis.
    public init(_ label: String, unit: String? = nil, lower: Double? = nil, upper: Double? = nil, format: NumberFormat = .decimal(2),
                scale: Scale = .linear) {
        self.label = label
        self.unit = unit
        self.lower = lower
        self.upper = upper
        self.format = format
        self.scale = scale
    }

    /// Decodes what `encode(to:)` wrote (a missing `scale` is linear).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        lower = try c.decodeIfPresent(Double.self, forKey: .lower)
        upper = try c.decodeIfPresent(Double.self, forKey: .upper)
        format = try c.decode(NumberFormat.self, forKey: .format)
        scale = try c.decodeIfPresent(Scale.self, forKey: .scale) ?? .linear
    }

    /// Encodes the axis; `scale` only when it is not linear, so that linear axes keep their earlier shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encodeIfPresent(lower, forKey: .lower)
        try c.encodeIfPresent(upper, forKey: .upper)
        try c.encode(format, forKey: .format)
        if scale != .linear { try c.encode(scale, forKey: .scale) }
    }

    /// The unit as a reader sees it next to the tick labels: a proportion shown as percentages is in `%`
    /// (percentage points in `pp`), so that the title never says "proportion" over ticks that say "40%".
    public var shownUnit: String? {
        switch format {
        case .percent: return unit == nil || unit == "proportion" || unit == "probability" ? "%" : unit
        case .percentagePoints: return unit == nil || unit == "proportion" ? "pp" : unit
        default: return unit
        }
    }

    /// The label with its unit (as shown: see `shownUnit`).
    public var title: String { shownUnit.map { "\(label) (\($0))" } ?? label }
}

/// One series of points.
public struct ChartSeries: Sendable, Codable, Equatable {
    /// The name shown in the legend and the data table.
    public var name: String
    /// The points, in drawing order.
    public var points: [ChartPoint]
    /// Draw the points' intervals as a shaded band (line and step charts) rather than error bars.
    public var band: Bool
    /// Mark each point with a dot.
    public var dots: Bool

    /// Creates a series.
    public init(_ name: String, points: [ChartPoint], band: Bool = false, dots: Bool = false) {
        self.name = name
        self.points = points
        self.band = band
        self.dots = dots
    }
}

/// One point: x, y, an optional interval (of y; of x in a forest plot), the count it rests on, a label.
public struct ChartPoint: Sendable, Codable, Equatable {
    /// Horizontal value (the estimate in a forest plot).
    public var x: Double
    /// Vertical value (unused in a forest plot).
    public var y: Double
    /// Interval bounds of the plotted value.
    public var lower: Double?
    /// Upper bound.
    public var upper: Double?
    /// The count the point rests on: below the disclosure threshold the point is withheld.
    public var count: Int?
    /// A category or row label (forest plots, bars, time periods).
    public var label: String?

    /// Creates a point.
    public init(x: Double, y: Double, lower: Double? = nil, upper: Double? = nil, count: Int? = nil, label: String? = nil) {
        self.x = x
        self.y = y
        self.lower = lower
        self.upper = upper
        self.count = count
        self.label = label
    }

    /// Whether every coordinate is finite (non-finite points are never drawn or written).
    public var isFinite: Bool {
        x.isFinite && y.isFinite && (lower?.isFinite ?? true) && (upper?.isFinite ?? true)
    }
}

/// A marked value: a vertical line at `x`, a horizontal one at `y`, or a point at both. A point marker that
/// names a `series` marks one of that series' points: the chart's builder puts the marked point into the series
/// (from the same row), and the SVG says which series it belongs to so that a check can measure it.
public struct ChartMarker: Sendable, Codable, Equatable {
    /// What is marked (`deployed threshold 0.50`).
    public var label: String
    /// Horizontal position.
    public var x: Double?
    /// Vertical position.
    public var y: Double?
    /// The name of the series whose point this marks, if it marks one.
    public var series: String?

    /// Creates a marker.
    public init(_ label: String, x: Double? = nil, y: Double? = nil, series: String? = nil) {
        self.label = label
        self.x = x
        self.y = y
        self.series = series
    }
}
