import Content
import Foundation
import TestSupport
import Testing

@Suite("FAQLoader")
struct FAQLoaderTests {
    @Test func walksSubfoldersAndSkipsIgnoredNames() throws {
        // Given a folder with good files, subfolders and files to ignore
        let folder = try TemporaryDirectory()
        try folder.write("shipping.md", "## How long?\nThree days.\n")
        try folder.write("billing/refunds.yml", "- question: Refund?\n  answer: Yes.\n")
        try folder.write("billing/deep/cards.csv", "question,answer\nCards?,Visa.\n")
        for ignored in [".hidden.md", "notes.md~", ".notes.md.swp", "draft.md.swp", "upload.csv.part", "x.tmp", "readme.txt"] {
            try folder.write(ignored, "## Ignored?\nYes.\n")
        }
        try folder.write(".git/config.md", "## Hidden folder?\nYes.\n")

        // When it is loaded
        let result = FAQLoader(directory: folder.url).load()

        // Then only the three real files count, with `/` paths inside the folder
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(
            result.entries.map(\.id) == [
                "billing/deep/cards.csv#cards", "billing/refunds.yml#refund", "shipping.md#how-long",
            ])
        #expect(result.files.keys.sorted() == ["billing/deep/cards.csv", "billing/refunds.yml", "shipping.md"])
        // `printf '## How long?\nThree days.\n' | sha256sum`
        #expect(result.files["shipping.md"] == "f6e9fdfde858e1174a9dc4587f6fa70db65286fd566fe01d7566a9da159fdf0c")
    }

    @Test(arguments: [
        (".profile", true), ("notes.md~", true), ("a.md.swp", true), ("a.tmp", true), ("a.csv.part", true),
        ("a.txt", true), ("Makefile", true), ("a.md", false), ("A.MD", false), ("b.yml", false), ("c.yaml", false),
        ("d.json", false), ("e.csv", false),
    ])
    func isIgnored(name: String, ignored: Bool) {
        #expect(FAQLoader.isIgnored(fileName: name) == ignored)
    }

    @Test func symlinkOutsideTheFolderIsIgnoredAndInsideIsFollowed() throws {
        // Given a FAQ folder with a symlink pointing outside it and one pointing inside
        let sandbox = try TemporaryDirectory()
        let faqs = try sandbox.folder("faqs")
        try sandbox.write("secret.md", "## Secret?\nDo not serve.\n")
        try sandbox.write("outside/leak.md", "## Leak?\nDo not serve.\n")
        try sandbox.write("faqs/real/inside.md", "## Inside?\nServed.\n")
        let manager = FileManager.default
        try manager.createSymbolicLink(
            at: faqs.appendingPathComponent("secret.md"), withDestinationURL: sandbox.url.appendingPathComponent("secret.md"))
        try manager.createSymbolicLink(
            at: faqs.appendingPathComponent("outside"), withDestinationURL: sandbox.url.appendingPathComponent("outside"))
        try manager.createSymbolicLink(atPath: faqs.appendingPathComponent("alias.md").path, withDestinationPath: "real/inside.md")
        try manager.createSymbolicLink(atPath: faqs.appendingPathComponent("loop").path, withDestinationPath: ".")

        // When it is loaded
        let result = FAQLoader(directory: faqs).load()

        // Then nothing from outside is served; the inside link is read under its own path
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.entries.map(\.id) == ["alias.md#inside", "real/inside.md#inside"])
    }

    @Test func oversizedFileIsRefusedAndOthersLoad() throws {
        let folder = try TemporaryDirectory()
        try folder.write("big.md", "## Big?\n" + String(repeating: "x", count: 2_000) + "\n")
        try folder.write("small.md", "## Small?\nYes.\n")
        let result = FAQLoader(directory: folder.url, configuration: FAQLoaderConfiguration(maxFileSize: 1_000)).load()
        #expect(result.entries.map(\.id) == ["small.md#small"])
        #expect(result.errors.map(\.code) == [.tooLarge])
        #expect(result.errors.first?.description.hasPrefix("faqs/big.md: ") == true)
        #expect(result.files["big.md"] == nil)
    }

    @Test func brokenFileIsReportedAndTheOthersStillLoad() throws {
        // Given one broken file among good ones
        let folder = try TemporaryDirectory()
        try folder.write("a.md", "## A?\nYes.\n")
        try folder.write("b.json", "[\n{\"question\": \"B?\",\n \"answer\": \"Yes\"\n")
        try folder.write("c.csv", "question,answer\nC?,Yes.\n")
        // When it is loaded under another display name
        let result = FAQLoader(directory: folder.url, displayName: "kb").load()
        // Then the broken file is one error with its place, the rest is served, all are fingerprinted
        #expect(result.entries.map(\.id) == ["a.md#a", "c.csv#c"])
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.code == .syntax)
        #expect(result.errors.first?.description.hasPrefix("kb/b.json:3: ") == true)
        #expect(result.files.keys.sorted() == ["a.md", "b.json", "c.csv"])
    }

    @Test func missingFolderIsOneError() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        let result = FAQLoader(directory: missing).load()
        #expect(result.entries.isEmpty)
        #expect(result.errors.map(\.code) == [.unreadable])
    }
}
