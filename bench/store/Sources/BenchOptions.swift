import Foundation

/// Command-line options of bench-store, with the defaults the published figures use.
struct BenchOptions {
    /// The raw-SQLite peer script.
    var python = "bench/store/raw_sqlite.py"
    /// Directory for the benchmark databases (a fresh temporary one by default).
    var work: String?
    /// Pairs appended by the single writer (one transaction each).
    var singlePairs = 2_000
    /// Pairs appended by the concurrent writers: 50,000 pairs = the 100,000 exported messages.
    var pairs = 50_000
    /// Concurrent writer tasks.
    var writers = 64
    /// Group-commit delay in microseconds (`StoreConfiguration.GroupCommit.maxDelay`); nil
    /// keeps the store's default.
    var delayMicros: Int?
    /// How many times each measurement runs (the table shows medians).
    var repeats = 3

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError("missing value after \(flag)") }
            switch flag {
            case "--python": options.python = value
            case "--work": options.work = value
            case "--single-pairs": options.singlePairs = try number(value, flag)
            case "--pairs": options.pairs = try number(value, flag)
            case "--writers": options.writers = try number(value, flag)
            case "--delay-us": options.delayMicros = try number(value, flag)
            case "--repeat": options.repeats = max(1, try number(value, flag))
            default: throw BenchError("unknown option \(flag)")
            }
        }
        return options
    }

    private static func number(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw BenchError("\(flag) needs a non-negative integer") }
        return value
    }
}

/// A benchmark set-up failure.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
