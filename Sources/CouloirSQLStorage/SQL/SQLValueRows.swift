import SQLKit

/// `VALUES (?, ?, …), (?, ?, …)`: a group of placeholders a row, the binds in order.
///
/// The tally path writes its statements as text around this (`SQLQueryString`) rather
/// than through SQLKit's builders, which serialise and escape every identifier of every
/// statement again each time: 18% of the server's CPU on single submissions in a profile.
struct SQLValueRows: SQLExpression {
    let rows: [[any Encodable & Sendable]]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("VALUES ")
        for (index, row) in rows.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            for (column, value) in row.enumerated() {
                if column > 0 { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
    }
}
