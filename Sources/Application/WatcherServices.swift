import Assistant
import Conversations
import Retrieval
import ServiceLifecycle
import SupportCore

/// Runs the knowledge base's folder watcher as a service that stops on graceful shutdown.
struct KnowledgeWatcherService: Service {
    let knowledge: KnowledgeBase

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await knowledge.run()
            }
        } catch is CancellationError {
            // Graceful shutdown cancels the watcher: the expected way for it to end.
        }
    }
}

/// Retrains the classifier live when `intents/` changes, until graceful shutdown.
struct IntentWatcherService: Service {
    let retrainer: IntentRetrainer

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await retrainer.run()
        }
    }
}

/// Ends live sessions of revoked tokens (`ConversationService.enforceRevocations`).
struct RevocationService: Service {
    let service: ConversationService

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await service.enforceRevocations()
        }
    }
}

/// Delivers other nodes' changes (from a store shared by several nodes) to the sessions live
/// on this node, until graceful shutdown.
struct ChangeFeedService: Service {
    let service: ConversationService
    let feed: any ConversationChangeFeed

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await service.follow(feed)
        }
    }
}
