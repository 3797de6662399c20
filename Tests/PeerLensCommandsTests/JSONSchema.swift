import Foundation

/// A validator for the subset of JSON Schema (draft 2020-12) that `docs/schemas/` uses: `type`, `properties`,
/// `required`, `additionalProperties`, `propertyNames`, `items`, `contains`, `minItems`, `enum`, `const`,
/// `minimum`, `pattern`, `allOf`, `anyOf`, `oneOf` and `$ref` (to `#/$defs/…` and to another schema file of
/// the folder). A keyword outside the subset is an error, so a schema can never pass by being misread.
/// (No JSON Schema package is among the project's dependencies, and the tests run without Python.)
struct JSONSchemaValidator {
    /// Schema files by name (`document.schema.json`).
    let schemas: [String: Any]

    /// Loads every `*.schema.json` in `directory`.
    init(directory: URL) throws {
        var loaded: [String: Any] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".schema.json") {
            loaded[name] = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent(name)))
        }
        schemas = loaded
    }

    /// The problems of `value` against schema file `name` (empty: valid).
    func validate(_ value: Any, against name: String) -> [String] {
        guard let root = schemas[name] else { return ["no schema \(name)"] }
        var problems: [String] = []
        check(value, root, file: name, path: "$", &problems)
        return problems
    }

    private static let ignored: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    private static let known: Set<String> = ["type", "properties", "required", "additionalProperties", "propertyNames", "items", "contains", "minItems",
                                             "enum", "const", "minimum", "pattern", "allOf", "anyOf", "oneOf", "$ref"]

    private func resolve(_ ref: String, file: String) -> (Any, String)? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let target = parts[0].isEmpty ? file : parts[0]
        guard var node = schemas[target] else { return nil }
        if parts.count > 1, !parts[1].isEmpty {
            for key in parts[1].split(separator: "/") {
                guard let dict = node as? [String: Any], let next = dict[String(key)] else { return nil }
                node = next
            }
        }
        return (node, target)
    }

    private func typeMatches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        case "integer": return value is Int64
        case "number": return value is Int64 || value is Double
        case "null": return value is JSONValue.Null
        default: return false
        }
    }

    private func number(_ a: Any) -> Double? { (a as? Int64).map(Double.init) ?? (a as? Double) }

    private func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? Bool, let y = b as? Bool { return x == y }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }

    private func check(_ value: Any, _ schema: Any, file: String, path: String, _ problems: inout [String]) {
        if let b = schema as? Bool { if !b { problems.append("\(path): not allowed") }; return }
        guard let s = schema as? [String: Any] else { problems.append("\(path): schema is not an object"); return }
        for key in s.keys where !Self.known.contains(key) && !Self.ignored.contains(key) { problems.append("\(path): unsupported keyword \(key)") }
        if let ref = s["$ref"] as? String {
            guard let (target, targetFile) = resolve(ref, file: file) else { problems.append("\(path): unresolved $ref \(ref)"); return }
            check(value, target, file: targetFile, path: path, &problems)
        }
        if let type = s["type"] as? String, !typeMatches(value, type) { problems.append("\(path): expected \(type)"); return }
        if let c = s["const"], !equal(value, c) { problems.append("\(path): expected \(c)") }
        if let e = s["enum"] as? [Any], !e.contains(where: { equal(value, $0) }) { problems.append("\(path): not one of \(e)") }
        if let m = s["minimum"].flatMap(number), let n = number(value), n < m { problems.append("\(path): below \(m)") }
        if let p = s["pattern"] as? String, let text = value as? String,
           text.range(of: p, options: .regularExpression) == nil { problems.append("\(path): does not match \(p)") }
        for sub in (s["allOf"] as? [Any]) ?? [] { check(value, sub, file: file, path: path, &problems) }
        if let any = s["anyOf"] as? [Any] {
            let ok = any.contains { sub in var p: [String] = []; check(value, sub, file: file, path: path, &p); return p.isEmpty }
            if !ok { problems.append("\(path): matches none of anyOf") }
        }
        if let one = s["oneOf"] as? [Any] {
            var failures: [[String]] = []
            let matches = one.filter { sub in var p: [String] = []; check(value, sub, file: file, path: path, &p); failures.append(p); return p.isEmpty }.count
            if matches != 1 {
                problems.append("\(path): matches \(matches) of oneOf" + (matches == 0 ? " (closest: \(failures.min { $0.count < $1.count } ?? []))" : ""))
            }
        }
        if let object = value as? [String: Any] {
            let properties = (s["properties"] as? [String: Any]) ?? [:]
            for r in (s["required"] as? [String]) ?? [] where object[r] == nil { problems.append("\(path): missing \(r)") }
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                if let names = s["propertyNames"] { check(key, names, file: file, path: "\(path).\(key) (name)", &problems) }
                if let p = properties[key] {
                    check(v, p, file: file, path: "\(path).\(key)", &problems)
                } else if let extra = s["additionalProperties"] {
                    check(v, extra, file: file, path: "\(path).\(key)", &problems)
                }
            }
        }
        if let array = value as? [Any] {
            if let m = s["minItems"].flatMap(number), Double(array.count) < m { problems.append("\(path): fewer than \(m) items") }
            if let items = s["items"] { for (i, v) in array.enumerated() { check(v, items, file: file, path: "\(path)[\(i)]", &problems) } }
            if let c = s["contains"] {
                let ok = array.contains { v in var p: [String] = []; check(v, c, file: file, path: path, &p); return p.isEmpty }
                if !ok { problems.append("\(path): contains no item matching \(c)") }
            }
        }
    }
}

/// JSON parsed into Swift values that keep booleans, integers and other numbers apart (`Bool`, `Int64`,
/// `Double`, `String`, `[Any]`, `[String: Any]`, `JSONValue.Null`).
enum JSONValue {
    /// JSON's null.
    struct Null {}

    private struct Node: Decodable {
        let value: Any
        init(from decoder: Decoder) throws {
            if var a = try? decoder.unkeyedContainer() {
                var items: [Any] = []
                while !a.isAtEnd { items.append(try a.decode(Node.self).value) }
                value = items
                return
            }
            if let o = try? decoder.container(keyedBy: Key.self) {
                var dict: [String: Any] = [:]
                for k in o.allKeys { dict[k.stringValue] = try o.decode(Node.self, forKey: k).value }
                value = dict
                return
            }
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { value = Null() }
            else if let b = try? c.decode(Bool.self) { value = b }
            else if let i = try? c.decode(Int64.self) { value = i }
            else if let d = try? c.decode(Double.self) { value = d }
            else { value = try c.decode(String.self) }
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Parses `data`.
    static func parse(_ data: Data) throws -> Any { try JSONDecoder().decode(Node.self, from: data).value }
}
