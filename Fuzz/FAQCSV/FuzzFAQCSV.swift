import FuzzTargets

/// libFuzzer's entry point: one input for `FuzzTarget.faqCSV`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.faqCSV.testOneInput(data, size)
}
