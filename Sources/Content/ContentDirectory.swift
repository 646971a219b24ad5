import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lists the files of a content folder recursively, in a stable order, without ever leaving the
/// folder: hidden names are skipped and symlinks are followed only while their real path stays
/// inside it.
struct ContentDirectory {
    /// One file found, by its path inside the folder (`/`-separated) and its URL.
    struct File: Sendable, Hashable {
        var path: String
        var url: URL
    }

    /// A name that was passed over, and why (for debug logs).
    struct Skipped: Sendable, Hashable {
        var path: String
        var reason: String
    }

    let root: URL
    /// Name of the folder in errors, e.g. `faqs`.
    let displayName: String

    /// Files under the folder for which `accept(fileName)` is true, sorted by path.
    func files(accepting accept: (String) -> Bool) throws(ContentError) -> (files: [File], skipped: [Skipped]) {
        guard let rootReal = Self.realPath(root.path) else {
            throw ContentError(.unreadable, at: SourceLocation(file: displayName), "the folder \(root.path) does not exist")
        }
        var files: [File] = []
        var skipped: [Skipped] = []
        var visited: Set<String> = [rootReal]
        var pending: [(relative: String, url: URL)] = [("", root)]
        while let (relative, directory) = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            } catch {
                let shown = relative.isEmpty ? displayName : "\(displayName)/\(relative)"
                throw ContentError(.unreadable, at: SourceLocation(file: shown), "the folder cannot be listed: \(error)")
            }
            for name in names {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                if name.hasPrefix(".") {
                    skipped.append(Skipped(path: path, reason: "hidden"))
                    continue
                }
                let url = directory.appendingPathComponent(name)
                guard let real = Self.realPath(url.path) else {
                    skipped.append(Skipped(path: path, reason: "dangling symlink"))
                    continue
                }
                guard real == rootReal || real.hasPrefix(rootReal == "/" ? "/" : rootReal + "/") else {
                    skipped.append(Skipped(path: path, reason: "symlink pointing outside the folder"))
                    continue
                }
                let type = (try? FileManager.default.attributesOfItem(atPath: real))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    if visited.insert(real).inserted {
                        pending.append((path, url))
                    } else {
                        skipped.append(Skipped(path: path, reason: "folder already listed"))
                    }
                } else if type != .typeRegular {
                    skipped.append(Skipped(path: path, reason: "not a regular file"))
                } else if accept(name) {
                    files.append(File(path: path, url: url))
                } else {
                    skipped.append(Skipped(path: path, reason: "ignored name"))
                }
            }
        }
        files.sort { $0.path < $1.path }
        return (files, skipped)
    }

    /// The bytes of a file, refusing it unread when it is larger than `maximumSize`.
    func read(_ file: File, maximumSize: Int? = nil) throws(ContentError) -> Data {
        let shown = "\(displayName)/\(file.path)"
        do {
            if let maximumSize {
                let attributes = try FileManager.default.attributesOfItem(atPath: file.url.path)
                let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
                guard size <= maximumSize else {
                    throw ContentError(
                        .tooLarge, at: SourceLocation(file: shown),
                        "the file is \(size) bytes, over the limit of \(maximumSize) bytes")
                }
            }
            let data = try Data(contentsOf: file.url)
            if let maximumSize, data.count > maximumSize {
                throw ContentError(
                    .tooLarge, at: SourceLocation(file: shown),
                    "the file is \(data.count) bytes, over the limit of \(maximumSize) bytes")
            }
            return data
        } catch let error as ContentError {
            throw error
        } catch {
            throw ContentError(
                .unreadable, at: SourceLocation(file: shown), "the file cannot be read: \(error.localizedDescription)")
        }
    }

    /// The canonical absolute path with every symlink resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
