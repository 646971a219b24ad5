import Foundation
import Testing

@testable import Encoder

/// `models/reference/gradients.json`, which older reference folders lack (ModelFixture's
/// `hasReferences` predates it).
enum GradientReference {
    static let file = ModelFixture.referenceDirectory.appendingPathComponent("gradients.json")

    static var availableOrRequired: Bool {
        (ModelFixture.hasWeights && ModelFixture.hasReferences && FileManager.default.fileExists(atPath: file.path))
            || ModelFixture.required
    }
}

/// The whole fine-tuning pipeline's gradient on the real MiniLM against an independent
/// reference: `models/reference/gradients.json` from scripts/encoder/make_gradient_reference.py,
/// where the HIPS `autograd` package differentiates a float64 BERT written with autograd.numpy.
/// Same four texts, same head, same labels; layers 4 and 5 tuned. The finite-difference tests in
/// `LayerBackpropagationTests` check the backward pass on a tiny random model; this one checks it
/// at full size, with the real weights, through `cacheLowerLayers`, the packed batch, the head and
/// both tuned layers, against a tool that shares no code with it.
@Suite("Gradient reference", .enabled(if: GradientReference.availableOrRequired, "needs scripts/encoder-reference"))
struct GradientReferenceTests {
    struct Reference: Decodable {
        struct Sentence: Decodable {
            let text: String
            let ids: [Int32]
            let label: Int
        }
        struct Tensor: Decodable {
            let name: String
            let shape: [Int]
            let norm: Double
            let indices: [Int]
            let values: [Double]
        }
        struct Layer: Decodable {
            let layer: Int
            let tensors: [Tensor]
        }
        let sentences: [Sentence]
        let classes: Int
        let loss: Double
        let layers: [Layer]
    }

    /// Where a PyTorch tensor of one layer sits in `LayerParameterLayout` (query, key and value
    /// are the three row blocks of the fused qkv weight and bias), and how many floats it has.
    static func location(of name: String, in layout: LayerParameterLayout) -> (offset: Int, count: Int)? {
        let h = layout.hidden
        let i = layout.intermediate
        switch name {
        case "attention.self.query.weight": return (layout.qkvWeight, h * h)
        case "attention.self.key.weight": return (layout.qkvWeight + h * h, h * h)
        case "attention.self.value.weight": return (layout.qkvWeight + 2 * h * h, h * h)
        case "attention.self.query.bias": return (layout.qkvBias, h)
        case "attention.self.key.bias": return (layout.qkvBias + h, h)
        case "attention.self.value.bias": return (layout.qkvBias + 2 * h, h)
        case "attention.output.dense.weight": return (layout.attentionOutputWeight, h * h)
        case "attention.output.dense.bias": return (layout.attentionOutputBias, h)
        case "attention.output.LayerNorm.weight": return (layout.attentionNormScale, h)
        case "attention.output.LayerNorm.bias": return (layout.attentionNormShift, h)
        case "intermediate.dense.weight": return (layout.intermediateWeight, i * h)
        case "intermediate.dense.bias": return (layout.intermediateBias, i)
        case "output.dense.weight": return (layout.outputWeight, h * i)
        case "output.dense.bias": return (layout.outputBias, h)
        case "output.LayerNorm.weight": return (layout.outputNormScale, h)
        case "output.LayerNorm.bias": return (layout.outputNormShift, h)
        default: return nil
        }
    }

    /// Tolerances. The reference is float64; the Swift pipeline runs in float32 (sgemm, a
    /// rational erf in GELU, float sums in the head), whose rounding (2⁻²⁴ ≈ 6e-8 per operation)
    /// compounds through six layers and the backward pass's sums over tokens and over 384–1536
    /// products. Measured here: gradient entries off by at most ~4e-7 of their tensor's
    /// root-mean-square entry, norms by ~3e-7 relative, the loss by ~4e-8.
    /// - an entry: 1e-3 of its value, plus 1e-4 of the tensor's root-mean-square entry (norm / √count)
    ///   because entries near zero can't be held to a bound relative to themselves (float32 noise
    ///   is relative to the tensor's scale, not to the entry), plus 1e-8 for a tensor whose exact
    ///   gradient is zero: the key bias (softmax ignores a constant added to a row of scores),
    ///   where float32 leaves rounding noise of ~3e-10 per entry;
    /// - a norm: 1e-3 relative, plus the entries' 1e-8 floor times √count.
    /// The closest value here uses 3 % of its bound, while a real mistake (a wrong term, a
    /// missing factor, a transposed block) moves gradients by far more than 0.1 %.
    static let relativeTolerance = 1e-3
    static let rmsFloor = 1e-4
    static let absoluteFloor = 1e-8
    static let lossTolerance = 1e-4

    static func headWeight(classes: Int, hidden: Int) -> [Float] {
        (0..<(classes * hidden)).map { Float(0.5 * sin(0.37 * Double($0) + 0.1)) }
    }

