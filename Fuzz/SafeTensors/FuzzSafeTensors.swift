import FuzzTargets

/// libFuzzer's entry point: one input for `FuzzTarget.safeTensors`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.safeTensors.testOneInput(data, size)
}
