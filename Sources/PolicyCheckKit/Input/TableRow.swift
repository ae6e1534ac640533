/// One row of a table read from a spreadsheet: its row number and its cells as text.
///
/// `cells[0]` is column A. Cells missing between two filled ones are `""`; the row ends at its
/// last filled cell, so rows of one sheet may differ in length.
public struct TableRow: Sendable, Equatable {
    /// The sheet's own 1-based row number, as the spreadsheet shows it: skipped blank rows leave gaps.
    public var number: Int
    /// The text of each cell, from column A to the last filled cell.
    public var cells: [String]

    /// A row numbered `number` holding `cells` from column A on.
    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}
