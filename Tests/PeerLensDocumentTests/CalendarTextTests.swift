import Testing
@testable import PeerLensDocument

@Suite("Dates for readers")
struct CalendarTextTests {
    @Test("Timestamps and dates read as days", arguments: [
        ("2026-03-05T23:59:53.349775Z", "5 March 2026"), ("2026-01-05", "5 January 2026"), ("2026-12-31T00:00:00Z", "31 December 2026"),
        ("2026-13-05", "2026-13-05"), ("not a date", "not a date"), ("2026-03-05x", "2026-03-05x"), ("", ""),
    ])
    func days(text: String, expected: String) {
        #expect(CalendarText.day(text) == expected)
    }

    @Test("Months and periods read in words", arguments: [
        ("2026-03", "March 2026"), ("2026-01-05", "Week of 5 January 2026"), ("2026-W02", "2026-W02"), ("all", "all"),
    ])
    func periods(text: String, expected: String) {
        #expect(CalendarText.period(text) == expected)
    }

    @Test("A month of a longer date")
    func monthOfDate() {
        #expect(CalendarText.month("2026-02-14T10:00:00Z") == "February 2026")
    }
}

@Suite("Chart data tables")
struct ChartDataTableTests {
    func bars(_ points: [ChartPoint]) -> Chart {
        Chart(title: "Alerts by block", description: "Counts.", kind: .bars, xAxis: Axis("Time of the alert"), yAxis: Axis("Alerts", unit: "n", format: .integer),
              series: [ChartSeries("alerts", points: points)])
    }

    @Test("A value that is its count is one count column, not the same numbers twice")
    func valueIsCount() {
        let t = bars([ChartPoint(x: 0, y: 16, count: 16, label: "00–03"), ChartPoint(x: 1, y: 45, count: 45, label: "04–07")]).dataTable()
        #expect(t.columns.map(\.title) == ["Time of the alert", "Alerts (n)"])
        #expect(t.rows.map { $0[1] } == [.count(16), .count(45)])
    }

    @Test("A count that differs from the value keeps its own column")
    func separateCount() {
        let t = bars([ChartPoint(x: 0, y: 0.5, count: 16, label: "a"), ChartPoint(x: 1, y: 45, count: 45, label: "b")]).dataTable()
        #expect(t.columns.map(\.title) == ["Time of the alert", "Alerts (n)", "Count (n)"])
    }
}
