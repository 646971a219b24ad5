import Redaction

extension FuzzTarget {
    /// Message text through the export redactor; bytes that are not UTF-8 are repaired the way
    /// Swift decodes them, since the redactor only ever sees `String`s.
    public static let redactor = FuzzTarget(name: "Redactor") { bytes in
        _ = Redactor().redact(String(decoding: bytes, as: UTF8.self))
    }
}
