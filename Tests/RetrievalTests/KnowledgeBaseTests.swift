import Foundation
import Logging
import TestSupport
import Testing

@testable import Content
@testable import Retrieval

@Suite("Knowledge base reloads")
struct KnowledgeBaseTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func knowledgeBase(
        _ folder: TemporaryDirectory, configure: (inout RetrievalConfiguration) -> Void = { _ in }
    ) -> KnowledgeBase {
        var configuration = RetrievalConfiguration()
        configure(&configuration)
        return KnowledgeBase(directory: folder.url, embedder: nil, configuration: configuration, logger: logger)
    }

    static func ids(_ base: KnowledgeBase, _ query: String) -> [String] {
        base.current.search(query, limit: 10).hits.map(\.entry.id)
    }

    @Test(
        "every format is indexed and searchable",
        arguments: [
            (
                "tents.md", "---\ntags: [care]\n---\n## How do I clean my tent?\nRinse the fly with cold water.\n",
                "washing a tent", "tents.md#"
            ),
            (
                "price.yml",
                "- question: Do you price match?\n  answer: Within 14 days of purchase.\n  alternates: [Will you match a lower price?]\n",
                "lower price elsewhere", "price.yml#"
            ),
            ("gift.yaml", "- question: Do gift cards expire?\n  answer: Never.\n", "gift card expiry", "gift.yaml#"),
            (
                "pickup.json", #"[{"question": "Can I pick up in store?", "answer": "Yes, at the Boulder store."}]"#,
                "store pickup", "pickup.json#"
            ),
            ("size.csv", "question,answer\n\"What size boots, should I buy?\",\"Half a size up.\"\n", "boot sizing", "size.csv#"),
        ])
    func formats(file: String, contents: String, query: String, idPrefix: String) async throws {
        // Given a folder with one file of the format
        let folder = try TemporaryDirectory()
        try folder.write(file, contents)
        let base = Self.knowledgeBase(folder)
        // When it is loaded
        let report = await base.reload()
        // Then its entry is served and found
        #expect(report.errors.isEmpty)
        #expect(report.entries == 1)
        #expect(Self.ids(base, query).first?.hasPrefix(idPrefix) == true)
    }

    @Test("a file is read again only while its stamp is recent; a stamp from before the clock was set back is not")
    func recentStamps() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func stamp(_ secondsFromNow: Double) -> DirectoryWatcher.FileStamp {
            DirectoryWatcher.FileStamp(
                size: 1, modified: Int64((now.timeIntervalSince1970 + secondsFromNow) * 1_000_000_000), inode: 1, device: 1)
        }
        #expect(KnowledgeBase.isRecent(stamp(0), now: now))
        #expect(KnowledgeBase.isRecent(stamp(-0.05), now: now))
        #expect(KnowledgeBase.isRecent(stamp(0.5), now: now))
        #expect(!KnowledgeBase.isRecent(stamp(-0.2), now: now))
        // Written, then the wall clock was set back an hour: the stamp is an hour ahead.
        #expect(!KnowledgeBase.isRecent(stamp(3600), now: now))
    }

    @Test("a malformed drop keeps the previous version serving and reports file and line")
    func malformedKeepsPrevious() async throws {
        // Given a good file that is loaded
        let folder = try TemporaryDirectory()
        try folder.write("returns.yml", "- question: How do I return boots?\n  answer: Use the prepaid label.\n")
        let base = Self.knowledgeBase(folder)
        await base.reload()
        // When it is replaced by broken YAML and a broken new file appears
        try folder.write("returns.yml", "- question: How do I return boots?\n  answer: [unclosed\n")
        try folder.write("new.json", "[{\"question\": \"Unterminated\"")
        let report = await base.reload()
        // Then both are reported, with file and line, and the last good entry keeps serving
        #expect(report.errors.count == 2)
        #expect(report.errors.map(\.location.file).sorted() == ["faqs/new.json", "faqs/returns.yml"])
        #expect(report.errors.allSatisfy { $0.location.line != nil })
        #expect(await base.lastErrors.count == 2)
        #expect(Self.ids(base, "return boots") == ["returns.yml#how-do-i-return-boots"])
        // And once fixed, the new version replaces it
        try folder.write("returns.yml", "- question: How do I return shoes?\n  answer: Use the prepaid label.\n")
        let fixed = await base.reload()
        #expect(fixed.errors.count == 1)
        #expect(Self.ids(base, "return shoes") == ["returns.yml#how-do-i-return-shoes"])
    }

    @Test("a symlink leading outside the folder is ignored, one inside is followed")
    func symlinks() async throws {
        // Given a FAQ file outside the folder, linked from inside, and a link to a file inside
        let outside = try TemporaryDirectory()
        let secret = try outside.write("secret.md", "## What is the admin password?\nhunter2\n")
        let folder = try TemporaryDirectory()
        try folder.write("real/care.md", "## How do I wax boots?\nWarm the wax first.\n")
        try FileManager.default.createSymbolicLink(at: folder.url.appendingPathComponent("leak.md"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(
            at: folder.url.appendingPathComponent("alias.md"), withDestinationURL: folder.url.appendingPathComponent("real/care.md")
        )
        let base = Self.knowledgeBase(folder)
        // When loaded
        let report = await base.reload()
        // Then the outside file is not indexed
        #expect(report.errors.isEmpty)
        #expect(base.current.entries.map(\.file).sorted() == ["alias.md", "real/care.md"])
        #expect(Self.ids(base, "admin password").isEmpty)
    }

    @Test("a 50 MB file is refused unread and the rest still loads")
    func oversizedFile() async throws {
        // Given a normal file and a 50 MB one
        let folder = try TemporaryDirectory()
        try folder.write("ok.md", "## Do you ship to Canada?\nYes.\n")
        let big = folder.url.appendingPathComponent("big.md")
        #expect(FileManager.default.createFile(atPath: big.path, contents: Data("## Huge?\n".utf8)))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 50 * 1024 * 1024)
        try handle.close()
        let base = Self.knowledgeBase(folder)
        // When loaded with the default 5 MiB cap
        let report = await base.reload()
        // Then the big file is reported as too large and not indexed
        #expect(report.errors.map(\.code) == [.tooLarge])
        #expect(report.errors.first?.location.file == "faqs/big.md")
        #expect(base.current.entries.map(\.file) == ["ok.md"])
    }

    @Test("deleted and renamed files' entries are gone after the next reload")
    func deletesAndRenames() async throws {
        // Given two files that are loaded
        let folder = try TemporaryDirectory()
        try folder.write("shipping.md", "## How long does shipping take?\nThree to five days.\n")
        try folder.write("warranty.md", "## Is there a warranty?\nA lifetime warranty.\n")
        let base = Self.knowledgeBase(folder)
        await base.reload()
        #expect(base.current.count == 2)
        // When one is renamed and the other deleted
        try folder.move("shipping.md", to: "delivery.md")
        try folder.remove("warranty.md")
        let report = await base.reload()
        // Then the old ids are gone from the index and from every search
        #expect(report.filesChanged == 3)
        #expect(base.current.entries.map(\.id) == ["delivery.md#how-long-does-shipping-take"])
        #expect(Self.ids(base, "lifetime warranty").isEmpty)
        #expect(Self.ids(base, "how long does shipping take") == ["delivery.md#how-long-does-shipping-take"])
    }

    @Test("an unchanged folder is not re-indexed; a touched file with the same bytes is not either")
    func incremental() async throws {
        // Given a loaded folder
        let folder = try TemporaryDirectory()
        try folder.write("a.md", "## Question one?\nAnswer.\n")
        try folder.write("b.md", "## Question two?\nAnswer.\n")
        let base = Self.knowledgeBase(folder)
        let first = await base.reload()
        let index = base.current
        #expect(first.filesChanged == 2 && first.swapped)
        // When nothing changes, or a file is rewritten with the same bytes
        let idle = await base.reload()
        try folder.write("a.md", "## Question one?\nAnswer.\n")
        let touched = await base.reload()
        // Then no new index is published
        #expect(!idle.swapped && idle.filesChanged == 0)
        #expect(!touched.swapped && touched.filesChanged == 0)
        #expect(base.current === index)
        // And a real change re-reads just that file
        try folder.write("b.md", "## Question three?\nAnswer.\n")
        let changed = await base.reload()
        #expect(changed.swapped && changed.filesChanged == 1)
        #expect(base.current.entries.map(\.id) == ["a.md#question-one", "b.md#question-three"])
    }

    @Test("a missing folder is an error and keeps the last index")
    func missingFolder() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("a.md", "## Question one?\nAnswer.\n")
        let base = Self.knowledgeBase(folder)
        await base.reload()
        try FileManager.default.removeItem(at: folder.url)
        let report = await base.reload()
        #expect(report.errors.map(\.code) == [.unreadable])
        #expect(base.current.count == 1)
    }
}
