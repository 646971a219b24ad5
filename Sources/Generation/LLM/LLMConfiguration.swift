/// How to reach an OpenAI-compatible chat-completions endpoint (llama.cpp server, vLLM,
/// Ollama, OpenAI) and how hard to try before falling back to the grounded composer. Only the
/// CLI reads flags and the environment; this is the plain value it fills in.
public struct LLMConfiguration: Sendable {
    /// The endpoint. A URL whose path ends in `/chat/completions` is used as it is; a path like
    /// `/v1` gets `/chat/completions` appended; an empty path gets `/v1/chat/completions`.
    /// So `http://127.0.0.1:8080`, `http://localhost:11434/v1` and `https://api.openai.com/v1`
    /// all work. No default: the CLI's `--llm-url`.
    public var url: String
    /// The `model` field of the request (`--llm-model`). Default `"default"`, which servers with
    /// one model (llama.cpp) ignore.
    public var model: String = "default"
    /// Sent as `Authorization: Bearer …` when set (the CLI reads `SUPPORTBOT_LLM_API_KEY`). Default nil.
    public var apiKey: String?
    /// Deadline for a whole answer, from the request to the last token; past it the composer
    /// answers. Default 8 s.
    public var timeout: Duration = .seconds(8)
    /// Time allowed to open a connection to the endpoint, failing at once (no retries) when
    /// it is refused. Used by the HTTP client the generator creates itself. Default 2 s.
    public var connectTimeout: Duration = .seconds(2)
    /// Requests in flight at once; one more falls back to the composer at once rather than
    /// queueing behind a slow model. Default 8.
    public var maxConcurrent: Int = 8
    /// Consecutive failures (unreachable, timeout, HTTP error, broken stream) that open the
    /// circuit breaker. Answers the model gets wrong (no citation) do not count. Default 3.
    public var failureThreshold: Int = 3
    /// How long the open breaker sends every question straight to the composer before letting
    /// one probe request through. Default 30 s.
    public var openDuration: Duration = .seconds(30)
    /// Sampling temperature. Default 0.2: answers should stay close to the sources.
    public var temperature: Double = 0.2
    /// Upper bound on generated tokens; an answer cut off there falls back. Default 400.
    public var maxTokens: Int = 400
    /// At most this many of the retrieved entries are given to the model as sources. Default 3.
    public var maxSources: Int = 3
    /// A source's answer is cut to this many characters in the prompt. Default 2,000.
    public var maxSourceCharacters: Int = 2_000
    /// Whether the rules go in a `system` message. Set false for chat templates that have no
    /// system role and drop it (llama-cpp-python's `gemma` format): the rules then open the
    /// user message, as Gemma's own template does. Default true.
    public var useSystemRole: Bool = true
    /// Stop sequences sent with the request. Default none.
    public var stop: [String] = []
    /// An answer longer than this many bytes is cut off and falls back (guards against a
    /// runaway server). Default 64 KiB.
    public var maxResponseBytes: Int = 65_536

    public init(url: String, model: String = "default", apiKey: String? = nil, timeout: Duration = .seconds(8)) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }
}
