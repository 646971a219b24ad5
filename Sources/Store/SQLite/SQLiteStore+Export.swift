import Foundation
import SupportCore

extension SQLiteStore {
    public func export(
        conversation: ConversationID, format: ExportFormat, redact: Bool, guardFormulas: Bool
    ) async throws -> String {
        try await exporter.exportString(
            ExportRequest(
                selection: .conversation(conversation), format: format, redact: redact, guardFormulas: guardFormulas))
    }
}
