import Foundation
import NIOCore

/// The pages and scripts the web channel serves, read once at start-up into memory with their
/// content types and validators. They ship in the binary's resource bundle
/// (`SupportBot_WebChannel.resources/Assets`, next to the executable) or come from
/// `WebConfiguration.assetsDirectory`.
struct WebAssets: Sendable {
    /// One file, ready to send.
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        /// A strong validator: the FNV-1a hash of the bytes and their length.
        let etag: String
    }

    /// Files by the path they are served at (`/widget.js`; pages at `/`, `/agent`, `/admin`).
    let byPath: [String: Asset]

    /// Every file the channel needs; start-up fails naming the first one missing.
    static let requiredFiles = [
        "index.html", "agent.html", "admin.html", "widget.js", "widget.css", "agent.js", "admin.js", "pages.css",
    ]
    /// Pages served at clean paths.
    static let pagePaths = ["index.html": "/", "agent.html": "/agent", "admin.html": "/admin"]

    static func load(directory: String?) throws(WebError) -> WebAssets {
        let folder: URL
        if let directory {
            folder = URL(fileURLWithPath: directory)
        } else {
            folder = try bundledFolder()
        }
        var byPath: [String: Asset] = [:]
        for name in requiredFiles {
            let url = folder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else {
                throw WebError(
                    .assetsMissing,
                    "cannot read \(url.path); the web pages ship next to the supportbot binary (SupportBot_WebChannel.resources): copy that folder with it, or point --web-assets at a folder holding \(requiredFiles.joined(separator: ", "))"
                )
            }
            let path = pagePaths[name] ?? "/\(name)"
            byPath[path] = Asset(body: ByteBuffer(bytes: data), contentType: contentType(of: name), etag: etag(of: data))
        }
        return WebAssets(byPath: byPath)
    }

    /// `SupportBot_WebChannel.resources/Assets` next to the executable or the test bundle.
    private static func bundledFolder() throws(WebError) -> URL {
        let bundleName = "SupportBot_WebChannel.resources"
        var candidates = [Bundle.main.bundleURL.appendingPathComponent(bundleName)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        for candidate in candidates {
            let assets = candidate.appendingPathComponent("Assets")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: assets.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return assets
            }
        }
        throw WebError(
            .assetsMissing,
            "the web pages are not installed: no \(bundleName)/Assets next to \(Bundle.main.bundleURL.path). Copy the .resources folder from the build directory next to the binary, or pass --web-assets DIR."
        )
    }

    private static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }

    private static func etag(of data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))-\(data.count)\""
    }
}
