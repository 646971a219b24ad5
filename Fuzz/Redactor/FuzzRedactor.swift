import FuzzTargets

/// libFuzzer's entry point: one input for `FuzzTarget.redactor`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.redactor.testOneInput(data, size)
}
