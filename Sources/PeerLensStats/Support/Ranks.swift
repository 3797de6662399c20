/// Mid-ranks (ties get the average of the ranks they span), 1-based, in the
/// input's order. One sort: O(n log n).
func midranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        let rank = Double(i + j) / 2 + 1
        for k in i...j { ranks[order[k]] = rank }
        i = j + 1
    }
    return ranks
}

/// Sizes of the groups of tied values (only groups of 2 or more).
func tieGroupSizes(_ values: [Double]) -> [Int] {
    let sorted = values.sorted()
    var sizes: [Int] = []
    var i = 0
    while i < sorted.count {
        var j = i
        while j + 1 < sorted.count && sorted[j + 1] == sorted[i] { j += 1 }
        if j > i { sizes.append(j - i + 1) }
        i = j + 1
    }
    return sizes
}

/// Mean and sample variance (n − 1 denominator).
func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    guard values.count > 1 else { return (mean, 0) }
    var ss = 0.0
    for v in values { ss += (v - mean) * (v - mean) }
    return (mean, ss / (n - 1))
}
