/// The errors a C or C++ compiler (GCC, Clang) printed for its standard input, and whether each
/// one is about names and types only: the code parses, but the compiler does not know a name it
/// uses (`‘hparams’ was not declared in this scope`) or a type does not match
/// (`request for member ‘n’ in ‘m’, which is of pointer type`).
///
/// Only messages known to come after parsing count as names and types; every other error
/// (`expected ‘;’ before ‘}’ token`, `redefinition of ‘f’`, a stray `#endif`) is the code's
/// syntax or its place in the file. A local declared twice or over a parameter counts as a
/// name: callers take these only on the lines of code they placed in a function's body. Read in the compiler's English messages
/// (`ToolchainSyntaxChecker` runs it with `LC_MESSAGES=C`); in another language every error
/// counts as syntax, which is the stricter reading.
public struct CompilerErrors: Sendable, Hashable {
    /// One `error:` (or `fatal error:`) line.
    public struct Error: Sendable, Hashable {
        /// 1-based line in the standard input; `nil` when the error is in another file (a header).
        public var line: Int?
        /// The message after `error: `.
        public var message: String
        /// The code parses; a name or a type is wrong.
        public var isNameOrType: Bool
    }

    public var errors: [Error]

    /// The errors of a compiler's diagnostics; notes and warnings are left out.
    public init(_ diagnostics: String) {
        errors = diagnostics.split(whereSeparator: \.isNewline).compactMap { Self.error(String($0)) }
    }

    /// Whether every error is about names and types, and there is one at least.
    public var onlyNamesAndTypes: Bool { !errors.isEmpty && errors.allSatisfy(\.isNameOrType) }

    /// The 1-based lines of the standard input the errors are on (`nil` for an error elsewhere).
    public var lines: [Int?] { errors.map(\.line) }

    /// What the compilers say, after parsing, of names they cannot find and types that do not
    /// match (GCC's wording; Clang's where it differs).
    static let nameAndTypeMessages = [
        "was not declared in this scope", "undeclared (first use in this function)", "undeclared here",
        "undeclared identifier", "use of undeclared", "has no member named", "is not a member of", "no member named",
        "unknown type name", "request for member", "base operand of", "invalid type argument of",
        "cannot convert", "invalid conversion from", "incompatible type", "could not convert",
        "invalid initialization of", "no matching function for call to", "no matching member function",
        "too few arguments to function", "too many arguments to function", "invalid operands to binary",
        "no match for", "cannot be used as a function", "is private within this context",
        "is protected within this context", "subscripted value is neither array nor pointer",
        "storage size of", "incomplete type", "undefined type", "has not been declared",
        "is not a class, namespace, or enumeration", "invalid use of non-static", "template argument", "invalid use of void expression",
        "void value not ignored as it ought to be", "lvalue required as", "assignment of read-only",
        "increment of read-only", "decrement of read-only", "implicit declaration of function",
        "return-statement with a value, in function returning", "return-statement with no value, in function returning",
        "conversion from", "used struct type value where scalar is required",
        // A local declared twice, or over a parameter: a name, in code that parses.
        "shadows a parameter", "redeclaration of", "conflicting declaration", "redeclared as different kind of symbol",
    ]

    /// An error line (`<stdin>:12:5: error: …`), read.
    static func error(_ line: String) -> Error? {
        let fatal = line.range(of: " fatal error: ")
        guard let marker = fatal ?? line.range(of: " error: ") else { return nil }
        let location = line[..<marker.lowerBound]
        let message = String(line[marker.upperBound...])
        var number: Int?
        if location.hasPrefix("<stdin>:") {
            number = location.dropFirst("<stdin>:".count).split(separator: ":").first.flatMap { Int($0) }
        }
        let isNameOrType = fatal == nil && nameAndTypeMessages.contains { message.contains($0) }
        return Error(line: number, message: message, isNameOrType: isNameOrType)
    }
}
