import Encoder

extension FuzzTarget {
    /// A whole `.safetensors` file held in memory: the header length, the JSON header and the
    /// checks that its tensors tile the data section (`SafeTensors.layout(of:path:)`, which the
    /// file loader runs on the mapped file).
    public static let safeTensors = FuzzTarget(name: "SafeTensors") { bytes in
        bytes.withUnsafeBytes { file in
            _ = try? SafeTensors.layout(of: file, path: "fuzz.safetensors")
        }
    }
}
