// Fuzz target `validators`: the pseudonym and label validators (`Anonymity.isPseudonym`, `Anonymity.isLabel`), on
// arbitrary bytes decoded as UTF-8, against slow restatements of their documented rules written here. The label
// validator has an ASCII fast path and a Unicode path; the restatement has neither, so a disagreement between the
// two paths shows up as a disagreement with it. A mismatch traps (a finding).

private let pseudonymBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-".utf8)
private let labelPunctuation = Set("_.:-+()'&".unicodeScalars)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValidators(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    // A pseudonym: 1–64 characters of A-Za-z0-9_.:- (so 1–64 bytes).
    let pseudonym = !text.utf8.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { pseudonymBytes.contains($0) }
    if Anonymity.isPseudonym(text) != pseudonym { fatalError("isPseudonym disagrees with its rule on \(Array(text.utf8))") }

    // A label: 1–64 Unicode scalars, each a letter (any script), an ASCII digit, a space or one of _.:-+()'&, forming
    // 1 to 4 space-separated words.
    let scalars = text.unicodeScalars
    let words = scalars.split(separator: " ").count
    let label = !scalars.isEmpty && scalars.count <= 64 && (1...4).contains(words)
        && scalars.allSatisfy { $0 == " " || $0.properties.isAlphabetic || ("0"..."9").contains($0) || labelPunctuation.contains($0) }
    if Anonymity.isLabel(text) != label { fatalError("isLabel disagrees with its rule on \(Array(text.utf8))") }
    return 0
}
