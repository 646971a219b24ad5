import Content

/// Names and limits shared by the classifier's files.
enum ClassifierConstants {
    /// The intent returned for messages below the threshold (the content spec's special intent).
    static let outOfScope = Intent.outOfScope
    /// Candidates kept in `Prediction.top`.
    static let topCount = 5
}
