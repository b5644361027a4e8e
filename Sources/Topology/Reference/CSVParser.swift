/// One CSV record: its fields, its 1-based line and the column where each field starts.
struct CSVRecord: Sendable {
    var fields: [String]
    var line: Int
    var columns: [Int]
}

/// A CSV syntax error with its position.
struct CSVError: Error, Sendable {
    var line: Int
    var column: Int
    var message: String
}

/// RFC 4180 CSV: comma-separated, `"` quotes with `""` escapes, LF or CRLF line ends (no comment lines: the
/// engine reads the same files).
enum CSVParser {
    static func parse(_ text: String) throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var columns: [Int] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var column = 1
        var recordLine = 1
        var fieldColumn = 1
        var inQuotes = false
        var quoteLine = 1
        var quoteColumn = 1
        var wasQuoted = false
        var atFieldStart = true
        let scalars = Array(text.unicodeScalars)
        var index = 0

        func endField() {
            fields.append(String(field))
            columns.append(fieldColumn)
            field = String.UnicodeScalarView()
            wasQuoted = false
            atFieldStart = true
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if inQuotes {
                if scalar == "\"" {
                    if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 2
                        column += 2
                        continue
                    }
                    inQuotes = false
                    index += 1
                    column += 1
                    continue
                }
                field.append(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                inQuotes = true
                wasQuoted = true
                atFieldStart = false
                quoteLine = line
                quoteColumn = column
            case "\"":
                throw CSVError(
                    line: line, column: column, message: "unexpected '\"' inside an unquoted field; quote the field")
            case ",":
                endField()
                fieldColumn = column + 1
            case "\r" where index + 1 < scalars.count && scalars[index + 1] == "\n":
                break
            case "\n":
                endField()
                records.append(CSVRecord(fields: fields, line: recordLine, columns: columns))
                fields = []
                columns = []
                line += 1
                column = 0
                recordLine = line
                fieldColumn = 1
            default:
                if wasQuoted {
                    throw CSVError(
                        line: line, column: column, message: "text after a closing quote; expected ',' or a line end")
                }
                atFieldStart = false
                field.append(scalar)
            }
            column += 1
            index += 1
        }
        if inQuotes {
            throw CSVError(line: quoteLine, column: quoteColumn, message: "quoted field is not closed")
        }
        if !fields.isEmpty || !field.isEmpty || !atFieldStart {
            endField()
            records.append(CSVRecord(fields: fields, line: recordLine, columns: columns))
        }
        return records
    }
}
