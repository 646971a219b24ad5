import Foundation

/// A minimal RFC 4180 reader written for the tests, independent of the exporter: fields
/// separated by commas, records by CRLF (or LF), quoted fields with doubled quotes inside.
enum CSVReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records = [[String]]()
        var record = [String]()
        var field = ""
        var inQuotes = false
        var afterQuotedField = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        inQuotes = false
                        afterQuotedField = true
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !afterQuotedField else { throw Malformed(description: "quote inside a bare field") }
                inQuotes = true
            case ",":
                record.append(field)
                field = ""
                afterQuotedField = false
            case "\r":
                guard characters.first == "\n" else { throw Malformed(description: "CR without LF") }
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuotedField = false
            default:
                guard !afterQuotedField else { throw Malformed(description: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !inQuotes else { throw Malformed(description: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