    @Test("layers 4 and 5: loss and gradients match autograd's")
    func matchesAutograd() throws {
        try ModelFixture.requireReferences()
        guard FileManager.default.fileExists(atPath: GradientReference.file.path) else {
            throw ModelFixture.Missing(description: "\(GradientReference.file.path) is missing: run scripts/encoder-reference")
        }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: GradientReference.file))
        let encoder = try MiniLMEncoder(directory: ModelFixture.modelDirectory)
        let config = encoder.weights.configuration
        let h = config.hiddenSize
        let texts = reference.sentences.map(\.text)
        let labels = reference.sentences.map(\.label)

        // Given the same token ids as the reference (cacheLowerLayers tokenises with this tokenizer)
        for sentence in reference.sentences {
            let ids = encoder.tokenizer.encode(sentence.text, maxTokens: encoder.configuration.maxTokens)
            try #require(
                ids == sentence.ids,
                "the Swift tokenizer gives \(ids) for \(sentence.text.debugDescription), the reference \(sentence.ids)")
        }

        // and the top two layers tuned, as the reference's variables
        let tuner = EncoderFineTuner(
            encoder: encoder, configuration: FineTuneConfiguration(tunedLayers: 2), shouldStop: nil, progress: nil)
        let layout = tuner.backprop.layout
        let firstTuned = config.layerCount - tuner.tunedCount
        try #require(reference.layers.map(\.layer) == Array(firstTuned..<config.layerCount))
        let states = (0..<tuner.tunedCount).map { index in
            let parameters = FloatBuffer(count: layout.count)
            layout.copy(encoder.weights.layers[firstTuned + index], into: parameters.pointer)
            return EncoderFineTuner.LayerState(
                parameters: parameters, gradients: FloatBuffer(count: layout.count), first: FloatBuffer(count: 0),
                second: FloatBuffer(count: 0))
        }
        let layers = states.map { layout.layer(reading: $0.parameters.pointer) }

        // and the reference's head
        let head = PooledSoftmaxHead(
            centroidsOf: [[Float](repeating: 0, count: h)], labels: [0], classes: reference.classes, scale: 1)
        let weight = Self.headWeight(classes: reference.classes, hidden: h)
        head.weight.update(from: weight, count: weight.count)
        head.bias.update(repeating: 0, count: reference.classes)

        // When one training step's passes run over the four texts as one packed batch
        let cache = try tuner.cacheLowerLayers(texts, epochs: 1)
        var pass = PassBuffers(tunedCount: tuner.tunedCount)
        let spans = pass.load(Array(texts.indices), from: cache, width: h)
        tuner.forward(spans: spans, layers: layers, pass: &pass)
        let outcome = head.evaluate(
            hiddenStates: pass.top.output.pointer, spans: spans, labels: labels,
            hiddenGradient: pass.gradient(0, rows: spans.rows * h))
        tuner.backward(spans: spans, layers: layers, states: states, pass: &pass)

        // Then the mean loss matches
        let loss = outcome.loss / Double(labels.count)
        #expect(abs(loss - reference.loss) <= Self.lossTolerance * abs(reference.loss), "loss \(loss), autograd \(reference.loss)")

        // and so does every recorded gradient entry and every tensor's gradient norm (printed: the
        // largest relative error of a value above its floor, and the largest share of a bound used)
        var worstRelative = (error: 0.0, what: "")
        var worstShare = (share: 0.0, what: "")
        var checked = 0
        for (state, referenceLayer) in zip(states, reference.layers) {
            #expect(referenceLayer.tensors.count == 16)
            for tensor in referenceLayer.tensors {
                let what = "layer \(referenceLayer.layer) \(tensor.name)"
                let location = try #require(Self.location(of: tensor.name, in: layout), "unknown tensor \(what)")
                try #require(tensor.shape.reduce(1, *) == location.count, "\(what): shape \(tensor.shape)")
                let gradient = UnsafeBufferPointer(start: state.gradients.pointer + location.offset, count: location.count)
                let entryFloor = Self.rmsFloor * tensor.norm / Double(location.count).squareRoot() + Self.absoluteFloor
                let normFloor = Self.absoluteFloor * Double(location.count).squareRoot()

                func compare(_ swift: Double, _ expected: Double, _ label: String, floor: Double) {
                    let error = abs(swift - expected)
                    let bound = Self.relativeTolerance * abs(expected) + floor
                    #expect(error <= bound, "\(what) \(label): Swift \(swift), autograd \(expected)")
                    if abs(expected) > floor, error / abs(expected) > worstRelative.error {
                        worstRelative = (error / abs(expected), "\(what) \(label)")
                    }
                    if error / bound > worstShare.share { worstShare = (error / bound, "\(what) \(label)") }
                    checked += 1
                }

                let norm = gradient.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                compare(norm, tensor.norm, "norm", floor: normFloor)
                for (index, value) in zip(tensor.indices, tensor.values) {
                    try #require(index < location.count, "\(what): index \(index)")
                    compare(Double(gradient[index]), value, "[\(index)]", floor: entryFloor)
                }
            }
        }
        #expect(checked == 2 * 16 * 7)
        // Every value was inside its bound (checked above); the closest call, for the record.
        #expect(
            worstShare.share < 1,
            "loss \(loss) (autograd \(reference.loss)); largest relative error \(worstRelative.error) (\(worstRelative.what)), largest share of a bound \(worstShare.share) (\(worstShare.what))"
        )
    }
}
