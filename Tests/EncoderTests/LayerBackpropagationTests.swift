import Foundation
import Testing

@testable import Encoder

/// The gradient of a whole transformer layer, of two layers in a row and of the pooled softmax
/// head, against central finite differences of the forward pass (the same forward inference
/// runs, checked against the reference embeddings elsewhere), on a small random model with two
/// texts of different lengths packed into one batch.
@Suite("Layer backpropagation")
struct LayerBackpropagationTests {
    static let configuration = BertConfiguration(
        hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 12, vocabularySize: 1, maxPositions: 8,
        typeVocabularySize: 1, layerNormEpsilon: 1e-5, activation: "gelu")

    typealias Numbers = BackwardKernelsTests.Numbers

    /// Random weights with LayerNorm scales near 1 and shifts near 0.
    static func randomLayer(_ numbers: inout Numbers, layout: LayerParameterLayout) -> FloatBuffer {
        let buffer = FloatBuffer(count: layout.count)
        for index in 0..<layout.count { buffer.pointer[index] = 0.5 * numbers.next() }
        for scale in [layout.attentionNormScale, layout.outputNormScale] {
            for column in 0..<layout.hidden { buffer.pointer[scale + column] = 1 + 0.2 * numbers.next() }
        }
        return buffer
    }

    static func spans(_ lengths: [Int]) -> LayerBackpropagation.Spans {
        var spans = LayerBackpropagation.Spans()
        for length in lengths { spans.append(length: length) }
        return spans
    }

    /// Indices to probe in each part of the layout: a few per weight matrix, all of the small parts.
    static func probes(_ layout: LayerParameterLayout, _ numbers: inout Numbers) -> [Int] {
        let parts = [
            layout.qkvWeight, layout.qkvBias, layout.attentionOutputWeight, layout.attentionOutputBias,
            layout.attentionNormScale, layout.attentionNormShift, layout.intermediateWeight, layout.intermediateBias,
            layout.outputWeight, layout.outputBias, layout.outputNormScale, layout.outputNormShift, layout.count,
        ]
        var indices: [Int] = []
        for (start, end) in zip(parts, parts.dropFirst()) {
            for _ in 0..<5 {
                _ = numbers.next()
                indices.append(start + Int(numbers.state % UInt64(end - start)))
            }
        }
        return indices
    }

    static func expectClose(_ analytic: Float, _ numeric: Double, _ what: String) {
        let tolerance = 2e-3 + 2e-2 * abs(numeric)
        #expect(abs(Double(analytic) - numeric) <= tolerance, "\(what): analytic \(analytic), numeric \(numeric)")
    }

    @Test("one layer: every weight group and the input, against finite differences")
    func oneLayer() {
        let backprop = LayerBackpropagation(configuration: Self.configuration)
        let layout = backprop.layout
        var numbers = Numbers(state: 0x5DEE_CE66_D1CE_4E5B)
        let parameters = Self.randomLayer(&numbers, layout: layout)
        let spans = Self.spans([3, 5])
        let h = layout.hidden
        let input = (0..<(spans.rows * h)).map { _ in numbers.next() }
        let lossWeights = (0..<(spans.rows * h)).map { _ in numbers.next() }
        let saved = LayerBackpropagation.Activations()

        func loss() -> Double {
            input.withUnsafeBufferPointer { x in
                backprop.forward(
                    layer: layout.layer(reading: parameters.pointer), spans: spans, input: x.baseAddress!, saved: saved)
            }
            return (0..<lossWeights.count).reduce(0.0) { $0 + Double(lossWeights[$1] * saved.output.pointer[$1]) }
        }
        _ = loss()
        let gradients = FloatBuffer(count: layout.count)
        var inputGradient = [Float](repeating: 0, count: input.count)
        lossWeights.withUnsafeBufferPointer { dy in
            backprop.backward(
                layer: layout.layer(reading: parameters.pointer), spans: spans, saved: saved, outputGradient: dy.baseAddress!,
                gradients: gradients.pointer, inputGradient: &inputGradient, scratch: LayerBackpropagation.Scratch())
        }
        let step: Float = 5e-3
        for index in Self.probes(layout, &numbers) {
            let original = parameters.pointer[index]
            parameters.pointer[index] = original + step
            let plus = loss()
            parameters.pointer[index] = original - step
            let minus = loss()
            parameters.pointer[index] = original
            Self.expectClose(gradients.pointer[index], (plus - minus) / Double(2 * step), "parameter \(index)")
        }
        var perturbed = input
        for row in 0..<spans.rows {
            for column in [0, 3, 7] {
                let index = row * h + column
                let original = input[index]
                perturbed[index] = original + step
                let plus = perturbed.withUnsafeBufferPointer { x -> Double in
                    backprop.forward(
                        layer: layout.layer(reading: parameters.pointer), spans: spans, input: x.baseAddress!, saved: saved)
                    return (0..<lossWeights.count).reduce(0.0) { $0 + Double(lossWeights[$1] * saved.output.pointer[$1]) }
                }
                perturbed[index] = original - step
                let minus = perturbed.withUnsafeBufferPointer { x -> Double in
                    backprop.forward(
                        layer: layout.layer(reading: parameters.pointer), spans: spans, input: x.baseAddress!, saved: saved)
                    return (0..<lossWeights.count).reduce(0.0) { $0 + Double(lossWeights[$1] * saved.output.pointer[$1]) }
                }
                perturbed[index] = original
                Self.expectClose(inputGradient[index], (plus - minus) / Double(2 * step), "input row \(row) column \(column)")
            }
        }
    }

