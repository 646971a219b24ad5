import Testing

@testable import Retrieval

@Suite("Dense index")
struct DenseIndexTests {
    @Test("scores are the weighted sum of the question and answer cosines")
    func weightedCosines() {
        // Given unit vectors along axes (dimension 40, so the SIMD loop and its tail both run)
        func axis(_ index: Int) -> [Float] { (0..<40).map { $0 == index ? 1 : 0 } }
        let rows = zip([axis(0), axis(1), []], [axis(2), axis(0), axis(39)]).map {
            DenseIndex.combine(question: $0, answer: $1, answerWeight: 0.25, dimension: 40)
        }
        let index = DenseIndex(dimension: 40, rows: rows + [[1, 2]])
        // When the query is axis 0, Then entry 0 scores 0.75 (question) and entry 1 0.25 (answer)
        #expect(index.scores(for: axis(0)) == [0.75, 0.25, 0, 0])
        #expect(index.scores(for: axis(39)) == [0, 0, 0.25, 0])
        #expect(index.scores(for: [1, 0]) == nil)
        #expect(DenseIndex.centroid([axis(0), axis(1)], dimension: 40)[0] == Float(0.5).squareRoot())
    }
}
