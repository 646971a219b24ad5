import FuzzTargets

/// libFuzzer's entry point: one input for `FuzzTarget.textMode`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.textMode.testOneInput(data, size)
}
