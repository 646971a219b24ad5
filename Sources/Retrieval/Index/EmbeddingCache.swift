import Encoder
import Foundation
import Logging
import Synchronization

/// Remembers the embedding of every text by a hash of its content and the encoder's identity, in
/// memory and optionally on disk, so a reload (or a restart) re-embeds only entries that changed.
/// On disk it is one append-only file per encoder identity under the cache directory; a file
/// written by another encoder, or a torn last record after a crash, is ignored.
public final class EmbeddingCache: Sendable {
    private struct State {
        var vectors: [ContentHash: [Float]] = [:]
        var identity: String?
        var dimension = 0
        var file: FileHandle?
    }

    private let directory: URL?
    private let logger: Logger
    private let state = Mutex(State())

    /// `directory` nil keeps vectors in memory only. The directory is created when first needed.
    public init(directory: URL?, logger: Logger = Logger(label: "supportbot.retrieval", factory: { _ in SwiftLogNoOpLogHandler() }))
    {
        self.directory = directory
        self.logger = logger
    }

    deinit {
        state.withLock { state in try? state.file?.close() }
    }

    /// Vectors cached in memory.
    public var count: Int { state.withLock { $0.vectors.count } }

    /// One vector per text, in order: cached ones from memory or disk, the rest embedded in one
    /// batch (outside the lock, so other callers are not held up) and then remembered.
    public func embeddings(for texts: [String], using embedder: any TextEmbedder) -> [[Float]] {
        let keys = texts.map { ContentHash($0) }
        var result = [[Float]?](repeating: nil, count: texts.count)
        state.withLock { state in
            open(&state, identity: embedder.identity, dimension: embedder.dimension)
            for (index, key) in keys.enumerated() { result[index] = state.vectors[key] }
        }
        var missing: [Int] = []
        var missingTexts: [String] = []
        var seen: [ContentHash: Int] = [:]
        for (index, vector) in result.enumerated() where vector == nil {
            if seen[keys[index]] == nil {
                seen[keys[index]] = missingTexts.count
                missingTexts.append(texts[index])
            }
            missing.append(index)
        }
        guard !missingTexts.isEmpty else { return result.map { $0 ?? [] } }
        let embedded = embedder.embed(missingTexts)
        for index in missing {
            if let slot = seen[keys[index]], slot < embedded.count { result[index] = embedded[slot] }
        }
        state.withLock { state in
            var records = Data()
            for (key, slot) in seen where slot < embedded.count && embedded[slot].count == state.dimension {
                guard state.vectors.updateValue(embedded[slot], forKey: key) == nil else { continue }
                key.append(to: &records)
                embedded[slot].withUnsafeBytes { records.append(contentsOf: $0) }
            }
            append(records, to: &state)
        }
        return result.map { $0 ?? [] }
    }

    // MARK: Disk

    private static let magic = Data("SBEMB1\n".utf8)

    /// Loads the identity's file on first use (or when the identity changes).
    private func open(_ state: inout State, identity: String, dimension: Int) {
        guard state.identity != identity || state.dimension != dimension else { return }
        try? state.file?.close()
        state = State(identity: identity, dimension: dimension)
        guard let directory else { return }
        let url = directory.appendingPathComponent("embeddings-\(ContentHash(identity).hex.prefix(16)).bin")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var header = Self.magic
            header.append(Data(identity.utf8))
            header.append(Data("\n\(dimension)\n".utf8))
            var validLength = UInt64(header.count)
            if let existing = try? Data(contentsOf: url), existing.starts(with: header) {
                validLength = UInt64(load(existing, headerLength: header.count, into: &state))
            } else {
                try header.write(to: url)
            }
            let file = try FileHandle(forUpdating: url)
            try file.truncate(atOffset: validLength)
            try file.seekToEnd()
            state.file = file
            logger.debug(
                "embedding.cache.opened", metadata: ["cache.vectors": "\(state.vectors.count)", "cache.path": "\(url.path)"])
        } catch {
            logger.warning("embedding.cache.unavailable", metadata: ["cache.path": "\(url.path)", "error": "\(error)"])
            state.file = nil
        }
    }

    /// Reads whole records after the header; returns the length of the valid prefix.
    private func load(_ data: Data, headerLength: Int, into state: inout State) -> Int {
        let recordLength = ContentHash.byteCount + state.dimension * MemoryLayout<Float>.size
        var offset = headerLength
        data.withUnsafeBytes { raw in
            while offset + recordLength <= raw.count {
                let key = ContentHash(stored: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + ContentHash.byteCount)]))
                var vector = [Float](repeating: 0, count: state.dimension)
                vector.withUnsafeMutableBytes { destination in
                    destination.copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[(offset + ContentHash.byteCount)..<(offset + recordLength)]))
                }
                state.vectors[key] = vector
                offset += recordLength
            }
        }
        return offset
    }

    private func append(_ records: Data, to state: inout State) {
        guard !records.isEmpty, let file = state.file else { return }
        do {
            try file.write(contentsOf: records)
        } catch {
            logger.warning("embedding.cache.write_failed", metadata: ["error": "\(error)"])
            try? file.close()
            state.file = nil
        }
    }
}
