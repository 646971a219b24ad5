import Foundation

/// `command --name value --flag` arguments, read by name.
struct BenchArguments {
    let command: String
    private var values: [String: String] = [:]

    init(_ arguments: [String]) {
        command = arguments.first ?? ""
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--") else {
                index += 1
                continue
            }
            let key = String(name.dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[key] = arguments[index + 1]
                index += 2
            } else {
                values[key] = "true"
                index += 1
            }
        }
    }

    func string(_ name: String) -> String? { values[name] }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchError("missing --\(name)") }
        return value
    }

    func url(_ name: String) -> URL? { values[name].map { URL(fileURLWithPath: $0) } }

    func int(_ name: String, default fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }

    func ints(_ name: String, default fallback: [Int]) -> [Int] {
        values[name].map { $0.split(separator: ",").compactMap { Int($0) } } ?? fallback
    }

    func flag(_ name: String) -> Bool { values[name] == "true" }
}

/// A bench failure with a message for the operator.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
