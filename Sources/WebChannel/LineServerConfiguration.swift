import Server

/// The line server's configuration (limits, TLS material, server name), which the web channel
/// shares; named apart because Hummingbird also has a `ServerConfiguration`.
public typealias LineServerConfiguration = ServerConfiguration
