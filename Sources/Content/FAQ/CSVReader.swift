/// A small RFC 4180 reader: comma-separated fields, double quotes around fields that hold
/// commas, quotes (doubled) or line breaks, records ended by LF or CRLF. Each record keeps the
/// line it starts on, so errors can point at it.
struct CSVReader {
    struct Record: Sendable, Hashable {
        var fields: [String]
        /// 1-based line where the record starts.
        var line: Int
    }

    /// Every non-blank record of `text`. Throws `syntax` for a quote that is never closed (at
    /// the line where it opens) or text right after a closing quote.
    static func records(_ text: String, file: String) throws(ContentError) -> [Record] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let bytes = Array(text.utf8)
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var inQuotes = false
        var afterClosingQuote = false
        var fieldWasQuoted = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterClosingQuote = false
        }
        func endRecord() {
            endField()
            let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
            if !blank { records.append(Record(fields: fields, line: recordLine)) }
            fields.removeAll()
            fieldWasQuoted = false
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            index += 1
            if inQuotes {
                if byte == quote {
                    if next == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                    continue
                }
                if byte == lf || (byte == cr && next != lf) { line += 1 }
                if byte == cr, next == lf { continue }
                field.append(byte == cr ? lf : byte)
                continue
            }
            switch byte {
            case comma:
                endField()
            case cr, lf:
                if byte == cr, next == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case quote where field.isEmpty && !afterClosingQuote:
                inQuotes = true
                quoteLine = line
                fieldWasQuoted = true
            default:
                if afterClosingQuote {
                    throw ContentError(
                        .syntax, at: SourceLocation(file: file, line: line),
                        "text after the closing quote of a field; double a quote (\"\") to keep it inside")
                }
                field.append(byte)
            }
        }
        if inQuotes {
            throw ContentError(
                .syntax, at: SourceLocation(file: file, line: quoteLine), "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || afterClosingQuote || fieldWasQuoted {
            endRecord()
        }
        return records
    }
}
