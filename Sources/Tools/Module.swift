// The Tools module: everything that starts a process for the assistant, or reads a file
// other than the one it is asked about.
//
// `ToolProcess` runs one command-line tool (on swift-subprocess: asynchronous pipes, a wall-clock
// limit that kills the process group, a byte limit on the output, a clean environment), and the
// tools on top of it: `ToolchainSyntaxChecker` (python3, swiftc, node, tsc, cc parsing a
// candidate; C and C++ with the file's `CompilationFlags` from its project's
// compile_commands.json; `IncludedHeaders` reads the project headers such a file includes),
// `PythonScript` (a script run on a text, for the assistant's Python questions),
// `Git` (read-only git commands), and `DoctestSandbox`, which runs a Python program's docstring
// examples inside a bubblewrap isolation boundary (`Bubblewrap`, probed once by
// `SandboxSupport`). `Scratch` makes the private temporary directories they work in.
//
// It knows nothing of the actions, the engine or LSP: it imports only Foundation, JSON (to read
// a compilation database) and swift-subprocess (with swift-system's `FilePath`). It logs nothing; what a tool could not do
// is in its outcome (`launchFailure`, `.unavailable(reason)`), never a thrown crash.
