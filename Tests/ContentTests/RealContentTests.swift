import Content
import Foundation
import Testing

/// The sample content shipped in the repository must load cleanly.
@Suite("Shipped content")
struct RealContentTests {
    /// The repository root, found from this file (symlinks resolved, so a scratch package that
    /// links this folder still finds the real repository).
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func intentsLoadWithoutErrors() throws {
        let set = try IntentLoader(directory: Self.repository.appendingPathComponent("intents")).load()
        #expect(!set.intents.isEmpty)
        #expect(set.intents.allSatisfy { $0.examples.count >= IntentLoader.minimumExamples })
        #expect(set.intents.allSatisfy { $0.route == .faq ? $0.answers.isEmpty : !$0.answers.isEmpty })
    }

    @Test func faqsLoadWithoutErrors() {
        let result = FAQLoader(directory: Self.repository.appendingPathComponent("faqs")).load()
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(!result.entries.isEmpty)
        #expect(Set(result.entries.map(\.id)).count == result.entries.count)
    }
}
