import Foundation
import Tools

/// The changes of a git repository, as git reports them: the working tree against `HEAD` (with
/// untracked files, as wholly added), or against a revision, or a revision range
/// (`main...HEAD`), and the new side's text of each changed file. Runs `git` through Tools' `Git`;
/// writes nothing.
public struct GitChanges: Sendable {
    /// The repository's top level.
    public let root: String
    /// The revision or range git was asked for; `nil`: the working tree against `HEAD`.
    public let revision: String?
    /// The changed files, in git's order.
    public let files: [DiffFile]

    /// Reads the changes of the repository around `directory`.
    public static func read(in directory: String, revision: String? = nil) async throws(ChangesError) -> GitChanges {
        guard let git = Git() else {
            throw ChangesError("git is not installed (nothing to compare changes with); install git")
        }
        let top = await git.run(["rev-parse", "--show-toplevel"], in: directory)
        guard top.succeeded else {
            throw ChangesError("\(directory) is not in a git repository (\(top.lastLine())); review --changes compares a git working tree")
        }
        let root = top.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if let revision {
            guard !revision.hasPrefix("-") else { throw ChangesError("\(revision) is not a revision (it starts with '-')") }
            for side in sides(of: revision) {
                let check = await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", side + "^{commit}"], in: root)
                guard check.succeeded else {
                    throw ChangesError("unknown revision \(side) in \(root): git knows no commit by that name (try `git log --oneline`)")
                }
            }
        } else {
            let head = await git.run(["rev-parse", "--verify", "--quiet", "HEAD"], in: root)
            guard head.succeeded else {
                throw ChangesError("\(root) has no commit yet: there is no HEAD to compare the working tree with")
            }
        }
        var arguments = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--unified=0", "-M", "--src-prefix=a/", "--dst-prefix=b/"]
        arguments.append(revision ?? "HEAD")
        arguments.append("--")
        let diff = await git.run(arguments, in: root)
        guard diff.succeeded else { throw ChangesError("git diff failed in \(root): \(diff.lastLine())") }
        var files = DiffParser.parse(diff.stdout)
        if revision == nil {
            let untracked = await git.run(["-c", "core.quotePath=false", "ls-files", "--others", "--exclude-standard", "-z"], in: root)
            for path in untracked.stdout.split(separator: "\0").map(String.init) where !path.isEmpty {
                files.append(DiffFile(path: path, status: .added))
            }
        }
        return GitChanges(root: root, revision: revision, files: files)
    }

    /// The new side's text of `file`: the working tree's, or the file at the range's right end.
    /// `nil` for a file that is not text (or is gone).
    public func text(of file: DiffFile) async -> String? {
        if let right = Self.rightSide(of: revision) {
            guard let git = Git() else { return nil }
            let shown = await git.run(["show", "\(right):\(file.path)"], in: root)
            return shown.succeeded && !shown.stdout.contains("\0") ? shown.stdout : nil
        }
        guard let data = FileManager.default.contents(atPath: root + "/" + file.path), !data.contains(0) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// The revisions a range names (`A...B`, `A..B`, or one revision); empty sides mean HEAD.
    static func sides(of revision: String) -> [String] {
        for separator in ["...", ".."] where revision.contains(separator) {
            return revision.components(separatedBy: separator).map { $0.isEmpty ? "HEAD" : $0 }
        }
        return [revision]
    }

    /// The right end of a range (its new side), or `nil` when the new side is the working tree.
    static func rightSide(of revision: String?) -> String? {
        guard let revision, revision.contains("..") else { return nil }
        return sides(of: revision).last
    }
}

/// Changes that cannot be reviewed, with a message saying why and what to do.
public struct ChangesError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
