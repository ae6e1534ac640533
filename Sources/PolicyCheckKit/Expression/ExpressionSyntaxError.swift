/// A problem in an expression's text or types, at an offset (in Unicode scalars) of the expression.
struct ExpressionProblem: Error, Sendable {
    var message: String
    var offset: Int
    var code: DiagnosticCode
    var help: String?

    init(_ message: String, at offset: Int, code: DiagnosticCode = .expressionSyntax, help: String? = nil) {
        self.message = message
        self.offset = offset
        self.code = code
        self.help = help
    }
}
