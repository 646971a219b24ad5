import Crypto
import Foundation
import Logging

/// Loads every FAQ file under `faqs/` (subfolders included). Never throws: a broken file is
/// reported in the result and the other files still load, so one bad edit cannot empty the
/// knowledge base.
public struct FAQLoader: Sendable {
    /// Suffixes of editor and download leftovers that are never content.
    public static let ignoredSuffixes = ["~", ".swp", ".tmp", ".part"]

    public let directory: URL
    public let configuration: FAQLoaderConfiguration
    /// Prefix of file paths in errors: `faqs/shipping.md:3`.
    public let displayName: String
    private let logger: Logger

    public init(
        directory: URL, configuration: FAQLoaderConfiguration = .init(), displayName: String = "faqs",
        logger: Logger = Logger(label: "supportbot.content", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.directory = directory
        self.configuration = configuration
        self.displayName = displayName
        self.logger = logger
    }

    /// Hidden files, editor leftovers and files whose extension is not a FAQ format.
    public static func isIgnored(fileName: String) -> Bool {
        if fileName.hasPrefix(".") { return true }
        let lowered = fileName.lowercased()
        if ignoredSuffixes.contains(where: { lowered.hasSuffix($0) }) { return true }
        return !FAQParser.supportedExtensions.contains(FAQParser.fileExtension(of: fileName))
    }

    public func load() -> FAQLoadResult {
        var result = FAQLoadResult()
        let folder = ContentDirectory(root: directory, displayName: displayName)
        let listing: [ContentDirectory.File]
        do {
            let found = try folder.files { !Self.isIgnored(fileName: $0) }
            listing = found.files
            for skipped in found.skipped {
                logger.debug("faq.file.skipped", metadata: ["file.path": "\(skipped.path)", "skip.reason": "\(skipped.reason)"])
            }
        } catch {
            result.errors.append(error)
            return result
        }
        for file in listing {
            do {
                let data = try folder.read(file, maximumSize: configuration.maxFileSize)
                result.files[file.path] = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                result.entries += try FAQParser.parse(data, path: file.path, displayName: displayName)
            } catch {
                logger.debug("faq.file.failed", metadata: ["file.path": "\(file.path)", "error.code": "\(error.code)"])
                result.errors.append(error)
            }
        }
        logger.debug(
            "faq.load.finished",
            metadata: [
                "faq.files": "\(listing.count)", "faq.entries": "\(result.entries.count)",
                "faq.errors": "\(result.errors.count)",
            ])
        return result
    }
}
