struct LatencyBench {
    let arguments: BenchArguments
    func run() async throws {}
}
