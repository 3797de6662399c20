/// Statistical disclosure control for published tables of counts of people.
public enum DisclosureControl {
    /// The cells of a table that can be published: cells below `threshold` are hidden, and when exactly one
    /// non-empty cell would be hidden (empty cells hide nobody, so they do not count), the smallest shown cell
    /// is hidden with it (complementary suppression), so that no hidden cell can be recovered by subtracting
    /// the published cells from a published total.
    public static func complementarySuppression(_ cells: [String: Int], threshold: Int) -> [String: Int] {
        var shown = cells.filter { $0.value >= threshold }
        let hiddenNonEmpty = cells.filter { $0.value > 0 && $0.value < threshold }
        if hiddenNonEmpty.count == 1, let smallest = shown.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            shown[smallest.key] = nil
        }
        return shown
    }
}
