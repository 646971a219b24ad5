import Foundation

/// Greedy clustering of questions by cosine similarity in two steps, deterministic for a given
/// input order:
///
/// 1. Leader pass: each question joins the existing cluster whose centroid (the weighted sum
///    of its members' vectors) is most similar to it, if that similarity is at least
///    `threshold` (the first such cluster on ties); otherwise it starts a new cluster.
/// 2. Agglomerative merge: clusters whose centroids are at least `threshold` similar are merged
///    (each cluster in turn absorbs the later ones), in sweeps until none merge, so that a
///    paraphrase seen before the phrasing that links it to a cluster still ends up there.
///
/// Callers order the input most frequent first, so frequent phrasings seed the clusters.
struct QuestionClusterer<Space: ClusterSpace> {
    typealias Cluster = ClusterMembers

    let space: Space
    let threshold: Double

    /// Clusters `vectors`, each weighted (e.g. by how often the question was asked).
    func cluster(_ vectors: [Space.Vector], weights: [Double]) -> [Cluster] {
        var centroids: [Space.Centroid] = []
        var members: [[Int]] = []
        for index in vectors.indices {
            var best: Int?
            var bestSimilarity = -Double.infinity
            for (candidate, centroid) in centroids.enumerated() {
                let similarity = space.cosine(vectors[index], centroid)
                if similarity >= threshold, similarity > bestSimilarity {
                    best = candidate
                    bestSimilarity = similarity
                }
            }
            if let best {
                space.add(vectors[index], weight: weights[index], to: &centroids[best])
                members[best].append(index)
            } else {
                centroids.append(space.centroid(vectors[index], weight: weights[index]))
                members.append([index])
            }
        }
        merge(&centroids, &members)
        return zip(members, centroids).map { members, centroid in
            var representative = members[0]
            var bestSimilarity = -Double.infinity
            for member in members {
                let similarity = space.cosine(vectors[member], centroid)
                if similarity > bestSimilarity + 1e-12 {
                    representative = member
                    bestSimilarity = similarity
                }
            }
            return Cluster(members: members, representative: representative)
        }
    }

    /// Step 2: merges clusters with similar centroids until a sweep merges none. After the
    /// first sweep only pairs with a cluster that changed in the previous sweep are compared.
    private func merge(_ centroids: inout [Space.Centroid], _ members: inout [[Int]]) {
        var changed = [Bool](repeating: true, count: centroids.count)
        var merged = true
        while merged {
            merged = false
            var next = [Bool](repeating: false, count: centroids.count)
            var i = 0
            while i < centroids.count {
                var j = i + 1
                while j < centroids.count {
                    if (changed[i] || changed[j]) && space.cosine(centroids[i], centroids[j]) >= threshold {
                        space.merge(centroids[j], into: &centroids[i])
                        members[i] = (members[i] + members[j]).sorted()
                        centroids.remove(at: j)
                        members.remove(at: j)
                        changed.remove(at: j)
                        next.remove(at: j)
                        next[i] = true
                        merged = true
                    } else {
                        j += 1
                    }
                }
                i += 1
            }
            changed = next
        }
    }
}

/// One cluster: its members' indices into the clustered input (in input order) and the index
/// of the member most similar to the final centroid (the earliest on ties).
struct ClusterMembers: Equatable {
    var members: [Int]
    var representative: Int
}

/// The vector operations leader clustering needs: a centroid is a running weighted sum.
protocol ClusterSpace {
    associatedtype Vector
    associatedtype Centroid
    /// A centroid holding one vector.
    func centroid(_ vector: Vector, weight: Double) -> Centroid
    /// Adds `weight × vector` to a centroid.
    func add(_ vector: Vector, weight: Double, to centroid: inout Centroid)
    /// Cosine similarity of a vector and a centroid (0 when either is zero).
    func cosine(_ vector: Vector, _ centroid: Centroid) -> Double
    /// Cosine similarity of two centroids (0 when either is zero).
    func cosine(_ a: Centroid, _ b: Centroid) -> Double
    /// Adds centroid `other` to `centroid` (the union of their members).
    func merge(_ other: Centroid, into centroid: inout Centroid)
}

/// Dense sentence embeddings (the encoder's 384-dimensional vectors).
struct DenseSpace: ClusterSpace {
    struct Centroid {
        var sum: [Double]
        var norm: Double
    }

    func centroid(_ vector: [Float], weight: Double) -> Centroid {
        var centroid = Centroid(sum: [Double](repeating: 0, count: vector.count), norm: 0)
        add(vector, weight: weight, to: &centroid)
        return centroid
    }