    @Test("two layers under the pooled softmax head: the lower layer's and the head's weights")
    func twoLayersAndHead() {
        let backprop = LayerBackpropagation(configuration: Self.configuration)
        let layout = backprop.layout
        var numbers = Numbers(state: 0x2545_F491_4F6C_DD1D)
        let lower = Self.randomLayer(&numbers, layout: layout)
        let upper = Self.randomLayer(&numbers, layout: layout)
        let spans = Self.spans([4, 2, 6])
        let labels = [2, 0, 2]
        let h = layout.hidden
        let input = (0..<(spans.rows * h)).map { _ in numbers.next() }
        let centroids = (0..<3).map { _ in (0..<h).map { _ in numbers.next() } }
        let head = PooledSoftmaxHead(centroidsOf: centroids, labels: [0, 1, 2], classes: 3, scale: 4)
        let first = LayerBackpropagation.Activations()
        let second = LayerBackpropagation.Activations()

        func loss(gradient: UnsafeMutablePointer<Float>? = nil) -> Double {
            input.withUnsafeBufferPointer { x in
                backprop.forward(layer: layout.layer(reading: lower.pointer), spans: spans, input: x.baseAddress!, saved: first)
            }
            backprop.forward(
                layer: layout.layer(reading: upper.pointer), spans: spans, input: first.output.pointer, saved: second)
            return head.evaluate(hiddenStates: second.output.pointer, spans: spans, labels: labels, hiddenGradient: gradient).loss
        }
        let topGradient = FloatBuffer(count: spans.rows * h)
        _ = loss(gradient: topGradient.pointer)
        let middleGradient = FloatBuffer(count: spans.rows * h)
        let lowerGradients = FloatBuffer(count: layout.count)
        let upperGradients = FloatBuffer(count: layout.count)
        let scratch = LayerBackpropagation.Scratch()
        backprop.backward(
            layer: layout.layer(reading: upper.pointer), spans: spans, saved: second, outputGradient: topGradient.pointer,
            gradients: upperGradients.pointer, inputGradient: middleGradient.pointer, scratch: scratch)
        backprop.backward(
            layer: layout.layer(reading: lower.pointer), spans: spans, saved: first, outputGradient: middleGradient.pointer,
            gradients: lowerGradients.pointer, inputGradient: nil, scratch: scratch)
        // evaluate's gradient is of the batch's mean loss; the loss it returns is the sum.
        let count = Double(labels.count)
        let step: Float = 5e-3
        for index in Self.probes(layout, &numbers) {
            let original = lower.pointer[index]
            lower.pointer[index] = original + step
            let plus = loss()
            lower.pointer[index] = original - step
            let minus = loss()
            lower.pointer[index] = original
            Self.expectClose(lowerGradients.pointer[index], (plus - minus) / Double(2 * step) / count, "lower layer \(index)")
        }
        for index in [0, 5, 11, h + 2, 2 * h + 7, 3 * h, 3 * h + 2] {  // weights, then biases
            let original = head.parameters.pointer[index]
            head.parameters.pointer[index] = original + step
            let plus = loss()
            head.parameters.pointer[index] = original - step
            let minus = loss()
            head.parameters.pointer[index] = original
            Self.expectClose(head.gradients.pointer[index], (plus - minus) / Double(2 * step) / count, "head \(index)")
        }
    }

    @Test("the head counts a text right exactly when its label has the largest logit")
    func headAccuracy() {
        let h = 8
        var numbers = Numbers(state: 0x1234_5678_9ABC_DEF1)
        let centroids = (0..<4).map { _ in (0..<h).map { _ in numbers.next() } }
        let head = PooledSoftmaxHead(centroidsOf: centroids, labels: [0, 1, 2, 3], classes: 4, scale: 10)
        // Each text is one token whose hidden state is a class centroid: its nearest class.
        let spans = Self.spans([1, 1, 1, 1])
        let states = centroids.flatMap { $0 }
        let right = head.evaluate(hiddenStates: states, spans: spans, labels: [0, 1, 2, 3], hiddenGradient: nil)
        #expect(right.correct == 4)
        let wrong = head.evaluate(hiddenStates: states, spans: spans, labels: [1, 2, 3, 0], hiddenGradient: nil)
        #expect(wrong.correct == 0)
        #expect(wrong.loss > right.loss)
    }
}
