import Foundation

/// The files beside a file, in its directory, with its extension (a C++ model builder's
/// siblings, a package's other modules): where a project keeps the code most like the file's.
///
/// At most `limit` files, in name order, each at most `maximumBytes`; a file that cannot be read
/// is skipped, and a directory that cannot be listed gives none.
public enum NearbyFiles {
    /// Files read at most.
    public static let limit = 200
    /// Largest file read.
    public static let maximumBytes = 512 << 10

    /// The files beside `path` (absolute) with its extension, without it, as (name, absolute
    /// path, text).
    public static func of(_ path: String) -> [(name: String, path: String, text: String)] {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let directory = url.deletingLastPathComponent()
        let suffix = url.pathExtension
        guard !suffix.isEmpty,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        var result: [(name: String, path: String, text: String)] = []
        for name in names.sorted() where result.count < limit {
            guard name != url.lastPathComponent, (name as NSString).pathExtension == suffix else { continue }
            let file = directory.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int,
                  size <= maximumBytes,
                  let data = FileManager.default.contents(atPath: file)
            else { continue }
            result.append((name, file, String(decoding: data, as: UTF8.self)))
        }
        return result
    }
}
