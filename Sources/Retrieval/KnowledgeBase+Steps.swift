import Content
import Foundation
import Logging

extension KnowledgeBase {
    /// Indexes a large file `indexingStep` entries at a time, publishing after each step: its
    /// new entries become visible as they are ready, standing in for the old version's entry of
    /// the same id, while the old version's other entries keep serving until the file is done
    /// (an entry gone from the new version stops serving at the end). Every fifth of a step
    /// (20 entries by default), changes to other files are reloaded and published, so they wait
    /// for a fraction of a step rather than for this file. Logs `faq.indexing` after each step.
    func indexInSteps(_ file: ParsedFile) async {
        let (path, stamp, hash, entries) = (file.path, file.stamp, file.hash, file.entries)
        let step = max(1, configuration.indexingStep)
        let start = ContinuousClock.now
        let old = files[path]?.prepared ?? []
        var done: [PreparedEntry] = []
        var offset = 0
        while offset < entries.count {
            let end = min(entries.count, offset + step)
            let slice = max(1, step / 5)
            var at = offset
            while at < end {
                let next = min(end, at + slice)
                done += prepare(Array(entries[at..<next]))
                at = next
                if at < entries.count {
                    // Let other files' changes in, without touching this one.
                    await Task.yield()
                    _ = finish(refresh(excluding: [path]), start: .now)
                }
            }
            offset = end
            let replaced = Set(done.map(\.entry.id))
            let complete = offset == entries.count
            files[path] = FileRecord(
                stamp: complete ? stamp : files[path]?.stamp ?? stamp, hash: complete ? hash : files[path]?.hash ?? hash,
                prepared: complete ? done : done + old.filter { !replaced.contains($0.entry.id) }, error: nil,
                needsVerification: complete && Self.isRecent(stamp))
            publish()
            let progress = IndexingProgress(file: "faqs/\(path)", indexed: offset, total: entries.count)
            logger.info(
                "faq.indexing",
                metadata: [
                    "faq.file": "\(progress.file)", "faq.indexed": "\(offset)", "faq.total": "\(entries.count)",
                    "faq.duration_ms": "\(Self.milliseconds(ContinuousClock.now - start))",
                ])
            onIndexingStep(progress)
        }
    }
}

/// How far the indexing of a large FAQ file has got, after a step was published.
public struct IndexingProgress: Sendable, Equatable {
    /// The file, as `faqs/PATH`.
    public var file: String
    /// Entries of the file indexed and served so far.
    public var indexed: Int
    /// Entries in the file.
    public var total: Int
}
