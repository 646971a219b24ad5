import Application
import Assistant
import Classifier
import Content
import Encoder
import Foundation
import Logging
import Retrieval
import Server
import ServerTestSupport
import Store
import TestSupport
import Testing

/// Live retraining seen from a client: the real server, the real assistant and a real SQLite
/// store, with `intents/` changing while a customer keeps talking.
@Suite("Live retrain over the server")
struct LiveRetrainServerTests {
    /// `intents/` with the base intents and variables, and an empty `faqs/`, in `directory`.
    static func contentFolders(in directory: URL) throws -> (intents: URL, faqs: URL) {
        let intentsFolder = directory.appendingPathComponent("intents")
        let faqsFolder = directory.appendingPathComponent("faqs")
        try FileManager.default.createDirectory(at: intentsFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: faqsFolder, withIntermediateDirectories: true)
        try IntentRetrainerTests.write(IntentRetrainerTests.baseIntents, to: intentsFolder.appendingPathComponent("base.yml"))
        try IntentRetrainerTests.write(IntentRetrainerTests.variables, to: intentsFolder.appendingPathComponent("_variables.yml"))
        return (intentsFolder, faqsFolder)
    }

    @Test("a retrain swaps the model while a client keeps chatting: no request fails, the new intent answers")
    func swapUnderTraffic() async throws {
        try await withTemporaryDirectory { directory in
            let (intentsFolder, faqsFolder) = try Self.contentFolders(in: directory)

            let logger = AssistantFixture.logger
            let initial = try IntentLoader(directory: intentsFolder).load()
            let assembled = try await AssistantFactory.assemble(
                intents: initial, classifier: try IntentClassifier.train(initial, embedder: nil), faqs: faqsFolder, embedder: nil,
                logger: logger)
            let runtime = assembled.runtime
            let assistant = assembled.assistant
            let retrainer = IntentRetrainer(
                directory: intentsFolder, runtime: runtime, embedder: nil,
                modelPath: directory.appendingPathComponent("model.sbm"), logger: logger)
            let store = try SQLiteStore.open(directory: directory.appendingPathComponent("state"), logger: logger)

            try await ServerHarness.run(responder: assistant, store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    var replies = 0
                    var swapped = false
                    for index in 0..<30 {
                        try await connection.send(#"{"type":"message","id":\#(index),"text":"where is my order"}"#)
                        if index == 10 {
                            // The file lands and the retrain runs while this request is in flight.
                            try IntentRetrainerTests.write(
                                IntentRetrainerTests.refundIntent, to: intentsFolder.appendingPathComponent("refunds.yml"))
                            swapped = await retrainer.retrain() == .swapped(intents: 3)
                        }
                        let line = try #require(try await connection.readLine())
                        let reply = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                        #expect(reply?["type"] as? String == "reply", "\(line)")
                        #expect(reply?["id"] as? Int == index)
                        #expect((reply?["intent"] as? [String: Any])?["name"] as? String == "order_status")
                        replies += 1
                    }
                    #expect(swapped)
                    #expect(replies == 30)
                    try await connection.send(#"{"type":"message","id":"new","text":"when will I get my money back"}"#)
                    let line = try #require(try await connection.readLine())
                    let reply = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect((reply?["intent"] as? [String: Any])?["name"] as? String == "refund_status")
                    #expect(reply?["text"] as? String == "Refunds take 5 business days.")
                }
            }
        }
    }

    @Test(
        "a fine-tuned model is swapped in from the background while a client keeps chatting; newer intents supersede it",
        .enabled(if: AssistantFixture.hasEncoder))
    func fineTunedSwapUnderTraffic() async throws {
        let encoder = try #require(AssistantFixture.encoder)
        try await withTemporaryDirectory { directory in
            let (intentsFolder, faqsFolder) = try Self.contentFolders(in: directory)
            let logger = AssistantFixture.logger
            let initial = try IntentLoader(directory: intentsFolder).load()
            let assembled = try await AssistantFactory.assemble(
                intents: initial, classifier: try IntentClassifier.train(initial, embedder: encoder), faqs: faqsFolder,
                embedder: encoder, logger: logger)
            let runtime = assembled.runtime
            let modelPath = directory.appendingPathComponent("model.sbm")
            let retrainer = IntentRetrainer(
                directory: intentsFolder, runtime: runtime, embedder: encoder, modelPath: modelPath,
                fineTuning: FineTuneConfiguration(tunedLayers: 1, epochs: 2, batchSize: 4), logger: logger)
            let store = try SQLiteStore.open(directory: directory.appendingPathComponent("state"), logger: logger)

            try await ServerHarness.run(responder: assembled.assistant, store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    func ask(_ id: Int, _ text: String) async throws -> [String: Any] {
                        try await connection.send(#"{"type":"message","id":\#(id),"text":"\#(text)"}"#)
                        let line = try #require(try await connection.readLine())
                        let reply = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                        #expect(reply["type"] as? String == "reply", "\(line)")
                        #expect(reply["id"] as? Int == id)
                        return reply
                    }
                    // A fine-tune started, then overtaken by newer intents: dropped, never swapped in.
                    try IntentRetrainerTests.write(
                        IntentRetrainerTests.refundIntent, to: intentsFolder.appendingPathComponent("refunds.yml"))
                    let newer = try IntentLoader(directory: intentsFolder).load()
                    let newerModel = try IntentClassifier.train(newer, embedder: encoder)
                    let overtaken = retrainer.scheduleFineTune()
                    runtime.swap(.init(intents: newer, classifier: newerModel))
                    #expect(await overtaken.value == .superseded)
                    #expect(runtime.current.classifier.tunedLayers == nil)
                    #expect(await retrainer.retrain() == .unchanged)

                    // A fine-tune of the new intents; the client chats meanwhile.
                    let fineTune = retrainer.scheduleFineTune()
                    var id = 0
                    while runtime.current.classifier.tunedLayers == nil, id < 100_000 {
                        let reply = try await ask(id, "where is my order")
                        #expect((reply["intent"] as? [String: Any])?["name"] as? String == "order_status")
                        id += 1
                        try await Task.sleep(for: .milliseconds(60))  // a person typing, under the rate limit
                    }
                    #expect(id > 0, "the client chatted while the model was fine-tuned")
                    #expect(await fineTune.value == .swapped(layers: 1))
                    let classifier = runtime.current.classifier
                    #expect(classifier.tunedLayers?.layerCount == 1)
                    #expect(classifier.intents.count == 3)
                    for text in ["where is my order", "when will I get my money back"] {
                        id += 1
                        let reply = try await ask(id, text)
                        let intent = (reply["intent"] as? [String: Any])?["name"] as? String
                        #expect(intent == (text.contains("order") ? "order_status" : "refund_status"))
                    }
                }
            }
            // The tuned model was saved; it loads on the base encoder, and is not tuned again.
            let saved = try IntentClassifier.load(from: modelPath, embedder: encoder)
            #expect(saved.tunedLayers?.layerCount == 1)
            #expect(await retrainer.scheduleFineTune().value == .skipped("the model is already fine-tuned"))
        }
    }
}
