import Foundation

/// Fresh private temporary directories (mode 0700, a random name), for a tool's files; the
/// caller removes them.
public enum Scratch {
    /// Creates a new directory under the system's temporary directory and returns its path.
    public static func directory(prefix: String = "selfmoa-check-") throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/" + prefix + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return path
    }
}
