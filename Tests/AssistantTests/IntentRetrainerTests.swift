import Application
import Assistant
import Classifier
import Content
import Foundation
import Retrieval
import Store
import SupportCore
import Testing

@Suite("Live retraining of intents/")
struct IntentRetrainerTests {
    static let baseIntents = """
        - intent: greeting
          examples: [hi, hello, hey there, good morning, hello friend, hi bot]
          answer: Hello!
        - intent: order_status
          examples: [where is my order, order status, track my order, has my order shipped, when does my order arrive, status of my purchase]
          answer: Your orders are at {orders_url}.
        """
    static let variables = "orders_url: https://shop.example/orders\n"
    static let refundIntent = """
        - intent: refund_status
          examples: [where is my refund, refund status, when will I get my money back, has my refund been processed, refund not received, money back status]
          answer: Refunds take 5 business days.
        """

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    @Test("a valid change swaps the model; a broken file keeps the old one; no change is a no-op")
    func retrainLifecycle() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.baseIntents, to: directory.appendingPathComponent("base.yml"))
        try Self.write(Self.variables, to: directory.appendingPathComponent("_variables.yml"))

        let initial = try IntentLoader(directory: directory).load()
        let runtime = IntentRuntime(.init(intents: initial, classifier: try IntentClassifier.train(initial, embedder: nil)))
        let modelPath = directory.appendingPathComponent("model.sbm")
        let retrainer = IntentRetrainer(
            directory: directory, runtime: runtime, embedder: nil, modelPath: modelPath, logger: AssistantFixture.logger
        )

        // Given unchanged content, nothing is retrained.
        #expect(await retrainer.retrain() == .unchanged)

        // When a new intent is added, the model is retrained and swapped in.
        try Self.write(Self.refundIntent, to: directory.appendingPathComponent("refunds.yml"))
        #expect(await retrainer.retrain() == .swapped(intents: 3))
        #expect(runtime.current.intents.intent(named: "refund_status") != nil)
        #expect(runtime.current.classifier.predict("when will I get my money back").top.first?.name == "refund_status")
        #expect(FileManager.default.fileExists(atPath: modelPath.path))

        // When a file breaks, the old model keeps serving and the error names file and line.
        try Self.write(
            "- intent: broken\n  examples: [one, two]\n  answer: {nope}\n", to: directory.appendingPathComponent("broken.yml"))
        guard case .rejected(let errors) = await retrainer.retrain() else {
            Issue.record("a broken file must be rejected")
            return
        }
        #expect(errors.contains { $0.location.file.hasSuffix("broken.yml") && $0.location.line != nil })
        #expect(runtime.current.classifier.intents.contains("refund_status"))
    }

    @Test("requests keep being answered while models are swapped")
    func swapsUnderLoad() async throws {
        let intents = AssistantFixture.intents
        let assembled = try await AssistantFactory.assemble(
            intents: intents, classifier: AssistantFixture.classifier, faqs: AssistantFixture.root.appendingPathComponent("faqs"),
            embedder: nil, logger: AssistantFixture.logger)
        let runtime = assembled.runtime
        let swapping = assembled.assistant
        let answers = await withTaskGroup(of: ChatAnswer.self) { group in
            group.addTask {
                for _ in 0..<5 { runtime.swap(.init(intents: intents, classifier: AssistantFixture.classifier)) }
                return ChatAnswer(text: "swapped", route: .canned, intent: "none", confidence: 1)
            }
            for index in 0..<200 {
                group.addTask {
                    await swapping.respond(
                        to: ChatTurn(
                            conversation: .random(), client: "t", text: index.isMultiple(of: 2) ? "where is my order" : "hello"),
                        onDelta: { _ in }
                    )
                }
            }
            var collected: [ChatAnswer] = []
            for await answer in group where answer.text != "swapped" { collected.append(answer) }
            return collected
        }
        #expect(answers.count == 200)
        #expect(answers.allSatisfy { $0.route == .canned && !$0.text.isEmpty })
    }
}
