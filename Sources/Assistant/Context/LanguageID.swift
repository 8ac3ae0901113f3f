/// LSP language identifiers by file extension.
public enum LanguageID {
    static let byExtension: [String: String] = [
        "py": "python", "swift": "swift", "js": "javascript", "mjs": "javascript", "cjs": "javascript",
        "jsx": "javascriptreact", "ts": "typescript", "tsx": "typescriptreact", "lua": "lua", "el": "emacs-lisp",
        "lisp": "lisp", "cl": "lisp", "scm": "scheme", "clj": "clojure", "c": "c", "h": "c", "cc": "cpp",
        "cpp": "cpp", "cxx": "cpp", "hpp": "cpp", "rs": "rust", "go": "go", "java": "java", "kt": "kotlin",
        "rb": "ruby", "sh": "shellscript", "bash": "shellscript", "php": "php", "cs": "csharp", "m": "objective-c",
        "zig": "zig", "hs": "haskell", "ml": "ocaml", "ex": "elixir", "exs": "elixir", "scala": "scala",
        "sql": "sql", "r": "r", "jl": "julia", "dart": "dart", "vim": "vim", "nix": "nix",
    ]

    /// The identifier of a file extension (without the dot); the extension itself otherwise.
    public static func of(extension ext: String) -> String {
        byExtension[ext.lowercased()] ?? ext.lowercased()
    }

    /// An editor's name for a language as the LSP identifier the actions know: Eglot sends its
    /// major mode's name (`js` for `js-mode`, `c++` for `c++-mode`, `python-ts` for
    /// `python-ts-mode` in some versions), other clients send the LSP's (`javascript`, `cpp`).
    public static func normalized(_ id: String) -> String {
        var name = id.lowercased()
        if name.hasSuffix("-ts") { name.removeLast(3) }
        return aliases[name] ?? name
    }

    static let aliases: [String: String] = [
        "js": "javascript", "js2": "javascript", "js3": "javascript", "rjsx": "javascriptreact", "jsx": "javascriptreact",
        "ts": "typescript", "tsx": "typescriptreact", "c++": "cpp", "objc": "objective-c", "py": "python",
    ]

    /// The identifier of a path's extension.
    public static func of(path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return of(extension: String(name[name.index(after: dot)...]))
    }
}
