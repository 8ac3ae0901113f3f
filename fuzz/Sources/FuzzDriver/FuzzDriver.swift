#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a libFuzzer target: hands the process to libFuzzer's driver, which calls `check` with
/// every input it generates or reads from a corpus, and turns a non-empty list of violations into
/// a crash (so libFuzzer saves the input as `crash-…`).
///
/// SwiftPM links an executable with its entry point renamed (`main` is defined as
/// `<module>_main`), so libFuzzer's own `main` is never used; the `@main` of each target calls
/// `FuzzDriver.run`, which calls `LLVMFuzzerRunDriver` with the process's arguments. Build with
/// `-sanitize=fuzzer` (and `address`): see FUZZING.md.
public enum FuzzDriver {
    nonisolated(unsafe) fileprivate static var check: ((UnsafeRawBufferPointer) -> [String])?

    /// Fuzzes `check` with the command line's libFuzzer flags and corpus directories; never returns.
    public static func run(_ check: @escaping (UnsafeRawBufferPointer) -> [String]) -> Never {
        Self.check = check
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
    }

    fileprivate static func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let check else { return 0 }
        let violations = check(UnsafeRawBufferPointer(start: data, count: size))
        if !violations.isEmpty {
            for violation in violations.prefix(20) {
                let line = Array("VIOLATION: \(violation)\n".utf8)
                _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
            abort()
        }
        return 0
    }
}

/// libFuzzer's per-input entry point (also what `-runs=N corpus/` replays).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.test(data, size)
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
