/// Limits for loading `faqs/`, so one runaway file cannot exhaust memory.
public struct FAQLoaderConfiguration: Sendable, Hashable {
    /// Largest file read, in bytes; bigger files are refused with `tooLarge`. Default 5 MiB.
    public var maxFileSize: Int

    public init(maxFileSize: Int = 5 * 1024 * 1024) {
        self.maxFileSize = maxFileSize
    }
}
