import Foundation

/// Reads curl's `--trace-time --trace-ascii` log: the timestamp of its first line (the
/// transfer starts), of the first received block carrying answer text, and of the last
/// received block.
struct CurlTrace {
    let sample: LLMBenchmark.Sample?

    init(_ trace: String) {
        // Blocks: a timestamped header line, then `hhhh: ` lines holding up to 64 bytes each.
        var blocks: [(time: Double, kind: Substring, payload: String)] = []
        for line in trace.split(separator: "\n") {
            if let time = Self.seconds(line) {
                blocks.append((time, line.dropFirst(16), ""))
            } else if let colon = line.firstIndex(of: ":"), !blocks.isEmpty {
                blocks[blocks.count - 1].payload += line[(line.index(colon, offsetBy: 2, limitedBy: line.endIndex) ?? line.endIndex)...]
            }
        }
        let received = blocks.filter { $0.kind.hasPrefix("<= Recv data") }
        let firstContent = received.first { block in
            block.payload.contains("\"content\": \"") && block.payload.contains("\"content\": \"\"") == false
        }
        if let start = blocks.first?.time, let firstContent, let last = received.last {
            sample = LLMBenchmark.Sample(firstDelta: (firstContent.time - start) * 1e3, total: (last.time - start) * 1e3)
        } else {
            sample = nil
        }
    }

    /// Seconds since midnight of a line starting `HH:MM:SS.ffffff `.
    private static func seconds(_ line: Substring) -> Double? {
        let stamp = line.prefix(15)
        guard stamp.count == 15, stamp.dropFirst(2).first == ":", stamp.dropFirst(8).first == "." else { return nil }
        let parts = stamp.split(separator: ":")
        guard parts.count == 3, let hours = Double(parts[0]), let minutes = Double(parts[1]), let secs = Double(parts[2]) else { return nil }
        return hours * 3600 + minutes * 60 + secs
    }

    /// The answer text in a saved event-stream body.
    static func answer(in body: String) -> String {
        var text = ""
        for line in body.split(separator: "\n") where line.hasPrefix("data: ") && line != "data: [DONE]" {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any],
                  let choice = (object["choices"] as? [[String: Any]])?.first,
                  let content = (choice["delta"] as? [String: Any])?["content"] as? String
            else { continue }
            text += content
        }
        return text
    }
}
