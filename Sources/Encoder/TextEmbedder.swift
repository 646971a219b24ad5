/// Turns texts into fixed-size, L2-normalised vectors. The classifier and the dense retriever
/// depend on this protocol, not on a particular model, so they can run without encoder weights.
public protocol TextEmbedder: Sendable {
    /// Length of every vector `embed` returns.
    var dimension: Int { get }
    /// Identifies the model and its weights (e.g. `all-MiniLM-L6-v2@<sha256 prefix>`); stored in
    /// classifier artifacts and embedding caches so vectors of different models never mix.
    var identity: String { get }
    /// Embeds texts in one call (batched internally); one unit-length vector per text, in order.
    func embed(_ texts: [String]) -> [[Float]]
    /// Whether lower-cased `word` is one whole entry of the model's vocabulary (a word the model
    /// knows as such, not a string of pieces): a dictionary of ordinary words, so a spelling
    /// corrector leaves them alone. Default false: an embedder without a vocabulary knows none.
    func knowsWord(_ word: String) -> Bool
}

extension TextEmbedder {
    public func knowsWord(_ word: String) -> Bool { false }
}
