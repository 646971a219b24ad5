import Conversations
import Encoder
import Foundation
import Generation
import Server
import Store
import WebChannel

/// Everything `supportbot serve` runs on, as one value: the CLI maps flags onto it and reads
/// its defaults from here. Every field has a documented default except the server's TLS
/// material.
public struct ApplicationConfiguration: Sendable {
    /// Content folders, model and encoder. Default `AssistantSetup()`.
    public var assistant: AssistantSetup
    /// Folder of the SQLite database. Default `state`.
    public var stateDirectory: URL
    /// The conversation database; nil is the SQLite file in `stateDirectory` (one node).
    /// `.postgres` lets several nodes share one database. Default nil.
    public var database: DatabaseLocation?
    /// SQLite durability and batching (and the message-id scheme of either backend). Default
    /// `StoreConfiguration()` (FULL durability).
    public var store: StoreConfiguration
    /// The TLS line server: address, certificate, limits.
    public var server: ServerConfiguration
    /// The conversation use case: authentication, handoff notice. Default
    /// `ConversationServiceConfiguration()`; `requireAuth` is forced on for a non-loopback
    /// address unless `allowAnonymous`.
    public var conversations: ConversationServiceConfiguration
    /// Serve a non-loopback address without tokens. Default false: such a server refuses to
    /// start until a token exists.
    public var allowAnonymous: Bool
    /// Prometheus endpoint `host:port`; nil turns it off. Default nil.
    public var metricsAddress: (host: String, port: Int)?
    /// The LLM answering FAQ questions; nil answers with the grounded composer. Default nil.
    public var llm: LLMConfiguration?
    /// How long requests in progress may finish after SIGTERM/SIGINT. Default 10 s.
    public var shutdownGrace: Duration
    /// Fine-tuning the encoder in the background after every (re)train, swapping the tuned model
    /// in when ready; nil keeps the head-only model. Default `FineTuneConfiguration()` with one
    /// BLAS thread (the encoder's), so requests keep the other cores.
    public var fineTuning: FineTuneConfiguration?
    /// The web channel (`/ws`, widget, agent inbox, analytics) on HTTPS, sharing the line
    /// server's certificate and limits; nil turns it off. Default nil.
    public var web: WebConfiguration?

    public init(
        server: ServerConfiguration,
        assistant: AssistantSetup = AssistantSetup(),
        stateDirectory: URL = URL(fileURLWithPath: "state"),
        database: DatabaseLocation? = nil,
        store: StoreConfiguration = StoreConfiguration(),
        conversations: ConversationServiceConfiguration = ConversationServiceConfiguration(),
        allowAnonymous: Bool = false,
        metricsAddress: (host: String, port: Int)? = nil,
        llm: LLMConfiguration? = nil,
        shutdownGrace: Duration = .seconds(10),
        fineTuning: FineTuneConfiguration? = FineTuneConfiguration(),
        web: WebConfiguration? = nil
    ) {
        self.web = web
        self.fineTuning = fineTuning
        self.server = server
        self.assistant = assistant
        self.stateDirectory = stateDirectory
        self.store = store
        self.database = database
        self.conversations = conversations
        self.allowAnonymous = allowAnonymous
        self.metricsAddress = metricsAddress
        self.llm = llm
        self.shutdownGrace = shutdownGrace
    }

    /// Whether `host` is a loopback address (a server there may run without tokens).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