    func add(_ vector: [Float], weight: Double, to centroid: inout Centroid) {
        var squares = 0.0
        for i in centroid.sum.indices where i < vector.count {
            centroid.sum[i] += weight * Double(vector[i])
            squares += centroid.sum[i] * centroid.sum[i]
        }
        centroid.norm = squares.squareRoot()
    }

    func cosine(_ vector: [Float], _ centroid: Centroid) -> Double {
        var dot = 0.0
        var squares = 0.0
        for i in vector.indices where i < centroid.sum.count {
            let value = Double(vector[i])
            dot += value * centroid.sum[i]
            squares += value * value
        }
        let denominator = squares.squareRoot() * centroid.norm
        return denominator > 0 ? dot / denominator : 0
    }

    func cosine(_ a: Centroid, _ b: Centroid) -> Double {
        var dot = 0.0
        for i in a.sum.indices where i < b.sum.count {
            dot += a.sum[i] * b.sum[i]
        }
        let denominator = a.norm * b.norm
        return denominator > 0 ? dot / denominator : 0
    }

    func merge(_ other: Centroid, into centroid: inout Centroid) {
        var squares = 0.0
        for i in centroid.sum.indices where i < other.sum.count {
            centroid.sum[i] += other.sum[i]
            squares += centroid.sum[i] * centroid.sum[i]
        }
        centroid.norm = squares.squareRoot()
    }
}

/// A sparse vector: feature ids in increasing order and their weights (a question's TF-IDF
/// vector has unit length).
struct LexicalVector: Equatable {
    var features: [Int]
    var weights: [Double]
}

/// Sparse lexical vectors (see `LexicalVectorizer`). Centroids are sparse vectors too, kept
/// sorted by feature id, so every sum runs in the same order and results are reproducible.
struct SparseSpace: ClusterSpace {
    struct Centroid {
        var sum: LexicalVector
        var norm: Double
    }

    func centroid(_ vector: LexicalVector, weight: Double) -> Centroid {
        let sum = LexicalVector(features: vector.features, weights: vector.weights.map { $0 * weight })
        return Centroid(sum: sum, norm: Self.norm(sum))
    }

    func add(_ vector: LexicalVector, weight: Double, to centroid: inout Centroid) {
        centroid.sum = Self.sum(centroid.sum, vector, weight: weight)
        centroid.norm = Self.norm(centroid.sum)
    }

    func cosine(_ vector: LexicalVector, _ centroid: Centroid) -> Double {
        let denominator = Self.norm(vector) * centroid.norm
        return denominator > 0 ? Self.dot(vector, centroid.sum) / denominator : 0
    }

    func cosine(_ a: Centroid, _ b: Centroid) -> Double {
        let denominator = a.norm * b.norm
        return denominator > 0 ? Self.dot(a.sum, b.sum) / denominator : 0
    }

    func merge(_ other: Centroid, into centroid: inout Centroid) {
        centroid.sum = Self.sum(centroid.sum, other.sum, weight: 1)
        centroid.norm = Self.norm(centroid.sum)
    }

    static func norm(_ vector: LexicalVector) -> Double {
        vector.weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The dot product of two vectors sorted by feature id (a merge join).
    static func dot(_ a: LexicalVector, _ b: LexicalVector) -> Double {
        var i = 0
        var j = 0
        var dot = 0.0
        while i < a.features.count, j < b.features.count {
            if a.features[i] == b.features[j] {
                dot += a.weights[i] * b.weights[j]
                i += 1
                j += 1
            } else if a.features[i] < b.features[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return dot
    }

    /// `a + weight × b`, sorted by feature id.
    static func sum(_ a: LexicalVector, _ b: LexicalVector, weight: Double) -> LexicalVector {
        var result = LexicalVector(features: [], weights: [])
        result.features.reserveCapacity(a.features.count + b.features.count)
        result.weights.reserveCapacity(a.features.count + b.features.count)
        var i = 0
        var j = 0
        while i < a.features.count || j < b.features.count {
            if j == b.features.count || (i < a.features.count && a.features[i] < b.features[j]) {
                result.features.append(a.features[i])
                result.weights.append(a.weights[i])
                i += 1
            } else if i == a.features.count || b.features[j] < a.features[i] {
                result.features.append(b.features[j])
                result.weights.append(weight * b.weights[j])
                j += 1
            } else {
                result.features.append(a.features[i])
                result.weights.append(a.weights[i] + weight * b.weights[j])
                i += 1
                j += 1
            }
        }
        return result
    }
}
