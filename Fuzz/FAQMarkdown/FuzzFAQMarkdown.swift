import FuzzTargets

/// libFuzzer's entry point: one input for `FuzzTarget.faqMarkdown`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.faqMarkdown.testOneInput(data, size)
}
